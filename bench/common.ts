/** What the benchmarks share: the local server, the repository, the Chinook sample, output. */

/** The server the benchmarks create their databases on. */
export const ADMIN_URL = Deno.env.get("BENCH_DATABASE_URL") ??
  "postgres://postgres@127.0.0.1:5432/postgres";
export const ROOT = new URL("..", import.meta.url).pathname;
export const CHINOOK = Deno.env.get("CHINOOK_SQL") ?? `${ROOT}../shared/chinook/chinook.sql`;

/** A result line on stdout. */
export function out(line: string) {
  // deno-lint-ignore no-console
  console.log(line);
}

/** The URL of `database` on the benchmarks' server. */
export function urlOf(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.href;
}

const decoder = new TextDecoder();

/**
 * Runs a command, sampling its resident memory with `ps` (reading /proc needs
 * --allow-all in Deno); the largest sample approximates the peak.
 */
export async function timed(cmd: string, args: string[], env: Record<string, string> = {}) {
  const started = performance.now();
  const child = new Deno.Command(cmd, {
    args,
    env,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  let peakKb = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const ps = await new Deno.Command("ps", {
        args: ["-o", "rss=", "-p", String(child.pid)],
        stdout: "piped",
        stderr: "null",
      })
        .output();
      peakKb = Math.max(peakKb, Number(decoder.decode(ps.stdout).trim()) || 0);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const result = await child.output();
  sampling = false;
  await sampler;
  const seconds = (performance.now() - started) / 1000;
  if (!result.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${decoder.decode(result.stderr)}`);
  }
  return { seconds, peakMb: peakKb / 1024, stdout: decoder.decode(result.stdout) };
}

/** Runs main.ts against a database, timed, with quiet UTC settings. */
export function runCli(databaseUrl: string, args: string[]) {
  return timed(Deno.execPath(), ["run", "--quiet", "-P", `${ROOT}main.ts`, ...args], {
    DATABASE_URL: databaseUrl,
    NO_COLOR: "1",
    SIM_TIMEZONE: "UTC",
    LOG_LEVEL: "warning",
  });
}
