/**
 * `deno task test`: runs `deno test` with the given arguments, giving the whole
 * run one directory for the harness's set-up database templates (see
 * harness.ts) and removing it when the run ends, however it ends.
 */
const templates = await Deno.makeTempDir({ prefix: "chinook-sim-test-templates-" });
let code = 1;
try {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", ...Deno.args],
    env: { CHINOOK_SIM_TEST_TEMPLATES: templates },
  }).spawn();
  // An interrupt or termination ends `deno test`; the directory is removed after it.
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const forward = signals.map((signal) => {
    const handler = () => {
      try {
        child.kill(signal);
      } catch {
        // Already exited.
      }
    };
    Deno.addSignalListener(signal, handler);
    return () => Deno.removeSignalListener(signal, handler);
  });
  code = (await child.status).code;
  for (const remove of forward) remove();
} finally {
  await Deno.remove(templates, { recursive: true });
}
Deno.exit(code);
