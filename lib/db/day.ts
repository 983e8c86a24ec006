/**
 * Writes simulated days, each in ONE transaction: lock → snapshot → pure
 * plan → set-based writes → run record. The first transaction also makes the
 * database ready (setup, an upgrade, the history moved), so that work is
 * committed with the first day or not at all. Any error rolls its day back.
 * A dry run writes all its days in one transaction and rolls it back on
 * purpose, after building every result: nothing is written, and each day is
 * planned on the days before it.
 */
import { UsageError } from "../cli/errors.ts";
import { logger } from "../cli/output.ts";
import { formatCents } from "../sim/money.ts";
import { dayDone, dayManifest, insertedIds, skippedDay, writtenDay } from "../sim/day_outcome.ts";
import type { DayOptions, DayResult } from "../sim/day_types.ts";
import { loadNames } from "../sim/people/mod.ts";
import { recencyAfter } from "../sim/recency.ts";
import {
  buildDayPlan,
  type DayPlan,
  planCustomerChangeTargets,
  type Snapshot,
} from "../sim/plan.ts";
import type { Database, Tx } from "./connect.ts";
import { checkIdRoom, syncSequences } from "./ids.ts";
import { dayManifests, dayRuns, historyInfo, recordRun, startRun, takeSimLock } from "./ledger.ts";
import { liveTableExists, webInstalled } from "./installed.ts";
import { saveRecency, withoutRemoved } from "./recency.ts";
import { readCustomerProfiles, readSnapshot } from "./snapshot.ts";
import { applyPlan, copyRowsFor } from "./writes.ts";

class DryRunRollback extends Error {}

/** What a command does around the days it writes. */
export interface DaysWork {
  /**
   * Runs first in the first transaction, holding the simulation lock: makes
   * the database ready and returns the days to write.
   */
  prepare(tx: Tx): Promise<string[]>;
  /** After each day (committed; a dry run: planned). false: stop here. */
  onDay(result: DayResult): Promise<boolean>;
}

