/**
 * Setup's history: the days before the first simulated day, made by the demand model
 * (lib/sim/history.ts) and loaded by COPY FROM STDIN, inside setup's transaction: all of it or
 * nothing. Planned and loaded in slices of about 25,000 invoices, a COPY statement per 25,000
 * rows: the embedded database holds each COPY whole, and neither its memory nor the process's
 * gives much back, so what is held at once is kept small.
 */
import { logger } from "../cli/output.ts";
import type { DemandModel } from "../sim/demand.ts";
import { type HistoryRows, historySlices, originalSeconds } from "../sim/history.ts";
import { loadNames } from "../sim/people/mod.ts";
import type { Tx } from "./connect.ts";
import { copyInto, encodeCopyRow } from "./copy.ts";
import { nextIds } from "./ids.ts";
import { saveRecency } from "./recency.ts";
import {
  type BillingAddress,
  billingText,
  CUSTOMER_COLUMNS,
  INVOICE_COLUMNS,
  LINE_COLUMNS,
  money,
} from "./invoice_copy.ts";

/** Rows per COPY statement: a few MB of text at most. */
const COPY_ROWS = 25_000;
/** Invoices per slice of the history planned, then loaded, then dropped (see historySlices). */
const SLICE_INVOICES = 25_000;

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
  /** How it was made, so that it can be made again for another end (setup keeps these). */
  years?: number;
  model?: DemandModel;
  timeZone?: string;
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
    tx<({ id: number; latest: string | null } & BillingAddress)[]>`
      SELECT c."CustomerId" AS id, to_char(max(i."InvoiceDate"), 'YYYY-MM-DD') AS latest,
             c."Address" AS address, c."City" AS city, c."State" AS state,
             c."Country" AS country, c."PostalCode" AS "postalCode"
        FROM public."Customer" c LEFT JOIN public."Invoice" i ON i."CustomerId" = c."CustomerId"
       GROUP BY c."CustomerId" ORDER BY 1`,
    tx<{ id: number; cents: number }[]>`
      SELECT "TrackId" AS id, round("UnitPrice" * 100)::int AS cents FROM public."Track" ORDER BY 1`,
    tx<{ id: number }[]>`
      SELECT "EmployeeId" AS id FROM public."Employee" WHERE "Title" ILIKE '%support%' ORDER BY 1`,
    nextIds(tx),
  ]);
  const slices = historySlices({
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
  }, SLICE_INVOICES);
  // Each customer's address as COPY text (no profile changes in the history).
  const billing = new Map(customers.map((c) => [c.id, billingText(c)]));
  const made = { invoices: 0, lines: 0, customers: 0, revenueCents: 0 };
  let planMs = 0;
  let latest: Int32Array | undefined;
  await withoutForeignKeys(tx, async () => {
    for (let at = performance.now();;) {
      const { value: slice, done } = slices.next();
      const planned = performance.now();
      planMs += planned - at;
      if (done) break;
      await insertSlice(tx, slice, billing);
      latest = slice.latest ?? latest;
      made.invoices += slice.invoiceCustomerIds.length;
      made.lines += slice.lineTrackIds.length;
      made.customers += slice.newCustomers.length;
      made.revenueCents += slice.revenueCents;
      at = performance.now();
    }
    // Fresh statistics (for the foreign keys' checks, next, and the days after): tables loaded
    // in this very transaction look empty to the planner.
    await tx`ANALYZE public."Customer"`;
    await tx`ANALYZE public."Invoice"`;
    await tx`ANALYZE public."InvoiceLine"`;
  });
  // The first day after the history starts from the customers' latest invoices as it left them.
  if (latest) await saveRecency(tx, to, latest, next.invoice + made.invoices);
  logger("setup").debug("History planned in {plan} ms, inserted in {insert} ms", {
    plan: Math.round(planMs),
    insert: Math.round(performance.now() - started - planMs),
  });
  return {
    from,
    to,
    seed: options.seed,
    invoices: made.invoices,
    lines: made.lines,
    customers: made.customers,
    firstInvoiceId: next.invoice,
    firstCustomerId: next.customer,
    revenue: (made.revenueCents / 100).toFixed(2),
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

/**
 * Runs `load` with the foreign keys of Customer, Invoice and InvoiceLine dropped, then adds them
 * back as they were: each is then checked once, by one join over the whole table, instead of one
 * look-up per row (two thirds of the load's time in the embedded database). All inside the
 * caller's transaction: a row that breaks one fails the whole setup.
 */
async function withoutForeignKeys(tx: Tx, load: () => Promise<void>): Promise<void> {
  const keys = await tx<{ drop: string; add: string }[]>`
    SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop,
           format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                  pg_get_constraintdef(c.oid)) AS add
      FROM pg_constraint c JOIN pg_type t ON t.typrelid = c.conrelid
     WHERE c.contype = 'f'
       AND t.oid IN (pg_typeof(NULL::public."Customer"), pg_typeof(NULL::public."Invoice"),
                     pg_typeof(NULL::public."InvoiceLine"))
     ORDER BY c.conname`;
  for (const key of keys) await tx.unsafe(key.drop);
  await load();
  for (const key of keys) await tx.unsafe(key.add);
}

/**
 * A slice's rows as the unnest statements made them: the billing address is the customer's, money
 * is cents / 100 as numeric(10,2) text, the time the plan's wall clock text. `billing` gets the
 * slice's new customers.
 */
async function insertSlice(
  tx: Tx,
  rows: HistoryRows,
  billing: Map<number, string>,
): Promise<void> {
  const into = (table: string, columns: readonly string[]) => ({
    schema: "public",
    table,
    columns,
  });
  const c = rows.newCustomers;
  for (let start = 0; start < c.length; start += COPY_ROWS) {
    let text = "";
    for (const p of c.slice(start, start + COPY_ROWS)) {
      text += encodeCopyRow([
        p.id,
        p.firstName,
        p.lastName,
        p.company,
        p.address,
        p.city,
        p.state,
        p.country,
        p.postalCode,
        p.phone,
        p.fax,
        p.email,
        p.supportRepId,
      ]);
      billing.set(p.id, billingText(p));
    }
    await copyInto(tx, into("Customer", CUSTOMER_COLUMNS), [text]);
  }
  const count = rows.invoiceCustomerIds.length;
  for (let start = 0; start < count; start += COPY_ROWS) {
    let text = "";
    for (let i = start; i < Math.min(count, start + COPY_ROWS); i++) {
      const customer = rows.invoiceCustomerIds[i]!;
      const address = billing.get(customer);
      if (address === undefined) throw new Error(`History: customer ${customer} is missing`);
      text += `${rows.firstInvoiceId + i}\t${customer}\t${rows.invoiceDates[i]}\t${address}\t${
        money(rows.invoiceTotalCents[i]!)
      }\n`;
    }
    await copyInto(tx, into("Invoice", INVOICE_COLUMNS), [text]);
  }
  const lines = rows.lineTrackIds.length;
  for (let start = 0; start < lines; start += COPY_ROWS) {
    let text = "";
    for (let i = start; i < Math.min(lines, start + COPY_ROWS); i++) {
      text += `${rows.firstLineId + i}\t${rows.lineInvoiceIds[i]}\t${rows.lineTrackIds[i]}\t${
        money(rows.linePriceCents[i]!)
      }\t1\n`;
    }
    await copyInto(tx, into("InvoiceLine", LINE_COLUMNS), [text]);
  }
}
