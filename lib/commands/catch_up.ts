/** catch-up: every day after the newest one in the ledger up to yesterday. */
import { type Context, defineCommand } from "../cli/command.ts";
import { COUNTS_GROUP, DAY_GROUP, type DayFlag, EXPORT_GROUP } from "../cli/day_options.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { logger } from "../cli/output.ts";
import { simulateDays } from "../cli/run_days.ts";
import type { Tx } from "../db/connect.ts";
import { futureDays, ledgerBounds } from "../db/ledger.ts";
import { futureDaysWarning } from "../report/status.ts";
import { addDays, daysInRange, yesterdayIn } from "../sim/calendar.ts";

type Flag = DayFlag | CommonFlag;

export interface CatchUpInput {
  flags: FlagValues<Flag>;
}

export function parse(args: string[]): CatchUpInput {
  return { flags: parseFlags(command.name, command.flags, args) };
}

export async function run(_input: CatchUpInput, { settings }: Context<Flag>): Promise<number> {
  const yesterday = yesterdayIn(settings.tz, new Date());
  return await simulateDays("catch-up", settings, {
    firstDay: yesterday,
    pickDays: (tx) => daysUpTo(tx, yesterday),
  });
}

/**
 * Every day after the newest one in the ledger up to `yesterday` (just it on
 * a fresh ledger). Days after yesterday in the ledger are not counted as done
 * (they were simulated before they were over): a warning says so.
 */
async function daysUpTo(tx: Tx, yesterday: string): Promise<string[]> {
  const future = await futureDays(tx, yesterday);
  const warning = futureDaysWarning({ yesterday, futureDays: future });
  if (warning) logger("catch-up").warn(`${warning}; catch-up fills the days up to yesterday only`);
  const { last } = await ledgerBounds(tx, { upTo: yesterday });
  const from = last ? addDays(last, 1) : yesterday;
  const days = from <= yesterday ? daysInRange(from, yesterday) : [];
  logger("catch-up").info(
    days.length === 0
      ? "Up to date: {last} is the newest simulated day"
      : "{count} days to simulate: {from} to {to}",
    { last, count: days.length, from, to: yesterday },
  );
  return days;
}

export const command = defineCommand<Flag, CatchUpInput>({
  name: "catch-up",
  summary: "Simulate every day from the last one in the ledger up to yesterday",
  usage: ["chinook-sim catch-up [counts] [options]"],
  description: `
What a scheduled job should call: fills every day after the newest day in
the ledger up to D-1 (just D-1 on a fresh database), one transaction per
day. Counts come from the demand model unless given.`,
  groups: [COUNTS_GROUP, DAY_GROUP, EXPORT_GROUP],
  parse,
  run,
});
