/**
 * Runs a list of days one transaction each, oldest first: progress on a
 * TTY, periodic log lines otherwise, and a clean stop on Ctrl-C after the
 * day in flight (a second Ctrl-C aborts it; the transaction rolls back).
 * What fails after a commit is reported as such: what was committed, and
 * what was not done (exit 4).
 */
import type { Database, Tx } from "../db/connect.ts";
import { withDatabase } from "../db/connect.ts";
import { simulateDays as writeDays } from "../db/day.ts";
import { databaseFailureReason, lostWithCommitted } from "../db/failure.ts";
import { firstRunHistory, prepareInTransaction } from "../db/setup.ts";
import type { DayOptions, DayResult, DaysOutcome } from "../sim/day_types.ts";
import { countsFrom, type DayFlag } from "./day_options.ts";
import { CommittedIncompleteError, ExitCode } from "./errors.ts";
import { readDayOptions } from "./inputs.ts";
import { daysReport } from "../report/days.ts";
import { logger, progressOnTerminal, writeOut, writeProgress } from "./output.ts";
import { checkManifestDir, writeManifest, writeMissingManifests } from "./manifest_file.ts";
import { checkExportDir, type ExportTarget, exportTargetFrom } from "./export_target.ts";
import { prepareOptions, type Settings } from "./settings.ts";

const LOG_EVERY_MS = 10_000;

/** Which days a command writes. */
export interface DaysPick {
  /** An embedded database that is not set up yet gets its history ending the day before. */
  firstDay: string;
  /** backfill --from: before any simulated day, the history moves to end before it. */
  historyBefore?: string;
  /** Inside the first transaction, once the database is ready: the days to write. */
  pickDays(tx: Tx): Promise<string[]>;
}

/**
 * What backfill and catch-up (and any command that writes several days) do:
 * check what can be checked, read the day options, write the days `pick`
 * chooses (the first transaction makes the database ready), print the
 * summary. The exit code: ok, interrupted (Ctrl-C) with the days before
 * committed, or committed-incomplete (exit 4, thrown) when something failed
 * after a commit.
 */
export async function simulateDays(
  command: string,
  settings: Settings<DayFlag>,
  pick: DaysPick,
): Promise<number> {
  const options = { ...await readDayOptions(settings), requested: countsFrom(settings) };
  const manifestDir = settings["manifest-dir"];
  await checkManifestDir(manifestDir, { dryRun: options.dryRun });
  const exportTarget = exportTargetFrom(settings);
  if (exportTarget) await checkExportDir(exportTarget.dir, "--export", options);
  const outcome = await withDatabase(
    settings.target,
    (db) =>
      runDays(db, options, manifestDir, exportTarget, async (tx) => {
        await prepareInTransaction(tx, db, {
          ...prepareOptions(settings),
          firstDay: pick.firstDay,
          historyBefore: pick.historyBefore,
          dryRun: options.dryRun,
          history: firstRunHistory(options, settings["history-years"]),
        });
        return await pick.pickDays(tx);
      }),
    { dryRun: options.dryRun },
  );
  writeOut(daysReport(command, outcome, settings.json));
  if (outcome.failure !== null) throw new CommittedIncompleteError(outcome.failure);
  return outcome.interrupted ? ExitCode.interrupted : ExitCode.ok;
}

