/**
 * Making a database ready for simulation. Idempotent: loads Chinook only
 * into an empty database, creates only what is missing, and aligns the
 * history once.
 */
import alignHistorySql from "../../sql/align_history.sql" with { type: "text" };
import setupSql from "../../sql/setup.sql" with { type: "text" };
import type { DumpPart } from "../chinook/pg_dump.ts";
import { CHINOOK_TABLES, EXPECTED_CHINOOK, nameIn, type Variant } from "../chinook/schema.ts";
import { loadChinookSource } from "../chinook/sources.ts";
import { ConfigError, UsageError } from "../cli/errors.ts";
import { logger } from "../cli/output.ts";
import { addDays } from "../sim/calendar.ts";
import type { Database, Sql, Tx } from "./connect.ts";
import {
  anyDaySimulated,
  type HistoryInfo,
  historyInfo,
  saveHistoryInfo,
  simulatorInstalled,
  syncSequences,
  takeSimLock,
} from "./ledger.ts";
import { loadDump } from "./load_dump.ts";

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
  if (previous && await anyDaySimulated(tx)) {
    throw new UsageError(
      `Cannot move the history to end on ${options.historyEnd}: it was aligned to ${previous.lastHistoryDay} and days have been simulated since; use a fresh database`,
    );
  }
  const [row] = await tx.unsafe<{ shift: number | null; moved: string }[]>(alignHistorySql, [
    options.historyEnd,
  ]);
  const shift = Number(row?.shift ?? 0);
  const info: HistoryInfo = {
    shiftDays: (previous?.shiftDays ?? 0) + shift,
    lastHistoryDay: options.historyEnd,
  };
  await saveHistoryInfo(tx, info);
  return { ...info, movedNow: Number(row?.moved ?? 0) };
}

export interface PrepareOptions {
  /** --chinook-sql or CHINOOK_SQL: where Chinook comes from when the database has none. */
  chinookSql?: string;
  lockTimeoutMs: number;
}

/** Sets the database up (setup, and an embedded database's first run), logging what was done. */
export async function runSetup(
  db: Database,
  options: PrepareOptions & { historyEnd: string; historyEndExplicit: boolean },
): Promise<SetupResult> {
  const log = logger("setup");
  const result = await setupDatabase(db.sql, {
    variant: db.variant,
    historyEnd: options.historyEnd,
    historyEndExplicit: options.historyEndExplicit,
    lockTimeoutMs: options.lockTimeoutMs,
    loadChinook: () =>
      loadChinookSource(options.chinookSql, {
        seed: "chinook",
        lastHistoryDay: options.historyEnd,
      }),
  });
  if (result.loaded) {
    log.info("Loaded Chinook: {rows} rows in {tables} tables from {origin}", result.loaded);
  }
  if (result.history.movedNow > 0) {
    log.info("Shifted {moved} historical invoices by {days} days; history now ends {day}", {
      moved: result.history.movedNow,
      days: result.history.shiftDays,
      day: result.history.lastHistoryDay,
    });
  }
  log.info("Setup done");
  return result;
}

/**
 * Before writing days: an embedded database sets itself up (history ending
 * the day before `firstDay`); a server must have been set up explicitly.
 */
export async function ensureReady(
  db: Database,
  options: PrepareOptions & { firstDay: string },
): Promise<void> {
  if (await simulatorInstalled(db.sql)) return;
  if (db.target.kind === "embedded") {
    logger("setup").info("First run on this embedded database: setting it up");
    await runSetup(db, {
      ...options,
      historyEnd: addDays(options.firstDay, -1),
      historyEndExplicit: false,
    });
    return;
  }
  const state = await chinookState(db.sql);
  throw new ConfigError(
    state.kind === "ready"
      ? `${db.target.display} is not set up for chinook-sim: run "chinook-sim setup" first`
      : state.kind === "partial"
      ? `${db.target.display} has only part of Chinook (missing: ${
        state.missing.join(", ")
      }); expected ${EXPECTED_CHINOOK}`
      : `${db.target.display} has no Chinook tables: run "chinook-sim setup --chinook-sql FILE" first`,
  );
}

/** Before the first simulated day, the history may still move to end the day before `from`. */
export async function alignHistoryBefore(
  db: Database,
  from: string,
  options: PrepareOptions,
): Promise<void> {
  const history = await historyInfo(db.sql);
  if (!history || from > history.lastHistoryDay) return;
  if (await anyDaySimulated(db.sql)) {
    throw new UsageError(
      `Cannot backfill from ${from}: the historical data runs to ${history.lastHistoryDay}; pick a later --from`,
    );
  }
  await runSetup(db, { ...options, historyEnd: addDays(from, -1), historyEndExplicit: true });
}
