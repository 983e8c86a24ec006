/** rewind: return the database to exactly its state after a day, undoing the runs after it. */
import { type Context, defineCommand } from "../cli/command.ts";
import { UsageError } from "../cli/errors.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { logger, writeOut } from "../cli/output.ts";
import { withDatabase } from "../db/connect.ts";
import { requireInstalled } from "../db/ledger.ts";
import { rewind, type RewindResult } from "../db/rewind.ts";
import { describeDays } from "../sim/calendar.ts";

/** Runs listed one per line in the text output; the rest are counted. */
const LISTED_RUNS = 10;

type Flag = "to" | "dry-run" | CommonFlag;

export interface RewindInput {
  flags: FlagValues<Flag>;
  to: string;
}

export function parse(args: string[]): RewindInput {
  const flags = parseFlags(command.name, command.flags, args);
  if (!flags.to) {
    throw new UsageError(
      'rewind needs --to DAY, the last day to keep: see "chinook-sim rewind --help"',
    );
  }
  return { flags, to: flags.to };
}

export async function run(input: RewindInput, { settings }: Context<Flag>): Promise<number> {
  const dryRun = settings["dry-run"] ?? false;
  const result = await withDatabase(settings.target, async (db) => {
    await requireInstalled(db);
    logger("rewind").info(`${dryRun ? "Dry run: planning" : "Rewinding"} to {to}`, {
      to: input.to,
    });
    return await rewind(db.sql, { to: input.to, dryRun, lockTimeoutMs: settings.lockTimeoutMs });
  }, { dryRun });
  writeOut(settings.json ? JSON.stringify({ command: "rewind", ...result }) : renderRewind(result));
  return 0;
}

function renderRewind(r: RewindResult): string {
  if (r.runs.length === 0) return `Nothing to rewind: no simulated day after ${r.to}.`;
  const runs = r.runs.slice(0, LISTED_RUNS).map((run) =>
    `  ${run.day} run ${run.runNumber} (seed ${run.seed}): ${run.inserts} invoices, ${run.updates} updated, ` +
    `${run.deletes} cancelled, ${run.newCustomers} new customers, ${run.customerChanges} customer changes`
  );
  const would = r.dryRun ? "would be " : "";
  const head = r.dryRun
    ? `Dry run, nothing written: rewinding to ${r.to} would undo ${r.runs.length} runs, newest first:`
    : `Rewound to ${r.to}: undid ${r.runs.length} runs, newest first:`;
  const more = r.runs.length > LISTED_RUNS ? [`  … and ${r.runs.length - LISTED_RUNS} more`] : [];
  const days = r.days.length > 0
    ? `${r.dryRun ? "Days that would" : "Days that can"} be simulated again: ${
      describeDays(r.days)
    }.`
    : "";
  const earlier = r.earlierDays.length > 0
    ? `Also undone: runs of ${
      describeDays(r.earlierDays)
    } committed after a later day's (their rows may depend on it).`
    : "";
  return [
    head,
    ...runs,
    ...more,
    `${r.removedRows} inserted rows ${would}removed, ${r.restoredRows} rows ${would}restored ` +
    "from their before-images; ids are never issued again.",
    days,
    earlier,
  ].filter(Boolean).join("\n");
}

export const command = defineCommand<Flag, RewindInput>({
  name: "rewind",
  summary: "Return the database to exactly its state after a day",
  usage: ["chinook-sim rewind --to DAY [--dry-run]"],
  description: `
Undoes every run committed since the first run of a day after --to, newest
first, in ONE transaction: rows they inserted are removed, rows they updated
or deleted get their before-image back (chinook_sim.change), so the tables are
byte-identical to their state after --to (updated_at included with setup
--cdc). The runs keep their records, marked rewound; their days can be
simulated again. Ids are never issued again: the next run continues after the
highest id ever issued. --dry-run lists what would be undone.`,
  groups: [{ title: "Options", flags: ["to", "dry-run"] }],
  parse,
  run,
});