export async function runDays(
  db: Database,
  options: Omit<DayOptions, "day">,
  manifestDir: string,
  exportTarget: ExportTarget | null,
  prepare: (tx: Tx) => Promise<string[]>,
): Promise<DaysOutcome> {
  const tty = progressOnTerminal();
  const log = logger("days");
  const results: DayResult[] = [];
  let days: string[] = [];
  let failure: string | null = null;
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
    await writeDays(db, options, {
      prepare: async (tx) => (days = await prepare(tx)),
      onDay: async (result) => {
        results.push(result);
        if (!options.dryRun) failure = await writeDayFiles(result, manifestDir);
        if (!options.dryRun && failure === null && exportTarget) {
          failure = await exportDay(db, exportTarget, result.day);
        }
        rows += result.done.inserts + result.done.lines;
        const elapsed = (performance.now() - started) / 1000;
        const done = results.length;
        const eta = (elapsed / done) * (days.length - done);
        const line = `${done}/${days.length} days (${result.day}), ${
          Math.round(rows / Math.max(elapsed, 0.001)).toLocaleString("en-US")
        } rows/s, ETA ${formatDuration(eta)}`;
        if (tty) writeProgress(`${bar(done / days.length)} ${line}`, done === days.length);
        else if (performance.now() - lastLog >= LOG_EVERY_MS || done === days.length) {
          lastLog = performance.now();
          log.info(line);
        }
        return failure === null && !stopRequested;
      },
    });
  } catch (error) {
    const committed = results.filter((r) => r.status === "written");
    if (options.dryRun || committed.length === 0) throw error;
    // The directory removed: the committed days went with it, nothing of the run remains (exit 1).
    const lost = lostWithCommitted(
      error,
      committed.length === 1
        ? `the day committed in it (${committed[0]!.day})`
        : `the ${committed.length} days committed in it (${committed[0]!.day} to ${
          committed[committed.length - 1]!.day
        })`,
    );
    if (lost !== error) throw lost;
    const failed = days[results.length] ?? "the next day";
    const reason = databaseFailureReason(error) ?? (error as Error).message;
    failure =
      `${committedDays(committed)}; then ${failed} failed and was not written: ${reason}; ` +
      "run the command again to resume";
  } finally {
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
  return {
    results,
    interrupted: stopRequested && results.length < days.length,
    failure,
    elapsedMs: Math.round(performance.now() - started),
  };
}

function committedDays(committed: DayResult[]): string {
  const first = committed[0]!.day;
  const last = committed[committed.length - 1]!.day;
  return committed.length === 1
    ? `${first} was committed`
    : `${committed.length} days were committed (${first} to ${last})`;
}

/**
 * The files that go with a committed day: its manifest; for a day skipped
 * because it is simulated already, any manifest of its runs that is missing
 * (a process stopped between the commit and the file). Never throws: what
 * could not be written is described, for exit 4.
 */
export async function writeDayFiles(
  result: DayResult,
  manifestDir: string,
): Promise<string | null> {
  const log = logger("days");
  try {
    if (result.status === "written" && result.manifest) {
      const path = await writeManifest(manifestDir, result.manifest);
      if (path) log.info("Manifest written to {path}", { path });
    } else if (result.status === "skipped") {
      for (const path of await writeMissingManifests(manifestDir, result.recordedManifests)) {
        log.info("The manifest of an earlier run was missing: written to {path}", { path });
      }
    }
    return null;
  } catch (error) {
    const what = result.status === "written"
      ? `${result.day} was committed (run ${result.runNumber} of the day), but its manifest was not written to "${manifestDir}"`
      : `the missing manifests of ${result.day} (committed earlier) were not written to "${manifestDir}"`;
    return `${what}: ${(error as Error).message}. It is kept in the database ` +
      `(chinook_sim.run.manifest), and "chinook-sim simulate --date ${result.day}" writes the file once the directory is writable`;
  }
}

/**
 * The export of a committed (or already simulated) day; what went wrong,
 * worded for exit 4, or null.
 */
export async function exportDay(
  db: Database,
  target: ExportTarget,
  day: string,
): Promise<string | null> {
  // The writers (Parquet) are loaded only by a command that exports.
  const { exportCommittedDay } = await import("./export_days.ts");
  const { result, failure } = await exportCommittedDay(db, target, day);
  if (result) {
    logger("days").info("{day} exported to {dir}: {files} files, manifest {manifest}", {
      day,
      dir: target.dir,
      files: result.manifest.files.length,
      manifest: result.manifestPath,
    });
  }
  return failure;
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
