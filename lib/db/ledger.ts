/**
 * The ledger: chinook-sim's own record in the schema chinook_sim. The
 * simulation lock, whether the simulator is installed (and its schema
 * version), the history alignment, which days are simulated, each run's
 * record and the per-day ledger kept from the runs. Ids: ids.ts; the change
 * log: change_log.ts.
 */
import { ConfigError } from "../cli/errors.ts";
import type { Status } from "../report/status.ts";
import type { IdRange, IdTable } from "../sim/day_outcome.ts";
import type { DayDone } from "../sim/day_types.ts";
import { daysInRange } from "../sim/calendar.ts";
import type { Manifest } from "../sim/manifest.ts";
import { RunLog } from "./change_log.ts";
import type { Database, Sql, Tx } from "./connect.ts";
import type { HistoryLoaded } from "./history.ts";
import { raiseCounters, readCounters } from "./ids.ts";

/** Serialises every writer of chinook-sim on one database. */
export const SIM_LOCK_KEY = 7_429_001;

/** Takes the simulation lock for the rest of the transaction, waiting at most `lockTimeoutMs`. */
export async function takeSimLock(tx: Tx, lockTimeoutMs: number): Promise<void> {
  // Asked without waiting in between; they run in the order asked.
  await Promise.all([
    tx`SELECT set_config('lock_timeout', ${`${lockTimeoutMs}ms`}, true)`,
    tx`SELECT pg_advisory_xact_lock(${SIM_LOCK_KEY})`,
  ]);
}

export async function simulatorInstalled(sql: Sql | Tx): Promise<boolean> {
  const [row] = await sql<{ ok: boolean }[]>`
    SELECT to_regclass('chinook_sim.ledger') IS NOT NULL AS ok`;
  return row?.ok ?? false;
}

/**
 * For commands that read the ledger: a database that was never set up, or
 * set up by an earlier release and not upgraded yet, is a configuration error.
 */
export async function requireInstalled(db: Database): Promise<void> {
  if (!(await simulatorInstalled(db.sql))) {
    throw new ConfigError(`${db.target.display} is not set up: run "chinook-sim setup" first`);
  }
  if (await schemaOutdated(db.sql, READABLE_SCHEMA_VERSION)) {
    throw new ConfigError(
      `${db.target.display} was set up by an earlier chinook-sim: run "chinook-sim setup" to upgrade its ledger first`,
    );
  }
}

/** A fact about the database kept in chinook_sim.meta (the history shift, the CDC additions). */
export async function readMeta<T>(sql: Sql | Tx, key: string): Promise<T | null> {
  const [row] = await sql<{ value: T }[]>`SELECT value FROM chinook_sim.meta WHERE key = ${key}`;
  return row?.value ?? null;
}

export async function writeMeta(sql: Sql | Tx, key: string, value: unknown): Promise<void> {
  await sql`
    INSERT INTO chinook_sim.meta (key, value) VALUES (${key}, ${sql.json(value as never)})
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`;
}

export async function deleteMeta(sql: Sql | Tx, key: string): Promise<void> {
  await sql`DELETE FROM chinook_sim.meta WHERE key = ${key}`;
}

export interface HistoryInfo {
  shiftDays: number;
  lastHistoryDay: string;
  /** The days setup made with the demand model (absent: Chinook's invoices only). */
  generated?: HistoryLoaded;
}

/** Where setup aligned the historical invoices, or null before setup. */
export function historyInfo(sql: Sql | Tx): Promise<HistoryInfo | null> {
  return readMeta<HistoryInfo>(sql, "history");
}

export function saveHistoryInfo(tx: Tx, info: HistoryInfo): Promise<void> {
  return writeMeta(tx, "history", info);
}

export async function anyDaySimulated(sql: Sql | Tx): Promise<boolean> {
  const [{ n } = { n: "0" }] = await sql<
    { n: string }[]
  >`SELECT count(*) AS n FROM chinook_sim.ledger`;
  return Number(n) > 0;
}

