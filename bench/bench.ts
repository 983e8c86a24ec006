/**
 * deno task bench [--invoices N]: end-to-end speed of one huge simulated day
 * against plain `psql \copy` of the same rows, measured in the same run on
 * fresh databases of the local server; then simulate at 100/5/2 and 10k/500/200.
 * Targets are reported (PASS/MISS), not enforced: this machine is shared and noisy.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { ADMIN_URL, CHINOOK, out, runCli, timed, urlOf } from "./common.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { invoices: { type: "string", default: "1000000" } },
});
const INVOICES = Number(values.invoices);
const DAY = "2026-06-01";

const cli = (database: string, args: string[]) => runCli(urlOf(database), args);

const admin = postgres(ADMIN_URL, { onnotice: () => {}, max: 1 });
const suffix = crypto.randomUUID().slice(0, 8);
const ours = `chinook_sim_bench_${suffix}`;
const baseline = `chinook_sim_bench_copy_${suffix}`;
const tmp = await Deno.makeTempDir({ prefix: "chinook-sim-bench-" });
try {
  for (const db of [ours, baseline]) {
    await admin.unsafe(`CREATE DATABASE ${db}`);
    // Chinook's invoices only: both databases must start alike, and the day's speed is measured.
    await cli(db, [
      "setup",
      "--chinook-sql",
      CHINOOK,
      "--history-end",
      "2026-05-31",
      "--history-years",
      "0",
    ]);
  }
  out(`chinook-sim bench: ${INVOICES.toLocaleString("en-US")} invoices in one day, local server`);

  const e2e = await cli(ours, [
    "simulate",
    "--date",
    DAY,
    "--inserts",
    String(INVOICES),
    "--updates",
    "0",
    "--deletes",
    "0",
    "--new-customers",
    "0",
    "--customer-changes",
    "0",
    "--seed",
    "1",
    "--json",
    "--manifest-dir",
    "none",
  ]);
  const lines = JSON.parse(e2e.stdout).done.lines as number;
  const rows = INVOICES + lines;

  // The same rows, exported from our database and loaded with plain psql \copy.
  const where = `"InvoiceDate" >= '${DAY}'`;
  const psql = (db: string, command: string) =>
    timed("psql", [urlOf(db), "-v", "ON_ERROR_STOP=1", "-qc", command]);
  await psql(
    ours,
    `\\copy (SELECT * FROM "Invoice" WHERE ${where} ORDER BY 1) TO '${tmp}/invoices.csv' CSV`,
  );
  await psql(
    ours,
    `\\copy (SELECT l.* FROM "InvoiceLine" l JOIN "Invoice" i USING ("InvoiceId") WHERE i.${where} ORDER BY 1) TO '${tmp}/lines.csv' CSV`,
  );
  const copyInvoices = await psql(baseline, `\\copy "Invoice" FROM '${tmp}/invoices.csv' CSV`);
  const copyLines = await psql(baseline, `\\copy "InvoiceLine" FROM '${tmp}/lines.csv' CSV`);
  const copySeconds = copyInvoices.seconds + copyLines.seconds;

  const small = await cli(ours, [
    "simulate",
    "--date",
    "2026-06-02",
    "--inserts",
    "100",
    "--updates",
    "5",
    "--deletes",
    "2",
    "--json",
  ]);
  const medium = await cli(ours, [
    "simulate",
    "--date",
    "2026-06-03",
    "--inserts",
    "10000",
    "--updates",
    "500",
    "--deletes",
    "200",
    "--json",
  ]);

  const ratio = copySeconds / e2e.seconds;
  const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
  const report = {
    invoices: INVOICES,
    lines,
    endToEndSeconds: Number(e2e.seconds.toFixed(2)),
    endToEndRowsPerSecond: Math.round(rows / e2e.seconds),
    psqlCopySeconds: Number(copySeconds.toFixed(2)),
    psqlCopyRowsPerSecond: Math.round(rows / copySeconds),
    throughputRatio: Number(ratio.toFixed(3)),
    peakMemoryMb: Math.round(e2e.peakMb),
    simulate_100_5_2_seconds: Number(small.seconds.toFixed(2)),
    simulate_10000_500_200_seconds: Number(medium.seconds.toFixed(2)),
  };
  out(
    `end to end (chinook-sim)   ${report.endToEndSeconds} s  ${
      report.endToEndRowsPerSecond.toLocaleString("en-US")
    } rows/s`,
  );
  out(
    `psql \\copy (same rows)     ${report.psqlCopySeconds} s  ${
      report.psqlCopyRowsPerSecond.toLocaleString("en-US")
    } rows/s`,
  );
  out(
    `throughput vs psql \\copy   ${(ratio * 100).toFixed(1)}%   target >= 80%   ${
      verdict(ratio >= 0.8)
    }`,
  );
  out(
    `peak memory                ${report.peakMemoryMb} MB   target < 512 MB  ${
      verdict(e2e.peakMb < 512)
    }`,
  );
  out(`simulate 100/5/2           ${report.simulate_100_5_2_seconds} s (process start included)`);
  out(
    `simulate 10000/500/200     ${report.simulate_10000_500_200_seconds} s   target < 2 s  ${
      verdict(medium.seconds < 2)
    }`,
  );
  out(JSON.stringify(report));
} finally {
  for (const db of [ours, baseline]) {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  }
  await admin.end();
  await Deno.remove(tmp, { recursive: true });
}
