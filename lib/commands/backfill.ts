import {
  COMMON_FLAGS,
  COMMON_HELP,
  parseDayFlag,
  parseFlags,
  rejectPositionals,
} from "../cli/flags.ts";
import { prepare, withDatabase } from "../cli/context.ts";
import { missingDays } from "../db/ledger.ts";
import { alignHistoryBefore, ensureReady } from "../db/setup.ts";
import {
  baseDayOptions,
  COUNT_FLAGS,
  COUNT_HELP,
  countsFromFlags,
  DAY_FLAGS,
  DAY_HELP,
} from "../cli/day_flags.ts";
import { UsageError } from "../cli/errors.ts";
import { logger, writeOut } from "../cli/output.ts";
import { DEFAULT_MANIFEST_DIR } from "../cli/manifest_file.ts";
import { runDays } from "../cli/run_days.ts";
import { daysReport } from "../report/days.ts";
import { daysBetween } from "../sim/calendar.ts";

export const summary = "Simulate every day of a range that is not in the ledger yet";

export const help = `chinook-sim backfill: ${summary}

Usage: chinook-sim backfill --from DAY --to DAY [counts] [options]

One transaction per day, oldest first; days already in the ledger are
skipped, so an interrupted backfill resumes where it stopped. On a database
where no day has been simulated yet, the history is moved to end the day
before --from.

Options:
  --from DAY            First day, YYYY-MM-DD
  --to DAY              Last day, YYYY-MM-DD (at most 3,660 days after --from)
${COUNT_HELP.replace(/\n {2}Without count flags.*$/s, "")}
${DAY_HELP}
${COMMON_HELP}`;

export const MAX_RANGE_DAYS = 3660;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags("backfill", args, {
    ...COMMON_FLAGS,
    ...DAY_FLAGS,
    ...COUNT_FLAGS,
    from: { type: "string" },
    to: { type: "string" },
  });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  rejectPositionals("backfill", positionals);
  if (values.from === undefined || values.to === undefined) {
    throw new UsageError(
      'backfill needs --from DAY and --to DAY: see "chinook-sim backfill --help"',
    );
  }
  const from = parseDayFlag("--from", values.from);
  const to = parseDayFlag("--to", values.to);
  if (to < from) throw new UsageError(`--from ${from} is after --to ${to}: swap them`);
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) {
    throw new UsageError(
      `Cannot backfill ${daysBetween(from, to) + 1} days: at most ${MAX_RANGE_DAYS} in one call`,
    );
  }
  const requested = countsFromFlags(values);
  const context = await prepare(values);
  const timeZone = context.timeZone(values.tz);
  const options = await baseDayOptions(values, context, timeZone);
  const outcome = await withDatabase(context, async (db) => {
    const prepare = {
      chinookSql: values["chinook-sql"] ?? context.env.CHINOOK_SQL,
      lockTimeoutMs: context.lockTimeoutMs,
    };
    await ensureReady(db, { ...prepare, firstDay: from });
    await alignHistoryBefore(db, from, prepare);
    const missing = await missingDays(db.sql, from, to);
    logger("backfill").info("{missing} of {total} days to simulate", {
      missing: missing.length,
      total: daysBetween(from, to) + 1,
    });
    return await runDays(db, missing, { ...options, requested }, {
      tty: Deno.stderr.isTerminal(),
      manifestDir: values["manifest-dir"] ?? DEFAULT_MANIFEST_DIR,
    });
  });
  writeOut(daysReport("backfill", outcome, context.json));
  return outcome.interrupted ? 130 : 0;
}
