/**
 * What the launcher (tools/launch.ts, behind `deno task simulate` and
 * `deno task cli`) adds to a run's start: main.ts started directly with the
 * permission set (-P) against the launcher working out the narrowed flags and
 * starting it. Alternating runs of `--version` (no database), median and
 * spread of each.
 *
 *   deno task bench:launch [--runs N]     (default 21)
 */
import { parseArgs } from "node:util";
import { out, ROOT } from "./common.ts";

const { values } = parseArgs({ args: Deno.args, options: { runs: { type: "string" } } });
const runs = Number(values.runs ?? 21);

const direct = ["run", "--quiet", "-P", `${ROOT}main.ts`, "--version"];
const launched = [
  "run",
  "--quiet",
  "--no-prompt",
  "--allow-env",
  "--allow-read",
  "--allow-run=deno",
  `${ROOT}tools/launch.ts`,
  "--version",
];

async function time(args: string[]): Promise<number> {
  const started = performance.now();
  const result = await new Deno.Command("deno", { args, cwd: ROOT, stdout: "null" }).output();
  if (!result.success) throw new Error(`deno ${args.join(" ")} failed`);
  return performance.now() - started;
}

function summary(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `median ${at(0.5).toFixed(0)} ms (p10 ${at(0.1).toFixed(0)}, p90 ${at(0.9).toFixed(0)})`;
}

const a: number[] = [];
const b: number[] = [];
await time(direct);
await time(launched);
for (let i = 0; i < runs; i++) {
  a.push(await time(direct));
  b.push(await time(launched));
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
out(`main.ts directly (-P):      ${summary(a)}`);
out(`through tools/launch.ts:    ${summary(b)}`);
out(
  `launcher's start-up cost:   ${
    (median(b) - median(a)).toFixed(0)
  } ms (median difference, ${runs} runs each)`,
);
