/**
 * The customers' latest invoices as the store remembers them (lib/sim/recency.ts), kept in
 * chinook_sim.recency as of the end of each day written, so that a day's snapshot reads the
 * stored recency and the few invoices since instead of scanning every invoice.
 */
import { addDays } from "../sim/calendar.ts";
import {
  decodeRecency,
  emptyRecency,
  encodeRecency,
  mergeLatest,
  NO_INVOICE,
  replaceLatest,
} from "../sim/recency.ts";
import type { Sql, Tx } from "./connect.ts";

/** The stored days kept: the latest few are enough for the next day and a short rewind. */
export const KEPT_RECENCY_DAYS = 8;

/**
 * The oldest stored recency a day reads on: beyond it, the invoices since would be most of a
 * year's, and the full scan is no dearer.
 */
export const MAX_RECENCY_GAP_DAYS = 366;

/**
 * Keeps `latest` (as of the end of `day`) for the days after it, in the day's transaction.
 * `nextInvoiceId`: the first invoice id not issued when the day ends; an invoice numbered from
 * there on is read by the next snapshot whatever its date (a late one, or one inserted outside
 * the tool). A stored day after `day` no longer holds (it missed this day's invoices): it goes;
 * so do the days beyond the latest few.
 */
export async function saveRecency(
  tx: Tx,
  day: string,
  latest: Int32Array,
  nextInvoiceId: number,
): Promise<void> {
  await tx`
    INSERT INTO chinook_sim.recency (sim_date, next_invoice_id, latest)
    VALUES (${day}, ${nextInvoiceId}, ${encodeRecency(latest)})
    ON CONFLICT (sim_date) DO UPDATE
      SET next_invoice_id = EXCLUDED.next_invoice_id, latest = EXCLUDED.latest`;
  await tx`
    DELETE FROM chinook_sim.recency
     WHERE sim_date > ${day}
        OR sim_date < (SELECT min(sim_date) FROM (SELECT sim_date FROM chinook_sim.recency
                        ORDER BY sim_date DESC LIMIT ${KEPT_RECENCY_DAYS}) kept)`;
}

/**
 * Forgets the stored days from `day` on (all of them without `day`): rewind undoes their
 * invoices, a history moved makes them wrong. A database whose schema is older than the table
 * has none to forget.
 */
export async function forgetRecency(tx: Tx | Sql, day?: string): Promise<void> {
  const [row] = await tx<{ ok: boolean }[]>`
    SELECT to_regclass('chinook_sim.recency') IS NOT NULL AS ok`;
  if (!row?.ok) return;
  if (day === undefined) await tx`DELETE FROM chinook_sim.recency`;
  else await tx`DELETE FROM chinook_sim.recency WHERE sim_date >= ${day}`;
}

/**
 * `latest` as of the end of `day` once run `runId` removed invoices (`--delete-mode hard`): a
 * removed invoice may have been its customer's latest, so those customers' latest invoices up to
 * the day are read again (readAgain). `latest` is changed in place and returned.
 */
export async function withoutRemoved(
  tx: Tx,
  runId: number,
  day: string,
  latest: Int32Array,
): Promise<Int32Array> {
  if (!Number.isSafeInteger(runId)) throw new RangeError(`Not a run id: ${runId}`);
  return readAgain(latest, await tx.unsafe(removedCustomersLatest(`c.run_id = ${runId}`, day)));
}

/**
 * The customers of the invoices removed by the changes `where` picks (their before-images in
 * chinook_sim.change, read as Invoice rows: either variant), each with their latest invoice up
 * to the end of `day` now (by the CustomerId index), null for none.
 */
function removedCustomersLatest(where: string, day: string): string {
  return `
    WITH removed AS (
      SELECT DISTINCT r."CustomerId" AS id
        FROM chinook_sim.change c, jsonb_populate_record(NULL::public."Invoice", c.before) r
       WHERE ${where} AND c.table_name = 'Invoice' AND c.op = 'delete')
    SELECT removed.id,
           (SELECT max(i."InvoiceDate") FROM public."Invoice" i
             WHERE i."CustomerId" = removed.id AND i."InvoiceDate" < ${dayLiteral(addDays(day, 1))}
           )::date - DATE '1970-01-01' AS latest
      FROM removed`;
}

/** Each customer's latest as read again (older, or none, where an invoice was removed). */
function readAgain(
  latest: Int32Array,
  rows: ReadonlyArray<{ id: number; latest: number | null }>,
): Int32Array {
  return replaceLatest(latest, rows.map((r) => r.id), rows.map((r) => r.latest ?? NO_INVOICE));
}

