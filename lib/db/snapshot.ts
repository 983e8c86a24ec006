/** Reads what a day's plan needs to know about the database, inside the day's transaction. */
import { concatArrays } from "./arrays.ts";
import { addDays } from "../sim/calendar.ts";
import type { CustomerProfile, Snapshot } from "../sim/plan.ts";
import type { Tx } from "./connect.ts";
import { nextIds } from "./ids.ts";
import { dayLiteral, latestByScan, latestSince, readStoredRecency } from "./recency.ts";
import { agesOn } from "../sim/recency.ts";

/**
 * Sends the snapshot's queries at once, answered in the order sent; the invoices since the stored
 * recency are asked as soon as it is back.
 */
export function readSnapshot(tx: Tx, day: string, windowDays: number): Promise<Snapshot> {
  const on = dateLiteral(tx, day);
  const windowStart = dateLiteral(tx, addDays(day, -(windowDays - 1)));
  const dayEnd = dateLiteral(tx, addDays(day, 1));
  // Each call sends its statement before the next call (postgres.js sends on the first await).
  const send = async <T>(query: PromiseLike<T>): Promise<T> => await query;
  const next = nextIds(tx);
  const reps = send(tx<{ id: number }[]>`
    SELECT "EmployeeId" AS id FROM public."Employee" WHERE "Title" ILIKE '%support%' ORDER BY 1`);
  // Each customer's latest invoice up to the day: the stored recency of a day before and the
  // invoices since (recency.ts), without one a scan of every invoice.
  const stored = readStoredRecency(tx, day);
  const latest = stored.then((stored) =>
    stored ? latestSince(tx, stored, day) : latestByScan(tx, day)
  );
  // Ids as texts of 8,192 rather than a row each, as the window's below: a small day's start
  // is mostly its reads, and a row object per customer and track cost it ~10 ms.
  const tracks = send(tx<{ ids: string; cents: string }[]>`
    SELECT string_agg("TrackId"::text, ',' ORDER BY "TrackId") AS ids,
           string_agg(round("UnitPrice" * 100)::int::text, ',' ORDER BY "TrackId") AS cents
      FROM public."Track" GROUP BY "TrackId" / 8192 ORDER BY "TrackId" / 8192`);
  // Two texts per 8,192 ids instead of a row per invoice (the window can hold millions): each is
  // a short-lived string, where one text for the whole window (16 MB for two million invoices)
  // and its message stayed until a full collection.
  const recent = send(tx<{ ids: string; ages: string }[]>`
    SELECT string_agg("InvoiceId"::text, ',' ORDER BY "InvoiceId") AS ids,
           string_agg((${on} - "InvoiceDate"::date)::text, ',' ORDER BY "InvoiceId") AS ages
      FROM public."Invoice"
     WHERE "InvoiceDate" >= ${windowStart} AND "InvoiceDate" < ${dayEnd} AND "Total" > 0
     GROUP BY "InvoiceId" / 8192 ORDER BY "InvoiceId" / 8192`);
  // The customers; their names and homes are read for the day's change targets only
  // (readCustomerProfiles).
  const customers = send(tx<{ ids: string }[]>`
    SELECT string_agg("CustomerId"::text, ',' ORDER BY "CustomerId") AS ids
      FROM public."Customer" GROUP BY "CustomerId" / 8192 ORDER BY "CustomerId" / 8192`);
  const snapshot = Promise.all([next, reps, customers, tracks, recent, latest]).then((
    [next, reps, customers, tracks, recent, latest],
  ): Snapshot => {
    const customerIds = parseIntLists(customers.map((r) => r.ids));
    return {
      customerIds,
      customerAgeDays: agesOn(latest, customerIds, day),
      customerLatest: latest,
      trackIds: parseIntLists(tracks.map((r) => r.ids)),
      trackPriceCents: parseIntLists(tracks.map((r) => r.cents)),
      supportRepIds: reps.map((r) => r.id),
      recentInvoiceIds: parseIntLists(recent.map((r) => r.ids)),
      recentAgeDays: parseIntLists(recent.map((r) => r.ages)),
      nextInvoiceId: next.invoice,
      nextInvoiceLineId: next.invoice_line,
      nextCustomerId: next.customer,
    };
  });
  // A failure is the caller's once it awaits; until then it is not an unhandled rejection.
  snapshot.catch(() => {});
  return snapshot;
}

