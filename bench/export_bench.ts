/**
 * deno task bench:export [--invoices N] [--out DIR]: writing one big day's
 * landing files — N invoices and 2N invoice lines (3M rows at the default
 * 1,000,000) — as Parquet, CSV and JSON Lines, each format in its own process,
 * reporting seconds, rows/s, bytes and peak resident memory (goal: < 512 MB).
 * Baselines measured in the same run: generating the rows without writing
 * them, and `psql \copy (SELECT …) TO` of the same rows as CSV when a
 * PostgreSQL server is reachable (BENCH_DATABASE_URL, default the local one).
 * Targets are reported, not enforced: this machine is shared and noisy.
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { INVOICE, INVOICE_LINE } from "../lib/export/chinook_tables.ts";
import { checkLandingFormat, writeLandingPartition } from "../lib/export/landing.ts";
import type { Row, TableSchema, WrittenFile } from "../lib/export/types.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    invoices: { type: "string", default: "1000000" },
    out: { type: "string" },
    case: { type: "string" },
  },
});
const INVOICES = Number(values.invoices);
if (!Number.isSafeInteger(INVOICES) || INVOICES < 1) {
  throw new RangeError(`Cannot bench ${values.invoices} invoices: expected a positive integer`);
}
const DAY = "2013-12-22";
const BATCH = 10_000;
const LIMIT_MB = 512;

function out(line: string) {
  // deno-lint-ignore no-console
  console.log(line);
}

// ---------------------------------------------------------------------------
// The rows: plain arithmetic on the row number, mirrored in SQL below so the
// psql baseline writes the same values.

const CITIES = ["Lisbon", "São Paulo", "Oslo", "Prague", "Toronto", "Dublin", "Paris", "Berlin"];
const COUNTRIES = ["Portugal", "Brazil", "Norway", "Czech Republic", "Canada", "Ireland"];

function invoiceRow(i: number): Row {
  const second = i % 86400;
  const time = [second / 3600, (second % 3600) / 60, second % 60]
    .map((n) => String(Math.floor(n)).padStart(2, "0")).join(":");
  return {
    InvoiceId: i,
    CustomerId: (i * 13) % 59 + 1,
    InvoiceDate: `${DAY} ${time}`,
    BillingAddress: `${i % 997} Rua "da Prata", ${i % 13}`,
    BillingCity: CITIES[i % CITIES.length]!,
    BillingState: i % 3 === 0 ? null : "SP",
    BillingCountry: COUNTRIES[i % COUNTRIES.length]!,
    BillingPostalCode: String(10000 + (i % 89999)),
    Total: (i * 37) % 2000,
  };
}

function lineRow(j: number): Row {
  return {
    InvoiceLineId: j,
    InvoiceId: Math.floor((j + 1) / 2),
    TrackId: (j * 7919) % 3503 + 1,
    UnitPrice: j % 5 === 0 ? 199 : 99,
    Quantity: 1,
  };
}

function* batches(count: number, row: (n: number) => Row, sample: () => void): Generator<Row[]> {
  for (let start = 1; start <= count; start += BATCH) {
    const batch: Row[] = [];
    for (let n = start; n < Math.min(start + BATCH, count + 1); n++) batch.push(row(n));
    sample();
    yield batch;
  }
}

const TABLES: Array<[TableSchema, number, (n: number) => Row]> = [
  [INVOICE, INVOICES, invoiceRow],
  [INVOICE_LINE, 2 * INVOICES, lineRow],
];

// ---------------------------------------------------------------------------
// One case in this process: prints a JSON result line.

async function runCase(name: string, root: string): Promise<void> {
  let sampledRss = 0;
  const sample = () => {
    sampledRss = Math.max(sampledRss, Deno.memoryUsage().rss);
  };
  const started = performance.now();
  let rows = 0;
  let bytes = 0;
  for (const [table, count, row] of TABLES) {
    if (name === "generate") {
      for (const batch of batches(count, row, sample)) rows += batch.length;
      continue;
    }
    const files: WrittenFile[] = await writeLandingPartition(
      { root, table, day: DAY, format: checkLandingFormat(name) },
      batches(count, row, sample),
    );
    sample();
    for (const file of files) {
      rows += file.records;
      bytes += file.bytes;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  out(JSON.stringify({ name, rows, bytes, seconds, sampledRssMb: sampledRss / 2 ** 20 }));
}

// ---------------------------------------------------------------------------
// The driver: each case in a fresh process, peak memory from /usr/bin/time.

interface Result {
  name: string;
  rows: number;
  bytes: number;
  seconds: number;
  peakMb: number;
  peakFrom: string;
}

async function hasCommand(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function child(name: string, root: string): Promise<Result> {
  const self = new URL(import.meta.url).pathname;
  const deno = [
    Deno.execPath(),
    "run",
    "--quiet",
    "-P=bench",
    self,
    "--case",
    name,
    "--invoices",
    String(INVOICES),
    "--out",
    root,
  ];
  const timed = await hasCommand("/usr/bin/time");
  const command = timed
    ? new Deno.Command("/usr/bin/time", { args: ["-f", "maxrss_kb=%M", ...deno] })
    : new Deno.Command(deno[0]!, { args: deno.slice(1) });
  const output = await command.output();
  const stdout = new TextDecoder().decode(output.stdout);
  const stderr = new TextDecoder().decode(output.stderr);
  if (!output.success) throw new Error(`Cannot run the ${name} case: ${stderr}`);
  const result = JSON.parse(stdout.trim().split("\n").pop()!);
  const maxRss = /maxrss_kb=(\d+)/.exec(stderr);
  return {
    ...result,
    peakMb: maxRss ? Number(maxRss[1]) / 1024 : result.sampledRssMb,
    peakFrom: maxRss ? "time -v" : "sampled",
  };
}

/** The same rows produced by PostgreSQL and written by psql \copy as CSV. */
async function psqlBaseline(root: string): Promise<Result | null> {
  const url = Deno.env.get("BENCH_DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres";
  if (!await hasCommand("/usr/bin/psql")) return null;
  const cities = `ARRAY[${CITIES.map((c) => `'${c}'`).join(",")}]`;
  const countries = `ARRAY[${COUNTRIES.map((c) => `'${c}'`).join(",")}]`;
  const invoices = `SELECT i AS "InvoiceId", (i * 13) % 59 + 1 AS "CustomerId",
      '${DAY}'::timestamp + (i % 86400) * interval '1 second' AS "InvoiceDate",
      (i % 997) || ' Rua "da Prata", ' || (i % 13) AS "BillingAddress",
      (${cities})[i % ${CITIES.length} + 1] AS "BillingCity",
      CASE WHEN i % 3 = 0 THEN NULL ELSE 'SP' END AS "BillingState",
      (${countries})[i % ${COUNTRIES.length} + 1] AS "BillingCountry",
      (10000 + i % 89999)::text AS "BillingPostalCode",
      (((i::bigint * 37) % 2000) / 100.0)::numeric(10,2) AS "Total"
    FROM generate_series(1, ${INVOICES}) i`;
  const lines = `SELECT j AS "InvoiceLineId", (j + 1) / 2 AS "InvoiceId",
      (j::bigint * 7919) % 3503 + 1 AS "TrackId",
      CASE WHEN j % 5 = 0 THEN 1.99 ELSE 0.99 END::numeric(10,2) AS "UnitPrice", 1 AS "Quantity"
    FROM generate_series(1, ${2 * INVOICES}) j`;
  await Deno.mkdir(root, { recursive: true });
  const started = performance.now();
  for (const [name, query] of [["Invoice", invoices], ["InvoiceLine", lines]] as const) {
    const file = join(root, `${name}.csv`);
    const result = await new Deno.Command("psql", {
      args: [
        url,
        "-v",
        "ON_ERROR_STOP=1",
        "-qc",
        `\\copy (${query.replace(/\s+/g, " ")}) TO '${file}' WITH (FORMAT csv, HEADER)`,
      ],
      env: { PGTZ: "UTC" },
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!result.success) return null;
  }
  const seconds = (performance.now() - started) / 1000;
  let bytes = 0;
  for (const name of ["Invoice", "InvoiceLine"]) {
    bytes += (await Deno.stat(join(root, `${name}.csv`))).size;
  }
  return {
    name: "psql \\copy TO (CSV)",
    rows: 3 * INVOICES,
    bytes,
    seconds,
    peakMb: NaN,
    peakFrom: "-",
  };
}

function row(result: Result, baseline?: Result): string {
  const mb = (result.bytes / 2 ** 20).toFixed(1).padStart(8);
  const rate = Math.round(result.rows / result.seconds).toLocaleString("en-US").padStart(10);
  const peak = Number.isNaN(result.peakMb) ? "       -" : result.peakMb.toFixed(0).padStart(8);
  const verdict = Number.isNaN(result.peakMb) ? "" : result.peakMb < LIMIT_MB ? "PASS" : "MISS";
  const ratio = baseline
    ? `${(baseline.seconds / result.seconds).toFixed(2)}×`.padStart(8)
    : "        ";
  return `${result.name.padEnd(22)}${
    result.seconds.toFixed(2).padStart(8)
  }${rate}${mb}${peak}  ${ratio}  ${verdict}`;
}

if (values.case) {
  await runCase(values.case, values.out!);
} else {
  const root = values.out ?? await Deno.makeTempDir({ prefix: "chinook-sim-export-bench-" });
  try {
    out(
      `Export of one day: ${INVOICES.toLocaleString("en-US")} invoices + ${
        (2 * INVOICES).toLocaleString("en-US")
      } lines`,
    );
    const generate = await child("generate", root);
    const psql = await psqlBaseline(join(root, "psql"));
    out(
      `${"case".padEnd(22)}${"seconds".padStart(8)}${"rows/s".padStart(10)}${"MB".padStart(8)}${
        "peak MB".padStart(8)
      }  ${"vs psql".padStart(8)}  < ${LIMIT_MB} MB`,
    );
    out(row(generate));
    if (psql) out(row(psql));
    else out("psql \\copy TO (CSV)   skipped: no PostgreSQL server or psql");
    for (const format of ["parquet", "csv", "jsonl"]) {
      out(row(await child(format, root), psql ?? undefined));
    }
    out(
      `peak memory: ${
        (await hasCommand("/usr/bin/time"))
          ? "maximum resident set size from /usr/bin/time"
          : "sampled after every batch of rows"
      }`,
    );
  } finally {
    if (!values.out) await Deno.remove(root, { recursive: true });
  }
}
