/** The shipped command line: help, version, exit codes, and the permission set it runs under. */
import assert from "node:assert/strict";
import denoJson from "../deno.json" with { type: "json" };
import { DRIVER_ENV_KEYS, ENV_KEYS } from "../lib/cli/settings.ts";
import { TOOL_VERSION } from "../lib/cli/command.ts";
import { cli } from "./harness.ts";

const COMMANDS = `setup simulate backfill catch-up status serve verify report`.split(" ");

Deno.test("--version prints the version from deno.json", async () => {
  const r = await cli(["--version"]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `chinook-sim ${denoJson.version}\n`);
  assert.equal(TOOL_VERSION, denoJson.version);
});

Deno.test("every command has --help on stdout, exit 0", async () => {
  const top = await cli(["--help"]);
  assert.equal(top.code, 0);
  for (const command of COMMANDS) {
    assert.match(top.stdout, new RegExp(`\\n  ${command} `), `listed: ${command}`);
    const r = await cli([command, "--help"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^chinook-sim ${command}: `));
    assert.match(r.stdout, /Usage: chinook-sim /);
    assert.equal(r.stderr, "");
  }
});

Deno.test("no command is a usage error with the command list", async () => {
  const r = await cli([]);
  assert.equal(r.code, 2);
  assert.match(r.stdout, /Commands:/);
});

Deno.test("the permission set allows exactly the environment variables the tool reads", () => {
  const set =
    (denoJson as unknown as { permissions: { default: { env: string[] } } }).permissions.default;
  assert.deepEqual([...set.env].sort(), [...ENV_KEYS, ...DRIVER_ENV_KEYS].sort());
  const tasks = denoJson.tasks as Record<string, string>;
  // The launcher gives main.ts deno.json's variables and a narrowed grant; itself it only
  // reads and starts deno (no network, no writes). The binary gets the same variables.
  for (const name of ["simulate", "cli"]) {
    assert.match(tasks[name]!, / tools\/launch\.ts\b/, `${name} runs through the launcher`);
  }
  assert.match(tasks.compile!, / tools\/compile\.ts$/, "compile runs through tools/compile.ts");
  for (const name of ["simulate", "cli", "compile"]) {
    assert.doesNotMatch(tasks[name]!, /--allow-net|--allow-write|-P\b/, name);
  }
  for (const task of Object.values(tasks)) assert.doesNotMatch(task, / -A\b|--allow-all/);
  assert.doesNotMatch(tasks.compile!, /--env-file/, "secrets never baked into the binary");
});
