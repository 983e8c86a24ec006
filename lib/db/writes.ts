/**
 * The day's set-based writes, in their fixed order: sign-ups, customer
 * changes, invoices and their lines, updates, cancellations, duplicate
 * copies cancelled, edits to earlier days. Each statement handles a whole
 * column of the plan (the new customers, invoices and lines by COPY, the
 * rest by INSERT … SELECT FROM unnest(…) or a set-based UPDATE or DELETE),
 * never a row at a time, and is recorded in the run's log (updates and
 * deletes with the rows' before-images, captured by the same statement).
 */
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
  CUSTOMER_COLUMNS,
  customerCopyChunks,
  INVOICE_COLUMNS,
  invoiceCopyChunks,
  LINE_COLUMNS,
  lineCopyChunks,
} from "./invoice_copy.ts";
import { readInvoiceTracks } from "./snapshot.ts";

/** Rows per statement (a COPY, an INSERT from unnest): big enough to be fast, small enough to bound memory. */
export const CHUNK_ROWS = 25_000;

/**
 * Invoices per COPY of the day's sign-ups, invoices and lines. The embedded database holds a COPY
 * whole (wire_server.ts), so there it is CHUNK_ROWS; a server takes the COPY as it streams, and
 * each statement cost it a little idle time (its start, then its foreign-key checks at its end
 * while no new rows came): a 1M-invoice day's 80 statements left the server idle for 1.1-1.2 s,
 * its 8 statements of 250,000 for 0.87-0.95 s. What the server queues for those checks grows
 * with the statement (a few tens of MB at 250,000 invoices and their lines).
 */
export function copyRowsFor(target: { kind: "server" | "embedded" }): number {
  return target.kind === "embedded" ? CHUNK_ROWS : 250_000;
}

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
    /** Rows per COPY statement (copyRowsFor); CHUNK_ROWS when not given. */
    copyRows?: number;
  },
): Promise<DayWrites> {
  const { log, deleteMode } = context;
  const copyRows = context.copyRows ?? CHUNK_ROWS;
  const signupBilling = await insertCustomers(tx, plan, log, copyRows);
  await changeCustomers(tx, plan, log);
  const lines = await insertInvoices(tx, plan, log, signupBilling, copyRows);
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
 * The day's sign-ups by COPY, `copyRows` per statement. They are made as the text is asked for,
 * so while the server loads some, the next are made; their billing addresses (billingText) are
 * kept for their invoices.
 */
async function insertCustomers(
  tx: Tx,
  plan: DayPlan,
  log: RunLog,
  copyRows: number,
): Promise<Map<number, string>> {
  const signups = plan.newCustomers;
  const billing = new Map<number, string>();
  if (signups.count === 0) return billing;
  log.inserted("Customer", "customer_insert", signups.firstId, signups.count);
  function* made(start: number, end: number): Generator<NewCustomer> {
    for (let from = start; from < end; from += SIGNUPS_AT_ONCE) {
      for (const c of signups.range(from, Math.min(end, from + SIGNUPS_AT_ONCE))) {
        // A text type keeps a value as it is written; only spaces past a column's length would
        // be cut, so such a value is read back instead (billingAddresses).
        const values = [c.address, c.city, c.state, c.country, c.postalCode];
        if (!values.some((v) => v?.endsWith(" "))) billing.set(c.id, billingText(c));
        yield c;
      }
    }
  }
  for (let start = 0; start < signups.count; start += copyRows) {
    const end = Math.min(signups.count, start + copyRows);
    await copyInto(tx, CUSTOMER_TABLE, customerCopyChunks(made(start, end)));
  }
  return billing;
}

/** Sign-ups made at a time while their COPY streams: about a COPY message's worth. */
const SIGNUPS_AT_ONCE = 1_000;

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

/** Invoices and their lines by COPY (copyInvoices); `signupBilling` from insertCustomers. */
async function insertInvoices(
  tx: Tx,
  plan: DayPlan,
  log: RunLog,
  signupBilling: Map<number, string>,
  copyRows: number,
): Promise<number> {
  const count = plan.invoiceCustomerIds.length;
  log.inserted("Invoice", "invoice_insert", plan.firstInvoiceId, count);
  const lineCount = plan.lineTrackIds.length;
  log.inserted("InvoiceLine", "invoice_insert", plan.firstLineId, lineCount);
  if (count > 0) {
    await copyInvoices(tx, plan, await billingAddresses(tx, plan, signupBilling), copyRows);
  }
  return lineCount;
}

/**
 * `copyRows` invoices per COPY, then their lines: the text is encoded while
 * the server loads it, and what one statement holds stays bounded (the
 * embedded database takes a COPY whole). `billing`
 * holds the customers' addresses as they stand after the day's sign-ups and
 * changes (billingAddresses).
 */
async function copyInvoices(
  tx: Tx,
  plan: DayPlan,
  billing: ReadonlyMap<number, string>,
  copyRows: number,
): Promise<void> {
  const count = plan.invoiceCustomerIds.length;
  for (let start = 0; start < count; start += copyRows) {
    const end = Math.min(count, start + copyRows);
    await copyInto(tx, INVOICE_TABLE, invoiceCopyChunks(plan, billing, start, end));
    await copyInto(tx, LINE_TABLE, lineCopyChunks(plan, start, end));
  }
}

const CUSTOMER_TABLE = { schema: "public", table: "Customer", columns: CUSTOMER_COLUMNS };
const INVOICE_TABLE = { schema: "public", table: "Invoice", columns: INVOICE_COLUMNS };
const LINE_TABLE = { schema: "public", table: "InvoiceLine", columns: LINE_COLUMNS };

/**
 * The billing address (billingText) of each customer the plan's invoices
 * name, as the database holds it after the day's sign-ups and changes. A
 * sign-up's is the one written (`billing` comes with the sign-ups' from
 * insertCustomers, and is completed in place), unless the sign-up moved
 * today; every other is read back.
 */
async function billingAddresses(
  tx: Tx,
  plan: DayPlan,
  billing: Map<number, string>,
): Promise<Map<number, string>> {
  for (const c of plan.customerChanges) if (c.kind === "address") billing.delete(c.customerId);
  const ids = [...new Set(plan.invoiceCustomerIds)].filter((id) => !billing.has(id));
  // CHUNK_ROWS customers per read: only the addresses' texts stay (a 1M-invoice day names 350k
  // customers; their rows at once were about 150 MB more resident memory).
  for (let start = 0; start < ids.length; start += CHUNK_ROWS) {
    const chunk = ids.slice(start, start + CHUNK_ROWS);
    const rows = await tx<(BillingAddress & { id: number })[]>`
      SELECT "CustomerId" AS id, "Address" AS address, "City" AS city, "State" AS state,
             "Country" AS country, "PostalCode" AS "postalCode"
        FROM public."Customer" WHERE "CustomerId" = ANY(${chunk}::int[])`;
    for (const { id, ...address } of rows) billing.set(id, billingText(address));
  }
  return billing;
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
