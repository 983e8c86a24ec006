/** backfill: every day of a range that is not in the ledger yet, one transaction each. */
import { type Context, defineCommand } from "../cli/command.ts";
import {
  COUNTS_GROUP,
  DAY_GROUP,
  type DayFlag,
  EXPORT_GROUP,
  refuseFutureDay,
} from "../cli/day_options.ts";
import { UsageError } from "../cli/errors.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { logger } from "../cli/output.ts";
import { simulateDays } from "../cli/run_days.ts";
import type { Tx } from "../db/connect.ts";
import { missingDays } from "../db/ledger.ts";
import { daysBetween, yesterdayIn } from "../sim/calendar.ts";

type Flag = "from" | "to" | "allow-future" | DayFlag | CommonFlag;

export const MAX_RANGE_DAYS = 3660;

export interface BackfillInput {
  flags: FlagValues<Flag>;
  from: string;
  to: string;
}

export function parse(args: string[]): BackfillInput {
  const flags = parseFlags(command.name, command.flags, args);
  const { from, to } = flags;
  if (!from || !to) {
    throw new UsageError(
      'backfill needs --from DAY and --to DAY: see "chinook-sim backfill --help"',
    );
  }
  if (to < from) throw new UsageError(`--from ${from} is after --to ${to}: swap them`);
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) {
    throw new UsageError(
      `Cannot backfill ${daysBetween(from, to) + 1} days: at most ${MAX_RANGE_DAYS} in one call`,
    );
  }
  return { flags, from, to };
}

export async function run(input: BackfillInput, { settings }: Context<Flag>): Promise<number> {
  refuseFutureDay(input.to, {
    flag: "--to",
    yesterday: yesterdayIn(settings.tz, new Date()),
    timeZone: settings.tz,
    allowFuture: settings["allow-future"] ?? false,
  });
  return await simulateDays("backfill", settings, {
    firstDay: input.from,
    historyBefore: input.from,
    pickDays: (tx) => daysNotInLedger(tx, input.from, input.to),
  });
}

/** The range's days the ledger does not have yet. */
async function daysNotInLedger(tx: Tx, from: string, to: string): Promise<string[]> {
  const missing = await missingDays(tx, from, to);
  logger("backfill").info("{missing} of {total} days to simulate", {
    missing: missing.length,
    total: daysBetween(from, to) + 1,
  });
  return missing;
}

export const command = defineCommand<Flag, BackfillInput>({
  name: "backfill",
  summary: "Simulate every day of a range that is not in the ledger yet",
  usage: ["chinook-sim backfill --from DAY --to DAY [counts] [options]"],
  description: `
One transaction per day, oldest first, from --from to --to (both required;
at most ${MAX_RANGE_DAYS.toLocaleString("en-US")} days); days already in the
ledger are skipped, so an interrupted backfill resumes where it stopped. On a
database where no day has been simulated yet, the history is moved to end
the day before --from. Days after yesterday are refused unless
--allow-future.`,
  groups: [
    { title: "Options", flags: ["from", "to", "allow-future"] },
    COUNTS_GROUP,
    DAY_GROUP,
    EXPORT_GROUP,
  ],
  parse,
  run,
});
