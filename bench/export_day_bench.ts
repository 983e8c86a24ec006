/**
 * deno task bench:export-day [--invoices N]: `chinook-sim export` of one huge
 * simulated day (default 1,000,000 invoices, with updates and cancellations)
 * from a fresh database of the local server, as Parquet, CSV and JSON Lines,
 * and once more with Debezium events: seconds, rows/s and peak resident
 * memory of the export process (goal: < 512 MB). The day is simulated once;
 * every export reads it through the change log, as a pipeline's would.
 * Targets are reported (PASS/MISS), not enforced: this machine is shared and noisy.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { ADMIN_URL, CHINOOK, out, runCli, urlOf } from "./common.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { invoices: { type: "string", default: "1000000" } },
});
const INVOICES = Number(values.invoices);
if (!Number.isSafeInteger(INVOICES) || INVOICES < 1) {
  throw new RangeError(`Cannot bench ${values.invoices} invoices: expected a positive integer`);
}
const DAY = "2026-06-01";
const LIMIT_MB = 512;

const admin = postgres(ADMIN_URL, { onnotice: () => {}, max: 1 });
const database = `chinook_sim_bench_export_${crypto.randomUUID().slice(0, 8)}`;
const tmp = await Deno.makeTempDir({ prefix: "chinook-sim-export-day-bench-" });
const cli = (args: string[]) => runCli(urlOf(database), args);
try {
  await admin.unsafe(`CREATE DATABASE ${database}`);
  await cli(["setup", "--chinook-sql", CHINOOK, "--history-end", "2026-05-31"]);
  const day = await cli([
    "simulate",
    "--date",
    DAY,
    "--inserts",
    String(INVOICES),
    "--updates",
    String(Math.round(INVOICES / 20)),
    "--deletes",
    String(Math.round(INVOICES / 50)),
    "--seed",
    "1",
    "--json",
    "--manifest-dir",
    "none",
  ]);
  const done = JSON.parse(day.stdout).done;
  out(
    `chinook-sim export of one day: ${done.inserts.toLocaleString("en-US")} invoices, ${
      done.lines.toLocaleString("en-US")
    } lines, ${done.updates} updates, ${done.deletes} cancellations (simulated in ${
      day.seconds.toFixed(1)
    } s)`,
  );
  out(
    `${"case".padEnd(26)}${"seconds".padStart(8)}${"rows/s".padStart(10)}${"MB".padStart(8)}${
      "peak MB".padStart(9)
    }  < ${LIMIT_MB} MB`,
  );
  const cases: Array<[string, string[]]> = [
    ["parquet", ["--format", "parquet"]],
    ["csv", ["--format", "csv"]],
    ["jsonl", ["--format", "jsonl"]],
    ["parquet + debezium events", ["--format", "parquet", "--events", "debezium"]],
  ];
  for (const [name, args] of cases) {
    const dir = `${tmp}/${name.replace(/\W+/g, "-")}`;
    const result = await cli([
      "export",
      "--from",
      DAY,
      "--to",
      DAY,
      "--out",
      dir,
      "--json",
      ...args,
    ]);
    const files = JSON.parse(result.stdout).days[0].files as Array<
      { records: number; bytes: number; path: string }
    >;
    const rows = files.filter((f) => !f.path.startsWith("events/")).reduce(
      (sum, f) => sum + f.records,
      0,
    );
    const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
    out(
      `${name.padEnd(26)}${result.seconds.toFixed(1).padStart(8)}${
        Math.round(rows / result.seconds).toLocaleString("en-US").padStart(10)
      }${(bytes / 2 ** 20).toFixed(0).padStart(8)}${result.peakMb.toFixed(0).padStart(9)}  ${
        result.peakMb < LIMIT_MB ? "PASS" : "MISS"
      }`,
    );
    await Deno.remove(dir, { recursive: true });
  }
  out("seconds include the process start; peak memory sampled with ps every 100 ms");
} finally {
  await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
  await Deno.remove(tmp, { recursive: true });
}
