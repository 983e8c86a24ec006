/**
 * Setup's history: the days before the first simulated day, made by the demand model
 * (lib/sim/history.ts) and loaded in bulk (a statement per 25,000 rows), inside setup's
 * transaction: all of it or nothing.
 */
import { logger } from "../cli/output.ts";
import type { DemandModel } from "../sim/demand.ts";
import { type HistoryRows, originalSeconds, planHistory } from "../sim/history.ts";
import { loadNames } from "../sim/people/mod.ts";
import type { Tx } from "./connect.ts";
import { nextIds } from "./ids.ts";
import { CHUNK_ROWS } from "./writes.ts";

export interface HistoryOptions {
  seed: string;
  model: DemandModel;
  timeZone: string;
}

export interface HistoryLoaded {
  from: string;
  to: string;
  seed: string;
  invoices: number;
  lines: number;
  customers: number;
  /** The first ids the history took (the simulator's own rows start there). */
  firstInvoiceId: number;
  firstCustomerId: number;
  revenue: string;
  /** Time to plan and load it, in milliseconds. */
  elapsedMs: number;
}

/** Plans the history from `from` to `to` on the store as it is, and inserts it. */
export async function loadHistory(
  tx: Tx,
  from: string,
  to: string,
  options: HistoryOptions,
): Promise<HistoryLoaded> {
  const started = performance.now();
  logger("setup").debug("Making the history {from} to {to} (seed {seed})", {
    from,
    to,
    seed: options.seed,
  });
  await timeOriginals(tx, options);
  const [customers, tracks, reps, next] = await Promise.all([
    tx<{ id: number; latest: string | null }[]>`
      SELECT c."CustomerId" AS id, to_char(max(i."InvoiceDate"), 'YYYY-MM-DD') AS latest
        FROM public."Customer" c LEFT JOIN public."Invoice" i ON i."CustomerId" = c."CustomerId"
       GROUP BY 1 ORDER BY 1`,
    tx<{ id: number; cents: number }[]>`
      SELECT "TrackId" AS id, round("UnitPrice" * 100)::int AS cents FROM public."Track" ORDER BY 1`,
    tx<{ id: number }[]>`
      SELECT "EmployeeId" AS id FROM public."Employee" WHERE "Title" ILIKE '%support%' ORDER BY 1`,
    nextIds(tx),
  ]);
  const rows = planHistory({
    seed: options.seed,
    model: options.model,
    from,
    to,
    timeZone: options.timeZone,
    names: await loadNames(),
    start: {
      customerIds: Int32Array.from(customers, (r) => r.id),
      customerLatest: customers.map((r) => r.latest ?? ""),
      trackIds: Int32Array.from(tracks, (r) => r.id),
      trackPriceCents: Int32Array.from(tracks, (r) => r.cents),
      supportRepIds: reps.map((r) => r.id),
      nextInvoiceId: next.invoice,
      nextInvoiceLineId: next.invoice_line,
      nextCustomerId: next.customer,
    },
  });
  const planned = performance.now();
  await insertHistory(tx, rows);
  logger("setup").debug("History planned in {plan} ms, inserted in {insert} ms", {
    plan: Math.round(planned - started),
    insert: Math.round(performance.now() - planned),
  });
  return {
    from,
    to,
    seed: options.seed,
    invoices: rows.invoiceCustomerIds.length,
    lines: rows.lineTrackIds.length,
    customers: rows.newCustomers.length,
    firstInvoiceId: rows.firstInvoiceId,
    firstCustomerId: next.customer,
    revenue: (rows.revenueCents / 100).toFixed(2),
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** Chinook's own invoices, all at midnight, get times of day from the hour curve. */
async function timeOriginals(tx: Tx, options: HistoryOptions): Promise<void> {
  const midnight = await tx<{ id: number; day: string }[]>`
    SELECT "InvoiceId" AS id, to_char("InvoiceDate", 'YYYY-MM-DD') AS day FROM public."Invoice"
     WHERE "InvoiceDate" = date_trunc('day', "InvoiceDate") ORDER BY 1`;
  if (midnight.length === 0) return;
  const seconds = originalSeconds(options.model, options.seed, options.timeZone, midnight);
  await tx`
    UPDATE public."Invoice" i SET "InvoiceDate" = i."InvoiceDate" + u.sec * interval '1 second'
      FROM unnest(${midnight.map((r) => r.id)}::int[], ${seconds}::int[]) AS u(id, sec)
     WHERE i."InvoiceId" = u.id`;
}

async function insertHistory(tx: Tx, rows: HistoryRows): Promise<void> {
  const c = rows.newCustomers;
  for (let start = 0; start < c.length; start += CHUNK_ROWS) {
    const part = c.slice(start, start + CHUNK_ROWS);
    const col = <K extends keyof (typeof part)[number]>(key: K) => part.map((p) => p[key]);
    await tx`
      INSERT INTO public."Customer" ("CustomerId", "FirstName", "LastName", "Company", "Address",
        "City", "State", "Country", "PostalCode", "Phone", "Fax", "Email", "SupportRepId")
      OVERRIDING SYSTEM VALUE
      SELECT * FROM unnest(${col("id")}::int[], ${col("firstName")}::text[],
        ${col("lastName")}::text[], ${col("company")}::text[], ${col("address")}::text[],
        ${col("city")}::text[], ${col("state")}::text[], ${col("country")}::text[],
        ${col("postalCode")}::text[], ${col("phone")}::text[], ${col("fax")}::text[],
        ${col("email")}::text[], ${col("supportRepId")}::int[])`;
  }
  // Fresh statistics: a Customer table loaded in this very transaction looks empty to the
  // planner, which would then scan it once per invoice instead of hashing it.
  await tx`ANALYZE public."Customer"`;
  const count = rows.invoiceCustomerIds.length;
  for (let start = 0; start < count; start += CHUNK_ROWS) {
    const end = Math.min(count, start + CHUNK_ROWS);
    const ids = Array.from({ length: end - start }, (_, i) => rows.firstInvoiceId + start + i);
    // No profile changes in the history: the billing address is the customer's.
    await tx`
      INSERT INTO public."Invoice" ("InvoiceId", "CustomerId", "InvoiceDate", "BillingAddress",
        "BillingCity", "BillingState", "BillingCountry", "BillingPostalCode", "Total")
      OVERRIDING SYSTEM VALUE
      SELECT u.id, u.customer, u.at::timestamp, c."Address", c."City", c."State", c."Country",
             c."PostalCode", u.cents / 100.0
        FROM unnest(${ids}::int[],
                    ${Array.from(rows.invoiceCustomerIds.subarray(start, end))}::int[],
                    ${rows.invoiceDates.slice(start, end)}::text[],
                    ${Array.from(rows.invoiceTotalCents.subarray(start, end))}::int[])
             AS u(id, customer, at, cents)
        JOIN public."Customer" c ON c."CustomerId" = u.customer`;
  }
  const lines = rows.lineTrackIds.length;
  for (let start = 0; start < lines; start += CHUNK_ROWS) {
    const end = Math.min(lines, start + CHUNK_ROWS);
    await tx`
      INSERT INTO public."InvoiceLine" ("InvoiceLineId", "InvoiceId", "TrackId", "UnitPrice",
        "Quantity")
      OVERRIDING SYSTEM VALUE
      SELECT u.id, u.invoice, u.track, u.cents / 100.0, 1
        FROM unnest(${
      Array.from({ length: end - start }, (_, i) => rows.firstLineId + start + i)
    }::int[], ${Array.from(rows.lineInvoiceIds.subarray(start, end))}::int[],
                    ${Array.from(rows.lineTrackIds.subarray(start, end))}::int[],
                    ${Array.from(rows.linePriceCents.subarray(start, end))}::int[])
             AS u(id, invoice, track, cents)`;
  }
  await tx`ANALYZE public."Invoice"`;
  await tx`ANALYZE public."InvoiceLine"`;
}
