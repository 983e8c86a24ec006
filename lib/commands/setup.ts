import {
  COMMON_FLAGS,
  COMMON_HELP,
  parseDayFlag,
  parseFlags,
  rejectPositionals,
} from "../cli/flags.ts";
import { prepare, withDatabase } from "../cli/context.ts";
import { runSetup } from "../db/setup.ts";
import { UsageError } from "../cli/errors.ts";
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
    const setup = await runSetup(db, {
      chinookSql: values["chinook-sql"] ?? context.env.CHINOOK_SQL,
      lockTimeoutMs: context.lockTimeoutMs,
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
