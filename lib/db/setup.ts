/**
 * Making a database ready for simulation, in one transaction. Idempotent:
 * loads Chinook only into an empty database, creates only what is missing
 * (or upgrades an older chinook-sim schema), and aligns the history once.
 */
import alignHistorySql from "../../sql/align_history.sql" with { type: "text" };
import setupSql from "../../sql/setup.sql" with { type: "text" };
import type { DumpPart } from "../chinook/pg_dump.ts";
import { CHINOOK_TABLES, EXPECTED_CHINOOK, nameIn, type Variant } from "../chinook/schema.ts";
import { ConfigError, UsageError } from "../cli/errors.ts";
import { logger } from "../cli/output.ts";
import { addDays } from "../sim/calendar.ts";
import { DEFAULT_MODEL, type DemandModel } from "../sim/demand.ts";
import type { Database, Sql, Tx } from "./connect.ts";
import { databaseFailureReason } from "./failure.ts";
import type { HistoryOptions } from "./history.ts";
import { countExistingIds, syncSequences } from "./ids.ts";
import { forgetRecency } from "./recency.ts";
import {
  anyDaySimulated,
  type HistoryInfo,
  historyInfo,
  saveHistoryInfo,
  schemaOutdated,
  simulatorInstalled,
  takeSimLock,
} from "./ledger.ts";

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
  /** Called only when Chinook is missing. */
  loadChinook: () => Promise<{ parts: DumpPart[]; origin: string }>;
  /** Leaves the sequences alone (the transaction will be rolled back). */
  dryRun: boolean;
  /** The history the demand model makes before historyEnd (on the first alignment only). */
  history?: HistorySettings;
}

/** How setup makes the history: its length, seed, model and the store's zone. */
export interface HistorySettings extends HistoryOptions {
  /** Years of history before the first simulated day; 0: Chinook's invoices only. */
  years: number;
}

/** Enough for year-over-year comparisons. */
export const DEFAULT_HISTORY_YEARS = 3;

/** An embedded database's first run makes its history with the day's seed and model. */
export function firstRunHistory(
  options: { seed: string; model: DemandModel; timeZone: string },
  years: number = DEFAULT_HISTORY_YEARS,
): HistorySettings {
  return {
    years,
    seed: options.seed,
    model: options.model,
    timeZone: options.timeZone,
  };
}

/** The history an embedded database makes on its first run when the command gives no seed. */
const FALLBACK_HISTORY: HistorySettings = {
  years: DEFAULT_HISTORY_YEARS,
  seed: "history",
  model: DEFAULT_MODEL,
  timeZone: "UTC",
};

export interface SetupResult {
  loaded: { origin: string; tables: number; rows: number } | null;
  history: HistoryInfo & { movedNow: number; madeNow?: boolean };
  counts: Record<string, number>;
}

/** setup: everything in ONE transaction, so a failure at any step leaves nothing behind. */
export async function setupDatabase(
  sql: Sql,
  options: SetupOptions & { lockTimeoutMs: number },
): Promise<SetupResult> {
  return await sql.begin(async (tx) => {
    await takeSimLock(tx, options.lockTimeoutMs);
    return await setupInTransaction(tx, options);
  });
}

/**
 * Inside the caller's transaction, which holds the simulation lock: loads
 * Chinook into an empty database, creates (or upgrades) chinook-sim's own
 * schema, aligns the history, and counts the ids already taken.
 */
