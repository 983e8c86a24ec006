/** live: the day's plan written as it happens, in many small transactions. */
import { type Context, defineCommand } from "../cli/command.ts";
import {
  COUNT_FLAGS,
  COUNTS_GROUP,
  countsFrom,
  type DayFlag,
  EXPORT_GROUP,
  PLAN_FLAGS,
} from "../cli/day_options.ts";
import { checkExportDir, exportTargetFrom } from "../cli/export_target.ts";
import { exportDay } from "../cli/run_days.ts";
import { CommittedIncompleteError, ConfigError, ExitCode, UsageError } from "../cli/errors.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { readDayOptions } from "../cli/inputs.ts";
import { checkManifestDir, writeManifest } from "../cli/manifest_file.ts";
import { logger, progressOnTerminal, writeOut, writeProgress } from "../cli/output.ts";
import { prepareOptions } from "../cli/settings.ts";
import { withDatabase } from "../db/connect.ts";
import { lostWithCommitted } from "../db/failure.ts";
import {
  commitSlice,
  ensureLiveTable,
  type LiveCache,
  liveDays,
  type SliceResult,
} from "../db/live.ts";
import { takeSimLock } from "../db/ledger.ts";
import { firstRunHistory, prepareInTransaction } from "../db/setup.ts";
import { todayIn } from "../sim/calendar.ts";
import type { DayOptions } from "../sim/day_types.ts";
import { clockText, DAY_SECONDS } from "../sim/live.ts";
import { fastClock, realClock, runLiveLoop } from "../cli/live_loop.ts";

type Flag =
  | "interval"
  | "speed"
  | "date"
  | "until"
  | "once"
  | "serve"
  | "port"
  | "host"
  | Exclude<DayFlag, "dry-run" | "force">
  | CommonFlag;

export interface LiveInput {
  flags: FlagValues<Flag>;
}

export function parse(args: string[]): LiveInput {
  const flags = parseFlags(command.name, command.flags, args);
  if (flags.date !== undefined && flags.speed === undefined) {
    throw new UsageError(
      `Cannot use --date "${flags.date}" without --speed: live writes today as it happens; add --speed N to run another day N times faster`,
    );
  }
  if ((flags.port !== undefined || flags.host !== undefined) && !flags.serve) {
    throw new UsageError(
      `Cannot use --port or --host without --serve: they say where the embedded database is served; add --serve`,
    );
  }
  return { flags };
}

const LOG_EVERY_MS = 10_000;

