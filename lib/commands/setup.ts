/** setup: load Chinook if absent, add what the simulator needs, align the history; --cdc. */
import { type Context, defineCommand } from "../cli/command.ts";
import { UsageError } from "../cli/errors.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { logger, writeOut } from "../cli/output.ts";
import { prepareOptions } from "../cli/settings.ts";
import { type CdcState, disableCdc, enableCdc } from "../db/cdc.ts";
import { withDatabase } from "../db/connect.ts";
import { runSetup, type SetupResult } from "../db/setup.ts";
import { installWeb } from "../db/web.ts";
import { readModel } from "../cli/inputs.ts";
import { addDays, yesterdayIn } from "../sim/calendar.ts";

type Flag =
  | "chinook-sql"
  | "history-end"
  | "history-years"
  | "seed"
  | "model"
  | "tz"
  | "cdc"
  | "undo"
  | "web"
  | CommonFlag;

export interface SetupInput {
  flags: FlagValues<Flag>;
}

export function parse(args: string[]): SetupInput {
  const flags = parseFlags(command.name, command.flags, args);
  if (flags.undo && !flags.cdc) {
    throw new UsageError('--undo goes with --cdc: "chinook-sim setup --cdc --undo"');
  }
  return { flags };
}

type Outcome = SetupResult & {
  cdc?: { removed: CdcState | null } | { enabled: CdcState };
  web?: boolean;
};

export async function run(_input: SetupInput, { settings }: Context<Flag>): Promise<number> {
  const historyEnd = settings["history-end"];
  const result = await withDatabase(settings.target, async (db): Promise<Outcome> => {
    const setup = await runSetup(db, {
      ...prepareOptions(settings),
      historyEnd: historyEnd ?? addDays(yesterdayIn(settings.tz, new Date()), -1),
      historyEndExplicit: historyEnd !== undefined,
      history: {
        years: settings["history-years"],
        seed: settings.seed,
        model: await readModel(settings.model),
        timeZone: settings.tz,
      },
    });
    if (settings.web) {
      await installWeb(db.sql, settings.lockTimeoutMs);
      logger("setup").info("Web shop ready: schema chinook_web (session, event, review)");
    }
    const web = settings.web ? true : undefined;
    if (!settings.cdc) return { ...setup, cdc: undefined, web };
    const cdc = settings.undo
      ? { removed: await disableCdc(db.sql, settings.lockTimeoutMs) }
      : { enabled: await enableCdc(db.sql, db.variant.current, settings.lockTimeoutMs) };
    logger("setup").info(
      settings.undo
        ? "CDC additions removed"
        : "CDC-ready: audit columns, trigger, replica identity",
    );
    return { ...setup, cdc, web };
  });
  writeOut(renderSetup(result, settings.json));
  return 0;
}

function renderSetup(result: Outcome, json: boolean): string {
  if (json) return JSON.stringify({ command: "setup", ...result });
  return `Ready: ${result.counts.Customer} customers, ${result.counts.Track} tracks, ` +
    `${result.counts.Invoice} invoices; history ends ${result.history.lastHistoryDay}` +
    (result.loaded ? ` (loaded ${result.loaded.rows} rows from ${result.loaded.origin})` : "");
}

export const command = defineCommand<Flag, SetupInput>({
  name: "setup",
  summary: "Prepare a database: load Chinook if absent, add what the simulator needs",
  usage: [
    "chinook-sim setup [options]",
    "chinook-sim setup --cdc [--undo]",
    "chinook-sim setup --web",
  ],
  description: `
Safe to run any number of times. Loads Chinook into an empty database (from
--chinook-sql, env CHINOOK_SQL, the public sample, or a synthetic catalogue
when offline), creates the id sequences, the InvoiceDate index and the run
ledger (schema chinook_sim), and makes the store's history once: Chinook's
invoices move to the start, then --history-years of days from the demand model
(--model, --seed) up to the day before yesterday (D-2).`,
  groups: [{
    title: "Options",
    flags: [
      "chinook-sql",
      "history-end",
      "history-years",
      "seed",
      "model",
      "tz",
      "cdc",
      "undo",
      "web",
    ],
  }],
  parse,
  run,
});
