/** catch-up: every day after the newest one in the ledger up to yesterday. */
import { type Context, defineCommand } from "../cli/command.ts";
import { COUNTS_GROUP, DAY_GROUP, type DayFlag } from "../cli/day_options.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { logger } from "../cli/output.ts";
import { simulateDays } from "../cli/run_days.ts";
import type { Database } from "../db/connect.ts";
import { ledgerBounds } from "../db/ledger.ts";
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
  return await simulateDays("catch-up", settings, yesterday, (db) => daysUpTo(db, yesterday));
}

/** Every day after the newest one in the ledger up to `yesterday` (just it on a fresh ledger). */
async function daysUpTo(db: Database, yesterday: string): Promise<string[]> {
  const { last } = await ledgerBounds(db.sql);
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
  groups: [COUNTS_GROUP, DAY_GROUP],
  parse,
  run,
});
