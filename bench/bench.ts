/**
 * deno task bench [--invoices N] [--runs N] [--only SECTION,…] [--embedded on|off] [--scale N,…]
 *
 * Issue 19's figures, each beside a baseline measured in the same run on this
 * machine (fresh databases on the local server, fresh embedded data directories):
 *
 * - bigday:   a day of N invoices end to end (`deno task simulate`) vs `psql \copy`
 *             (CSV) of the same rows into the same tables; peak memory
 * - smallday: `deno task simulate` 10000/500/200 with the default history vs
 *             starting deno on an empty script
 * - embedded: the first embedded run and a 10k-invoice day vs the same on the server
 * - backfill: a year at the default model, server and embedded
 * - scaling:  backfill at 1k…1M invoices a day: s/day, rows/s, µs per row, peak MB
 * - exports:  peak memory of `export` of the scaling table's biggest day
 *
 * Every figure is printed as `figure  value  baseline  ratio/target  PASS|MISS`, with
 * --runs N each run and the median, then one JSON line. Targets are reported, not
 * enforced: this machine is shared and noisy. Peak memory is the whole process tree's
 * (deno task, the launcher and its child deno).
 */
import postgres from "postgres";
import {
  type BenchArgs,
  type Figure,
  figureRow,
  formatNumber,
  formatTable,
  HEADER,
  median,
  medianFigures,
  parseBenchArgs,
  ratioOf,
  type Section,
  UsageError,
  verdict,
} from "./bench_lib.ts";
import { ADMIN_URL, CHINOOK, out, runCli, runTask, timed, urlOf } from "./common.ts";

let args: BenchArgs;
try {
  args = parseBenchArgs(Deno.args);
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  // deno-lint-ignore no-console
  console.error(`error: ${e.message}`);
  Deno.exit(2);
}

const admin = postgres(ADMIN_URL, { onnotice: () => {}, max: 1 });
const suffix = crypto.randomUUID().slice(0, 8);
const tmp = await Deno.makeTempDir({ prefix: "bench-wip-" });
const databases = new Set<string>();
let counter = 0;

/** A fresh database on the local server, dropped at the end. */
async function freshDatabase(tag: string): Promise<string> {
  const name = `bench_${tag}_${suffix}_${++counter}`;
  databases.add(name);
  await admin.unsafe(`CREATE DATABASE ${name}`);
  return name;
}

async function dropDatabase(name: string) {
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  databases.delete(name);
}

/** Everything the bench made, gone: at the end, on Ctrl-C (its children stop with it) or on kill. */
async function cleanUp() {
  for (const db of [...databases]) await dropDatabase(db).catch(() => {});
  await Deno.remove(tmp, { recursive: true }).catch(() => {});
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, () => {
    cleanUp().finally(() => Deno.exit(130));
  });
}

/** A fresh embedded data directory (not created: the first run does that). */
function freshDataDir(tag: string): string {
  return `${tmp}/${tag}-${++counter}`;
}

const serverTask = (task: string, db: string, a: string[]) => runTask(task, urlOf(db), a);
const embeddedTask = (task: string, dir: string, a: string[]) =>
  runTask(task, null, [...a, "--data-dir", dir]);
const cliTask = (db: string | null, dir: string | null, a: string[]) =>
  db !== null ? serverTask("cli", db, a) : embeddedTask("cli", dir!, a);

const manifests = `${tmp}/manifests`;
await Deno.mkdir(manifests);
const SYNTHETIC = ["--chinook-sql", "synthetic"];
const sampleSql = await Deno.stat(CHINOOK).then(() => CHINOOK, () => "synthetic");
const SAMPLE = ["--chinook-sql", sampleSql];