/** Writes the days `work.prepare` picks, oldest first, one transaction each. */
export async function simulateDays(
  db: Pick<Database, "sql" | "target">,
  options: Omit<DayOptions, "day">,
  work: DaysWork,
): Promise<void> {
  const { sql } = db;
  const copyRows = copyRowsFor(db.target);
  if (options.dryRun) {
    try {
      await sql.begin(async (tx) => {
        await takeSimLock(tx, options.lockTimeoutMs);
        for (const day of await work.prepare(tx)) {
          const started = performance.now();
          const result = await writeDay(tx, { ...options, day }, new Date(), copyRows);
          if (!(await work.onDay(elapsedSince(started, result)))) break;
        }
        throw new DryRunRollback();
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
    return;
  }
  let days: string[] | undefined;
  for (let i = 0; days === undefined || i < days.length; i++) {
    const started = performance.now();
    let result: DayResult | undefined;
    let committing = 0;
    await sql.begin(async (tx) => {
      await takeSimLock(tx, options.lockTimeoutMs);
      days ??= await work.prepare(tx);
      if (i < days.length) {
        result = await writeDay(tx, { ...options, day: days[i]! }, new Date(), copyRows);
      }
      committing = performance.now();
    });
    if (result) {
      logger("day").debug("{day}: commit in {ms} ms; the day took {total} ms", {
        day: result.day,
        ms: Math.round((performance.now() - committing) * 10) / 10,
        total: Math.round(performance.now() - started),
      });
    }
    if (result && !(await work.onDay(elapsedSince(started, result)))) break;
  }
}

function elapsedSince(started: number, result: DayResult): DayResult {
  return { ...result, elapsedMs: Math.round(performance.now() - started) };
}

async function writeDay(
  tx: Tx,
  options: DayOptions,
  startedAt: Date,
  copyRows: number,
): Promise<DayResult> {
  const { day } = options;
  // Asked without waiting in between, checked in order.
  const checks = [
    historyInfo(tx),
    liveTableExists(tx),
    dayRuns(tx, day),
    webInstalled(tx),
  ] as const;
  await Promise.allSettled(checks);
  const history = await checks[0];
  if (history && day <= history.lastHistoryDay) {
    throw new UsageError(
      `Cannot simulate ${day}: the historical data runs to ${history.lastHistoryDay}; pick a later --date`,
    );
  }
  // Live mode's code is loaded only on a database where live mode has run.
  if (await checks[1]) await (await import("./live.ts")).refusePartialLiveDay(tx, day);
  const runs = await checks[2];
  if (runs !== null && !options.force) return skippedDay(options, 0, await dayManifests(tx, day));

  const phases = phaseTimer(day);
  const { snapshot, plan } = await planDay(tx, options, phases);
  const log = await startRun(tx, day);
  const writes = await applyPlan(tx, plan, {
    model: options.model,
    snapshot,
    deleteMode: options.deleteMode,
    log,
    copyRows,
  });
  await keepRecency(tx, snapshot, plan, options.deleteMode === "hard" ? log.runId : null);
  phases.done("writes", {});

  const manifest = dayManifest(plan, writes, options, { id: log.runId, number: log.runNumber });
  await recordRun(tx, log, {
    kind: "batch",
    seed: options.seed,
    toolVersion: options.toolVersion,
    timeZone: options.timeZone,
    deleteMode: options.deleteMode,
    windowDays: options.windowDays,
    options: {
      counts: options.requested,
      messiness: options.messiness,
      model: options.model,
      force: options.force,
    },
    requested: plan.requested,
    ...dayDone(plan, writes),
    revenue: formatCents(plan.revenueCents),
    inserted: insertedIds(plan, writes, snapshot.nextCustomerId),
    startedAt,
    manifest,
  });
  // Sequences are not transactional: a dry run leaves them alone.
  if (!options.dryRun) await syncSequences(tx);
  phases.done("record", {});
  // The web shop's clickstream (setup --web): after the run's record, which its rows name.
  // Its code is loaded only on a database that has the web shop.
  const web = await checks[3] ? await writeWebDay(tx, plan, options, log.runId) : undefined;
  if (web) phases.done("clickstream", { ...web });
  const result = writtenDay(plan, writes, options, manifest);
  return web ? { ...result, web } : result;
}

async function writeWebDay(tx: Tx, plan: DayPlan, options: DayOptions, runId: number) {
  const [web, click] = await Promise.all([
    import("./web.ts"),
    import("../sim/clickstream/model.ts"),
  ]);
  return await web.writeWebDay(tx, {
    plan,
    model: options.model,
    clickModel: click.DEFAULT_CLICK_MODEL,
    runId,
    timeZone: options.timeZone,
  });
}

/** LOG_LEVEL=debug: how long each phase of a day took, how big it was, the memory after it. */
function phaseTimer(day: string) {
  const log = logger("day");
  let last = performance.now();
  return {
    done(phase: string, sizes: Record<string, number>) {
      const now = performance.now();
      const ms = Math.round((now - last) * 10) / 10;
      last = now;
      if (!log.isEnabledFor("debug")) return;
      const shown = Object.entries(sizes).map(([k, v]) => `${k} ${v}`).join(", ");
      // The process's resident memory after each phase: where a big day's peak comes from.
      // The JavaScript heap (live objects and garbage not yet collected) and the buffers outside it.
      const memory = Deno.memoryUsage();
      const [rssMb, heapMb, externalMb] = [memory.rss, memory.heapUsed, memory.external].map((b) =>
        Math.round(b / 2 ** 20)
      );
      log.debug(
        `{day}: {phase} in {ms} ms${
          shown ? ": {sizes}" : ""
        }; {rssMb} MB resident ({heapMb} MB heap, {externalMb} MB external)`,
        { day, phase, ms, sizes: shown, rssMb, heapMb, externalMb, ...sizes },
      );
    },
  };
}

/**
 * Keeps the customers' latest invoices as the day leaves them (the snapshot's with the plan's
 * invoices merged in), for the next day's snapshot: computed, then one row written. Batch and
 * live days alike, from the same snapshot and plan. `removedBy`: the run whose invoices were
 * removed (`--delete-mode hard`), whose customers are read again (withoutRemoved); live mode
 * does that at the day's end (reviseForRemoved).
 */
export async function keepRecency(
  tx: Tx,
  snapshot: Snapshot,
  plan: DayPlan,
  removedBy: number | null = null,
): Promise<void> {
  if (snapshot.customerLatest === undefined) return;
  const latest = recencyAfter(snapshot.customerLatest, plan);
  await saveRecency(
    tx,
    plan.day,
    removedBy === null ? latest : await withoutRemoved(tx, removedBy, plan.day, latest),
    plan.firstInvoiceId + plan.invoiceCustomerIds.length,
  );
}

/**
 * The day's plan on the database as it is now: what the batch writes in one
 * transaction, and what live mode spreads over the day (one source for both).
 */
export async function planDay(
  tx: Tx,
  options: Omit<DayOptions, "dryRun" | "force" | "lockTimeoutMs">,
  phases?: ReturnType<typeof phaseTimer>,
): Promise<{ snapshot: Snapshot; plan: DayPlan }> {
  const reading = readSnapshot(tx, options.day, options.windowDays);
  const names = await loadNames();
  const snapshot = await reading;
  const changing = planCustomerChangeTargets({
    ...options,
    customerCount: snapshot.customerIds.length,
  });
  if (changing.length > 0) {
    snapshot.customerProfiles = await readCustomerProfiles(tx, snapshot.customerIds, changing);
  }
  phases?.done("snapshot", {
    customers: snapshot.customerIds.length,
    tracks: snapshot.trackIds.length,
    windowInvoices: snapshot.recentInvoiceIds.length,
  });
  const plan = buildDayPlan({
    day: options.day,
    seed: options.seed,
    requested: options.requested,
    model: options.model,
    snapshot,
    messiness: options.messiness,
    timeZone: options.timeZone,
    names,
  });
  // Before any write, for batch and live days alike: ids past the integer keys are refused.
  checkIdRoom(plan, snapshot.nextCustomerId);
  phases?.done("plan", {
    invoices: plan.invoiceCustomerIds.length,
    lines: plan.lineTrackIds.length,
    updates: plan.updateTargets.length,
    cancellations: plan.cancelTargets.length,
    edits: plan.editTargets.length,
    duplicates: plan.duplicateIds.length,
    newCustomers: plan.newCustomers.count,
    customerChanges: plan.customerChanges.length,
  });
  return { snapshot, plan };
}
