/**
 * The day's set-based writes, in their fixed order: sign-ups, customer
 * changes, invoices and their lines, updates, cancellations, duplicate
 * copies cancelled, edits to earlier days. Each statement handles a whole
 * column of the plan (INSERT … SELECT FROM unnest(…); the new invoices and
 * lines by COPY on a server), never a row at a time, and is recorded in the
 * run's log (updates and deletes with the rows' before-images, captured by
 * the same statement).
 */
import { wallClock } from "../sim/calendar.ts";
import type { DemandModel } from "../sim/demand.ts";
import type {
  DayWrites,
  DeleteMode,
  EditedInvoice,
  RemovedInvoice,
  UpdatedInvoice,
} from "../sim/day_types.ts";
import {
  type AddedLines,
  type DayPlan,
  type NewCustomer,
  planAddedLines,
  type Snapshot,
} from "../sim/plan.ts";
import type { RunLog } from "./change_log.ts";
import type { Tx } from "./connect.ts";
import { copyInto } from "./copy.ts";
import {
  type BillingAddress,
  billingText,
  INVOICE_COLUMNS,
  invoiceCopyChunks,
  LINE_COLUMNS,
  lineCopyChunks,
} from "./invoice_copy.ts";
import { readInvoiceTracks } from "./snapshot.ts";

/** Rows per INSERT … SELECT FROM unnest(…): big enough to be fast, small enough to bound memory. */
export const CHUNK_ROWS = 25_000;

/** Applies every change of the plan; what the database reported comes back. */
export async function applyPlan(
  tx: Tx,
  plan: DayPlan,
  context: {
    model: DemandModel;
    snapshot: Snapshot;
    deleteMode: DeleteMode;
    log: RunLog;
    /** The updates' added lines planned already (live mode plans the whole day first). */
    added?: AddedLines;
  },
): Promise<DayWrites> {
  const { log, deleteMode } = context;
  await insertCustomers(tx, plan, log);
  await changeCustomers(tx, plan, log);
  const lines = await insertInvoices(tx, plan, log);
  const updated = await addLinesToInvoices(tx, plan, context, plan.firstLineId + lines);
  const cancel = deleteMode === "hard" ? "invoice_delete" : "invoice_cancel";
  const removed = await cancelInvoices(tx, log, plan.cancelTargets, deleteMode, cancel);
  const duplicates = await cancelInvoices(
    tx,
    log,
    plan.duplicateIds,
    deleteMode,
    "invoice_duplicate",
  );
  const edited = await editInvoices(tx, log, plan.editTargets);
  return { lines, updated, removed, duplicates, edited };
}

/** One column of values for unnest(…): the field `key` of every item. */
function column<T, K extends keyof T>(items: readonly T[], key: K): Array<T[K]> {
  return items.map((item) => item[key]);
}

/**
 * The sign-ups, CHUNK_ROWS per statement: a day's 180k in one statement held every column as an
 * array, its text and its message at once (about 150 MB more resident memory).
 */
async function insertCustomers(tx: Tx, plan: DayPlan, log: RunLog): Promise<void> {
  const all = plan.newCustomers;
  if (all.length === 0) return;
  log.inserted("Customer", "customer_insert", all[0]!.id, all.length);
  for (let start = 0; start < all.length; start += CHUNK_ROWS) {
    await insertCustomerRows(tx, all.slice(start, start + CHUNK_ROWS));
  }
}

async function insertCustomerRows(tx: Tx, c: readonly NewCustomer[]): Promise<void> {
  await tx`
    INSERT INTO public."Customer" ("CustomerId", "FirstName", "LastName", "Company", "Address", "City",
      "State", "Country", "PostalCode", "Phone", "Fax", "Email", "SupportRepId")
    OVERRIDING SYSTEM VALUE
    SELECT * FROM unnest(${column(c, "id")}::int[], ${column(c, "firstName")}::text[],
      ${column(c, "lastName")}::text[], ${column(c, "company")}::text[],
      ${column(c, "address")}::text[], ${column(c, "city")}::text[], ${column(c, "state")}::text[],
      ${column(c, "country")}::text[], ${column(c, "postalCode")}::text[],
      ${column(c, "phone")}::text[], ${column(c, "fax")}::text[], ${column(c, "email")}::text[],
      ${column(c, "supportRepId")}::int[])`;
}

