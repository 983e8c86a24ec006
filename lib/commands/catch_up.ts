/** catch-up: every day after the newest one in the ledger up to yesterday. */
import { type Context, defineCommand } from "../cli/command.ts";
import {
  baseDayOptions,
  COUNTS_GROUP,
  countsFrom,
  DAY_GROUP,
  type DayFlag,
} from "../cli/day_options.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { readModel } from "../cli/inputs.ts";
import { logger, writeOut } from "../cli/output.ts";
import { daysExitCode, runDays } from "../cli/run_days.ts";
import { withDatabase } from "../db/connect.ts";
import { ledgerBounds } from "../db/ledger.ts";
import { ensureReady } from "../db/setup.ts";
import { daysReport } from "../report/days.ts";
import { addDays, daysInRange, yesterdayIn } from "../sim/calendar.ts";

type Flag = DayFlag | CommonFlag;

export interface CatchUpInput {
  flags: FlagValues<Flag>;
}

export function parse(args: string[]): CatchUpInput {
  return { flags: parseFlags(command.name, command.flags, args) };
}

export async function run(_input: CatchUpInput, { settings }: Context<Flag>): Promise<number> {
  const options = baseDayOptions(settings, await readModel(settings.model));
  const yesterday = yesterdayIn(settings.tz, new Date());
  const outcome = await withDatabase(settings.target, async (db) => {
    await ensureReady(db, {
      chinookSql: settings["chinook-sql"],
      lockTimeoutMs: settings.lockTimeoutMs,
      firstDay: yesterday,
    });
    const { last } = await ledgerBounds(db.sql);
    const from = last ? addDays(last, 1) : yesterday;
    const days = from <= yesterday ? daysInRange(from, yesterday) : [];
    logger("catch-up").info(
      days.length === 0
        ? "Up to date: {last} is the newest simulated day"
        : "{count} days to simulate: {from} to {to}",
      { last, count: days.length, from, to: yesterday },
    );
    return await runDays(db, days, { ...options, requested: countsFrom(settings) }, {
      tty: Deno.stderr.isTerminal(),
      manifestDir: settings["manifest-dir"],
    });
  });
  writeOut(daysReport("catch-up", outcome, settings.json));
  return daysExitCode(outcome);
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
