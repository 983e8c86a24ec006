/**
 * Live mode's schedule: the day's plan (the same seeded plan the batch
 * writes) spread over the day's clock. Every change gets a second of the day
 * and the changes are ordered by it; a live run applies slices of that order
 * [progress, due) with the batch's own write functions. Pure.
 *
 * The times keep the batch's result: a sign-up comes no later than its
 * customer's first invoice, an address or email change before the
 * customer's first invoice of the day (the batch copies the new address onto
 * the day's invoices), an update or cancellation after the invoice it
 * touches was inserted, a duplicate's cancellation minutes after the copy.
 * Ids follow time for every insert (invoices are numbered in time order;
 * sign-ups and added lines get non-decreasing times in id order), so each
 * slice inserts contiguous id ranges and live issues exactly the batch's ids.
 */
import type { DayWrites } from "./day_types.ts";
import type { AddedLines, DayPlan, NewCustomer } from "./plan.ts";
import { Signups } from "./signups.ts";
import { dayRng } from "./rng.ts";

export const DAY_SECONDS = 86_400;

/** The kinds of change, in the order applyPlan makes them within one slice. */
export const OP_KINDS = [
  "signup",
  "customer_change",
  "invoice",
  "update",
  "cancel",
  "duplicate",
  "edit",
] as const;
export type OpKind = (typeof OP_KINDS)[number];

/** One change of the day: its second of the day, its kind and its index in the plan's column. */
export interface LiveOp {
  at: number;
  kind: OpKind;
  index: number;
}

/** The day's changes in the order live applies them (by second, then kind, then index). */
export function liveSchedule(plan: DayPlan, added: AddedLines): LiveOp[] {
  const rng = dayRng(plan.seed, plan.day).fork("live");
  const ops: LiveOp[] = [];
  const firstInvoiceAt = new Map<number, number>();
  const insertedAt = (invoiceId: number) => {
    const i = invoiceId - plan.firstInvoiceId;
    return i >= 0 && i < plan.invoiceSeconds.length ? plan.invoiceSeconds[i]! : 0;
  };
  plan.invoiceCustomerIds.forEach((customer, i) => {
    if (!firstInvoiceAt.has(customer)) firstInvoiceAt.set(customer, plan.invoiceSeconds[i]!);
    ops.push({ at: plan.invoiceSeconds[i]!, kind: "invoice", index: i });
  });
  // Sign-ups: no later than the customer's first invoice, in id order (a suffix minimum).
  let signupAt = DAY_SECONDS - 1;
  for (let i = plan.newCustomers.count - 1; i >= 0; i--) {
    signupAt = Math.min(signupAt, firstInvoiceAt.get(plan.newCustomers.idAt(i)) ?? signupAt);
    ops.push({ at: signupAt, kind: "signup", index: i });
  }
  plan.customerChanges.forEach((change, i) => {
    const before = firstInvoiceAt.get(change.customerId) ?? DAY_SECONDS;
    ops.push({ at: rng.int(0, Math.max(0, before - 1)), kind: "customer_change", index: i });
  });
  // Added lines in id order at non-decreasing times, each after its invoice was inserted.
  const draws = Array.from(added.invoiceIds, () => rng.int(0, DAY_SECONDS - 1)).sort((a, b) =>
    a - b
  );
  let updateAt = 0;
  added.invoiceIds.forEach((invoiceId, i) => {
    updateAt = Math.max(updateAt, draws[i]!, insertedAt(invoiceId));
    ops.push({ at: updateAt, kind: "update", index: i });
  });
  plan.cancelTargets.forEach((invoiceId, i) => {
    ops.push({ at: rng.int(insertedAt(invoiceId), DAY_SECONDS - 1), kind: "cancel", index: i });
  });
  plan.duplicateIds.forEach((invoiceId, i) => {
    const at = Math.min(DAY_SECONDS - 1, insertedAt(invoiceId) + rng.int(60, 600));
    ops.push({ at, kind: "duplicate", index: i });
  });
  plan.editTargets.forEach((_, i) => {
    ops.push({ at: rng.int(0, DAY_SECONDS - 1), kind: "edit", index: i });
  });
  const rank = (kind: OpKind) => OP_KINDS.indexOf(kind);
  return ops.sort((a, b) => a.at - b.at || rank(a.kind) - rank(b.kind) || a.index - b.index);
}