async function changeCustomers(tx: Tx, plan: DayPlan, log: RunLog): Promise<void> {
  const moves = plan.customerChanges.flatMap((c) => c.kind === "address" ? [c] : []);
  const emails = plan.customerChanges.flatMap((c) => c.kind === "email" ? [c] : []);
  if (moves.length > 0) {
    const ids = column(moves, "customerId");
    await log.update(
      tx,
      "Customer",
      "customer_address",
      tx`t."CustomerId" = ANY(${ids}::int[])`,
      ({ prior, logged }) =>
        tx`
      WITH ${prior}, changed AS (
        UPDATE public."Customer" c
           SET "Address" = u.address, "City" = u.city, "State" = u.state, "Country" = u.country,
               "PostalCode" = u.postal, "Phone" = u.phone,
               "Fax" = CASE WHEN c."Fax" IS NULL THEN NULL ELSE u.fax END
          FROM unnest(${ids}::int[], ${column(moves, "address")}::text[],
                      ${column(moves, "city")}::text[], ${column(moves, "state")}::text[],
                      ${column(moves, "country")}::text[], ${column(moves, "postalCode")}::text[],
                      ${column(moves, "phone")}::text[], ${column(moves, "fax")}::text[])
               AS u(id, address, city, state, country, postal, phone, fax)
         WHERE c."CustomerId" = u.id
        RETURNING c."CustomerId" AS row_id
      ), ${logged}
      SELECT row_id FROM changed`,
    );
  }
  if (emails.length > 0) {
    const ids = column(emails, "customerId");
    await log.update(
      tx,
      "Customer",
      "customer_email",
      tx`t."CustomerId" = ANY(${ids}::int[])`,
      ({ prior, logged }) =>
        tx`
      WITH ${prior}, changed AS (
        UPDATE public."Customer" c SET "Email" = u.email
          FROM unnest(${ids}::int[], ${column(emails, "email")}::text[]) AS u(id, email)
         WHERE c."CustomerId" = u.id
        RETURNING c."CustomerId" AS row_id
      ), ${logged}
      SELECT row_id FROM changed`,
    );
  }
}

/**
 * Invoices and their lines: by COPY where that pays (copyPays), otherwise by
 * INSERT … SELECT FROM unnest; both make the same rows.
 */
async function insertInvoices(tx: Tx, plan: DayPlan, log: RunLog): Promise<number> {
  const count = plan.invoiceCustomerIds.length;
  log.inserted("Invoice", "invoice_insert", plan.firstInvoiceId, count);
  const lineCount = plan.lineTrackIds.length;
  log.inserted("InvoiceLine", "invoice_insert", plan.firstLineId, lineCount);
  if (count === 0) return lineCount;
  if (await copyPays(tx)) await copyInvoices(tx, plan);
  else await insertInvoicesByUnnest(tx, plan);
  return lineCount;
}

/**
 * Whether COPY is the faster way into this database: not on PGlite (the
 * embedded database, also when `serve` gives it to another process), which
 * takes each COPY whole in memory and where COPY measured no clear gain over
 * unnest (a 100k-invoice day: about the same time, a little more memory).
 */
async function copyPays(tx: Tx): Promise<boolean> {
  const [row] = await tx<{ pglite: boolean }[]>`SELECT version() LIKE '%PGlite%' AS pglite`;
  return !row!.pglite;
}

