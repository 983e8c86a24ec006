/**
 * From a day's plan and what its writes did to everything recorded and
 * reported about the day: counts, manifest, change rows, result. Pure.
 */
import { addDays } from "./calendar.ts";
import type { DayDone, DayOptions, DayResult, DayWrites } from "./day_types.ts";
import { buildManifest, type Manifest } from "./manifest.ts";
import type { DayPlan } from "./plan.ts";

const NOTHING_DONE: DayDone = {
  inserts: 0,
  updates: 0,
  deletes: 0,
  newCustomers: 0,
  customerChanges: 0,
  lines: 0,
  late: 0,
  edits: 0,
  duplicates: 0,
};

/** A day the ledger has already: nothing written; `recorded`: its runs' manifests. */
export function skippedDay(
  options: DayOptions,
  elapsedMs: number,
  recorded: Manifest[] = [],
): DayResult {
  return {
    status: "skipped",
    day: options.day,
    seed: options.seed,
    runId: null,
    runNumber: null,
    requested: null,
    done: { ...NOTHING_DONE },
    shortfall: { updates: 0, deletes: 0, customerChanges: 0 },
    revenueCents: 0,
    firstInvoiceId: null,
    lastInvoiceId: null,
    updatedTotals: [],
    manifest: null,
    recordedManifests: recorded,
    elapsedMs,
  };
}

export function dayDone(plan: DayPlan, writes: DayWrites): DayDone {
  return {
    inserts: plan.invoiceCustomerIds.length,
    updates: writes.updated.length,
    deletes: writes.removed.length,
    newCustomers: plan.newCustomers.count,
    customerChanges: plan.customerChanges.length,
    lines: writes.lines,
    late: plan.invoiceDaysEarly.reduce((n, early) => n + (early > 0 ? 1 : 0), 0),
    edits: writes.edited.length,
    duplicates: writes.duplicates.length,
  };
}

export type IdTable = "invoice" | "invoice_line" | "customer";

/** A contiguous range of inserted ids (count 0: none). */
export interface IdRange {
  first: number;
  count: number;
}

/** The ids the day inserts, per table: contiguous from the snapshot's next ids. */
export function insertedIds(
  plan: DayPlan,
  writes: DayWrites,
  nextCustomerId: number,
): Record<IdTable, IdRange> {
  return {
    invoice: { first: plan.firstInvoiceId, count: plan.invoiceCustomerIds.length },
    invoice_line: { first: plan.firstLineId, count: writes.lines + writes.updated.length },
    customer: { first: nextCustomerId, count: plan.newCustomers.count },
  };
}

/** The first and last new invoice id (null without new invoices). */
export function invoiceIdRange(plan: DayPlan): { first: number | null; last: number | null } {
  const inserts = plan.invoiceCustomerIds.length;
  return inserts > 0
    ? { first: plan.firstInvoiceId, last: plan.firstInvoiceId + inserts - 1 }
    : { first: null, last: null };
}

export function dayManifest(
  plan: DayPlan,
  writes: DayWrites,
  options: DayOptions,
  run: { id: number; number: number },
): Manifest {
  const { day } = plan;
  return buildManifest({
    day,
    nextDay: addDays(day, 1),
    run: run.number,
    runId: run.id,
    seed: options.seed,
    toolVersion: options.toolVersion,
    timeZone: options.timeZone,
    deleteMode: options.deleteMode,
    firstInvoiceId: plan.firstInvoiceId,
    invoices: plan.invoiceCustomerIds.length,
    firstLineId: plan.firstLineId,
    lines: writes.lines,
    customerIds: plan.newCustomers.ids(),
    updated: writes.updated.map((u) => ({
      invoiceId: u.invoiceId,
      newTotal: u.total,
      addedLineId: u.addedLineId,
    })),
    removed: writes.removed,
    customersChanged: plan.customerChanges.map((c) => ({
      customerId: c.customerId,
      change: c.kind,
    })),
    messiness: options.messiness,
    late: lateInvoices(plan),
    edited: writes.edited,
    duplicates: writes.duplicates.map((d) => ({
      ...d,
      duplicateOf: plan.invoiceDuplicateOf[d.invoiceId - plan.firstInvoiceId]!,
    })),
  });
}

/**
 * The day's late invoices, dated days before it. A loop over the column: copying it to an array
 * and flat-mapping it made a million arrays on a 1M-invoice day (~50 ms after its last write).
 */
function lateInvoices(plan: DayPlan): Array<{ invoiceId: number; invoiceDate: string }> {
  const late = [];
  for (let i = 0; i < plan.invoiceDaysEarly.length; i++) {
    const early = plan.invoiceDaysEarly[i]!;
    if (early > 0) {
      late.push({ invoiceId: plan.firstInvoiceId + i, invoiceDate: addDays(plan.day, -early) });
    }
  }
  return late;
}

/** The result of a written (or dry-run) day. */
export function writtenDay(
  plan: DayPlan,
  writes: DayWrites,
  options: DayOptions,
  manifest: Manifest,
): DayResult {
  const done = dayDone(plan, writes);
  const ids = invoiceIdRange(plan);
  return {
    status: options.dryRun ? "dry-run" : "written",
    day: plan.day,
    seed: options.seed,
    runId: manifest.runId,
    runNumber: manifest.run,
    requested: plan.requested,
    done,
    shortfall: {
      updates: plan.requested.updates - done.updates,
      deletes: plan.requested.deletes - done.deletes,
      customerChanges: plan.shortfall.customerChanges,
    },
    revenueCents: plan.revenueCents,
    firstInvoiceId: ids.first,
    lastInvoiceId: ids.last,
    updatedTotals: writes.updated.map(({ invoiceId, total }) => ({ invoiceId, total })),
    manifest,
    recordedManifests: [],
    elapsedMs: 0,
  };
}
