import { COMMON_FLAGS, COMMON_HELP, parseFlags, rejectPositionals } from "../cli/flags.ts";
import { prepare, withDatabase } from "../cli/context.ts";
import {
  baseDayOptions,
  COUNT_FLAGS,
  countsFromFlags,
  DAY_FLAGS,
  DAY_HELP,
  dayResultJson,
} from "../cli/day_flags.ts";
import { logger, writeOut } from "../cli/output.ts";
import { DEFAULT_MANIFEST_DIR } from "../cli/manifest_file.ts";
import { type DaysOutcome, runDays } from "../cli/run_days.ts";
import { addDays, daysInRange, yesterdayIn } from "../sim/calendar.ts";
import { formatCents } from "../sim/money.ts";
import { ensureReady } from "./setup.ts";

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
    await ensureReady(db, context, { firstDay: yesterday, chinookSql: values["chinook-sql"] });
    const [row] = await db.sql<{ last: string | null }[]>`
      SELECT max(sim_date)::text AS last FROM chinook_sim.ledger`;
    const from = row?.last ? addDays(row.last, 1) : yesterday;
    const days = from <= yesterday ? daysInRange(from, yesterday) : [];
    logger("catch-up").info(
      days.length === 0
        ? "Up to date: {last} is the newest simulated day"
        : "{count} days to simulate: {from} to {to}",
      { last: row?.last, count: days.length, from, to: yesterday },
    );
    return await runDays(db, days, { ...options, requested }, {
      tty: Deno.stderr.isTerminal(),
      manifestDir: values["manifest-dir"] ?? DEFAULT_MANIFEST_DIR,
    });
  });
  writeOut(daysReport("catch-up", outcome, context.json));
  return outcome.interrupted ? 130 : 0;
}

/** The final summary of a multi-day run, as text or one JSON object. */
export function daysReport(command: string, outcome: DaysOutcome, json: boolean): string {
  const written = outcome.results.filter((r) => r.status === "written");
  const sum = (pick: (r: (typeof written)[number]) => number) =>
    written.reduce((a, r) => a + pick(r), 0);
  const totals = {
    days: written.length,
    inserts: sum((r) => r.done.inserts),
    lines: sum((r) => r.done.lines),
    updates: sum((r) => r.done.updates),
    deletes: sum((r) => r.done.deletes),
    newCustomers: sum((r) => r.done.newCustomers),
    revenue: formatCents(sum((r) => r.revenueCents)),
  };
  const from = written[0]?.day ?? null;
  const to = written[written.length - 1]?.day ?? null;
  if (json) {
    return JSON.stringify({
      command,
      from,
      to,
      interrupted: outcome.interrupted,
      elapsedMs: outcome.elapsedMs,
      totals,
      days: outcome.results.map(dayResultJson),
    });
  }
  if (written.length === 0) {
    return `${command}: nothing to simulate${outcome.interrupted ? " (interrupted)" : ""}`;
  }
  return `${command}: ${totals.days} days ${from} to ${to}: ${totals.inserts} invoices (${totals.lines} lines), ` +
    `revenue ${totals.revenue}, ${totals.updates} updated, ${totals.deletes} cancelled, ` +
    `${totals.newCustomers} new customers in ${(outcome.elapsedMs / 1000).toFixed(1)} s` +
    (outcome.interrupted ? " (interrupted: run again to resume)" : "");
}
