import { fstatSync } from "node:fs";
import {
  COMMON_FLAGS,
  COMMON_HELP,
  parseDayFlag,
  parseFlags,
  rejectPositionals,
} from "../cli/flags.ts";
import { prepare, withDatabase } from "../cli/context.ts";
import { simulateDay } from "../db/day.ts";
import {
  anyCountFlag,
  baseDayOptions,
  COUNT_FLAGS,
  COUNT_HELP,
  countsFromFlags,
  countsFromText,
  DAY_FLAGS,
  DAY_HELP,
} from "../cli/day_flags.ts";
import { logger, promptLine, writeOut } from "../cli/output.ts";
import { DEFAULT_MANIFEST_DIR, writeManifest } from "../cli/manifest_file.ts";
import { ensureReady } from "../db/setup.ts";
import { dayResultJson, dayResultText } from "../report/days.ts";
import { yesterdayIn } from "../sim/calendar.ts";
import { AUTO_COUNTS, type Requested } from "../sim/plan.ts";

export const summary = "Write one day of sales (default: yesterday) in one transaction";

export const help = `chinook-sim simulate: ${summary}

Usage: chinook-sim simulate [--date DAY] [counts] [options]
       echo "100 5 2" | chinook-sim simulate

Writes new invoices, updates (a track added to a recent invoice) and
cancellations for one day, all in ONE transaction, and records the day in
the ledger. A day already in the ledger is skipped (exit 0) unless --force.

Options:
  --date DAY            The day to simulate, YYYY-MM-DD (default: yesterday in --tz)
${COUNT_HELP}
${DAY_HELP}
${COMMON_HELP}`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags("simulate", args, {
    ...COMMON_FLAGS,
    ...DAY_FLAGS,
    ...COUNT_FLAGS,
    date: { type: "string" },
  });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  rejectPositionals("simulate", positionals);
  const date = values.date === undefined ? undefined : parseDayFlag("--date", values.date);
  const flagCounts = anyCountFlag(values) ? countsFromFlags(values) : undefined;
  const context = await prepare(values);
  const timeZone = context.timeZone(values.tz);
  const day = date ?? yesterdayIn(timeZone, new Date());
  const options = await baseDayOptions(values, context, timeZone);
  const requested = flagCounts ?? await countsFromStdin();
  const result = await withDatabase(context, async (db) => {
    await ensureReady(db, {
      chinookSql: values["chinook-sql"] ?? context.env.CHINOOK_SQL,
      lockTimeoutMs: context.lockTimeoutMs,
      firstDay: day,
    });
    return await simulateDay(db.sql, { ...options, day, requested });
  });
  const log = logger("simulate");
  if (result.status === "written" && result.manifest) {
    const path = await writeManifest(
      values["manifest-dir"] ?? DEFAULT_MANIFEST_DIR,
      result.manifest,
    );
    if (path) log.info("Manifest written to {path}", { path });
  }
  if (result.shortfall.updates > 0 || result.shortfall.deletes > 0) {
    log.warn(
      "Fewer invoices were eligible than requested: {updates} updates and {deletes} cancellations not done",
      result.shortfall,
    );
  }
  if (result.status === "skipped") log.info("{day} is already in the ledger; skipped", { day });
  writeOut(context.json ? JSON.stringify(dayResultJson(result)) : dayResultText(result));
  return 0;
}

/**
 * Counts from a pipe or file on stdin (the original tool's interface), a
 * prompt on a terminal, and "auto" otherwise (scheduled runs: /dev/null).
 */
async function countsFromStdin(): Promise<Requested> {
  if (Deno.stdin.isTerminal()) {
    const answer = promptLine('Counts "INSERTS UPDATES DELETES" (empty for the demand model): ');
    return answer === null || answer.trim() === ""
      ? AUTO_COUNTS
      : countsFromText(answer, "the prompt");
  }
  const info = fstatSync(0);
  if (!info.isFile() && !info.isFIFO()) return AUTO_COUNTS;
  const text = await new Response(Deno.stdin.readable).text();
  return text.trim() === "" ? AUTO_COUNTS : countsFromText(text, "stdin");
}