export async function run(_input: LiveInput, { settings }: Context<Flag>): Promise<number> {
  const { target } = settings;
  if (settings.serve && target.kind !== "embedded") {
    throw new ConfigError(
      `live --serve is for the embedded database, but ${target.display} is configured: unset DATABASE_URL/PGHOST/PGDATABASE, or drop --serve`,
    );
  }
  const log = logger("live");
  const options: Omit<DayOptions, "day"> = {
    ...await readDayOptions(settings as never),
    dryRun: false,
    force: false,
    requested: countsFrom(settings as never),
  };
  const manifestDir = settings["manifest-dir"];
  await checkManifestDir(manifestDir, { dryRun: false });
  const exportTarget = exportTargetFrom(settings);
  if (exportTarget) await checkExportDir(exportTarget.dir, "--export", { dryRun: false });
  const speed = settings.speed;
  const today = todayIn(settings.tz, new Date());
  if (settings.date !== undefined && settings.date > today) {
    throw new UsageError(
      `Cannot run ${settings.date} live (--date): it is after today (${today} in ${settings.tz}); pick today or an earlier day`,
    );
  }
  const firstDay = settings.date ?? today;
  const intervalMs = settings.interval * 1000;
  const tty = progressOnTerminal();

  let stop: "SIGINT" | "SIGTERM" | null = null;
  let wake = () => {};
  const onSignal = (signal: "SIGINT" | "SIGTERM") => () => {
    if (stop === "SIGINT" && signal === "SIGINT") Deno.exit(ExitCode.interrupted);
    stop = signal;
    log.warn("Stopping after the commit in flight ({signal}); run live again to resume", {
      signal,
    });
    wake();
  };
  const onInt = onSignal("SIGINT");
  const onTerm = onSignal("SIGTERM");
  Deno.addSignalListener("SIGINT", onInt);
  Deno.addSignalListener("SIGTERM", onTerm);
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, ms));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  let failure: string | null = null;
  // With --serve, a command started on the data directory is told the URL to use instead.
  const serving = settings.serve
    ? { embeddedPort: settings.port, embeddedHost: settings.host, serving: true }
    : {};
  try {
    await withDatabase(target, async (db) => {
      let resumeAt = 0;
      await db.sql.begin(async (tx) => {
        await takeSimLock(tx, options.lockTimeoutMs);
        await prepareInTransaction(tx, db, {
          ...prepareOptions(settings),
          firstDay,
          dryRun: false,
          history: firstRunHistory(options, settings["history-years"]),
        });
        await ensureLiveTable(tx);
        const [open] = await liveDays(tx, { day: firstDay, unfinished: true });
        resumeAt = open?.clock ?? 0;
      });
      if (settings.serve) {
        const url = db.url!;
        if (settings.json) writeOut(JSON.stringify({ type: "serve", url }));
        else writeOut(`Serving the embedded database at ${url}\nConnect with: psql "${url}"`);
        log.info("Serving on {url} while writing", { url });
      }
      const cache: LiveCache = new Map();
      const clock = speed === undefined
        ? realClock(settings.tz)
        : fastClock(firstDay, resumeAt, speed);
      let commits = 0;
      let lastLog = -Infinity;
      let inLedgerSaid = "";
      const started = performance.now();

      const show = (result: SliceResult, lagMs: number | null, elapsedMs: number) => {
        if (result.started) {
          log.info("{day}: {total} changes planned (seed {seed})", {
            day: result.day,
            total: result.total,
            seed: options.seed,
          });
        }
        if (result.status === "in-ledger" && inLedgerSaid !== result.day) {
          inLedgerSaid = result.day;
          log.info("{day} is in the ledger already; nothing to write for it", { day: result.day });
        }
        if (result.status !== "committed") return;
        commits++;
        if (settings.json) {
          writeOut(JSON.stringify({
            type: "commit",
            day: result.day,
            clock: clockText(Math.floor(result.clock)),
            from: result.from,
            to: result.to,
            total: result.total,
            invoices: result.counts.invoice,
            updates: result.counts.update,
            cancellations: result.counts.cancel + result.counts.duplicate,
            newCustomers: result.counts.signup,
            customerChanges: result.counts.customer_change,
            edits: result.counts.edit,
            events: result.events,
            clickEvents: result.clickEvents,
            lagMs: lagMs === null ? null : Math.round(lagMs),
            elapsedMs: Math.round(elapsedMs),
            committedAt: new Date().toISOString(),
          }));
        }
        const line = `${result.day} ${
          clockText(Math.floor(result.clock))
        }: ${result.to}/${result.total} changes, ${commits} commits${
          lagMs === null ? "" : `, lag ${(lagMs / 1000).toFixed(1)} s`
        }`;
        if (tty) writeProgress(`${bar(result.to / Math.max(1, result.total))} ${line}`);
        else if (performance.now() - lastLog >= LOG_EVERY_MS) {
          lastLog = performance.now();
          log.info(line);
        }
      };

      /** After a day's last slice: its manifest file and the summary; a failure to report. */
      const dayEnded = async (result: SliceResult): Promise<string | null> => {
        const finished = result.finished;
        if (!finished) return null;
        if (tty) writeProgress("", true);
        const { done } = finished;
        if (settings.json) {
          writeOut(
            JSON.stringify({
              type: "day",
              day: result.day,
              runId: result.runId,
              done,
              ...(finished.web ? { web: finished.web } : {}),
            }),
          );
        } else {
          writeOut(
            `${result.day}: ${done.inserts} invoices, ${done.updates} updated, ${done.deletes} cancelled, ${done.newCustomers} new customers, revenue ${finished.revenue}`,
          );
        }
        try {
          const path = await writeManifest(manifestDir, finished.manifest);
          if (path) log.info("Manifest written to {path}", { path });
        } catch (error) {
          return `${result.day} was committed and recorded in the ledger, but its manifest was not written to "${manifestDir}": ${
            (error as Error).message
          }. It is kept in the database (chinook_sim.run.manifest)`;
        }
        // --export: the finished day's landing files and change events, as after simulate.
        return exportTarget ? await exportDay(db, exportTarget, result.day) : null;
      };

      // The directory removed: the slices committed went with it (exit 1, said whole).
      const lostAfterCommits = (error: unknown): never => {
        throw commits > 0 ? lostWithCommitted(error, `the ${commits} commits made in it`) : error;
      };
      // Days live left open before today (the process stopped): they are over, so finished first.
      if (speed === undefined) {
        for (const open of await liveDays(db.sql, { unfinished: true })) {
          if (open.day >= firstDay) continue;
          log.info("Finishing {day}, left open by an earlier live run", { day: open.day });
          const result = await commitSlice(db.sql, options, open.day, DAY_SECONDS, cache)
            .catch(lostAfterCommits);
          failure = await dayEnded(result);
          if (failure) return;
        }
      }
      failure = await runLiveLoop({
        clock,
        commit: (day, upTo) => commitSlice(db.sql, options, day, upTo, cache),
        sleep,
        stopRequested: () => stop !== null,
        elapsedMs: () => performance.now(),
        onSlice: show,
        onDayEnd: dayEnded,
        onStoppedAt: (day, second) =>
          log.info("Stopped at {clock} (--until); run live again to go on with {day}", {
            clock: clockText(second),
            day,
          }),
      }, { intervalMs, until: settings.until, once: settings.once ?? false })
        .catch(lostAfterCommits);
      if (tty) writeProgress("", true);
      const elapsed = (performance.now() - started) / 1000;
      log.info("{commits} commits in {seconds} s", {
        commits,
        seconds: Math.round(elapsed * 10) / 10,
      });
    }, serving);
  } finally {
    Deno.removeSignalListener("SIGINT", onInt);
    Deno.removeSignalListener("SIGTERM", onTerm);
  }
  if (failure !== null) throw new CommittedIncompleteError(failure);
  return stop === null ? ExitCode.ok : ExitCode.interrupted;
}

