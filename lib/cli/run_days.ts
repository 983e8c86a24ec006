/**
 * Runs a list of days one transaction each, oldest first: progress on a
 * TTY, periodic log lines otherwise, and a clean stop on Ctrl-C after the
 * day in flight (a second Ctrl-C aborts it; the transaction rolls back).
 */
import { type Database, withDatabase } from "../db/connect.ts";
import { simulateDay } from "../db/day.ts";
import { ensureReady } from "../db/setup.ts";
import type { DayOptions, DayResult, DaysOutcome } from "../sim/day_types.ts";
import { countsFrom, type DayFlag } from "./day_options.ts";
import { ExitCode } from "./errors.ts";
import { readDayOptions } from "./inputs.ts";
import { daysReport } from "../report/days.ts";
import { logger, writeOut, writeProgress } from "./output.ts";
import { writeManifest } from "./manifest_file.ts";
import { prepareOptions, type Settings } from "./settings.ts";

const LOG_EVERY_MS = 10_000;

/**
 * What backfill and catch-up (and any command that writes several days) do:
 * read the day options, make the database ready (an embedded one sets itself
 * up with history ending the day before `firstDay`), ask `pickDays` which
 * days to write, write them, print the summary. The exit code: ok, or
 * interrupted (Ctrl-C) with the days before committed.
 */
export async function simulateDays(
  command: string,
  settings: Settings<DayFlag>,
  firstDay: string,
  pickDays: (db: Database) => Promise<string[]>,
): Promise<number> {
  const options = { ...await readDayOptions(settings), requested: countsFrom(settings) };
  const outcome = await withDatabase(settings.target, async (db) => {
    await ensureReady(db, { ...prepareOptions(settings), firstDay });
    return await runDays(db, await pickDays(db), options, settings["manifest-dir"]);
  });
  writeOut(daysReport(command, outcome, settings.json));
  return outcome.interrupted ? ExitCode.interrupted : ExitCode.ok;
}

export async function runDays(
  db: Database,
  days: string[],
  options: Omit<DayOptions, "day">,
  manifestDir: string,
): Promise<DaysOutcome> {
  const tty = Deno.stderr.isTerminal();
  const log = logger("days");
  const results: DayResult[] = [];
  let stopRequested = false;
  const onInterrupt = () => {
    if (stopRequested) Deno.exit(ExitCode.interrupted);
    stopRequested = true;
    log.warn("Interrupted: stopping after the current day (Ctrl-C again to abort it)");
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  const started = performance.now();
  let lastLog = started;
  let rows = 0;
  try {
    for (const [index, day] of days.entries()) {
      if (stopRequested) break;
      const result = await simulateDay(db.sql, { ...options, day });
      results.push(result);
      if (result.status === "written" && result.manifest) {
        await writeManifest(manifestDir, result.manifest);
      }
      rows += result.done.inserts + result.done.lines;
      const elapsed = (performance.now() - started) / 1000;
      const done = index + 1;
      const eta = (elapsed / done) * (days.length - done);
      const line = `${done}/${days.length} days (${day}), ${
        Math.round(rows / Math.max(elapsed, 0.001)).toLocaleString("en-US")
      } rows/s, ETA ${formatDuration(eta)}`;
      if (tty) writeProgress(`${bar(done / days.length)} ${line}`, done === days.length);
      else if (performance.now() - lastLog >= LOG_EVERY_MS || done === days.length) {
        lastLog = performance.now();
        log.info(line);
      }
    }
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
  return {
    results,
    interrupted: stopRequested && results.length < days.length,
    elapsedMs: Math.round(performance.now() - started),
  };
}

function bar(fraction: number, width = 24): string {
  const filled = Math.round(fraction * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}
