import { COMMON_FLAGS, COMMON_HELP, parseFlags, rejectPositionals } from "../cli/flags.ts";
import { type Context, prepare, withDatabase } from "../cli/context.ts";
import type { Database } from "../db/connect.ts";
import { historyInfo, simulatorInstalled } from "../db/setup.ts";
import { writeOut } from "../cli/output.ts";

export const summary = "What day was simulated last, and when";

export const help = `chinook-sim status: ${summary}

Usage: chinook-sim status [--json]

Prints the newest simulated day, when it was written, the number of days in
the ledger, gaps between them, and where the history ends. The same as
"chinook-sim report --last".

${COMMON_HELP}`;

export interface Status {
  database: string;
  variant: string;
  setUp: boolean;
  historyEndsOn: string | null;
  days: number;
  firstDay: string | null;
  lastDay: string | null;
  lastWrittenAt: string | null;
  lastRun:
    | { inserts: number; updates: number; deletes: number; revenue: string; seed: string }
    | null;
  missingDays: number;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags("status", args, COMMON_FLAGS);
  if (values.help) {
    writeOut(help);
    return 0;
  }
  rejectPositionals("status", positionals);
  const context = await prepare(values);
  await printStatus(context);
  return 0;
}

export async function printStatus(context: Context): Promise<void> {
  const status = await withDatabase(context, (db) => readStatus(db));
  if (context.json) {
    writeOut(JSON.stringify(status));
    return;
  }
  if (!status.setUp) {
    writeOut(
      `${status.database}: not set up yet (run "chinook-sim setup" or "chinook-sim simulate")`,
    );
    return;
  }
  if (status.lastDay === null) {
    writeOut(`No day simulated yet; the history ends on ${status.historyEndsOn}.`);
    return;
  }
  const run = status.lastRun!;
  writeOut(
    [
      `Last simulated day: ${status.lastDay} (written ${status.lastWrittenAt})`,
      `  ${run.inserts} invoices, ${run.updates} updated, ${run.deletes} cancelled, revenue ${run.revenue}, seed ${run.seed}`,
      `Days in the ledger: ${status.days} (${status.firstDay} to ${status.lastDay}` +
      (status.missingDays > 0 ? `, ${status.missingDays} missing in between: run backfill)` : ")"),
      `History ends on ${status.historyEndsOn}; Chinook ${status.variant} schema in ${status.database}`,
    ].join("\n"),
  );
}

export async function readStatus(db: Database): Promise<Status> {
  const base = {
    database: db.target.display,
    variant: db.variant.current === "pascal" ? "PascalCase" : "snake_case",
  };
  if (!(await simulatorInstalled(db.sql))) {
    return {
      ...base,
      setUp: false,
      historyEndsOn: null,
      days: 0,
      firstDay: null,
      lastDay: null,
      lastWrittenAt: null,
      lastRun: null,
      missingDays: 0,
    };
  }
  const history = await historyInfo(db.sql);
  const [summary] = await db.sql<
    { days: number; first: string | null; last: string | null; span: number | null }[]
  >`
    SELECT count(*)::int AS days, min(sim_date)::text AS first, max(sim_date)::text AS last,
           (max(sim_date) - min(sim_date) + 1)::int AS span
      FROM chinook_sim.ledger`;
  const [last] = await db.sql<
    {
      written: string;
      inserts: number;
      updates: number;
      deletes: number;
      revenue: string;
      seed: string;
    }[]
  >`
    SELECT to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS written,
           inserts, updates, deletes, revenue::text AS revenue, seed
      FROM chinook_sim.ledger ORDER BY sim_date DESC LIMIT 1`;
  return {
    ...base,
    setUp: true,
    historyEndsOn: history?.lastHistoryDay ?? null,
    days: summary?.days ?? 0,
    firstDay: summary?.first ?? null,
    lastDay: summary?.last ?? null,
    lastWrittenAt: last?.written ?? null,
    lastRun: last
      ? {
        inserts: last.inserts,
        updates: last.updates,
        deletes: last.deletes,
        revenue: last.revenue,
        seed: last.seed,
      }
      : null,
    missingDays: (summary?.span ?? 0) - (summary?.days ?? 0),
  };
}
