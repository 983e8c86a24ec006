import { COMMON_FLAGS, COMMON_HELP, parseFlags, rejectPositionals } from "../cli/flags.ts";
import { prepare, withDatabase } from "../cli/context.ts";
import {
  baseDayOptions,
  COUNT_FLAGS,
  countsFromFlags,
  DAY_FLAGS,
  DAY_HELP,
} from "../cli/day_flags.ts";
import { logger, writeOut } from "../cli/output.ts";
import { DEFAULT_MANIFEST_DIR } from "../cli/manifest_file.ts";
import { runDays } from "../cli/run_days.ts";
import { ledgerBounds } from "../db/ledger.ts";
import { ensureReady } from "../db/setup.ts";
import { daysReport } from "../report/days.ts";
import { addDays, daysInRange, yesterdayIn } from "../sim/calendar.ts";

export const summary = "Simulate every day from the last one in the ledger up to yesterday";

export const help = `chinook-sim catch-up: ${summary}

Usage: chinook-sim catch-up [options]

What a scheduled job should call: fills every day after the newest day in
the ledger up to D-1 (just D-1 on a fresh database), one transaction per
day. Counts come from the demand model unless given.

Options:
  --inserts/--updates/--deletes/--new-customers/--customer-changes N|auto
${DAY_HELP}
${COMMON_HELP}`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags("catch-up", args, {
    ...COMMON_FLAGS,
    ...DAY_FLAGS,
    ...COUNT_FLAGS,
  });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  rejectPositionals("catch-up", positionals);
  const requested = countsFromFlags(values);
  const context = await prepare(values);
  const timeZone = context.timeZone(values.tz);
  const options = await baseDayOptions(values, context, timeZone);
  const yesterday = yesterdayIn(timeZone, new Date());
  const outcome = await withDatabase(context, async (db) => {
    await ensureReady(db, {
      chinookSql: values["chinook-sql"] ?? context.env.CHINOOK_SQL,
      lockTimeoutMs: context.lockTimeoutMs,
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
    return await runDays(db, days, { ...options, requested }, {
      tty: Deno.stderr.isTerminal(),
      manifestDir: values["manifest-dir"] ?? DEFAULT_MANIFEST_DIR,
    });
  });
  writeOut(daysReport("catch-up", outcome, context.json));
  return outcome.interrupted ? 130 : 0;
}