export async function setupInTransaction(tx: Tx, options: SetupOptions): Promise<SetupResult> {
  const state = await chinookState(tx);
  if (state.kind === "partial") {
    throw new ConfigError(
      `The database has only part of Chinook (missing tables: ${state.missing.join(", ")}): ` +
        `use an empty database or one with ${EXPECTED_CHINOOK}`,
    );
  }
  let loaded: SetupResult["loaded"] = null;
  if (state.kind === "missing") {
    const started = performance.now();
    const { parts, origin } = await options.loadChinook();
    const read = performance.now();
    const { loadDump } = await import("./load_dump.ts");
    loaded = { origin, ...(await loadDump(tx, parts, origin)) };
    logger("setup").debug("Chinook read in {readMs} ms, loaded in {loadMs} ms", {
      readMs: Math.round(read - started),
      loadMs: Math.round(performance.now() - read),
    });
    const after = await chinookState(tx);
    if (after.kind !== "ready") {
      const missing = after.kind === "partial" ? ` (missing: ${after.missing.join(", ")})` : "";
      throw new ConfigError(
        `Cannot load Chinook from ${origin}: it did not create ${EXPECTED_CHINOOK}${missing}; nothing was written`,
      );
    }
    options.variant.current = after.variant;
  } else {
    options.variant.current = state.variant;
  }
  const counts = await chinookCounts(tx);
  const empty = ["Customer", "Track", "Employee"].filter((t) => (counts[t] ?? 0) === 0);
  if (empty.length > 0) {
    throw new ConfigError(
      `The Chinook tables ${
        empty.join(", ")
      } have no rows: load the complete Chinook sample into an empty database; nothing was written`,
    );
  }
  await upgradeSchema(tx, options.dryRun);
  const history = await step(
    `moving the history to end on ${options.historyEnd}`,
    () => alignHistory(tx, options),
  );
  return { loaded, history, counts: history.madeNow ? await chinookCounts(tx) : counts };
}

/** Creates chinook-sim's schema, or brings an older one up to date; counts the ids taken. */
async function upgradeSchema(tx: Tx, dryRun: boolean): Promise<void> {
  await step("creating chinook-sim's schema chinook_sim (sql/setup.sql)", async () => {
    await tx.unsafe(setupSql);
    await countExistingIds(tx);
    if (!dryRun) await syncSequences(tx);
  });
}

/**
 * A step of setting a database up: a database error names the step, and
 * says that nothing was written (the step's transaction rolls back).
 */
