/**
 * `setup`: makes a database ready for simulation. Idempotent: loads Chinook
 * only into an empty database, creates only what is missing, and aligns the
 * history once.
 */
import alignHistorySql from "../../sql/align_history.sql" with { type: "text" };
import setupSql from "../../sql/setup.sql" with { type: "text" };
import { ConfigError, UsageError } from "../cli/errors.ts";
import type { DumpPart } from "../chinook/pg_dump.ts";
import type { Sql, Tx } from "./connect.ts";
import { nameIn, snakeCase, type Variant } from "./variant.ts";
import { loadDump } from "./load_dump.ts";

export const CHINOOK_TABLES = [
  "Album",
  "Artist",
  "Customer",
  "Employee",
  "Genre",
  "Invoice",
  "InvoiceLine",
  "MediaType",
  "Playlist",
  "PlaylistTrack",
  "Track",
] as const;

/** Serialises every writer of chinook-sim on one database. */
export const SIM_LOCK_KEY = 7_429_001;

export async function takeSimLock(tx: Tx, lockTimeoutMs: number): Promise<void> {
  await tx`SELECT set_config('lock_timeout', ${`${lockTimeoutMs}ms`}, true)`;
  await tx`SELECT pg_advisory_xact_lock(${SIM_LOCK_KEY})`;
}

export type ChinookState =
  | { kind: "ready"; variant: Variant }
  | { kind: "missing" }
  | { kind: "partial"; variant: Variant; missing: string[] };

