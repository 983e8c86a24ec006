/** Reads what a day's plan needs to know about the database, inside the day's transaction. */
import { addDays } from "../sim/calendar.ts";
import type { Snapshot } from "../sim/plan.ts";
import type { Tx } from "./connect.ts";
import { nextIds } from "./ids.ts";

export async function readSnapshot(tx: Tx, day: string, windowDays: number): Promise<Snapshot> {
  const windowStart = addDays(day, -(windowDays - 1));
  const dayEnd = addDays(day, 1);
  const [customers, tracks, reps, recent, next] = await Promise.all([
    // Each customer with the days since their latest invoice up to the day (-1: none yet).
    tx<
      {
        id: number;
        age: number | null;
        first: string | null;
        last: string | null;
        country: string | null;
        city: string | null;
      }[]
    >`
      SELECT c."CustomerId" AS id, c."FirstName" AS first, c."LastName" AS last,
             c."Country" AS country, c."City" AS city, (${day}::date - l.latest::date) AS age
        FROM public."Customer" c
        LEFT JOIN (SELECT "CustomerId", max("InvoiceDate") AS latest FROM public."Invoice"
                    WHERE "InvoiceDate" < ${dayEnd}::date GROUP BY 1) l
          ON l."CustomerId" = c."CustomerId"
       ORDER BY 1`,
    tx<{ id: number; cents: number }[]>`
      SELECT "TrackId" AS id, round("UnitPrice" * 100)::int AS cents FROM public."Track" ORDER BY 1`,
    tx<{ id: number }[]>`
      SELECT "EmployeeId" AS id FROM public."Employee" WHERE "Title" ILIKE '%support%' ORDER BY 1`,
    // One row of two texts instead of a row per invoice: the window can hold millions.
    tx<{ ids: string | null; ages: string | null }[]>`
      SELECT string_agg("InvoiceId"::text, ',' ORDER BY "InvoiceId") AS ids,
             string_agg((${day}::date - "InvoiceDate"::date)::text, ',' ORDER BY "InvoiceId") AS ages
        FROM public."Invoice"
       WHERE "InvoiceDate" >= ${windowStart}::date AND "InvoiceDate" < ${dayEnd}::date AND "Total" > 0`,
    nextIds(tx),
  ]);
  return {
    customerIds: Int32Array.from(customers, (r) => r.id),
    customerAgeDays: Int32Array.from(customers, (r) => r.age ?? -1),
    customerProfiles: customers.map((r) => ({
      firstName: r.first ?? "",
      lastName: r.last ?? "",
      country: r.country ?? "",
      city: r.city ?? "",
    })),
    trackIds: Int32Array.from(tracks, (r) => r.id),
    trackPriceCents: Int32Array.from(tracks, (r) => r.cents),
    supportRepIds: reps.map((r) => r.id),
    recentInvoiceIds: parseIntList(recent[0]?.ids ?? null),
    recentAgeDays: parseIntList(recent[0]?.ages ?? null),
    nextInvoiceId: next.invoice,
    nextInvoiceLineId: next.invoice_line,
    nextCustomerId: next.customer,
  };
}

/** "3,5,8" → Int32Array [3, 5, 8]. */
function parseIntList(text: string | null): Int32Array {
  if (!text) return new Int32Array();
  const parts = text.split(",");
  const out = new Int32Array(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = Number(parts[i]);
  return out;
}

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
