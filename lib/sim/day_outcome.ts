/**
 * From a day's plan and what its writes did to everything recorded and
 * reported about the day: counts, manifest, change rows, result. Pure.
 */
import { addDays } from "./calendar.ts";
import type {
  ChangeRow,
  DayDone,
  DayOptions,
  DayResult,
  DayWrites,
  DeleteMode,
} from "./day_types.ts";
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

/** A day the ledger has already: nothing written. */
export function skippedDay(options: DayOptions, elapsedMs: number): DayResult {
  return {
    status: "skipped",
    day: options.day,
    seed: options.seed,
    requested: null,
    done: { ...NOTHING_DONE },
    shortfall: { updates: 0, deletes: 0, customerChanges: 0 },
    revenueCents: 0,
    firstInvoiceId: null,
    lastInvoiceId: null,
    updatedTotals: [],
    manifest: null,
    elapsedMs,
  };
}

export function dayDone(plan: DayPlan, writes: DayWrites): DayDone {
  return {
    inserts: plan.invoiceCustomerIds.length,
    updates: writes.updated.length,
    deletes: writes.removed.length,
    newCustomers: plan.newCustomers.length,
    customerChanges: plan.customerChanges.length,
    lines: writes.lines,
    late: plan.invoiceDaysEarly.reduce((n, early) => n + (early > 0 ? 1 : 0), 0),
    edits: writes.edited.length,
    duplicates: writes.duplicates.length,
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
  run: number,
): Manifest {
  const { day } = plan;
  return buildManifest({
    day,
    nextDay: addDays(day, 1),
    run,
    seed: options.seed,
    toolVersion: options.toolVersion,
    timeZone: options.timeZone,
    deleteMode: options.deleteMode,
    firstInvoiceId: plan.firstInvoiceId,
    invoices: plan.invoiceCustomerIds.length,
    firstLineId: plan.firstLineId,
    lines: writes.lines,
    customerIds: plan.newCustomers.map((c) => c.id),
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
    late: Array.from(plan.invoiceDaysEarly).flatMap((early, i) =>
      early > 0 ? [{ invoiceId: plan.firstInvoiceId + i, invoiceDate: addDays(day, -early) }] : []
    ),
    edited: writes.edited,
    duplicates: writes.duplicates.map((d) => ({
      ...d,
      duplicateOf: plan.invoiceDuplicateOf[d.invoiceId - plan.firstInvoiceId]!,
    })),
  });
}

/** The change log of the day, in the order its rows are recorded. */
export function changeRows(plan: DayPlan, writes: DayWrites, mode: DeleteMode): ChangeRow[] {
  const rows: ChangeRow[] = [];
  const add = (
    operation: string,
    invoiceId: number | null,
    customerId: number | null,
    newTotal: string | null,
  ) => rows.push({ operation, invoiceId, customerId, newTotal });
  for (const c of plan.newCustomers) add("customer_insert", null, c.id, null);
  for (const c of plan.customerChanges) add(`customer_${c.kind}`, null, c.customerId, null);
  for (const u of writes.updated) add("invoice_update", u.invoiceId, null, u.total);
  for (const { invoiceId } of writes.removed) {
    if (mode === "hard") add("invoice_delete", invoiceId, null, null);
    else add("invoice_cancel", invoiceId, null, "0.00");
  }
  for (const { invoiceId } of writes.duplicates) add("invoice_duplicate", invoiceId, null, null);
  for (const e of writes.edited) add("invoice_edit", e.invoiceId, null, e.newTotal);
  plan.invoiceDaysEarly.forEach((early, i) => {
    if (early > 0) add("invoice_late", plan.firstInvoiceId + i, null, null);
  });
  return rows;
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
    elapsedMs: 0,
  };
}
