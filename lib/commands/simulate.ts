/** simulate: one day (default yesterday) in one transaction. */
import { type Context, defineCommand } from "../cli/command.ts";
import {
  anyCountFlag,
  COUNTS_GROUP,
  countsFrom,
  DAY_GROUP,
  type DayFlag,
  EXPORT_GROUP,
  refuseFutureDay,
  STDIN_COUNTS,
} from "../cli/day_options.ts";
import { CommittedIncompleteError } from "../cli/errors.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { countsFromStdin, readDayOptions } from "../cli/inputs.ts";
import { checkManifestDir } from "../cli/manifest_file.ts";
import { logger, writeOut } from "../cli/output.ts";
import { exportDay, writeDayFiles } from "../cli/run_days.ts";
import { checkExportDir, exportTargetFrom } from "../cli/export_target.ts";
import { prepareOptions } from "../cli/settings.ts";
import { withDatabase } from "../db/connect.ts";
import { simulateDays } from "../db/day.ts";
import { firstRunHistory, prepareInTransaction } from "../db/setup.ts";
import { renderDayResult } from "../report/days.ts";
import { yesterdayIn } from "../sim/calendar.ts";
import type { DayResult } from "../sim/day_types.ts";

type Flag = "date" | "allow-future" | DayFlag | CommonFlag;

export interface SimulateInput {
  flags: FlagValues<Flag>;
  /** Counts given as flags; otherwise they come from stdin (or the demand model). */
  countsGiven: boolean;
}

export function parse(args: string[]): SimulateInput {
  const flags = parseFlags(command.name, command.flags, args);
  return { flags, countsGiven: anyCountFlag(flags) };
}

export async function run(input: SimulateInput, { settings }: Context<Flag>): Promise<number> {
  const yesterday = yesterdayIn(settings.tz, new Date());
  const day = settings.date ?? yesterday;
  refuseFutureDay(day, {
    flag: "--date",
    yesterday,
    timeZone: settings.tz,
    allowFuture: settings["allow-future"] ?? false,
  });
  const options = await readDayOptions(settings);
  const requested = input.countsGiven ? countsFrom(settings) : await countsFromStdin();
  const manifestDir = settings["manifest-dir"];
  await checkManifestDir(manifestDir, { dryRun: options.dryRun });
  const exportTarget = exportTargetFrom(settings);
  if (exportTarget) await checkExportDir(exportTarget.dir, "--export", options);
  let result: DayResult | undefined;
  let failure: string | null = null;
  await withDatabase(
    settings.target,
    async (db) => {
      await simulateDays(db, { ...options, requested }, {
        prepare: async (tx) => {
          await prepareInTransaction(tx, db, {
            ...prepareOptions(settings),
            firstDay: day,
            dryRun: options.dryRun,
            history: firstRunHistory(options, settings["history-years"]),
          });
          return [day];
        },
        onDay: (dayResult) => {
          result = dayResult;
          return Promise.resolve(true);
        },
      });
      // After the commit: the manifest, then the export (each failure: exit 4).
      if (!options.dryRun) failure = await writeDayFiles(result!, manifestDir);
      if (!options.dryRun && failure === null && exportTarget) {
        failure = await exportDay(db, exportTarget, result!.day);
      }
    },
    { dryRun: options.dryRun },
  );
  report(result!);
  writeOut(renderDayResult(result!, settings.json));
  if (failure !== null) throw new CommittedIncompleteError(failure);
  return 0;
}

/** The log lines that go with a day's result. */
function report(result: DayResult): void {
  const log = logger("simulate");
  if (result.shortfall.updates > 0 || result.shortfall.deletes > 0) {
    log.warn(
      "Fewer invoices were eligible than requested: {updates} updates and {deletes} cancellations not done",
      result.shortfall,
    );
  }
  if (result.status === "skipped") {
    log.info("{day} is already in the ledger; skipped", { day: result.day });
  }
}

export const command = defineCommand<Flag, SimulateInput>({
  name: "simulate",
  summary: "Write one day of sales (default: yesterday) in one transaction",
  usage: [
    "chinook-sim simulate [--date DAY] [counts] [options]",
    'echo "100 5 2" | chinook-sim simulate',
  ],
  description: `
Writes new invoices, updates (a track added to a recent invoice) and
cancellations for one day (--date; default: yesterday in --tz), all in ONE
transaction, and records the day in the ledger. A day already in the ledger
is skipped (exit 0) unless --force. Without count flags, counts are read from
stdin as "${STDIN_COUNTS}" when it is a pipe or file, asked for on a
terminal, and otherwise "auto". A day after yesterday is refused unless
--allow-future. --dry-run writes nothing anywhere (not even a new embedded
data directory).`,
  groups: [
    { title: "Options", flags: ["date", "allow-future"] },
    COUNTS_GROUP,
    DAY_GROUP,
    EXPORT_GROUP,
  ],
  parse,
  run,
});
