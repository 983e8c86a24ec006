/**
 * deno task bench:safety [--mb N]: what the safety checks cost.
 * - Parsing the Chinook dump with its statement allowlist (the real sample
 *   from CHINOOK_SQL, else the synthetic catalogue), against parsing alone.
 * - `safeOutput` (redaction, then control characters escaped) over N MB of
 *   report-like JSON (default 16), in MB/s.
 * Reported, not enforced: this machine is shared and noisy.
 */
import { parseArgs } from "node:util";
import { classifyStatement, parseDump } from "../lib/chinook/pg_dump.ts";
import { syntheticChinookSql } from "../lib/chinook/synthetic/dump.ts";
import { safeOutput } from "../lib/cli/redact.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { mb: { type: "string", default: "16" } },
});
const MB = Number(values.mb);
if (!Number.isFinite(MB) || MB <= 0 || MB > 1024) {
  throw new RangeError(`Cannot bench ${values.mb} MB: expected a number from 1 to 1024`);
}

function report(line: string): void {
  // deno-lint-ignore no-console
  console.log(line);
}

function best(runs: number, work: () => void): number {
  let fastest = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

const source = Deno.env.get("CHINOOK_SQL");
const dump = source && source !== "synthetic"
  ? await Deno.readTextFile(source)
  : syntheticChinookSql({ seed: "chinook", lastHistoryDay: "2026-03-08" });
const parts = parseDump(dump);
const statements = parts.filter((p) => p.kind === "statement");
const parseMs = best(10, () => parseDump(dump));
const classifyMs = best(10, () => {
  for (const s of statements) classifyStatement(s.text, s.line);
});
report(
  `dump: ${
    (dump.length / 1e6).toFixed(2)
  } MB, ${parts.length} parts; parseDump with the allowlist ` +
    `${parseMs.toFixed(1)} ms, of which classifying the ${statements.length} statements ` +
    `${classifyMs.toFixed(2)} ms`,
);

const rows = [];
let size = 0;
for (let i = 0; size < MB * 1e6; i++) {
  const row = {
    day: "2026-03-10",
    name: `Rock & Roll ${i}`,
    country: i % 97 === 0 ? "Nor\u001b[2Jway" : "Norway",
    origin: i % 1000 === 0 ? "http://user:secret@host/x.sql" : "postgres://u@h/db",
    revenue: (i * 0.99).toFixed(2),
  };
  size += JSON.stringify(row).length + 1;
  rows.push(row);
}
const json = JSON.stringify(rows);
const outMs = best(3, () => safeOutput(json));
report(
  `safeOutput: ${(json.length / 1e6).toFixed(1)} MB of JSON in ${outMs.toFixed(0)} ms ` +
    `(${(json.length / 1e6 / (outMs / 1000)).toFixed(0)} MB/s)`,
);
