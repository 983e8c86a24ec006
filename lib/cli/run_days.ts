/**
 * Runs a list of days one transaction each, oldest first: progress on a
 * TTY, periodic log lines otherwise, and a clean stop on Ctrl-C after the
 * day in flight (a second Ctrl-C aborts it; the transaction rolls back).
 */
import type { Database } from "../db/connect.ts";
import { simulateDay } from "../db/day.ts";
import type { DayOptions, DayResult, DaysOutcome } from "../sim/day_types.ts";
import { ExitCode } from "./errors.ts";
import { logger, writeProgress } from "./output.ts";
import { writeManifest } from "./manifest_file.ts";

const LOG_EVERY_MS = 10_000;

/** A multi-day run's exit code: interrupted (Ctrl-C) or done. */
export function daysExitCode(outcome: DaysOutcome): number {
  return outcome.interrupted ? ExitCode.interrupted : ExitCode.ok;
}

export async function runDays(
  db: Database,
  days: string[],
  options: Omit<DayOptions, "day">,
  progress: { tty: boolean; manifestDir: string },
): Promise<DaysOutcome> {
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
        await writeManifest(progress.manifestDir, result.manifest);
      }
      rows += result.done.inserts + result.done.lines;
      const elapsed = (performance.now() - started) / 1000;
      const done = index + 1;
      const eta = (elapsed / done) * (days.length - done);
      const line = `${done}/${days.length} days (${day}), ${
        Math.round(rows / Math.max(elapsed, 0.001)).toLocaleString("en-US")
      } rows/s, ETA ${formatDuration(eta)}`;
      if (progress.tty) writeProgress(`${bar(done / days.length)} ${line}`, done === days.length);
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