function day(from: string, offset: number): string {
  const d = new Date(`${from}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
}

const count = (n: number) =>
  n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n);

interface Done {
  inserts: number;
  lines: number;
  updates: number;
  deletes: number;
  newCustomers: number;
  customerChanges?: number;
}
/** The rows a day (or a backfill's totals) wrote or changed. */
const rowsOf = (d: Done) =>
  d.inserts + d.lines + d.updates + d.deletes + d.newCustomers + (d.customerChanges ?? 0);

/** The last line of an error (a failed command's stderr ends with its one-line error). */
function lastLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).trim().split("\n").at(-1)!.slice(0, 160);
}

/** A measurement that failed: a MISS row naming the error, and the error in the JSON line. */
function failedFigure(key: string, label: string, e: unknown): Figure {
  return {
    key: `${key}.failed`,
    label: `${label}: failed (${typeof e === "string" ? e : lastLine(e)})`,
    value: NaN,
    unit: "",
    check: { on: "value", op: "<", limit: 0 },
  };
}

// ---------------------------------------------------------------- sections

/** Whether a big day was loaded in this bench yet (bigDay's untimed warm-up). */
let bigDayWarmed = false;

/** a. One day of N invoices end to end against psql \copy of the same rows. */
async function bigDay(): Promise<Figure[]> {
  const n = args.invoices;
  const ours = await freshDatabase("ours");
  const baseline = await freshDatabase("copy");
  const warmUp = bigDayWarmed ? undefined : await freshDatabase("warm");
  try {
    for (const db of warmUp ? [warmUp, ours, baseline] : [ours, baseline]) {
      // Chinook's invoices only: both databases start alike, and the day's cost is measured.
      await runCli(urlOf(db), [
        "setup",
        ...SAMPLE,
        "--history-end",
        "2026-05-31",
        "--history-years",
        "0",
      ]);
    }
    const DAY = "2026-06-01";
    const simulateDay = (db: string) =>
      serverTask("simulate", db, [
        "--date",
        DAY,
        "--inserts",
        String(n),
        ...["--updates", "0", "--deletes", "0", "--new-customers", "0", "--customer-changes", "0"],
        ...["--seed", "1", "--json", "--manifest-dir", "none"],
      ]);
    // The first big load after a quiet spell creates and zero-fills WAL segments (a 1M day
    // writes about 1 GB of WAL) where later loads reuse recycled ones; it also finds colder
    // caches. One untimed load of the same day goes first, once per bench, so that neither timed
    // load pays for that.
    if (warmUp) {
      await checkpoint();
      await simulateDay(warmUp);
      await dropDatabase(warmUp);
      bigDayWarmed = true;
    }
    // Each load starts after a checkpoint: the one measured second would otherwise pay for the
    // first one's dirty pages and WAL (a 1M day writes past max_wal_size).
    await checkpoint();
    const e2e = await simulateDay(ours);
    const lines = JSON.parse(e2e.stdout).done.lines as number;
    const rows = n + lines;

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
    await checkpoint();
    const copyInvoices = await psql(baseline, `\\copy "Invoice" FROM '${tmp}/invoices.csv' CSV`);
    const copyLines = await psql(baseline, `\\copy "InvoiceLine" FROM '${tmp}/lines.csv' CSV`);
    const copySeconds = copyInvoices.seconds + copyLines.seconds;
    return [
      {
        key: "bigday.seconds",
        label: `${count(n)}-invoice day end to end`,
        value: e2e.seconds,
        unit: "s",
        detail: { cpuSeconds: e2e.cpuSeconds },
        baseline: copySeconds,
        baselineLabel: "psql \\copy",
        check: { on: "ratio", op: ">=", limit: 1.0 },
      },
      {
        key: "bigday.rowsPerSecond",
        label: `  rows/s (${formatNumber(rows)} rows)`,
        value: rows / e2e.seconds,
        unit: "rows/s",
        higherIsBetter: true,
        baseline: rows / copySeconds,
        baselineLabel: "psql \\copy",
      },
      {
        key: "bigday.peakMb",
        label: "  peak memory",
        value: e2e.peakMb,
        unit: "MB",
        detail: { largestProcessMb: Math.round(e2e.largestMb) },
        check: { on: "value", op: "<", limit: 512 },
      },
    ];
  } finally {
    await dropDatabase(ours);
    await dropDatabase(baseline);
    await Deno.remove(`${tmp}/invoices.csv`).catch(() => {});
    await Deno.remove(`${tmp}/lines.csv`).catch(() => {});
  }
}

/** A checkpoint on the server, so that a load is not charged for the one before it. */
/**
 * The server's dirty buffers written, then the operating system's: after a big day, gigabytes
 * of writes still being flushed slowed the next section's small runs by ~10% (each commit's
 * flush waits behind them).
 */
async function checkpoint() {
  await admin.unsafe("CHECKPOINT");
  await new Deno.Command("sync", { stdout: "null", stderr: "null" }).output().catch(() => {});
}

/** Starting deno on an empty script: what no command can go below. */
async function emptyStart(): Promise<{ seconds: number; cpuSeconds: number }> {
  const script = `${tmp}/empty.ts`;
  await Deno.writeTextFile(script, "");
  const runs = [];
  for (let i = 0; i < 10; i++) {
    runs.push(await timed(Deno.execPath(), ["run", "--quiet", script], { sample: false }));
  }
  return {
    seconds: median(runs.map((r) => r.seconds)),
    // GNU time counts in 10 ms steps and a start takes about that: one run reads 0.00 or 0.01.
    cpuSeconds: runs.reduce((sum, r) => sum + r.cpuSeconds, 0) / runs.length,
  };
}

const TEN_K = ["--inserts", "10000", "--updates", "500", "--deletes", "200"];

/** The small days' set-up database: each measured day runs on a copy of it. */
let smallDayTemplate: string | undefined;

/** A copy of `template` (CREATE DATABASE … TEMPLATE: not timed), dropped at the end. */
async function copyOf(template: string, tag: string): Promise<string> {
  const name = `bench_${tag}_${suffix}_${++counter}`;
  databases.add(name);
  await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  return name;
}

/**
 * b. simulate 10000/500/200 (and 100/5/2) with process start, each on its own
 * copy of one store with the default history, so every run starts alike; no
 * memory sampling (its `ps` calls would share the 2 cores with the run). The
 * baseline is the floor of the server's own work: psql \copy of the same new
 * customers, invoices and lines, in one transaction, on another copy.
 */
async function smallDay(): Promise<Figure[]> {
  const simulate = async (template: string, counts: string[], keepRows = false) => {
    const db = await copyOf(template, "small");
    try {
      await checkpoint();
      const run = await runTask("simulate", urlOf(db), [
        ...["--date", "2026-06-01", ...counts, "--seed", "1", "--manifest-dir", manifests],
      ], { sample: false });
      if (keepRows) await exportNewRows(template, db);
      return run;
    } finally {
      await dropDatabase(db);
    }
  };
  const TINY = ["--inserts", "100", "--updates", "5", "--deletes", "2"];
  if (!smallDayTemplate) {
    smallDayTemplate = await freshDatabase("small_template");
    await runCli(urlOf(smallDayTemplate), ["setup", ...SAMPLE, "--history-end", "2026-05-31"]);
    await simulate(smallDayTemplate, TINY); // warms the caches: compiled modules, the files
  }
  const tiny = await simulate(smallDayTemplate, TINY);
  const small = await simulate(smallDayTemplate, TEN_K, true);
  const copied = await copyNewRows(smallDayTemplate);
  const start = await emptyStart();
  return [
    {
      key: "smallday.seconds",
      label: "simulate 10000/500/200 (wall)",
      value: small.seconds,
      unit: "s",
      baseline: copied.seconds,
      baselineLabel: "psql \\copy of its new rows",
      check: { on: "value", op: "<=", limit: 0.6 },
    },
    {
      key: "smallday.cpuSeconds",
      label: "  CPU time of its processes",
      value: small.cpuSeconds,
      unit: "s",
      baseline: start.cpuSeconds,
      baselineLabel: "deno, empty script",
    },
    {
      key: "smallday.startSeconds",
      label: "deno run of an empty script",
      value: start.seconds,
      unit: "s",
    },
    {
      key: "smallday.tinySeconds",
      label: "simulate 100/5/2 (wall)",
      value: tiny.seconds,
      unit: "s",
      baseline: start.seconds,
      baselineLabel: "deno, empty script",
    },
  ];
}

/** The day's new customers, invoices and their lines (ids past `template`'s), as CSV files. */
async function exportNewRows(template: string, db: string) {
  const before = postgres(urlOf(template), { onnotice: () => {}, max: 1 });
  const [last] = await before`
    SELECT (SELECT max("CustomerId") FROM "Customer") AS customer,
           (SELECT max("InvoiceId") FROM "Invoice") AS invoice`;
  await before.end();
  const queries = {
    Customer: `SELECT * FROM "Customer" WHERE "CustomerId" > ${Number(last!.customer)} ORDER BY 1`,
    Invoice: `SELECT * FROM "Invoice" WHERE "InvoiceId" > ${Number(last!.invoice)} ORDER BY 1`,
    InvoiceLine: `SELECT * FROM "InvoiceLine" WHERE "InvoiceId" > ${
      Number(last!.invoice)
    } ORDER BY 1`,
  };
  for (const [table, query] of Object.entries(queries)) {
    await timed("psql", [
      urlOf(db),
      ...["-v", "ON_ERROR_STOP=1", "-qc"],
      `\\copy (${query}) TO '${tmp}/small_${table}.csv' CSV`,
    ], { sample: false });
  }
}

/** psql \copy of the rows exportNewRows kept, into a copy of `template`: one transaction. */
async function copyNewRows(template: string) {
  const db = await copyOf(template, "small_copy");
  const script = `${tmp}/small_copy.sql`;
  await Deno.writeTextFile(
    script,
    ["Customer", "Invoice", "InvoiceLine"]
      .map((table) => `\\copy "${table}" FROM '${tmp}/small_${table}.csv' CSV\n`).join(""),
  );
  try {
    await checkpoint();
    return await timed("psql", [urlOf(db), "-v", "ON_ERROR_STOP=1", "-1", "-q", "-f", script], {
      sample: false,
    });
  } finally {
    await dropDatabase(db);
  }
}

/** c. The first embedded run and a 10k day on it, against the same on the server. */
async function embedded(): Promise<Figure[]> {
  const dir = freshDataDir("embedded");
  const db = await freshDatabase("embedded_baseline");
  try {
    const first = ["--date", "2026-06-01", "--seed", "1", "--manifest-dir", manifests];
    const firstRun = await embeddedTask("simulate", dir, [...SYNTHETIC, ...first]);
    const setup = await serverTask("cli", db, [
      "setup",
      ...SYNTHETIC,
      "--history-end",
      "2026-05-31",
    ]);
    const serverFirst = await serverTask("simulate", db, first);
    const tenK = ["--date", "2026-06-02", ...TEN_K, "--seed", "1", "--manifest-dir", manifests];
    const embeddedDay = await embeddedTask("simulate", dir, tenK);
    const serverDay = await serverTask("simulate", db, tenK);
    return [
      {
        key: "embedded.firstRunSeconds",
        label: "first embedded run (setup + day)",
        value: firstRun.seconds,
        unit: "s",
        detail: { cpuSeconds: firstRun.cpuSeconds },
        baseline: setup.seconds + serverFirst.seconds,
        baselineLabel: "server: setup, then the day",
        check: { on: "value", op: "<=", limit: 5 },
      },
      {
        key: "embedded.firstRunPeakMb",
        label: "  peak memory",
        value: firstRun.peakMb,
        unit: "MB",
        detail: { largestProcessMb: Math.round(firstRun.largestMb) },
        baseline: Math.max(setup.peakMb, serverFirst.peakMb),
        baselineLabel: "server",
        check: { on: "value", op: "<=", limit: 400 },
      },
      {
        key: "embedded.tenKSeconds",
        label: "embedded simulate 10000/500/200",
        value: embeddedDay.seconds,
        unit: "s",
        baseline: serverDay.seconds,
        baselineLabel: "server",
        check: { on: "value", op: "<=", limit: 2 },
      },
      {
        key: "embedded.tenKCpuSeconds",
        label: "  CPU time of its processes",
        value: embeddedDay.cpuSeconds,
        unit: "s",
        baseline: serverDay.cpuSeconds,
        baselineLabel: "server",
      },
      {
        key: "embedded.tenKPeakMb",
        label: "  peak memory",
        value: embeddedDay.peakMb,
        unit: "MB",
        detail: { largestProcessMb: Math.round(embeddedDay.largestMb) },
        baseline: serverDay.peakMb,
        baselineLabel: "server",
        check: { on: "value", op: "<", limit: 512 },
      },
    ];
  } finally {
    await dropDatabase(db);
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Per-row cost of a backfill's first and last `n` days (each day's own elapsedMs). */
function edgeCosts(days: Array<Done & { elapsedMs: number }>, n: number) {
  const cost = (part: typeof days) =>
    (part.reduce((t, d) => t + d.elapsedMs, 0) * 1000) /
    part.reduce((t, d) => t + rowsOf(d), 0);
  return { first: cost(days.slice(0, n)), last: cost(days.slice(-n)) };
}

/**
 * d. A year of days at the default model (after the default history), server
 * and embedded: days/s, and the cost per row of its last month against its
 * first (about 1 when the cost of a day does not grow with the days before it).
 */
async function backfill(): Promise<Figure[]> {
  const year = [
    "backfill",
    "--from",
    "2025-06-01",
    "--to",
    "2026-05-31",
    ...["--seed", "1", "--manifest-dir", manifests, "--json"],
  ];
  const setup = ["setup", ...SYNTHETIC, "--history-end", "2025-05-31"];
  const figures: Figure[] = [];
  let serverSeconds: number | undefined;
  for (const where of args.embedded ? ["server", "embedded"] as const : ["server"] as const) {
    const db = where === "server" ? await freshDatabase("backfill") : null;
    const dir = where === "embedded" ? freshDataDir("backfill") : null;
    try {
      await cliTask(db, dir, setup);
      const result = await cliTask(db, dir, year);
      const summary = JSON.parse(result.stdout);
      const days = summary.totals.days as number;
      const perDay = (summary.days as Array<{ done: Done; elapsedMs: number }>).map((d) => ({
        ...d.done,
        elapsedMs: d.elapsedMs,
      }));
      const { first, last } = edgeCosts(perDay, 30);
      const baseline = where === "embedded" ? serverSeconds : undefined;
      figures.push(
        {
          key: `backfill.${where}.seconds`,
          label: `backfill of ${days} days, ${where}`,
          value: result.seconds,
          unit: "s",
          ...(baseline === undefined ? {} : { baseline, baselineLabel: "server" }),
        },
        {
          key: `backfill.${where}.daysPerSecond`,
          label: `  days/s, ${where}`,
          value: days / result.seconds,
          unit: "days/s",
          higherIsBetter: true,
          ...(baseline === undefined ? {} : { baseline: days / baseline, baselineLabel: "server" }),
        },
        {
          key: `backfill.${where}.lastMonthMicrosecondsPerRow`,
          label: `  µs per row, last 30 days`,
          value: last,
          unit: "µs",
          baseline: first,
          baselineLabel: "first 30 days",
        },
        {
          key: `backfill.${where}.peakMb`,
          label: `  peak memory, ${where}`,
          value: result.peakMb,
          unit: "MB",
          detail: { largestProcessMb: Math.round(result.largestMb) },
          check: { on: "value", op: "<", limit: 512 },
        },
      );
      if (where === "server") serverSeconds = result.seconds;
    } catch (e) {
      // One database's failure leaves the other's figures standing.
      figures.push(failedFigure(`backfill.${where}`, `backfill of a year, ${where}`, e));
    } finally {
      if (db !== null) await dropDatabase(db);
      if (dir !== null) await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }
  return figures;
}

/** The scaling table's biggest server day, kept for the exports. */
let biggestDay: { db: string; date: string; invoices: number } | undefined;
const SCALE_FROM = "2026-06-01";
const daysAt = (invoices: number) => invoices >= 1_000_000 ? 1 : invoices >= 100_000 ? 2 : 3;
const EMBEDDED_MAX = 100_000;

interface ScaleRow {
  where: "server" | "embedded";
  invoices: number;
  days: number;
  /** Wall time of the backfill process, its start included. */
  wall?: number;
  /** The backfill's own elapsed time (its JSON elapsedMs): the days' cost. */
  seconds?: number;
  rows?: number;
  peakMb?: number;
  largestMb?: number;
  error?: string;
}

/** e. backfill of a few days at each size: cost per day, per row, peak memory. */
async function scaling(): Promise<Figure[]> {
  const rows: ScaleRow[] = [];
  const targets: Array<"server" | "embedded"> = args.embedded ? ["server", "embedded"] : ["server"];
  for (const where of targets) {
    for (const invoices of args.scale) {
      if (where === "embedded" && invoices > EMBEDDED_MAX) continue;
      const days = daysAt(invoices);
      const row: ScaleRow = { where, invoices, days };
      rows.push(row);
      const db = where === "server" ? await freshDatabase("scale") : null;
      const dir = where === "embedded" ? freshDataDir("scale") : null;
      let keep = false;
      try {
        await cliTask(db, dir, [
          "setup",
          ...SYNTHETIC,
          "--history-end",
          day(SCALE_FROM, -1),
          "--history-years",
          "0",
        ]);
        const result = await cliTask(db, dir, [
          "backfill",
          "--from",
          SCALE_FROM,
          "--to",
          day(SCALE_FROM, days - 1),
          ...["--inserts", String(invoices), "--seed", "1", "--manifest-dir", "none", "--json"],
        ]);
        const summary = JSON.parse(result.stdout);
        const totals = summary.totals as Done;
        Object.assign(row, {
          wall: result.seconds,
          seconds: summary.elapsedMs / 1000,
          rows: rowsOf(totals),
          peakMb: result.peakMb,
          largestMb: result.largestMb,
        });
        if (db !== null && invoices === Math.max(...args.scale)) {
          if (biggestDay) await dropDatabase(biggestDay.db);
          biggestDay = { db, date: day(SCALE_FROM, days - 1), invoices };
          keep = true;
        }
      } catch (e) {
        // Reported, not fatal: the embedded database may not take the biggest days.
        row.error = lastLine(e);
      } finally {
        if (db !== null && !keep) await dropDatabase(db);
        if (dir !== null) await Deno.remove(dir, { recursive: true }).catch(() => {});
      }
    }
  }
  const table = [[
    "database",
    "invoices/day",
    "days",
    "wall s",
    "s/day",
    "rows/day",
    "rows/s",
    "µs/row",
    "µs/invoice",
    "peak MB",
    "< 512 MB",
  ]];
  for (const r of rows) {
    if (r.error !== undefined || r.seconds === undefined) {
      table.push([r.where, formatNumber(r.invoices), String(r.days), `failed: ${r.error}`]);
      continue;
    }
    table.push([
      r.where,
      formatNumber(r.invoices),
      String(r.days),
      formatNumber(r.wall!),
      formatNumber(r.seconds / r.days),
      formatNumber(r.rows! / r.days),
      formatNumber(r.rows! / r.seconds),
      formatNumber((r.seconds * 1e6) / r.rows!),
      formatNumber((r.seconds * 1e6) / (r.invoices * r.days)),
      formatNumber(r.peakMb!),
      r.peakMb! < 512 ? "PASS" : "MISS",
    ]);
  }
  for (const line of formatTable(table, [1, 2, 3, 4, 5, 6, 7, 8, 9])) out(`  ${line}`);
  out(
    "  (fresh databases with Chinook's invoices only; wall: the backfill process, its start included;",
  );
  out(
    "  s/day, rows/s, µs: the backfill's own elapsed time; rows: invoices, lines, customers, changes)",
  );
  return rows.flatMap((r): Figure[] => {
    const key = `scaling.${r.where}.${r.invoices}`;
    if (r.seconds === undefined) {
      return [failedFigure(key, `${r.where} ${count(r.invoices)} invoices/day`, r.error)];
    }
    return [
      {
        key: `${key}.secondsPerDay`,
        label: `${r.where} ${count(r.invoices)} invoices/day, s/day`,
        value: r.seconds / r.days,
        unit: "s",
        hidden: true,
      },
      {
        key: `${key}.rowsPerSecond`,
        label: "  rows/s",
        value: r.rows! / r.seconds,
        unit: "rows/s",
        hidden: true,
      },
      {
        key: `${key}.microsecondsPerRow`,
        label: "  µs per row",
        value: (r.seconds * 1e6) / r.rows!,
        unit: "µs",
        hidden: true,
      },
      {
        key: `${key}.peakMb`,
        label: `${r.where} ${count(r.invoices)} invoices/day: peak memory`,
        value: r.peakMb!,
        unit: "MB",
        detail: { largestProcessMb: Math.round(r.largestMb!) },
        check: { on: "value", op: "<", limit: 512 },
      },
    ];
  });
}

/** f. Peak memory of `export` of the biggest day of the scaling table, per format. */
async function exports(): Promise<Figure[]> {
  if (!biggestDay) {
    const invoices = Math.max(...args.scale);
    const db = await freshDatabase("export");
    await runCli(urlOf(db), [
      "setup",
      ...SYNTHETIC,
      "--history-end",
      day(SCALE_FROM, -1),
      "--history-years",
      "0",
    ]);
    await runCli(urlOf(db), [
      "simulate",
      "--date",
      SCALE_FROM,
      ...["--inserts", String(invoices), "--seed", "1", "--manifest-dir", "none"],
    ]);
    biggestDay = { db, date: SCALE_FROM, invoices };
  }
  const { db, date, invoices } = biggestDay;
  const figures: Figure[] = [];
  for (const format of ["csv", "jsonl", "parquet"]) {
    const dir = `${tmp}/export-${format}`;
    const result = await serverTask("cli", db, [
      "export",
      ...["--from", date, "--to", date, "--out", dir, "--format", format, "--json"],
    ]);
    await Deno.remove(dir, { recursive: true });
    figures.push({
      key: `exports.${format}.peakMb`,
      label: `export ${format} of a ${count(invoices)}-invoice day: peak`,
      value: result.peakMb,
      unit: "MB",
      detail: { largestProcessMb: Math.round(result.largestMb) },
      check: { on: "value", op: "<", limit: 512 },
    }, {
      key: `exports.${format}.seconds`,
      label: "  seconds",
      value: result.seconds,
      unit: "s",
    });
  }
  return figures;
}

const SECTION_RUNS: Record<Section, { title: string; run: () => Promise<Figure[]> }> = {
  bigday: {
    title: `big day: ${count(args.invoices)} invoices end to end vs psql \\copy (CSV)`,
    run: bigDay,
  },
  smallday: { title: "small day: deno task simulate, process start included", run: smallDay },
  embedded: { title: "embedded: first run and a 10k-invoice day", run: embedded },
  backfill: { title: "backfill: a year at the default model", run: backfill },
  scaling: {
    title: `scaling: backfill at ${args.scale.map(count).join(", ")} invoices/day`,
    run: scaling,
  },
  exports: { title: "exports: peak memory per format", run: exports },
};

// ---------------------------------------------------------------- driver

const LEGEND =
  "ratio: against the baseline, above 1 = better than it (baseline ÷ value for times and memory, value ÷ baseline for rates)";

function printFigures(figures: readonly Figure[], prefix = "") {
  const rows = [HEADER, ...figures.filter((f) => !f.hidden).map(figureRow)];
  if (prefix) {
    rows.forEach((r, i) => (rows[i] = [i === 0 ? r[0]! : `${prefix} ${r[0]}`, ...r.slice(1)]));
  }
  for (const line of formatTable(rows, [1, 2])) out(`  ${line}`);
}

const load = () => Deno.loadavg().map((l) => l.toFixed(1)).join(" ");
const [version] = await admin`SHOW server_version`;
const machine = {
  cores: navigator.hardwareConcurrency,
  postgres: String(version?.server_version),
  deno: Deno.version.deno,
  loadAtStart: load(),
  loadAtEnd: "",
};
out(
  `chinook-sim bench: ${machine.cores} cores, PostgreSQL ${machine.postgres}, deno ${machine.deno}, load ${machine.loadAtStart}; ${args.runs} run(s) of ${
    args.only.join(", ")
  }${args.embedded ? "" : " (no embedded)"}`,
);

const results: Record<string, { runs: Figure[][]; median: Figure[]; error?: string }> = {};
let failed = false;
try {
  for (const section of args.only) {
    if (section === "embedded" && !args.embedded) continue;
    const { title, run } = SECTION_RUNS[section];
    out(`\n== ${title}`);
    const runs: Figure[][] = [];
    try {
      for (let i = 1; i <= args.runs; i++) {
        const figures = await run();
        runs.push(figures);
        if (args.runs > 1) printFigures(figures, `run ${i}:`);
      }
      const median = args.runs > 1 ? medianFigures(runs) : runs[0]!;
      if (args.runs > 1) out(`  median of ${args.runs} runs:`);
      printFigures(median);
      results[section] = { runs, median };
    } catch (e) {
      failed = true;
      const message = (e instanceof Error ? e.message : String(e)).slice(0, 2000);
      out(`  failed: ${message}`);
      results[section] = { runs, median: medianFigures(runs), error: message };
    }
  }
} finally {
  await cleanUp();
  await admin.end();
}
machine.loadAtEnd = load();
out(`\n${LEGEND}\nload ${machine.loadAtEnd} at the end`);

const json = (f: Figure) => ({
  value: Number(f.value.toPrecision(4)),
  unit: f.unit,
  ...(f.baseline === undefined ? {} : { baseline: Number(f.baseline.toPrecision(4)) }),
  ...(ratioOf(f) === undefined ? {} : { ratio: Number(ratioOf(f)!.toFixed(3)) }),
  ...(f.check ? { verdict: verdict(f) } : {}),
  ...f.detail,
});
out(JSON.stringify({
  machine,
  args,
  sections: Object.fromEntries(
    Object.entries(results).map(([name, r]) => [name, {
      ...(r.error ? { error: r.error } : {}),
      median: Object.fromEntries(r.median.map((f) => [f.key, json(f)])),
      ...(args.runs > 1
        ? {
          runs: r.runs.map((figures) => Object.fromEntries(figures.map((f) => [f.key, json(f)]))),
        }
        : {}),
    }]),
  ),
}));
if (failed) Deno.exit(1);
