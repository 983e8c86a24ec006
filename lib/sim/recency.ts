/**
 * Recency: the epoch day (days since 1970-01-01) of each customer's latest invoice, as a dense
 * Int32Array indexed by CustomerId (index 0 unused), -1 for no invoice (or no such customer).
 * What the store remembers of its own sales: a day's recency is the one before it with the day's
 * invoices merged in, so a day's snapshot needs no scan of every invoice. Pure.
 */
import { dayToEpochDays } from "./calendar.ts";

/** No invoice yet, or no customer with that id. */
export const NO_INVOICE = -1;

/** A recency for customer ids below `length`, none of them with an invoice. */
export function emptyRecency(length: number): Int32Array {
  return new Int32Array(length).fill(NO_INVOICE);
}

/**
 * `latest` with room for customer ids below `length` (the new ones without an invoice): the same
 * array when it has room, else a longer copy.
 */
function withRoom(latest: Int32Array, length: number): Int32Array {
  if (length <= latest.length) return latest;
  const grown = new Int32Array(Math.max(length, Math.ceil(latest.length * 1.5)));
  grown.fill(NO_INVOICE, latest.length);
  grown.set(latest);
  return grown;
}

/**
 * Merges invoices into `latest` in place where it has room (a longer copy otherwise) and returns
 * it: invoice i of customer `customerIds[i]` dated `epochDays` (one day for all) or
 * `epochDays[i]`. A later date wins; an earlier one changes nothing.
 */
export function mergeLatest(
  latest: Int32Array,
  customerIds: ArrayLike<number>,
  epochDays: number | ArrayLike<number>,
): Int32Array {
  let top = 0;
  for (let i = 0; i < customerIds.length; i++) top = Math.max(top, customerIds[i]!);
  const merged = withRoom(latest, customerIds.length > 0 ? top + 1 : 0);
  for (let i = 0; i < customerIds.length; i++) {
    const id = customerIds[i]!;
    if (id <= 0) throw new RangeError(`Not a customer id: ${id}`);
    const day = typeof epochDays === "number" ? epochDays : epochDays[i]!;
    if (day > merged[id]!) merged[id] = day;
  }
  return merged;
}

/**
 * Sets customer `customerIds[i]`'s latest invoice to `epochDays[i]` (-1: none), older or not: what
 * was read again after invoices were removed. In place where `latest` has room, as mergeLatest.
 */
export function replaceLatest(
  latest: Int32Array,
  customerIds: ArrayLike<number>,
  epochDays: ArrayLike<number>,
): Int32Array {
  let top = 0;
  for (let i = 0; i < customerIds.length; i++) {
    if (epochDays[i]! !== NO_INVOICE) top = Math.max(top, customerIds[i]! + 1);
  }
  const replaced = withRoom(latest, top);
  for (let i = 0; i < customerIds.length; i++) {
    const id = customerIds[i]!;
    if (id <= 0) throw new RangeError(`Not a customer id: ${id}`);
    if (id < replaced.length) replaced[id] = epochDays[i]!;
  }
  return replaced;
}

/** What a day's plan (or a history day's) adds: its invoices' buyers and how early each is dated. */
export interface DayInvoices {
  day: string;
  invoiceCustomerIds: Int32Array;
  /** Days before `day` each invoice is dated (late arrivals); absent: all on the day. */
  invoiceDaysEarly?: Int32Array;
  /** The day's sign-ups (ids firstId … firstId + count - 1): room kept for them. */
  newCustomers?: { firstId: number; count: number };
}

/**
 * The recency as of the end of `invoices.day`, from the recency as of the day before (or any
 * earlier day, with every invoice between merged already) and the day's invoices. `before` is
 * left as it is.
 */
export function recencyAfter(before: Int32Array, invoices: DayInvoices): Int32Array {
  const top = signupsEnd(invoices);
  const copy = emptyRecency(Math.max(before.length, top));
  copy.set(before);
  return mergeDay(copy, invoices);
}

/** recencyAfter in place (where `latest` has room): for a caller that keeps one recency. */
export function mergeDay(latest: Int32Array, invoices: DayInvoices): Int32Array {
  const today = dayToEpochDays(invoices.day);
  const early = invoices.invoiceDaysEarly;
  const roomy = withRoom(latest, signupsEnd(invoices));
  if (early === undefined || !early.some((d) => d !== 0)) {
    return mergeLatest(roomy, invoices.invoiceCustomerIds, today);
  }
  return mergeLatest(roomy, invoices.invoiceCustomerIds, early.map((d) => today - d));
}

/** One past the day's last sign-up's id (0 without sign-ups). */
function signupsEnd(invoices: DayInvoices): number {
  const signups = invoices.newCustomers;
  return signups && signups.count > 0 ? signups.firstId + signups.count : 0;
}

/**
 * Days from each customer's latest invoice to `day` (0: that day), -1 for none: the snapshot's
 * `customerAgeDays` for `customerIds`.
 */
export function agesOn(latest: Int32Array, customerIds: Int32Array, day: string): Int32Array {
  const today = dayToEpochDays(day);
  const ages = new Int32Array(customerIds.length);
  for (let i = 0; i < customerIds.length; i++) {
    const last = latest[customerIds[i]!] ?? NO_INVOICE;
    ages[i] = last < 0 ? -1 : today - last;
  }
  return ages;
}

/**
 * The recency as stored: little-endian 32-bit integers, CustomerId 0 first, up to the highest
 * customer with an invoice (the same latest days always give the same bytes, however long the
 * array they were kept in).
 */
export function encodeRecency(latest: Int32Array): Uint8Array {
  let length = latest.length;
  while (length > 0 && latest[length - 1] === NO_INVOICE) length--;
  const bytes = new Uint8Array(length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < length; i++) view.setInt32(i * 4, latest[i]!, true);
  return bytes;
}

export function decodeRecency(bytes: Uint8Array): Int32Array {
  if (bytes.length % 4 !== 0) {
    throw new RangeError(`A stored recency of ${bytes.length} bytes is not 32-bit integers`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const latest = new Int32Array(bytes.length / 4);
  for (let i = 0; i < latest.length; i++) latest[i] = view.getInt32(i * 4, true);
  return latest;
}
