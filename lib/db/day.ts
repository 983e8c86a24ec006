/**
 * Writes one simulated day in ONE transaction: lock → snapshot → pure plan →
 * set-based writes → ledger. Any error rolls everything back; a dry run
 * rolls back on purpose after building the whole result.
 */
import { UsageError } from "../cli/errors.ts";
import { formatCents } from "../sim/money.ts";
import {
  changeRows,
  dayDone,
  dayManifest,
  invoiceIdRange,
  skippedDay,
  writtenDay,
} from "../sim/day_outcome.ts";
import type { DayOptions, DayResult } from "../sim/day_types.ts";
import { buildDayPlan } from "../sim/plan.ts";
import type { Sql, Tx } from "./connect.ts";
import {
  dayRuns,
  historyInfo,
  recordChanges,
  recordDay,
  syncSequences,
  takeSimLock,
} from "./ledger.ts";
import { readSnapshot } from "./snapshot.ts";
import { applyPlan } from "./writes.ts";

class DryRunRollback extends Error {}

export async function simulateDay(sql: Sql, options: DayOptions): Promise<DayResult> {
  const started = performance.now();
  const startedAt = new Date();
  let result: DayResult | undefined;
  try {
    await sql.begin(async (tx) => {
      await takeSimLock(tx, options.lockTimeoutMs);
      result = await writeDay(tx, options, startedAt);
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return { ...result!, elapsedMs: Math.round(performance.now() - started) };
}

async function writeDay(tx: Tx, options: DayOptions, startedAt: Date): Promise<DayResult> {
  const { day } = options;
  const history = await historyInfo(tx);
  if (history && day <= history.lastHistoryDay) {
    throw new UsageError(
      `Cannot simulate ${day}: the historical data runs to ${history.lastHistoryDay}; pick a later --date`,
    );
  }
  const runs = await dayRuns(tx, day);
  if (runs !== null && !options.force) return skippedDay(options, 0);

  const snapshot = await readSnapshot(tx, day, options.windowDays);
  const plan = buildDayPlan({
    day,
    seed: options.seed,
    requested: options.requested,
    model: options.model,
    snapshot,
    messiness: options.messiness,
  });
  const writes = await applyPlan(tx, plan, {
    model: options.model,
    snapshot,
    deleteMode: options.deleteMode,
  });

  const manifest = dayManifest(plan, writes, options, (runs ?? 0) + 1);
  const ids = invoiceIdRange(plan);
  await recordDay(tx, {
    day,
    seed: options.seed,
    toolVersion: options.toolVersion,
    timeZone: options.timeZone,
    deleteMode: options.deleteMode,
    windowDays: options.windowDays,
    requested: plan.requested,
    ...dayDone(plan, writes),
    revenue: formatCents(plan.revenueCents),
    firstInvoiceId: ids.first,
    lastInvoiceId: ids.last,
    startedAt,
    manifest,
  });
  await recordChanges(tx, day, changeRows(plan, writes, options.deleteMode));
  await syncSequences(tx);
  return writtenDay(plan, writes, options, manifest);
}