async function step<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const result = await work();
    logger("setup").debug("{step} in {ms} ms", {
      step: what,
      ms: Math.round(performance.now() - started),
    });
    return result;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) throw error;
    const reason = databaseFailureReason(error) ?? (error as Error).message;
    throw new Error(`Cannot set the database up: ${what} failed: ${reason}; nothing was written`, {
      cause: error,
    });
  }
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
  options: Pick<SetupOptions, "historyEnd" | "historyEndExplicit" | "history" | "dryRun">,
): Promise<HistoryInfo & { movedNow: number; madeNow?: boolean }> {
  const previous = await historyInfo(tx);
  if (previous === null && options.history !== undefined && options.history.years > 0) {
    return await makeHistory(tx, options.historyEnd, options.history, options.dryRun);
  }
  if (previous && (!options.historyEndExplicit || previous.lastHistoryDay === options.historyEnd)) {
    return { ...previous, movedNow: 0 };
  }
  if (previous && await anyDaySimulated(tx)) {
    throw new UsageError(
      `Cannot move the history to end on ${options.historyEnd}: it was aligned to ${previous.lastHistoryDay} and days have been simulated since; use a fresh database`,
    );
  }
  // Every stored recency is of the history as it was (and of no day simulated since).
  await forgetRecency(tx);
  const made = previous?.generated;
  if (made?.model !== undefined && made.years !== undefined && made.timeZone !== undefined) {
    // The model's history is made again for its new end rather than shifted: shifting would move
    // its seasons and weekdays off the calendar.
    await tx`DELETE FROM public."InvoiceLine" WHERE "InvoiceId" >= ${made.firstInvoiceId}`;
    await tx`DELETE FROM public."Invoice" WHERE "InvoiceId" >= ${made.firstInvoiceId}`;
    await tx`DELETE FROM public."Customer" WHERE "CustomerId" >= ${made.firstCustomerId}`;
    const settings = {
      years: made.years,
      seed: made.seed,
      model: made.model,
      timeZone: made.timeZone,
    };
    return await makeHistory(tx, options.historyEnd, settings, options.dryRun, previous!.shiftDays);
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

/**
 * The first alignment with a history: Chinook's own invoices move to end the day before the
 * history starts, then the demand model writes every day up to `historyEnd`, all in the caller's
 * transaction. The ids it took are counted as issued.
 */
async function makeHistory(
  tx: Tx,
  historyEnd: string,
  history: HistorySettings,
  dryRun: boolean,
  priorShiftDays = 0,
): Promise<HistoryInfo & { movedNow: number; madeNow: boolean }> {
  const from = addDays(historyEnd, -Math.max(1, Math.round(history.years * 365.25)) + 1);
  const { expectedHistoryInvoices, MAX_HISTORY_INVOICES } = await import("../sim/history.ts");
  const expected = expectedHistoryInvoices(history.model, from, historyEnd);
  if (expected > MAX_HISTORY_INVOICES) {
    throw new UsageError(
      `Cannot make a history of about ${Math.round(expected).toLocaleString("en-US")} invoices ` +
        `(${from} to ${historyEnd}): more than ${
          MAX_HISTORY_INVOICES.toLocaleString("en-US")
        }; give fewer --history-years or a smaller baseInvoicesPerDay; nothing was written`,
    );
  }
  const [row] = await tx.unsafe<{ shift: number | null; moved: string }[]>(alignHistorySql, [
    addDays(from, -1),
  ]);
  const { loadHistory } = await import("./history.ts");
  const generated = await loadHistory(tx, from, historyEnd, history);
  await countExistingIds(tx);
  if (!dryRun) await syncSequences(tx);
  const info: HistoryInfo = {
    shiftDays: priorShiftDays + Number(row?.shift ?? 0),
    lastHistoryDay: historyEnd,
    generated: {
      ...generated,
      years: history.years,
      model: history.model,
      timeZone: history.timeZone,
    },
  };
  await saveHistoryInfo(tx, info);
  return { ...info, movedNow: Number(row?.moved ?? 0), madeNow: true };
}

export interface PrepareOptions {
  /** --chinook-sql or CHINOOK_SQL: where Chinook comes from when the database has none. */
  chinookSql?: string;
  lockTimeoutMs: number;
}

/** Loads the dump parser only when Chinook is loaded (a set-up database never needs it). */
function chinookLoader(chinookSql: string | undefined, historyEnd: string) {
  return async () => {
    const { loadChinookSource } = await import("../chinook/sources.ts");
    return await loadChinookSource(chinookSql, { seed: "chinook", lastHistoryDay: historyEnd });
  };
}

/** Sets the database up (the setup command), logging what was done. */
export async function runSetup(
  db: Database,
  options: PrepareOptions & {
    historyEnd: string;
    historyEndExplicit: boolean;
    history: HistorySettings;
  },
): Promise<SetupResult> {
  const result = await setupDatabase(db.sql, {
    variant: db.variant,
    historyEnd: options.historyEnd,
    historyEndExplicit: options.historyEndExplicit,
    history: options.history,
    lockTimeoutMs: options.lockTimeoutMs,
    loadChinook: chinookLoader(options.chinookSql, options.historyEnd),
    dryRun: false,
  });
  logSetup(result, false);
  return result;
}

function logSetup(result: SetupResult, dryRun: boolean): void {
  const log = logger("setup");
  if (result.loaded) {
    log.info(
      `${dryRun ? "Would load" : "Loaded"} Chinook: {rows} rows in {tables} tables from {origin}`,
      result.loaded,
    );
  }
  const made = result.history.generated;
  if (made !== undefined && result.history.madeNow) {
    log.info(
      `${
        dryRun ? "Would make" : "Made"
      } the history {from} to {to} from the demand model (seed {seed}): {invoices} invoices, {lines} lines, {customers} new customers in {seconds} s`,
      { ...made, seconds: (made.elapsedMs / 1000).toFixed(1) },
    );
  }
  if (result.history.movedNow > 0) {
    log.info(
      `${dryRun ? "Would shift" : "Shifted"} {moved} historical invoices by {days} days; history ${
        dryRun ? "would end" : "now ends"
      } {day}`,
      {
        moved: result.history.movedNow,
        days: result.history.shiftDays,
        day: result.history.lastHistoryDay,
      },
    );
  }
  log.info(dryRun ? "Setup planned (dry run: rolled back)" : "Setup done");
}

export interface ReadyOptions extends PrepareOptions {
  /** An embedded database sets itself up with its history ending the day before. */
  firstDay: string;
  /** backfill --from: before any simulated day, the history may still move to end before it. */
  historyBefore?: string;
  dryRun: boolean;
  /** How an embedded database's first run makes its history (default: 3 years, seed "history"). */
  history?: HistorySettings;
}

/**
 * Before writing days, inside the first day's transaction: an embedded
 * database sets itself up (history ending the day before `firstDay`); a
 * server must have been set up explicitly; an older chinook-sim schema is
 * upgraded; backfill may move the history. A dry run does all of it too, and
 * its transaction rolls it back.
 */
export async function prepareInTransaction(
  tx: Tx,
  db: Database,
  options: ReadyOptions,
): Promise<void> {
  const log = logger("setup");
  if (!(await simulatorInstalled(tx))) {
    if (db.target.kind !== "embedded") throw await notSetUp(tx, db);
    const historyEnd = addDays(options.firstDay, -1);
    log.info(
      options.dryRun
        ? "Dry run: {database} is not set up; would set it up (history ending {historyEnd}), then simulate: planned on a setup that is rolled back afterwards"
        : "First run on this embedded database: setting it up (history ending {historyEnd})",
      { database: db.target.display, historyEnd },
    );
    logSetup(
      await setupInTransaction(tx, {
        variant: db.variant,
        historyEnd,
        historyEndExplicit: false,
        loadChinook: chinookLoader(options.chinookSql, historyEnd),
        dryRun: options.dryRun,
        history: options.history ?? FALLBACK_HISTORY,
      }),
      options.dryRun,
    );
  } else if (await schemaOutdated(tx)) {
    log.info(
      `${options.dryRun ? "Would upgrade" : "Upgrading"} chinook-sim's schema in {database}`,
      { database: db.target.display },
    );
    await upgradeSchema(tx, options.dryRun);
  }
  if (options.historyBefore !== undefined) {
    await moveHistoryBefore(tx, options.historyBefore, options.dryRun);
  }
}

/** Serve: an embedded database that was never set up is set up first, in its own transaction. */
export async function ensureReady(
  db: Database,
  options: PrepareOptions & { firstDay: string },
): Promise<void> {
  await db.sql.begin(async (tx) => {
    await takeSimLock(tx, options.lockTimeoutMs);
    await prepareInTransaction(tx, db, { ...options, dryRun: false });
  });
}

async function notSetUp(tx: Tx, db: Database): Promise<ConfigError> {
  const state = await chinookState(tx);
  return new ConfigError(
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
async function moveHistoryBefore(tx: Tx, from: string, dryRun: boolean): Promise<void> {
  const history = await historyInfo(tx);
  if (!history || from > history.lastHistoryDay) return;
  if (await anyDaySimulated(tx)) {
    throw new UsageError(
      `Cannot backfill from ${from}: the historical data runs to ${history.lastHistoryDay}; pick a later --from`,
    );
  }
  const historyEnd = addDays(from, -1);
  const moved = await step(
    `moving the history to end on ${historyEnd}`,
    () => alignHistory(tx, { historyEnd, historyEndExplicit: true, dryRun }),
  );
  logger("setup").info(
    `${dryRun ? "Would shift" : "Shifted"} {moved} historical invoices; history ${
      dryRun ? "would end" : "now ends"
    } {day}`,
    { moved: moved.movedNow, day: moved.lastHistoryDay },
  );
}