/**
 * CHUNK_ROWS invoices per COPY, then their lines: the text is encoded while
 * the server loads it, and what one statement holds stays bounded. The
 * billing address is the customer's as it stands after the day's sign-ups
 * and changes (the unnest path joins it in SQL at the same point).
 */
async function copyInvoices(tx: Tx, plan: DayPlan): Promise<void> {
  const count = plan.invoiceCustomerIds.length;
  const billing = await readBillingAddresses(tx, plan.invoiceCustomerIds);
  for (let start = 0; start < count; start += CHUNK_ROWS) {
    const end = Math.min(count, start + CHUNK_ROWS);
    await copyInto(tx, INVOICE_TABLE, invoiceCopyChunks(plan, billing, start, end));
    await copyInto(tx, LINE_TABLE, lineCopyChunks(plan, start, end));
  }
}

const INVOICE_TABLE = { schema: "public", table: "Invoice", columns: INVOICE_COLUMNS };
const LINE_TABLE = { schema: "public", table: "InvoiceLine", columns: LINE_COLUMNS };

/**
 * The address of each customer named in `customerIds`, as it is in the database now: read
 * CHUNK_ROWS customers at a time, so that only the addresses' texts stay (a 1M-invoice day names
 * 350k customers: their rows at once were about 150 MB more resident memory).
 */
async function readBillingAddresses(
  tx: Tx,
  customerIds: Int32Array,
): Promise<Map<number, string>> {
  const ids = Int32Array.from(new Set(customerIds)).sort();
  const billing = new Map<number, string>();
  for (let start = 0; start < ids.length; start += CHUNK_ROWS) {
    const chunk = Array.from(ids.subarray(start, start + CHUNK_ROWS));
    const rows = await tx<(BillingAddress & { id: number })[]>`
      SELECT "CustomerId" AS id, "Address" AS address, "City" AS city, "State" AS state,
             "Country" AS country, "PostalCode" AS "postalCode"
        FROM public."Customer" WHERE "CustomerId" = ANY(${chunk}::int[])`;
    for (const { id, ...address } of rows) billing.set(id, billingText(address));
  }
  return billing;
}

/** Invoices and their lines, CHUNK_ROWS rows per statement; the billing address joined in SQL. */
async function insertInvoicesByUnnest(tx: Tx, plan: DayPlan): Promise<void> {
  const count = plan.invoiceCustomerIds.length;
  const dayStart = wallClock(plan.day, 0);
  for (let start = 0; start < count; start += CHUNK_ROWS) {
    const end = Math.min(count, start + CHUNK_ROWS);
    const ids = Array.from({ length: end - start }, (_, i) => plan.firstInvoiceId + start + i);
    const inserted = await tx`
      INSERT INTO public."Invoice" ("InvoiceId", "CustomerId", "InvoiceDate", "BillingAddress",
        "BillingCity", "BillingState", "BillingCountry", "BillingPostalCode", "Total")
      OVERRIDING SYSTEM VALUE
      SELECT u.id, u.customer, ${dayStart}::timestamp + u.sec * interval '1 second', c."Address",
             c."City", c."State", c."Country", c."PostalCode", u.cents / 100.0
        FROM unnest(${ids}::int[], ${
      Array.from(plan.invoiceCustomerIds.subarray(start, end))
    }::int[],
                    ${secondsFromDayStart(plan, start, end)}::int[],
                    ${Array.from(plan.invoiceTotalCents.subarray(start, end))}::int[])
             AS u(id, customer, sec, cents)
        JOIN public."Customer" c ON c."CustomerId" = u.customer`;
    if (inserted.count !== ids.length) {
      throw new Error(
        `Inserted ${inserted.count} of ${ids.length} invoices: a customer is missing`,
      );
    }
  }
  const lineCount = plan.lineTrackIds.length;
  const lineInvoice = new Int32Array(lineCount);
  for (let i = 0; i < count; i++) {
    lineInvoice.fill(plan.firstInvoiceId + i, plan.lineStart[i]!, plan.lineStart[i + 1]!);
  }
  for (let start = 0; start < lineCount; start += CHUNK_ROWS) {
    const end = Math.min(lineCount, start + CHUNK_ROWS);
    await insertLines(
      tx,
      Array.from({ length: end - start }, (_, i) => plan.firstLineId + start + i),
      Array.from(lineInvoice.subarray(start, end)),
      Array.from(plan.lineTrackIds.subarray(start, end)),
      Array.from(plan.linePriceCents.subarray(start, end)),
    );
  }
}

