/** simulate: one day (default yesterday) in one transaction. */
import { type Context, defineCommand } from "../cli/command.ts";
import {
  anyCountFlag,
  COUNTS_GROUP,
  countsFrom,
  DAY_GROUP,
  type DayFlag,
  STDIN_COUNTS,
} from "../cli/day_options.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { countsFromStdin, readDayOptions } from "../cli/inputs.ts";
import { writeManifest } from "../cli/manifest_file.ts";
import { logger, writeOut } from "../cli/output.ts";
import { prepareOptions } from "../cli/settings.ts";
import { withDatabase } from "../db/connect.ts";
import { simulateDay } from "../db/day.ts";
import { ensureReady } from "../db/setup.ts";
import { renderDayResult } from "../report/days.ts";
import { yesterdayIn } from "../sim/calendar.ts";
import type { DayResult } from "../sim/day_types.ts";

type Flag = "date" | DayFlag | CommonFlag;

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
  const day = settings.date ?? yesterdayIn(settings.tz, new Date());
  const options = await readDayOptions(settings);
  const requested = input.countsGiven ? countsFrom(settings) : await countsFromStdin();
  const result = await withDatabase(settings.target, async (db) => {
    await ensureReady(db, { ...prepareOptions(settings), firstDay: day });
    return await simulateDay(db.sql, { ...options, day, requested });
  });
  await report(result, settings["manifest-dir"]);
  writeOut(renderDayResult(result, settings.json));
  return 0;
}

/** The manifest file and the log lines that go with a day's result. */
async function report(result: DayResult, manifestDir: string): Promise<void> {
  const log = logger("simulate");
  if (result.status === "written" && result.manifest) {
    const path = await writeManifest(manifestDir, result.manifest);
    if (path) log.info("Manifest written to {path}", { path });
  }
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
terminal, and otherwise "auto".`,
  groups: [{ title: "Options", flags: ["date"] }, COUNTS_GROUP, DAY_GROUP],
  parse,
  run,
});