function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, fraction) * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}

export const command = defineCommand<Flag, LiveInput>({
  name: "live",
  summary: "Write today as it happens, in many small transactions (for CDC and streaming)",
  usage: [
    "chinook-sim live [--interval S] [--until HH:MM] [--once] [options]",
    "chinook-sim live --speed 3600 [--date DAY] [--once]",
    "chinook-sim live --serve --port 5433",
  ],
  description: `
Writes today (in the store's zone) as it happens: every --interval seconds it
commits, in one small transaction, every change of the day's plan whose time
has come: sign-ups, customer changes, invoices, updates, cancellations,
messiness. The plan is the batch's (same seed, same rows, same ids as
"simulate" of the day). At the day's end the day is recorded in the ledger
and, unless --once, live goes on with the next day. --speed N runs the clock
N times faster from the day's midnight (--date picks the day). Stopped
(Ctrl-C, SIGTERM, kill -9), it resumes where it stopped: the position in the
plan is committed with each slice. --serve (embedded database) serves it on
--port meanwhile. --json: one JSON line per commit.`,
  groups: [
    {
      title: "Options",
      flags: ["interval", "speed", "date", "until", "once", "serve", "port", "host"],
    },
    { title: COUNTS_GROUP.title, flags: COUNT_FLAGS },
    { title: "Day options", flags: PLAN_FLAGS },
    EXPORT_GROUP,
  ],
  defaults: { port: 5432 },
  parse,
  run,
});
