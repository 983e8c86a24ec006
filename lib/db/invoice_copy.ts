/**
 * The COPY text (text format) of a plan's new customers, invoices and lines,
 * produced lazily chunk by chunk, so that the next chunk is encoded while the
 * server loads the previous one. Every value renders exactly as the SQL of
 * the unnest path computed it: `day 00:00:00 + seconds` as a timestamp
 * (negative seconds: a late invoice, dated days before), `cents / 100.0` as
 * numeric(10,2), the billing address as the customer's at the time.
 */
import { dayToEpochDays, epochDaysToDay } from "../sim/calendar.ts";
import type { DayPlan, NewCustomer } from "../sim/plan.ts";
import { encodeCopyRow, encodeCopyValue } from "./copy.ts";

/** The address columns an invoice copies from its customer, in the Invoice's column order. */
export interface BillingAddress {
  address: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  postalCode: string | null;
}

export const CUSTOMER_COLUMNS = [
  "CustomerId",
  "FirstName",
  "LastName",
  "Company",
  "Address",
  "City",
  "State",
  "Country",
  "PostalCode",
  "Phone",
  "Fax",
  "Email",
  "SupportRepId",
] as const;

export const INVOICE_COLUMNS = [
  "InvoiceId",
  "CustomerId",
  "InvoiceDate",
  "BillingAddress",
  "BillingCity",
  "BillingState",
  "BillingCountry",
  "BillingPostalCode",
  "Total",
] as const;

export const LINE_COLUMNS = [
  "InvoiceLineId",
  "InvoiceId",
  "TrackId",
  "UnitPrice",
  "Quantity",
] as const;

/**
 * Characters of COPY text per chunk. Small, for two reasons. The server starts on a COPY as soon
 * as its first chunk arrives (a 256 KiB first chunk kept it waiting: a small day's 1,818 sign-ups
 * were all made before the first was sent). And a chunk's text stays in V8's young generation,
 * freed at once; one of 128 KiB or more goes to the large-object space, which only a full
 * collection frees: with 256 KiB chunks a 1M-invoice day's process peaked at 184 MB and spent
 * 2.2 s of CPU, with 32 KiB at 139 MB and 1.2 s (the day as fast). 32 Ki characters stay under
 * that size even as two-byte text (a name outside Latin-1).
 */
const CHUNK_CHARS = 32 * 1024;

/** Customers as COPY rows of CUSTOMER_COLUMNS (taken from `customers` as the text is asked for). */
export function* customerCopyChunks(customers: Iterable<NewCustomer>): Generator<string> {
  let chunk = "";
  for (const c of customers) {
    chunk += encodeCopyRow([
      c.id,
      c.firstName,
      c.lastName,
      c.company,
      c.address,
      c.city,
      c.state,
      c.country,
      c.postalCode,
      c.phone,
      c.fax,
      c.email,
      c.supportRepId,
    ]);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** The five address columns of an invoice row, encoded once per customer. */
export function billingText(a: BillingAddress): string {
  return [a.address, a.city, a.state, a.country, a.postalCode].map(encodeCopyValue).join("\t");
}

/**
 * Invoices `start` … `end - 1` of the plan (by position), as COPY rows of
 * INVOICE_COLUMNS. `billing` holds billingText of every customer the
 * invoices name.
 */
export function* invoiceCopyChunks(
  plan: DayPlan,
  billing: ReadonlyMap<number, string>,
  start = 0,
  end = plan.invoiceCustomerIds.length,
): Generator<string> {
  const stamp = timestamps(plan.day);
  let chunk = "";
  for (let i = start; i < end; i++) {
    const customer = plan.invoiceCustomerIds[i]!;
    const address = billing.get(customer);
    if (address === undefined) {
      throw new Error(`Invoice ${plan.firstInvoiceId + i}: customer ${customer} is missing`);
    }
    const seconds = plan.invoiceSeconds[i]! - plan.invoiceDaysEarly[i]! * 86_400;
    chunk += `${plan.firstInvoiceId + i}\t${customer}\t${stamp(seconds)}\t${address}\t${
      money(plan.invoiceTotalCents[i]!)
    }\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * The lines of invoices `start` … `end - 1` of the plan, as COPY rows of
 * LINE_COLUMNS (Quantity 1).
 */
export function* lineCopyChunks(
  plan: DayPlan,
  start = 0,
  end = plan.invoiceCustomerIds.length,
): Generator<string> {
  let chunk = "";
  for (let i = start; i < end; i++) {
    const invoiceId = plan.firstInvoiceId + i;
    for (let line = plan.lineStart[i]!; line < plan.lineStart[i + 1]!; line++) {
      chunk += `${plan.firstLineId + line}\t${invoiceId}\t${plan.lineTrackIds[line]}\t${
        money(plan.linePriceCents[line]!)
      }\t1\n`;
    }
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** cents / 100.0 as numeric(10,2) text: 99 → "0.99", -5 → "-0.05". */
export function money(cents: number): string {
  const abs = cents < 0 ? -cents : cents;
  const fraction = abs % 100;
  return `${cents < 0 ? "-" : ""}${(abs - fraction) / 100}.${TWO_DIGITS[fraction]}`;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));

/**
 * `day 00:00:00 + seconds` as a timestamp's text ("YYYY-MM-DD HH:MM:SS",
 * which every DateStyle reads alike); each date's text is made once.
 */
function timestamps(day: string): (seconds: number) => string {
  const first = dayToEpochDays(day);
  const dates = new Map<number, string>();
  return (seconds) => {
    const offset = Math.floor(seconds / 86_400);
    let date = dates.get(offset);
    if (date === undefined) dates.set(offset, date = epochDaysToDay(first + offset));
    const s = seconds - offset * 86_400;
    const h = (s / 3600) | 0;
    const m = ((s % 3600) / 60) | 0;
    return `${date} ${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[s % 60]}`;
  };
}