/** Which Chinook the database holds: complete (and in which variant), partly, or not at all. */
export async function chinookState(sql: Sql | Tx): Promise<ChinookState> {
  const rows = await sql<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`;
  const present = new Set(rows.map((r) => r.table_name));
  const missingIn = (variant: Variant) =>
    CHINOOK_TABLES.filter((t) => !present.has(nameIn(variant, t)));
  const best = (["pascal", "snake"] as const)
    .map((variant) => ({ variant, missing: missingIn(variant) }))
    .sort((a, b) => a.missing.length - b.missing.length)[0]!;
  if (best.missing.length === 0) return { kind: "ready", variant: best.variant };
  if (best.missing.length === CHINOOK_TABLES.length) return { kind: "missing" };
  return {
    kind: "partial",
    variant: best.variant,
    missing: best.missing.map((t) => nameIn(best.variant, t)),
  };
}

/** The one-line explanation of what a Chinook database must contain. */
export const EXPECTED_CHINOOK = `the 11 Chinook tables, either quoted PascalCase (${
  CHINOOK_TABLES.map((t) => `"${t}"`).join(", ")
}) or snake_case (${CHINOOK_TABLES.map((t) => snakeCase(t)).join(", ")})`;

export async function simulatorInstalled(sql: Sql | Tx): Promise<boolean> {
  const [row] = await sql<{ ok: boolean }[]>`
    SELECT to_regclass('chinook_sim.ledger') IS NOT NULL AS ok`;
  return row?.ok ?? false;
}

export interface HistoryInfo {
  shiftDays: number;
  lastHistoryDay: string;
}

export async function historyInfo(sql: Sql | Tx): Promise<HistoryInfo | null> {
  const [row] = await sql<{ value: HistoryInfo }[]>`
    SELECT value FROM chinook_sim.meta WHERE key = 'history'`;
  return row?.value ?? null;
}

export interface SetupOptions {
  /** Updated when Chinook is found or loaded, so every later statement speaks its variant. */
  variant: { current: Variant };
  /** Where the newest historical invoice should land: D-2 by default. */
  historyEnd: string;
  /** True when the user asked for historyEnd explicitly (may move an earlier alignment). */
  historyEndExplicit: boolean;
  /** Read only when Chinook is missing. */
  loadChinook: () => Promise<{ parts: DumpPart[]; origin: string }>;
  lockTimeoutMs: number;
}

export interface SetupResult {
  loaded: { origin: string; tables: number; rows: number } | null;
  history: HistoryInfo & { movedNow: number };
  counts: Record<string, number>;
}

export async function setupDatabase(sql: Sql, options: SetupOptions): Promise<SetupResult> {
  const state = await chinookState(sql);
  if (state.kind === "partial") {
    throw new ConfigError(
      `The database has only part of Chinook (missing tables: ${state.missing.join(", ")}): ` +
        `use an empty database or one with ${EXPECTED_CHINOOK}`,
    );
  }
  let loaded: SetupResult["loaded"] = null;
  if (state.kind === "missing") {
    const { parts, origin } = await options.loadChinook();
    loaded = await sql.begin(async (tx) => {
      await takeSimLock(tx, options.lockTimeoutMs);
      // Another setup may have loaded it while we waited for the lock.
      if ((await chinookState(tx)).kind === "ready") return null;
      return { origin, ...(await loadDump(tx, parts)) };
    });
  }
  const after = await chinookState(sql);
  if (after.kind !== "ready") {
    throw new ConfigError(
      `${loaded?.origin ?? "The Chinook file"} did not create ${EXPECTED_CHINOOK}`,
    );
  }
  options.variant.current = after.variant;

  return await sql.begin(async (tx) => {
    await takeSimLock(tx, options.lockTimeoutMs);
    const counts = await chinookCounts(tx);
    const empty = ["Customer", "Track", "Employee"].filter((t) => (counts[t] ?? 0) === 0);
    if (empty.length > 0) {
      throw new ConfigError(
        `The Chinook tables ${
          empty.join(", ")
        } have no rows: load the complete Chinook sample into an empty database`,
      );
    }
    await tx.unsafe(setupSql);
    const history = await alignHistory(tx, options);
    await syncSequences(tx);
    return { loaded, history, counts };
  });
}

async function chinookCounts(tx: Tx): Promise<Record<string, number>> {
  const rows = await tx<{ name: string; n: string }[]>`
    SELECT 'Customer' AS name, count(*) AS n FROM public."Customer"
    UNION ALL SELECT 'Track', count(*) FROM public."Track"
    UNION ALL SELECT 'Employee', count(*) FROM public."Employee"
    UNION ALL SELECT 'Invoice', count(*) FROM public."Invoice"
    UNION ALL SELECT 'InvoiceLine', count(*) FROM public."InvoiceLine"`;
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}

async function alignHistory(
  tx: Tx,
  options: SetupOptions,
): Promise<HistoryInfo & { movedNow: number }> {
  const previous = await historyInfo(tx);
  if (previous && (!options.historyEndExplicit || previous.lastHistoryDay === options.historyEnd)) {
    return { ...previous, movedNow: 0 };
  }
  if (previous) {
    const [{ n } = { n: "0" }] = await tx<
      { n: string }[]
    >`SELECT count(*) AS n FROM chinook_sim.ledger`;
    if (Number(n) > 0) {
      throw new UsageError(
        `Cannot move the history to end on ${options.historyEnd}: it was aligned to ${previous.lastHistoryDay} and days have been simulated since; use a fresh database`,
      );
    }
  }
  const [row] = await tx.unsafe<{ shift: number | null; moved: string }[]>(alignHistorySql, [
    options.historyEnd,
  ]);
  const shift = Number(row?.shift ?? 0);
  const info: HistoryInfo = {
    shiftDays: (previous?.shiftDays ?? 0) + shift,
    lastHistoryDay: options.historyEnd,
  };
  await tx`
    INSERT INTO chinook_sim.meta (key, value) VALUES ('history', ${tx.json(info as never)})
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`;
  return { ...info, movedNow: Number(row?.moved ?? 0) };
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
  // The id is the first column of each Chinook table.
  await tx`
    SELECT setval(s.seq, greatest(1, s.max_id))
      FROM (
        SELECT pg_get_serial_sequence('public."Invoice"', a.attname) AS seq,
               (SELECT max("InvoiceId") FROM public."Invoice") AS max_id
          FROM pg_attribute a WHERE a.attrelid = 'public."Invoice"'::regclass AND a.attnum = 1
        UNION ALL
        SELECT pg_get_serial_sequence('public."InvoiceLine"', a.attname),
               (SELECT max("InvoiceLineId") FROM public."InvoiceLine")
          FROM pg_attribute a WHERE a.attrelid = 'public."InvoiceLine"'::regclass AND a.attnum = 1
        UNION ALL
        SELECT pg_get_serial_sequence('public."Customer"', a.attname),
               (SELECT max("CustomerId") FROM public."Customer")
          FROM pg_attribute a WHERE a.attrelid = 'public."Customer"'::regclass AND a.attnum = 1
      ) s
     WHERE s.seq IS NOT NULL`;
}