/**
 * Live mode's day end: the stored recency of `day` (kept when the day started) without the
 * invoices its run removed (see withoutRemoved).
 */
export async function reviseForRemoved(tx: Tx, runId: number, day: string): Promise<void> {
  const [row] = await tx<{ next: number; latest: Uint8Array }[]>`
    SELECT next_invoice_id::float8 AS next, latest FROM chinook_sim.recency WHERE sim_date = ${day}`;
  if (!row) return;
  const latest = await withoutRemoved(tx, runId, day, decodeRecency(row.latest));
  await saveRecency(tx, day, latest, row.next);
}

/** A stored recency: as of the end of `day`, with the invoice ids issued by then. */
export interface StoredRecency {
  day: string;
  nextInvoiceId: number;
  latest: Int32Array;
}

/**
 * Sends the query for the latest stored recency before `day` that is recent enough to read on
 * (null: none). No parameters: see dateLiteral in snapshot.ts.
 */
export function readStoredRecency(tx: Tx, day: string): Promise<StoredRecency | null> {
  const query = tx.unsafe<{ day: string; next: number; latest: Uint8Array }[]>(`
    SELECT sim_date::text AS day, next_invoice_id::float8 AS next, latest FROM chinook_sim.recency
     WHERE sim_date < ${dayLiteral(day)}
       AND sim_date >= ${dayLiteral(addDays(day, -MAX_RECENCY_GAP_DAYS))}
     ORDER BY sim_date DESC LIMIT 1`);
  return (async () => {
    const [row] = await query;
    return row
      ? { day: row.day, nextInvoiceId: row.next, latest: decodeRecency(row.latest) }
      : null;
  })();
}

/**
 * The recency as of the end of `day` from a stored one: the invoices dated after the stored day
 * up to `day` (by the InvoiceDate index) and those numbered from its next id on (by the key),
 * merged in. Customers who signed up since have ids beyond the stored array; their invoices
 * are among those. The customers of invoices removed since are read again.
 */
export async function latestSince(
  tx: Tx,
  stored: StoredRecency,
  day: string,
): Promise<Int32Array> {
  if (!Number.isSafeInteger(stored.nextInvoiceId)) {
    throw new RangeError(`Not an invoice id: ${stored.nextInvoiceId}`);
  }
  const dayEnd = dayLiteral(addDays(day, 1));
  // Two ranges, each on its own index; a customer in both counts once (the latest wins).
  const since = tx.unsafe<{ id: number; latest: number }[]>(`
    SELECT "CustomerId" AS id, max("InvoiceDate")::date - DATE '1970-01-01' AS latest
      FROM (SELECT "CustomerId", "InvoiceDate" FROM public."Invoice"
             WHERE "InvoiceDate" >= ${dayLiteral(addDays(stored.day, 1))}
               AND "InvoiceDate" < ${dayEnd}
            UNION ALL
            SELECT "CustomerId", "InvoiceDate" FROM public."Invoice"
             WHERE "InvoiceId" >= ${stored.nextInvoiceId} AND "InvoiceDate" < ${dayEnd}) i
     GROUP BY 1`);
  // Invoices removed by days after the stored one (--delete-mode hard; days written out of
  // order) may have been their customers' latest: those customers are read again. Usually none.
  const removed = tx.unsafe<{ id: number; latest: number | null }[]>(
    removedCustomersLatest(`c.sim_date > ${dayLiteral(stored.day)}`, day),
  );
  // Both sent before either answer is awaited.
  const [rows, again] = await Promise.all([since, removed]);
  return readAgain(merged(stored.latest.slice(), rows), again);
}

/**
 * Every customer's latest invoice up to the end of `day`, by a scan of every invoice: without a
 * stored recency to start from (a database set up before there was one, a long gap).
 */
export async function latestByScan(tx: Tx, day: string): Promise<Int32Array> {
  const rows = await tx.unsafe<{ id: number; latest: number }[]>(`
    SELECT "CustomerId" AS id, max("InvoiceDate")::date - DATE '1970-01-01' AS latest
      FROM public."Invoice" WHERE "InvoiceDate" < ${dayLiteral(addDays(day, 1))}
     GROUP BY 1`);
  return merged(emptyRecency(0), rows);
}

function merged(latest: Int32Array, rows: ReadonlyArray<{ id: number; latest: number }>) {
  return mergeLatest(
    latest,
    rows.map((r) => r.id),
    rows.map((r) => r.latest),
  );
}

/**
 * A day as an SQL date literal (checked: YYYY-MM-DD only), for the snapshot's statements, which
 * carry no parameters (see dateLiteral in snapshot.ts).
 */
export function dayLiteral(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`Not a day: "${day}"`);
  return `DATE '${day}'`;
}
