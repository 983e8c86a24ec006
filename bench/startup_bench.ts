/**
 * A small day as users run it: `deno task simulate --inserts 10000 --updates
 * 500 --deletes 200` (the launcher, then main.ts) on a fresh server database
 * set up with the default history, wall time including process start, against
 * the floor of any such run: `deno run` of an empty script, measured in the
 * same runs (alternating). Each run gets its own copy of one set-up database
 * (CREATE DATABASE … TEMPLATE, not timed). Target: ≤ 0.6 s (issue 19).
 *
 *   deno task bench:startup [--runs N]     (default 11)
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { ADMIN_URL, CHINOOK, out, ROOT, urlOf } from "./common.ts";

const { values } = parseArgs({ args: Deno.args, options: { runs: { type: "string" } } });
const runs = Number(values.runs ?? 11);
const TARGET_SECONDS = 0.6;
const DAY = ["--inserts", "10000", "--updates", "500", "--deletes", "200"];

const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
const template = `startup_bench_${Deno.pid}`;
const scratch = await Deno.makeTempDir({ prefix: "startup_bench_" });
const empty = `${scratch}/empty.ts`;
await Deno.writeTextFile(empty, "");

/**
 * Seconds from spawn to exit (common.ts's `timed` also samples memory, which
 * adds up to its 100 ms sampling period to a run this short).
 */
async function time(args: string[], env: Record<string, string> = {}): Promise<number> {
  const started = performance.now();
  const result = await new Deno.Command(Deno.execPath(), {
    args,
    env,
    cwd: ROOT,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - started) / 1000;
  if (!result.success) {
    throw new Error(`deno ${args.join(" ")} failed: ${new TextDecoder().decode(result.stderr)}`);
  }
  return seconds;
}

/** `deno task …` in the repository, as a user types it. */
function task(databaseUrl: string, args: string[]): Promise<number> {
  return time(["task", "--quiet", ...args], { DATABASE_URL: databaseUrl, NO_COLOR: "1" });
}

function summary(seconds: number[]): string {
  const sorted = [...seconds].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
  return `median ${ms(at(0.5))} (p10 ${ms(at(0.1))}, p90 ${ms(at(0.9))})`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  await admin.unsafe(`CREATE DATABASE ${template}`);
  await task(urlOf(template), ["cli", "setup", "--chinook-sql", CHINOOK, "--seed", "19"]);
  const day: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const db = `${template}_${i}`;
    await admin.unsafe(`CREATE DATABASE ${db} TEMPLATE ${template}`);
    try {
      const args = ["simulate", ...DAY, "--seed", "1", "--manifest-dir", scratch];
      const run = await task(urlOf(db), args);
      const base = await time(["run", "--quiet", empty]);
      // The first pair warms the caches (compiled modules, the database's files).
      if (i > 0) (day.push(run), floor.push(base));
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    }
  }
  out(`simulate ${DAY.join(" ")} (deno task, server): ${summary(day)}`);
  out(`deno run of an empty script (process start):  ${summary(floor)}`);
  out(
    `above the process start: ${((median(day) - median(floor)) * 1000).toFixed(0)} ms; ` +
      `target ≤ ${TARGET_SECONDS * 1000} ms wall: ${
        median(day) <= TARGET_SECONDS ? "met" : "not met"
      } ` +
      `(${runs} runs each)`,
  );
} finally {
  await admin.unsafe(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  await admin.end();
  await Deno.remove(scratch, { recursive: true });
}