/** The first and last simulated day (null when none); `upTo`: only days up to it. */
export async function ledgerBounds(
  sql: Sql | Tx,
  options: { upTo?: string } = {},
): Promise<{ first: string | null; last: string | null }> {
  const [row] = await sql<{ first: string | null; last: string | null }[]>`
    SELECT min(sim_date)::text AS first, max(sim_date)::text AS last FROM chinook_sim.ledger
     WHERE sim_date <= ${options.upTo ?? "9999-12-31"}::date`;
  return { first: row?.first ?? null, last: row?.last ?? null };
}

/** How many days from `from` to `to` are in the ledger. */
export async function ledgerDayCount(sql: Sql | Tx, from: string, to: string): Promise<number> {
  const [count] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM chinook_sim.ledger WHERE sim_date BETWEEN ${from}::date AND ${to}::date`;
  return count?.n ?? 0;
}

/** Days of the range not in the ledger yet. */
export async function missingDays(sql: Sql | Tx, from: string, to: string): Promise<string[]> {
  const done = await sql<{ day: string }[]>`
    SELECT sim_date::text AS day FROM chinook_sim.ledger WHERE sim_date BETWEEN ${from} AND ${to}`;
  const have = new Set(done.map((r) => r.day));
  return daysInRange(from, to).filter((d) => !have.has(d));
}

/** How many runs the ledger has for `day` (null: the day was never simulated). */
export async function dayRuns(tx: Tx, day: string): Promise<number | null> {
  const [existing] = await tx<{ runs: number }[]>`
    SELECT runs FROM chinook_sim.ledger WHERE sim_date = ${day}`;
  return existing?.runs ?? null;
}

/** The current version of chinook-sim's own schema (sql/setup.sql records it). */
export const SCHEMA_VERSION = 3;

/**
 * The oldest schema the commands that only read (and rewind) work on: version 3 only adds the
 * stored recency, which the days written next keep, so a database of version 2 is upgraded by
 * the next command that writes days rather than refused.
 */
export const READABLE_SCHEMA_VERSION = 2;

/** Whether the schema is older than `needed` (this code's): sql/setup.sql then upgrades it. */
export async function schemaOutdated(
  sql: Sql | Tx,
  needed: number = SCHEMA_VERSION,
): Promise<boolean> {
  const version = await readMeta<number | string>(sql, "schema");
  return Number(version ?? 1) < needed;
}

/** Takes the next run id, the day's next run number and the change and event bases. */
export async function startRun(tx: Tx, day: string): Promise<RunLog> {
  const [counters, [row]] = await Promise.all([
    readCounters(tx),
    tx<{ n: number }[]>`
      SELECT coalesce(max(run_number), 0)::int + 1 AS n FROM chinook_sim.run WHERE sim_date = ${day}`,
  ]);
  return new RunLog(counters.run + 1, row!.n, day, counters.change, counters.event);
}

/** One committed run as chinook_sim.run records it. */
export interface RunRecord extends DayDone {
  kind: "batch";
  seed: string;
  toolVersion: string;
  timeZone: string;
  deleteMode: string;
  windowDays: number;
  /** What else the run needs to be replayed: counts as given, messiness, model, force. */
  options: unknown;
  /** The counts asked for, "auto" resolved. */
  requested: unknown;
  revenue: string;
  inserted: Record<IdTable, IdRange>;
  startedAt: Date;
  manifest: unknown;
}

/**
 * Records a run (its statements from `log`), raises the counters past
 * everything it issued, and brings the day's ledger row up to date. The
 * last statement of the run's transaction.
 */
export async function recordRun(tx: Tx, log: RunLog, r: RunRecord): Promise<void> {
  const last = (range: IdRange) => (range.count > 0 ? range.first + range.count - 1 : null);
  const first = (range: IdRange) => (range.count > 0 ? range.first : null);
  const { invoice, invoice_line: line, customer } = r.inserted;
  // Asked without waiting in between, in this order (each call queues its statement before the
  // next call), and run in the order asked: the ledger's rows read the run's.
  const insertRun = async () =>
    await tx`
    INSERT INTO chinook_sim.run (run_id, sim_date, run_number, kind, state, seed, tool_version,
      time_zone, delete_mode, window_days, options, requested, inserts, updates, deletes,
      new_customers, customer_changes, lines, late, edits, duplicates, revenue,
      first_invoice_id, last_invoice_id, first_line_id, last_line_id, first_customer_id,
      last_customer_id, manifest, sequence_base, events, statements, started_at, committed_at, txid)
    VALUES (${log.runId}, ${log.day}, ${log.runNumber}, ${r.kind}, 'committed', ${r.seed},
      ${r.toolVersion}, ${r.timeZone}, ${r.deleteMode}, ${r.windowDays},
      ${tx.json(r.options as never)}, ${tx.json(r.requested as never)}, ${r.inserts}, ${r.updates},
      ${r.deletes}, ${r.newCustomers}, ${r.customerChanges}, ${r.lines}, ${r.late}, ${r.edits},
      ${r.duplicates}, ${r.revenue}, ${first(invoice)}, ${last(invoice)}, ${first(line)},
      ${last(line)}, ${first(customer)}, ${last(customer)}, ${tx.json(r.manifest as never)},
      ${log.sequenceBase}, ${log.events}, ${tx.json(log.statements as never)}, ${r.startedAt},
      clock_timestamp(), txid_current())`;
  await Promise.all([
    insertRun(),
    raiseCounters(tx, {
      run: log.runId,
      change: log.lastChangeId,
      event: log.sequenceBase + log.events,
      invoice: invoice.first + invoice.count - 1,
      invoice_line: line.first + line.count - 1,
      customer: customer.first + customer.count - 1,
    }),
    refreshLedger(tx, [log.day]),
  ]);
}

/**
 * The ledger rows of `days` from their committed runs: the totals, the run
 * count, the first run's seed, options, id range and manifest. A day left
 * without committed runs leaves the ledger (it can be simulated again).
 */
export async function refreshLedger(tx: Tx, days: string[]): Promise<void> {
  await tx`
    DELETE FROM chinook_sim.ledger l
     WHERE l.sim_date = ANY(${days}::date[])
       AND NOT EXISTS (SELECT 1 FROM chinook_sim.run r
                        WHERE r.sim_date = l.sim_date AND r.state = 'committed')`;
  await tx`
    INSERT INTO chinook_sim.ledger AS l (sim_date, seed, tool_version, time_zone, delete_mode,
      window_days, requested, inserts, updates, deletes, new_customers, customer_changes, lines,
      revenue, first_invoice_id, last_invoice_id, runs, started_at, finished_at, manifest, late,
      edits, duplicates)
    SELECT f.sim_date, f.seed, f.tool_version, f.time_zone, f.delete_mode, f.window_days,
           f.requested, s.inserts, s.updates, s.deletes, s.new_customers, s.customer_changes,
           s.lines, s.revenue, f.first_invoice_id, f.last_invoice_id, s.runs, f.started_at,
           s.finished_at, f.manifest, s.late, s.edits, s.duplicates
      FROM (SELECT sim_date, min(run_id) AS first_run, count(*)::int AS runs,
                   sum(inserts)::int AS inserts, sum(updates)::int AS updates,
                   sum(deletes)::int AS deletes, sum(new_customers)::int AS new_customers,
                   sum(customer_changes)::int AS customer_changes, sum(lines)::int AS lines,
                   sum(revenue) AS revenue, sum(late)::int AS late, sum(edits)::int AS edits,
                   sum(duplicates)::int AS duplicates, max(committed_at) AS finished_at
              FROM chinook_sim.run
             WHERE sim_date = ANY(${days}::date[]) AND state = 'committed'
             GROUP BY sim_date) s
      JOIN chinook_sim.run f ON f.run_id = s.first_run
    ON CONFLICT (sim_date) DO UPDATE SET
      (seed, tool_version, time_zone, delete_mode, window_days, requested, inserts, updates,
       deletes, new_customers, customer_changes, lines, revenue, first_invoice_id,
       last_invoice_id, runs, started_at, finished_at, manifest, late, edits, duplicates) =
      (EXCLUDED.seed, EXCLUDED.tool_version, EXCLUDED.time_zone, EXCLUDED.delete_mode,
       EXCLUDED.window_days, EXCLUDED.requested, EXCLUDED.inserts, EXCLUDED.updates,
       EXCLUDED.deletes, EXCLUDED.new_customers, EXCLUDED.customer_changes, EXCLUDED.lines,
       EXCLUDED.revenue, EXCLUDED.first_invoice_id, EXCLUDED.last_invoice_id, EXCLUDED.runs,
       EXCLUDED.started_at, EXCLUDED.finished_at, EXCLUDED.manifest, EXCLUDED.late,
       EXCLUDED.edits, EXCLUDED.duplicates)`;
}

/** The manifests of the day's committed runs, oldest first. */
export async function dayManifests(tx: Tx, day: string): Promise<Manifest[]> {
  const rows = await tx<{ manifest: Manifest }[]>`
    SELECT manifest FROM chinook_sim.run
     WHERE sim_date = ${day} AND state = 'committed' AND manifest IS NOT NULL ORDER BY run_id`;
  return rows.map((r) => r.manifest);
}

/** Ledger days after `yesterday`: days simulated before they were over. */
export async function futureDays(sql: Sql | Tx, yesterday: string): Promise<string[]> {
  const rows = await sql<{ day: string }[]>`
    SELECT sim_date::text AS day FROM chinook_sim.ledger WHERE sim_date > ${yesterday}::date ORDER BY 1`;
  return rows.map((r) => r.day);
}

/**
 * What `status` shows: the newest day, the ledger's extent and gaps, where
 * the history ends, and days after `yesterday` (the store's D-1).
 */
export async function readStatus(db: Database, yesterday: string): Promise<Status> {
  const base = {
    database: db.target.display,
    variant: db.variant.current === "pascal" ? "PascalCase" : "snake_case",
  };
  if (!(await simulatorInstalled(db.sql))) {
    return {
      ...base,
      setUp: false,
      historyEndsOn: null,
      days: 0,
      firstDay: null,
      lastDay: null,
      lastWrittenAt: null,
      lastRun: null,
      missingDays: 0,
      yesterday,
      futureDays: [],
    };
  }
  const history = await historyInfo(db.sql);
  const [summary] = await db.sql<
    { days: number; first: string | null; last: string | null; span: number | null }[]
  >`
    SELECT count(*)::int AS days, min(sim_date)::text AS first, max(sim_date)::text AS last,
           (max(sim_date) - min(sim_date) + 1)::int AS span
      FROM chinook_sim.ledger`;
  const [last] = await db.sql<
    {
      written: string;
      inserts: number;
      updates: number;
      deletes: number;
      revenue: string;
      seed: string;
    }[]
  >`
    SELECT to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS written,
           inserts, updates, deletes, revenue::text AS revenue, seed
      FROM chinook_sim.ledger ORDER BY sim_date DESC LIMIT 1`;
  return {
    ...base,
    setUp: true,
    historyEndsOn: history?.lastHistoryDay ?? null,
    days: summary?.days ?? 0,
    firstDay: summary?.first ?? null,
    lastDay: summary?.last ?? null,
    lastWrittenAt: last?.written ?? null,
    lastRun: last
      ? {
        inserts: last.inserts,
        updates: last.updates,
        deletes: last.deletes,
        revenue: last.revenue,
        seed: last.seed,
      }
      : null,
    missingDays: (summary?.span ?? 0) - (summary?.days ?? 0),
    yesterday,
    futureDays: await futureDays(db.sql, yesterday),
  };
}