/** How many of the ordered changes are due at `second` (all those at or before it). */
export function dueCount(ops: readonly LiveOp[], second: number): number {
  let low = 0;
  let high = ops.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (ops[mid]!.at <= second) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A slice of the day: a plan holding only the changes ops[from … to-1], and their added lines. */
export interface PlanSlice {
  plan: DayPlan;
  added: AddedLines;
  /** What the slice holds, per kind. */
  counts: Record<OpKind, number>;
}

/** The part of `plan` that ops[from … to-1] make, in the plan's own shape. */
export function slicePlan(
  plan: DayPlan,
  added: AddedLines,
  ops: readonly LiveOp[],
  from: number,
  to: number,
): PlanSlice {
  const picked: Record<OpKind, number[]> = {
    signup: [],
    customer_change: [],
    invoice: [],
    update: [],
    cancel: [],
    duplicate: [],
    edit: [],
  };
  for (let k = from; k < to; k++) picked[ops[k]!.kind].push(ops[k]!.index);
  for (const kind of OP_KINDS) picked[kind].sort((a, b) => a - b);
  const range = (kind: "signup" | "invoice" | "update") => {
    const indexes = picked[kind];
    const first = indexes[0] ?? 0;
    if (indexes.some((index, k) => index !== first + k)) {
      throw new Error(`The live schedule's ${kind} ids are not contiguous`);
    }
    return { first, end: first + indexes.length };
  };
  const invoices = range("invoice");
  const signups = range("signup");
  const updates = range("update");
  const lineFrom = plan.lineStart[invoices.first]!;
  const lineTo = plan.lineStart[invoices.end]!;
  const pick = (values: Int32Array, kind: OpKind) =>
    Int32Array.from(picked[kind], (index) => values[index]!);
  return {
    plan: {
      ...plan,
      newCustomers: plan.newCustomers.slice(signups.first, signups.end),
      customerChanges: picked.customer_change.map((index) => plan.customerChanges[index]!),
      firstInvoiceId: plan.firstInvoiceId + invoices.first,
      invoiceCustomerIds: plan.invoiceCustomerIds.slice(invoices.first, invoices.end),
      invoiceSeconds: plan.invoiceSeconds.slice(invoices.first, invoices.end),
      invoiceDaysEarly: plan.invoiceDaysEarly.slice(invoices.first, invoices.end),
      invoiceDuplicateOf: plan.invoiceDuplicateOf.slice(invoices.first, invoices.end),
      invoiceTotalCents: plan.invoiceTotalCents.slice(invoices.first, invoices.end),
      lineStart: plan.lineStart.slice(invoices.first, invoices.end + 1).map((s) => s - lineFrom),
      firstLineId: plan.firstLineId + lineFrom,
      lineTrackIds: plan.lineTrackIds.slice(lineFrom, lineTo),
      linePriceCents: plan.linePriceCents.slice(lineFrom, lineTo),
      updateTargets: added.invoiceIds.slice(updates.first, updates.end),
      cancelTargets: pick(plan.cancelTargets, "cancel"),
      duplicateIds: pick(plan.duplicateIds, "duplicate"),
      editTargets: pick(plan.editTargets, "edit"),
    },
    added: {
      firstLineId: added.firstLineId + updates.first,
      invoiceIds: added.invoiceIds.slice(updates.first, updates.end),
      trackIds: added.trackIds.slice(updates.first, updates.end),
      priceCents: added.priceCents.slice(updates.first, updates.end),
    },
    counts: Object.fromEntries(OP_KINDS.map((kind) => [kind, picked[kind].length])) as Record<
      OpKind,
      number
    >,
  };
}

export const NO_WRITES: DayWrites = {
  lines: 0,
  updated: [],
  removed: [],
  duplicates: [],
  edited: [],
};

/** What the slices did so far, as the batch reports it for the whole day (sorted by invoice). */
export function mergeWrites(a: DayWrites, b: DayWrites): DayWrites {
  const byInvoice = <T extends { invoiceId: number }>(x: T[], y: T[]) =>
    [...x, ...y].sort((p, q) => p.invoiceId - q.invoiceId);
  return {
    lines: a.lines + b.lines,
    updated: byInvoice(a.updated, b.updated),
    removed: byInvoice(a.removed, b.removed),
    duplicates: byInvoice(a.duplicates, b.duplicates),
    edited: byInvoice(a.edited, b.edited),
  };
}

/**
 * Typed arrays as JSON ({"$i32": […]}) and back: the plan is stored with the
 * live day so that a resumed run applies exactly the plan it started.
 */
export function encodeTyped(value: unknown): unknown {
  if (value instanceof Int32Array) return { $i32: Array.from(value) };
  // The sign-ups as made: a resumed day writes the very people it started with.
  if (value instanceof Signups) return { $signups: encodeTyped(value.range()) };
  if (value instanceof Float64Array) return { $f64: Array.from(value) };
  if (Array.isArray(value)) return value.map(encodeTyped);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeTyped(v)]));
  }
  return value;
}

export function decodeTyped(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeTyped);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (Array.isArray(record.$i32)) return Int32Array.from(record.$i32 as number[]);
    if (Array.isArray(record.$f64)) return Float64Array.from(record.$f64 as number[]);
    if (Array.isArray(record.$signups)) return Signups.of(record.$signups as NewCustomer[]);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decodeTyped(v)]));
  }
  return value;
}

/** The second of the day at `now` in `zone` (the store's clock). */
export function secondOfDayIn(zone: string, now: Date): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get("hour") * 3600 + get("minute") * 60 + get("second");
}

/** "HH:MM:SS" for a second of the day (86400: "24:00:00", the day's end). */
export function clockText(second: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(second / 3600))}:${pad(Math.floor((second % 3600) / 60))}:${
    pad(second % 60)
  }`;
}
