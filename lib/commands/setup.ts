import {
  COMMON_FLAGS,
  COMMON_HELP,
  parseDayFlag,
  parseFlags,
  rejectPositionals,
} from "../cli/flags.ts";
import { loadChinookSource } from "../chinook/sources.ts";
import { type Context, prepare, withDatabase } from "../cli/context.ts";
import type { Database } from "../db/connect.ts";
import {
  chinookState,
  EXPECTED_CHINOOK,
  setupDatabase,
  type SetupResult,
  simulatorInstalled,
} from "../db/setup.ts";
import { ConfigError, UsageError } from "../cli/errors.ts";
import { disableCdc, enableCdc } from "../db/cdc.ts";
import { logger, writeOut } from "../cli/output.ts";
import { addDays, yesterdayIn } from "../sim/calendar.ts";

export const summary = "Prepare a database: load Chinook if absent, add what the simulator needs";

export const help = `chinook-sim setup: ${summary}

Usage: chinook-sim setup [options]

Safe to run any number of times. Loads Chinook into an empty database (from
--chinook-sql, env CHINOOK_SQL, the public sample, or a synthetic catalogue
when offline), creates the id sequences, the InvoiceDate index and the run
ledger (schema chinook_sim), and shifts the historical invoices once so the
newest lands on the day before yesterday (D-2).

Options:
  --chinook-sql FILE|URL  Chinook pg_dump to load into an empty database
                          ("synthetic" for the generated catalogue)
  --history-end DAY       Last day of the shifted history (default: D-2); may be
                          moved again while no day has been simulated
  --tz ZONE               Time zone that defines "yesterday" (env SIM_TIMEZONE)
  --cdc                   Also make the store CDC-ready: created_at/updated_at audit
                          columns (a trigger keeps updated_at), REPLICA IDENTITY FULL
                          on Invoice and InvoiceLine, publication chinook_sim_sales
  --cdc --undo            Remove exactly what --cdc added
${COMMON_HELP}`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags("setup", args, {
    ...COMMON_FLAGS,
    "chinook-sql": { type: "string" },
    "history-end": { type: "string" },
    tz: { type: "string" },
    cdc: { type: "boolean" },
    undo: { type: "boolean" },
  });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  rejectPositionals("setup", positionals);
  if (values.undo && !values.cdc) {
    throw new UsageError('--undo goes with --cdc: "chinook-sim setup --cdc --undo"');
  }
  const historyEnd = values["history-end"] === undefined
    ? undefined
    : parseDayFlag("--history-end", values["history-end"]);
  const context = await prepare(values);
  const timeZone = context.timeZone(values.tz);
  const result = await withDatabase(context, async (db) => {
    const setup = await runSetup(db, context, {
      chinookSql: values["chinook-sql"],
      historyEnd: historyEnd ?? addDays(yesterdayIn(timeZone, new Date()), -1),
      historyEndExplicit: historyEnd !== undefined,
    });
    if (!values.cdc) return { ...setup, cdc: undefined };
    const cdc = values.undo
      ? { removed: await disableCdc(db.sql, context.lockTimeoutMs) }
      : { enabled: await enableCdc(db.sql, db.variant.current, context.lockTimeoutMs) };
    logger("setup").info(
      values.undo ? "CDC additions removed" : "CDC-ready: audit columns, trigger, replica identity",
    );
    return { ...setup, cdc };
  });
  if (context.json) writeOut(JSON.stringify({ command: "setup", ...result }));
  else {
    writeOut(
      `Ready: ${result.counts.Customer} customers, ${result.counts.Track} tracks, ` +
        `${result.counts.Invoice} invoices; history ends ${result.history.lastHistoryDay}` +
        (result.loaded ? ` (loaded ${result.loaded.rows} rows from ${result.loaded.origin})` : ""),
    );
  }
  return 0;
}

/** Also used by simulate, which sets up an empty embedded database by itself. */
export async function runSetup(
  db: Database,
  context: Context,
  options: { chinookSql?: string; historyEnd: string; historyEndExplicit: boolean },
): Promise<SetupResult> {
  const log = logger("setup");
  const result = await setupDatabase(db.sql, {
    variant: db.variant,
    historyEnd: options.historyEnd,
    historyEndExplicit: options.historyEndExplicit,
    lockTimeoutMs: context.lockTimeoutMs,
    loadChinook: () =>
      loadChinookSource(options.chinookSql ?? context.env.CHINOOK_SQL, {
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
  context: Context,
  options: { firstDay: string; chinookSql?: string },
): Promise<void> {
  if (await simulatorInstalled(db.sql)) return;
  if (db.target.kind === "embedded") {
    logger("setup").info("First run on this embedded database: setting it up");
    await runSetup(db, context, {
      chinookSql: options.chinookSql,
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