/** Seconds after the simulated day's midnight; negative for late-arriving invoices. */
function secondsFromDayStart(plan: DayPlan, start: number, end: number): number[] {
  return Array.from(
    { length: end - start },
    (_, i) => plan.invoiceSeconds[start + i]! - plan.invoiceDaysEarly[start + i]! * 86_400,
  );
}

async function insertLines(
  tx: Tx,
  ids: number[],
  invoiceIds: number[],
  trackIds: number[],
  priceCents: number[],
): Promise<void> {
  if (ids.length === 0) return;
  await tx`
    INSERT INTO public."InvoiceLine" ("InvoiceLineId", "InvoiceId", "TrackId", "UnitPrice", "Quantity")
    OVERRIDING SYSTEM VALUE
    SELECT u.id, u.invoice, u.track, u.cents / 100.0, 1
      FROM unnest(${ids}::int[], ${invoiceIds}::int[], ${trackIds}::int[], ${priceCents}::int[])
           AS u(id, invoice, track, cents)`;
}

/** Updates: one new track per target invoice, then its Total recomputed from its lines. */
async function addLinesToInvoices(
  tx: Tx,
  plan: DayPlan,
  context: { model: DemandModel; snapshot: Snapshot; log: RunLog; added?: AddedLines },
  nextLineId: number,
): Promise<UpdatedInvoice[]> {
  if (plan.updateTargets.length === 0) return [];
  const added = context.added ?? planAddedLines({
    day: plan.day,
    seed: plan.seed,
    model: context.model,
    snapshot: context.snapshot,
    firstLineId: nextLineId,
    targets: await readInvoiceTracks(tx, Array.from(plan.updateTargets)),
  });
  const firstLineId = added.firstLineId;
  const count = added.invoiceIds.length;
  context.log.inserted("InvoiceLine", "invoice_update", firstLineId, count);
  await insertLines(
    tx,
    Array.from({ length: count }, (_, i) => firstLineId + i),
    Array.from(added.invoiceIds),
    Array.from(added.trackIds),
    Array.from(added.priceCents),
  );
  const rows = await recomputeTotals(
    tx,
    context.log,
    Array.from(added.invoiceIds),
    "invoice_update",
  );
  const addedLineOf = new Map<number, number>();
  added.invoiceIds.forEach((invoiceId, i) => addedLineOf.set(invoiceId, firstLineId + i));
  return rows.map((r) => ({ invoiceId: r.id, total: r.total, addedLineId: addedLineOf.get(r.id)! }))
    .sort((a, b) => a.invoiceId - b.invoiceId);
}

/** Total = the sum of the lines, for each invoice given. */
function recomputeTotals(
  tx: Tx,
  log: RunLog,
  ids: number[],
  label: string,
): Promise<Array<{ id: number; total: string }>> {
  return log.update(
    tx,
    "Invoice",
    label,
    tx`t."InvoiceId" = ANY(${ids}::int[])`,
    ({ prior, logged }) =>
      tx<{ id: number; total: string }[]>`
    WITH ${prior}, changed AS (
      UPDATE public."Invoice" i SET "Total" = s.total
        FROM (SELECT "InvoiceId", sum("UnitPrice" * "Quantity") AS total
                FROM public."InvoiceLine" WHERE "InvoiceId" = ANY(${ids}::int[]) GROUP BY 1) s
       WHERE i."InvoiceId" = s."InvoiceId"
      RETURNING i."InvoiceId" AS row_id, i."Total"::text AS total
    ), ${logged}
    SELECT row_id AS id, total FROM changed`,
  );
}

