/**
 * A small day as users run it: `deno task simulate --inserts 10000 --updates
 * 500 --deletes 200` (the launcher, then main.ts) on a fresh server database
 * set up with the default history, wall time including process start, against
 * the floor of any such run: `deno run` of an empty script, measured in the
 * same runs (alternating). Each run gets its own copy of one set-up database
 * (CREATE DATABASE … TEMPLATE, not timed). Beside the wall time, the CPU time
 * of the run's process tree (GNU time), which the machine's load moves far
 * less. Target: ≤ 0.6 s wall (issue 19).
 *
 *   deno task bench:startup [--runs N]     (default 11)
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { ADMIN_URL, CHINOOK, out, runTask, timed, urlOf } from "./common.ts";

const { values } = parseArgs({ args: Deno.args, options: { runs: { type: "string" } } });
const runs = Number(values.runs ?? 11);
const TARGET_SECONDS = 0.6;
const DAY = ["--inserts", "10000", "--updates", "500", "--deletes", "200"];

const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
const template = `startup_bench_${Deno.pid}`;
const scratch = await Deno.makeTempDir({ prefix: "startup_bench_" });
const empty = `${scratch}/empty.ts`;
await Deno.writeTextFile(empty, "");

const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;

function summary(seconds: number[]): string {
  const sorted = [...seconds].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `median ${ms(at(0.5))} (p10 ${ms(at(0.1))}, p90 ${ms(at(0.9))})`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  await admin.unsafe(`CREATE DATABASE ${template}`);
  await runTask("cli", urlOf(template), ["setup", "--chinook-sql", CHINOOK, "--seed", "19"]);
  const wall: number[] = [];
  const cpu: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const db = `${template}_${i}`;
    await admin.unsafe(`CREATE DATABASE ${db} TEMPLATE ${template}`);
    try {
      const args = [...DAY, "--seed", "1", "--manifest-dir", scratch];
      const run = await runTask("simulate", urlOf(db), args, { sample: false });
      const base = await timed(Deno.execPath(), ["run", "--quiet", empty], { sample: false });
      // The first pair warms the caches (compiled modules, the database's files).
      if (i > 0) (wall.push(run.seconds), cpu.push(run.cpuSeconds), floor.push(base.seconds));
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    }
  }
  out(`simulate ${DAY.join(" ")} (deno task, server): ${summary(wall)}`);
  if (cpu.every(Number.isFinite)) {
    out(`  CPU time of its process tree:              ${summary(cpu)}`);
  }
  out(`deno run of an empty script (process start): ${summary(floor)}`);
  out(
    `above the process start: ${ms(median(wall) - median(floor))}; ` +
      `target ≤ ${ms(TARGET_SECONDS)} wall: ${
        median(wall) <= TARGET_SECONDS ? "met" : "not met"
      } ` +
      `(${runs} runs each)`,
  );
} finally {
  await admin.unsafe(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  await admin.end();
  await Deno.remove(scratch, { recursive: true });
}
