/**
 * The ledger: chinook-sim's own record in the schema chinook_sim. The one
 * place that reads and writes it: the simulation lock, whether the simulator
 * is installed, the history alignment, which days are simulated, each day's
 * record and its change rows, and the id sequences kept above the data.
 */
import { ConfigError } from "../cli/errors.ts";
import type { Status } from "../report/status.ts";
import type { ChangeRow, DayDone } from "../sim/day_types.ts";
import { daysInRange } from "../sim/calendar.ts";
import type { Database, Sql, Tx } from "./connect.ts";

/** Serialises every writer of chinook-sim on one database. */
export const SIM_LOCK_KEY = 7_429_001;

/** Takes the simulation lock for the rest of the transaction, waiting at most `lockTimeoutMs`. */
export async function takeSimLock(tx: Tx, lockTimeoutMs: number): Promise<void> {
  await tx`SELECT set_config('lock_timeout', ${`${lockTimeoutMs}ms`}, true)`;
  await tx`SELECT pg_advisory_xact_lock(${SIM_LOCK_KEY})`;
}

export async function simulatorInstalled(sql: Sql | Tx): Promise<boolean> {
  const [row] = await sql<{ ok: boolean }[]>`
    SELECT to_regclass('chinook_sim.ledger') IS NOT NULL AS ok`;
  return row?.ok ?? false;
}

/** For commands that read the ledger: a database that was never set up is a configuration error. */
export async function requireInstalled(db: Database): Promise<void> {
  if (!(await simulatorInstalled(db.sql))) {
    throw new ConfigError(`${db.target.display} is not set up: run "chinook-sim setup" first`);
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

/** The first and last simulated day (null when none). */
export async function ledgerBounds(
  sql: Sql | Tx,
): Promise<{ first: string | null; last: string | null }> {
  const [row] = await sql<{ first: string | null; last: string | null }[]>`
    SELECT min(sim_date)::text AS first, max(sim_date)::text AS last FROM chinook_sim.ledger`;
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

/** One run of a day as the ledger records it. */
export interface DayRecord extends DayDone {
  day: string;
  seed: string;
  toolVersion: string;
  timeZone: string;
  deleteMode: string;
  windowDays: number;
  requested: unknown;
  revenue: string;
  firstInvoiceId: number | null;
  lastInvoiceId: number | null;
  startedAt: Date;
  manifest: unknown;
}

/** Records a run of a day; a further run of the same day adds its counts to the row. */
export async function recordDay(tx: Tx, r: DayRecord): Promise<void> {
  await tx`
    INSERT INTO chinook_sim.ledger (sim_date, seed, tool_version, time_zone, delete_mode, window_days,
      requested, inserts, updates, deletes, new_customers, customer_changes, lines, revenue,
      first_invoice_id, last_invoice_id, started_at, manifest, late, edits, duplicates)
    VALUES (${r.day}, ${r.seed}, ${r.toolVersion}, ${r.timeZone}, ${r.deleteMode},
      ${r.windowDays}, ${tx.json(r.requested as never)}, ${r.inserts}, ${r.updates},
      ${r.deletes}, ${r.newCustomers}, ${r.customerChanges}, ${r.lines},
      ${r.revenue}, ${r.firstInvoiceId}, ${r.lastInvoiceId}, ${r.startedAt},
      ${tx.json(r.manifest as never)}, ${r.late}, ${r.edits}, ${r.duplicates})
    ON CONFLICT (sim_date) DO UPDATE SET
      runs = chinook_sim.ledger.runs + 1,
      seed = EXCLUDED.seed, tool_version = EXCLUDED.tool_version, requested = EXCLUDED.requested,
      inserts = chinook_sim.ledger.inserts + EXCLUDED.inserts,
      updates = chinook_sim.ledger.updates + EXCLUDED.updates,
      deletes = chinook_sim.ledger.deletes + EXCLUDED.deletes,
      new_customers = chinook_sim.ledger.new_customers + EXCLUDED.new_customers,
      customer_changes = chinook_sim.ledger.customer_changes + EXCLUDED.customer_changes,
      lines = chinook_sim.ledger.lines + EXCLUDED.lines,
      late = chinook_sim.ledger.late + EXCLUDED.late,
      edits = chinook_sim.ledger.edits + EXCLUDED.edits,
      duplicates = chinook_sim.ledger.duplicates + EXCLUDED.duplicates,
      revenue = chinook_sim.ledger.revenue + EXCLUDED.revenue,
      first_invoice_id = coalesce(least(chinook_sim.ledger.first_invoice_id, EXCLUDED.first_invoice_id),
                                  chinook_sim.ledger.first_invoice_id, EXCLUDED.first_invoice_id),
      last_invoice_id = coalesce(greatest(chinook_sim.ledger.last_invoice_id, EXCLUDED.last_invoice_id),
                                 chinook_sim.ledger.last_invoice_id, EXCLUDED.last_invoice_id),
      started_at = EXCLUDED.started_at, finished_at = clock_timestamp(), manifest = EXCLUDED.manifest`;
}

export async function recordChanges(tx: Tx, day: string, rows: ChangeRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx`
    INSERT INTO chinook_sim.change (sim_date, operation, invoice_id, customer_id, new_total)
    SELECT ${day}::date, * FROM unnest(${rows.map((r) => r.operation)}::text[], ${
    rows.map((r) => r.invoiceId)
  }::int[], ${rows.map((r) => r.customerId)}::int[],
                                       ${rows.map((r) => r.newTotal)}::numeric[])`;
}

/**
 * Keeps the id sequences above the current maxima, for anyone else inserting
 * rows: ours, and the tables' own serial or identity sequences if they have any.
 */
export async function syncSequences(tx: Tx): Promise<void> {
  await tx`
    SELECT setval('chinook_sim.invoice_id_seq', greatest(1, (SELECT max("InvoiceId") FROM public."Invoice"))),
           setval('chinook_sim.invoice_line_id_seq', greatest(1, (SELECT max("InvoiceLineId") FROM public."InvoiceLine"))),
           setval('chinook_sim.customer_id_seq', greatest(1, (SELECT max("CustomerId") FROM public."Customer")))`;
  // The id is the first column of each Chinook table. Each table is named as an
  // identifier (its row type), never inside a literal, so the variant translation sees it.
  await tx`
    SELECT setval(s.seq, greatest(1, s.max_id))
      FROM (
        SELECT pg_get_serial_sequence(t.typrelid::regclass::text, a.attname) AS seq,
               (SELECT max("InvoiceId") FROM public."Invoice") AS max_id
          FROM pg_type t JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum = 1
         WHERE t.oid = pg_typeof(NULL::public."Invoice")
        UNION ALL
        SELECT pg_get_serial_sequence(t.typrelid::regclass::text, a.attname),
               (SELECT max("InvoiceLineId") FROM public."InvoiceLine")
          FROM pg_type t JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum = 1
         WHERE t.oid = pg_typeof(NULL::public."InvoiceLine")
        UNION ALL
        SELECT pg_get_serial_sequence(t.typrelid::regclass::text, a.attname),
               (SELECT max("CustomerId") FROM public."Customer")
          FROM pg_type t JOIN pg_attribute a ON a.attrelid = t.typrelid AND a.attnum = 1
         WHERE t.oid = pg_typeof(NULL::public."Customer")
      ) s
     WHERE s.seq IS NOT NULL`;
}

/** What `status` shows: the newest day, the ledger's extent and gaps, where the history ends. */
export async function readStatus(db: Database): Promise<Status> {
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
  };
}