/**
 * The names and homes of the customers at `indexes` of `customerIds` (the day's change targets),
 * as the plan's profiles: an array by index, holding only those.
 */
export async function readCustomerProfiles(
  tx: Tx,
  customerIds: Int32Array,
  indexes: readonly number[],
): Promise<CustomerProfile[]> {
  const ids = indexes.map((i) => customerIds[i]!);
  const rows = await tx<
    {
      id: number;
      first: string | null;
      last: string | null;
      country: string | null;
      city: string | null;
    }[]
  >`
    SELECT "CustomerId" AS id, "FirstName" AS first, "LastName" AS last, "Country" AS country,
           "City" AS city
      FROM public."Customer" WHERE "CustomerId" = ANY(${ids}::int[])`;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const profiles: CustomerProfile[] = [];
  for (const index of indexes) {
    const r = byId.get(customerIds[index]!);
    if (!r) throw new Error(`Customer ${customerIds[index]} is gone from its own snapshot`);
    profiles[index] = {
      firstName: r.first ?? "",
      lastName: r.last ?? "",
      country: r.country ?? "",
      city: r.city ?? "",
    };
  }
  return profiles;
}

/**
 * A day as an SQL date literal (dayLiteral) in a statement. The snapshot's statements carry no
 * parameters: postgres.js sends a statement with parameters that the connection has not
 * prepared yet (every statement of a fresh run) as Parse/Describe alone and sends nothing more
 * until the answer is back, so they would go one round trip at a time, and not while the caller
 * computes; without parameters they all go at once and the server answers them back to back.
 */
function dateLiteral(tx: Tx, day: string) {
  return tx.unsafe(dayLiteral(day));
}

/**
 * "3,5,8" → Int32Array [3, 5, 8]. Read in place: split(",") made a string per number (a window of
 * two million invoices: about 120 MB of short strings, twice).
 */
export function parseIntList(text: string | null): Int32Array {
  if (!text) return new Int32Array();
  let count = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === COMMA) count++;
  const out = new Int32Array(count);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let negative = false;
    if (text.charCodeAt(i) === MINUS) {
      negative = true;
      i++;
    }
    let value = 0;
    let digits = 0;
    for (; i < text.length; i++, digits++) {
      const code = text.charCodeAt(i);
      if (code === COMMA) break;
      if (code < ZERO || code > ZERO + 9) throw new SyntaxError(`Not an integer list: "${text}"`);
      value = value * 10 + code - ZERO;
    }
    if (digits === 0) throw new SyntaxError(`Not an integer list: "${text}"`);
    out[n++] = negative ? -value : value;
  }
  // A trailing comma: an empty last item.
  if (n !== count) throw new SyntaxError(`Not an integer list: "${text}"`);
  return out;
}

/** Several lists read as one, in order. */
export function parseIntLists(texts: readonly string[]): Int32Array {
  return concatArrays(texts.map(parseIntList), (n) => new Int32Array(n));
}

const COMMA = 44;
const MINUS = 45;
const ZERO = 48;

/** The tracks already on each of `invoiceIds` (for the second phase of the plan: updates). */
export async function readInvoiceTracks(
  tx: Tx,
  invoiceIds: number[],
): Promise<Array<{ invoiceId: number; trackIds: number[] }>> {
  const current = await tx<{ id: number; tracks: number[] }[]>`
    SELECT "InvoiceId" AS id, array_agg("TrackId" ORDER BY "TrackId") AS tracks
      FROM public."InvoiceLine" WHERE "InvoiceId" = ANY(${invoiceIds}::int[])
     GROUP BY 1 ORDER BY 1`;
  return current.map((r) => ({ invoiceId: r.id, trackIds: r.tracks }));
}