async function cancelInvoices(
  tx: Tx,
  log: RunLog,
  targets: Int32Array,
  mode: DeleteMode,
  label: string,
): Promise<RemovedInvoice[]> {
  if (targets.length === 0) return [];
  const ids = Array.from(targets);
  const lines = await log.delete(
    tx,
    "InvoiceLine",
    label,
    ({ logged }) =>
      tx<{ invoice: number; line: number }[]>`
    WITH changed AS (
      DELETE FROM public."InvoiceLine" t WHERE t."InvoiceId" = ANY(${ids}::int[])
      RETURNING t."InvoiceLineId" AS row_id, t."InvoiceId" AS invoice, to_jsonb(t) AS image
    ), ${logged}
    SELECT invoice, row_id AS line FROM changed`,
  );
  const invoices = mode === "hard"
    ? await log.delete(tx, "Invoice", label, ({ logged }) =>
      tx<{ id: number }[]>`
      WITH changed AS (
        DELETE FROM public."Invoice" t WHERE t."InvoiceId" = ANY(${ids}::int[])
        RETURNING t."InvoiceId" AS row_id, to_jsonb(t) AS image
      ), ${logged}
      SELECT row_id AS id FROM changed`)
    : await log.update(
      tx,
      "Invoice",
      label,
      tx`t."InvoiceId" = ANY(${ids}::int[])`,
      ({ prior, logged }) =>
        tx<{ id: number }[]>`
      WITH ${prior}, changed AS (
        UPDATE public."Invoice" i SET "Total" = 0 WHERE i."InvoiceId" = ANY(${ids}::int[])
        RETURNING i."InvoiceId" AS row_id
      ), ${logged}
      SELECT row_id AS id FROM changed`,
    );
  const linesOf = new Map<number, number[]>();
  for (const { invoice, line } of lines) {
    linesOf.set(invoice, [...(linesOf.get(invoice) ?? []), line]);
  }
  return invoices.map((r) => r.id).sort((a, b) => a - b).map((invoiceId) => ({
    invoiceId,
    deletedLineIds: (linesOf.get(invoiceId) ?? []).sort((a, b) => a - b),
  }));
}

/** Edits to earlier days: the first line's quantity goes up by one, the Total follows. */
async function editInvoices(tx: Tx, log: RunLog, targets: Int32Array): Promise<EditedInvoice[]> {
  if (targets.length === 0) return [];
  const ids = Array.from(targets);
  const lines = await log.update(
    tx,
    "InvoiceLine",
    "invoice_edit",
    tx`t."InvoiceId" = ANY(${ids}::int[])`,
    ({ prior, logged }) =>
      tx<{ invoice: number; line: number }[]>`
    WITH ${prior}, changed AS (
      UPDATE public."InvoiceLine" l SET "Quantity" = l."Quantity" + 1
        FROM (SELECT min("InvoiceLineId") AS line FROM public."InvoiceLine"
               WHERE "InvoiceId" = ANY(${ids}::int[]) GROUP BY "InvoiceId") first
       WHERE l."InvoiceLineId" = first.line
      RETURNING l."InvoiceLineId" AS row_id, l."InvoiceId" AS invoice
    ), ${logged}
    SELECT invoice, row_id AS line FROM changed`,
  );
  const totals = await recomputeTotals(tx, log, ids, "invoice_edit");
  const totalOf = new Map(totals.map((t) => [t.id, t.total]));
  return lines.map((l) => ({
    invoiceId: l.invoice,
    lineId: l.line,
    newTotal: totalOf.get(l.invoice)!,
  }))
    .sort((a, b) => a.invoiceId - b.invoiceId);
}
