/**
 * Writes one simulated day in ONE transaction: snapshot → pure plan → set-
 * based writes → ledger. Any error rolls everything back.
 */
import { addDays, wallClock } from "../sim/calendar.ts";
import type { DayVolume, DemandModel } from "../sim/demand.ts";
import { buildManifest, type Manifest } from "../sim/manifest.ts";
import { formatCents } from "../sim/money.ts";
import {
  buildDayPlan,
  type DayPlan,
  type Messiness,
  planAddedLines,
  type Requested,
  type Snapshot,
} from "../sim/plan.ts";
import { UsageError } from "../cli/errors.ts";
import type { Sql, Tx } from "./connect.ts";
import {
  type ChangeRow,
  dayRuns,
  historyInfo,
  recordChanges,
  recordDay,
  syncSequences,
  takeSimLock,
} from "./ledger.ts";

export type DeleteMode = "cancel" | "hard";

export interface DayOptions {
  day: string;
  seed: string;
  requested: Requested;
  model: DemandModel;
  windowDays: number;
  deleteMode: DeleteMode;
  force: boolean;
  dryRun: boolean;
  timeZone: string;
  toolVersion: string;
  lockTimeoutMs: number;
  messiness: Messiness;
}

export interface DayDone {
  inserts: number;
  updates: number;
  deletes: number;
  newCustomers: number;
  customerChanges: number;
  lines: number;
  late: number;
  edits: number;
  duplicates: number;
}

export interface DayResult {
  status: "written" | "skipped" | "dry-run";
  day: string;
  seed: string;
  requested: DayVolume | null;
  done: DayDone;
  shortfall: { updates: number; deletes: number; customerChanges: number };
  revenueCents: number;
  firstInvoiceId: number | null;
  lastInvoiceId: number | null;
  updatedTotals: Array<{ invoiceId: number; total: string }>;
  /** The change manifest of a written (or dry-run) day. */
  manifest: Manifest | null;
  elapsedMs: number;
}

/** Rows per INSERT … SELECT FROM unnest(…): big enough to be fast, small enough to bound memory. */
export const CHUNK_ROWS = 25_000;

class DryRunRollback extends Error {}

export async function simulateDay(sql: Sql, options: DayOptions): Promise<DayResult> {
  const started = performance.now();
  const startedAt = new Date();
  let result: DayResult | undefined;
  try {
    await sql.begin(async (tx) => {
      await takeSimLock(tx, options.lockTimeoutMs);
      result = await writeDay(tx, options, startedAt, started);
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return { ...result!, elapsedMs: Math.round(performance.now() - started) };
}

async function writeDay(
  tx: Tx,
  options: DayOptions,
  startedAt: Date,
  started: number,
): Promise<DayResult> {
  const { day } = options;
  const history = await historyInfo(tx);
  if (history && day <= history.lastHistoryDay) {
    throw new UsageError(
      `Cannot simulate ${day}: the historical data runs to ${history.lastHistoryDay}; pick a later --date`,
    );
  }
  const runs = await dayRuns(tx, day);
  if (runs !== null && !options.force) {
    return {
      status: "skipped",
      day,
      seed: options.seed,
      requested: null,
      done: {
        inserts: 0,
        updates: 0,
        deletes: 0,
        newCustomers: 0,
        customerChanges: 0,
        lines: 0,
        late: 0,
        edits: 0,
        duplicates: 0,
      },
      shortfall: { updates: 0, deletes: 0, customerChanges: 0 },
      revenueCents: 0,
      firstInvoiceId: null,
      lastInvoiceId: null,
      updatedTotals: [],
      manifest: null,
      elapsedMs: Math.round(performance.now() - started),
    };
  }

  const snapshot = await readSnapshot(tx, day, options.windowDays);
  const plan = buildDayPlan({
    day,
    seed: options.seed,
    requested: options.requested,
    model: options.model,
    snapshot,
    messiness: options.messiness,
  });

  await insertCustomers(tx, plan);
  await changeCustomers(tx, plan);
  const lines = await insertInvoices(tx, plan);
  const updatedTotals = await addLinesToInvoices(
    tx,
    plan,
    options,
    snapshot,
    plan.firstLineId + lines,
  );
  const removed = await cancelInvoices(tx, plan.cancelTargets, options.deleteMode);
  const duplicates = await cancelInvoices(tx, plan.duplicateIds, options.deleteMode);
  const edited = await editInvoices(tx, plan.editTargets);
  const inserts = plan.invoiceCustomerIds.length;
  const done: DayDone = {
    inserts,
    updates: updatedTotals.length,
    deletes: removed.length,
    newCustomers: plan.newCustomers.length,
    customerChanges: plan.customerChanges.length,
    lines,
    late: plan.invoiceDaysEarly.reduce((n, early) => n + (early > 0 ? 1 : 0), 0),
    edits: edited.length,
    duplicates: duplicates.length,
  };
  const firstInvoiceId = inserts > 0 ? plan.firstInvoiceId : null;
  const lastInvoiceId = inserts > 0 ? plan.firstInvoiceId + inserts - 1 : null;
  const manifest = buildManifest({
    day,
    nextDay: addDays(day, 1),
    run: (runs ?? 0) + 1,
    seed: options.seed,
    toolVersion: options.toolVersion,
    timeZone: options.timeZone,
    deleteMode: options.deleteMode,
    firstInvoiceId: plan.firstInvoiceId,
    invoices: inserts,
    firstLineId: plan.firstLineId,
    lines,
    customerIds: plan.newCustomers.map((c) => c.id),
    updated: updatedTotals.map((u) => ({
      invoiceId: u.invoiceId,
      newTotal: u.total,
      addedLineId: u.addedLineId,
    })),
    removed,
    customersChanged: plan.customerChanges.map((c) => ({
      customerId: c.customerId,
      change: c.kind,
    })),
    messiness: options.messiness,
    late: Array.from(plan.invoiceDaysEarly).flatMap((early, i) =>
      early > 0 ? [{ invoiceId: plan.firstInvoiceId + i, invoiceDate: addDays(day, -early) }] : []
    ),
    edited,
    duplicates: duplicates.map((d) => ({
      ...d,
      duplicateOf: plan.invoiceDuplicateOf[d.invoiceId - plan.firstInvoiceId]!,
    })),
  });
  await recordDay(tx, {
    day,
    seed: options.seed,
    toolVersion: options.toolVersion,
    timeZone: options.timeZone,
    deleteMode: options.deleteMode,
    windowDays: options.windowDays,
    requested: plan.requested,
    ...done,
    revenue: formatCents(plan.revenueCents),
    firstInvoiceId,
    lastInvoiceId,
    startedAt,
    manifest,
  });
  await logChanges(
    tx,
    day,
    plan,
    { updated: updatedTotals, removed, duplicates, edited },
    options.deleteMode,
  );
  await syncSequences(tx);
  return {
    status: options.dryRun ? "dry-run" : "written",
    day,
    seed: options.seed,
    requested: plan.requested,
    done,
    shortfall: {
      updates: plan.requested.updates - done.updates,
      deletes: plan.requested.deletes - done.deletes,
      customerChanges: plan.shortfall.customerChanges,
    },
    revenueCents: plan.revenueCents,
    firstInvoiceId,
    lastInvoiceId,
    updatedTotals: updatedTotals.map(({ invoiceId, total }) => ({ invoiceId, total })),
    manifest,
    elapsedMs: 0,
  };
}

async function readSnapshot(tx: Tx, day: string, windowDays: number): Promise<Snapshot> {
  const windowStart = addDays(day, -(windowDays - 1));
  const dayEnd = addDays(day, 1);
  const [customers, tracks, reps, recent, [next]] = await Promise.all([
    tx<{ id: number }[]>`SELECT "CustomerId" AS id FROM public."Customer" ORDER BY 1`,
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
    tx<{ invoice: number; line: number; customer: number }[]>`
      SELECT coalesce((SELECT max("InvoiceId") FROM public."Invoice"), 0) + 1 AS invoice,
             coalesce((SELECT max("InvoiceLineId") FROM public."InvoiceLine"), 0) + 1 AS line,
             coalesce((SELECT max("CustomerId") FROM public."Customer"), 0) + 1 AS customer`,
  ]);
  return {
    customerIds: Int32Array.from(customers, (r) => r.id),
    trackIds: Int32Array.from(tracks, (r) => r.id),
    trackPriceCents: Int32Array.from(tracks, (r) => r.cents),
    supportRepIds: reps.map((r) => r.id),
    recentInvoiceIds: parseIntList(recent[0]?.ids ?? null),
    recentAgeDays: parseIntList(recent[0]?.ages ?? null),
    nextInvoiceId: next!.invoice,
    nextInvoiceLineId: next!.line,
    nextCustomerId: next!.customer,
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

async function insertCustomers(tx: Tx, plan: DayPlan): Promise<void> {
  const c = plan.newCustomers;
  if (c.length === 0) return;
  await tx`
    INSERT INTO public."Customer" ("CustomerId", "FirstName", "LastName", "Company", "Address", "City",
      "State", "Country", "PostalCode", "Phone", "Fax", "Email", "SupportRepId")
    OVERRIDING SYSTEM VALUE
    SELECT * FROM unnest(
      ${c.map((x) => x.id)}::int[], ${c.map((x) => x.firstName)}::text[], ${
    c.map((x) => x.lastName)
  }::text[],
      ${c.map((x) => x.company)}::text[], ${c.map((x) => x.address)}::text[], ${
    c.map((x) => x.city)
  }::text[],
      ${c.map((x) => x.state)}::text[], ${c.map((x) => x.country)}::text[], ${
    c.map((x) => x.postalCode)
  }::text[],
      ${c.map((x) => x.phone)}::text[], ${c.map((x) => x.fax)}::text[], ${
    c.map((x) => x.email)
  }::text[],
      ${c.map((x) => x.supportRepId)}::int[])`;
}

async function changeCustomers(tx: Tx, plan: DayPlan): Promise<void> {
  const moves = plan.customerChanges.filter((c) => c.kind === "address");
  const emails = plan.customerChanges.filter((c) => c.kind === "email");
  if (moves.length > 0) {
    await tx`
      UPDATE public."Customer" c
         SET "Address" = u.address, "City" = u.city, "State" = u.state, "Country" = u.country,
             "PostalCode" = u.postal
        FROM unnest(${moves.map((m) => m.customerId)}::int[], ${
      moves.map((m) => m.address)
    }::text[],
                    ${moves.map((m) => m.city)}::text[], ${moves.map((m) => m.state)}::text[],
                    ${moves.map((m) => m.country)}::text[], ${
      moves.map((m) => m.postalCode)
    }::text[])
             AS u(id, address, city, state, country, postal)
       WHERE c."CustomerId" = u.id`;
  }
  if (emails.length > 0) {
    await tx`
      UPDATE public."Customer" c SET "Email" = u.email
        FROM unnest(${emails.map((m) => m.customerId)}::int[], ${
      emails.map((m) => m.email)
    }::text[])
             AS u(id, email)
       WHERE c."CustomerId" = u.id`;
  }
}

/** Invoices and their lines, chunk by chunk; billing address copied from the customer by SQL. */
async function insertInvoices(tx: Tx, plan: DayPlan): Promise<number> {
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
  return lineCount;
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
  options: DayOptions,
  snapshot: Snapshot,
  firstLineId: number,
): Promise<Array<{ invoiceId: number; total: string; addedLineId: number }>> {
  if (plan.updateTargets.length === 0) return [];
  const targetIds = Array.from(plan.updateTargets);
  const current = await tx<{ id: number; tracks: number[] }[]>`
    SELECT "InvoiceId" AS id, array_agg("TrackId" ORDER BY "TrackId") AS tracks
      FROM public."InvoiceLine" WHERE "InvoiceId" = ANY(${targetIds}::int[])
     GROUP BY 1 ORDER BY 1`;
  const added = planAddedLines({
    day: plan.day,
    seed: plan.seed,
    model: options.model,
    snapshot,
    firstLineId,
    targets: current.map((r) => ({ invoiceId: r.id, trackIds: r.tracks })),
  });
  const count = added.invoiceIds.length;
  await insertLines(
    tx,
    Array.from({ length: count }, (_, i) => firstLineId + i),
    Array.from(added.invoiceIds),
    Array.from(added.trackIds),
    Array.from(added.priceCents),
  );
  const rows = await tx<{ id: number; total: string }[]>`
    UPDATE public."Invoice" i SET "Total" = s.total
      FROM (SELECT "InvoiceId", sum("UnitPrice" * "Quantity") AS total
              FROM public."InvoiceLine" WHERE "InvoiceId" = ANY(${
    Array.from(added.invoiceIds)
  }::int[])
             GROUP BY 1) s
     WHERE i."InvoiceId" = s."InvoiceId"
    RETURNING i."InvoiceId" AS id, i."Total"::text AS total`;
  const addedLineOf = new Map<number, number>();
  added.invoiceIds.forEach((invoiceId, i) => addedLineOf.set(invoiceId, firstLineId + i));
  return rows.map((r) => ({ invoiceId: r.id, total: r.total, addedLineId: addedLineOf.get(r.id)! }))
    .sort((a, b) => a.invoiceId - b.invoiceId);
}

async function cancelInvoices(
  tx: Tx,
  targets: Int32Array,
  mode: DeleteMode,
): Promise<Array<{ invoiceId: number; deletedLineIds: number[] }>> {
  if (targets.length === 0) return [];
  const ids = Array.from(targets);
  const lines = await tx<{ invoice: number; line: number }[]>`
    DELETE FROM public."InvoiceLine" WHERE "InvoiceId" = ANY(${ids}::int[])
    RETURNING "InvoiceId" AS invoice, "InvoiceLineId" AS line`;
  const invoices = mode === "hard"
    ? await tx<{ id: number }[]>`
        DELETE FROM public."Invoice" WHERE "InvoiceId" = ANY(${ids}::int[]) RETURNING "InvoiceId" AS id`
    : await tx<{ id: number }[]>`
        UPDATE public."Invoice" SET "Total" = 0 WHERE "InvoiceId" = ANY(${ids}::int[]) RETURNING "InvoiceId" AS id`;
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
async function editInvoices(
  tx: Tx,
  targets: Int32Array,
): Promise<Array<{ invoiceId: number; lineId: number; newTotal: string }>> {
  if (targets.length === 0) return [];
  const ids = Array.from(targets);
  const lines = await tx<{ invoice: number; line: number }[]>`
    UPDATE public."InvoiceLine" l SET "Quantity" = l."Quantity" + 1
      FROM (SELECT min("InvoiceLineId") AS line FROM public."InvoiceLine"
             WHERE "InvoiceId" = ANY(${ids}::int[]) GROUP BY "InvoiceId") first
     WHERE l."InvoiceLineId" = first.line
    RETURNING l."InvoiceId" AS invoice, l."InvoiceLineId" AS line`;
  const totals = await tx<{ id: number; total: string }[]>`
    UPDATE public."Invoice" i SET "Total" = s.total
      FROM (SELECT "InvoiceId", sum("UnitPrice" * "Quantity") AS total
              FROM public."InvoiceLine" WHERE "InvoiceId" = ANY(${ids}::int[]) GROUP BY 1) s
     WHERE i."InvoiceId" = s."InvoiceId"
    RETURNING i."InvoiceId" AS id, i."Total"::text AS total`;
  const totalOf = new Map(totals.map((t) => [t.id, t.total]));
  return lines.map((l) => ({
    invoiceId: l.invoice,
    lineId: l.line,
    newTotal: totalOf.get(l.invoice)!,
  }))
    .sort((a, b) => a.invoiceId - b.invoiceId);
}

async function logChanges(
  tx: Tx,
  day: string,
  plan: DayPlan,
  changes: {
    updated: Array<{ invoiceId: number; total: string }>;
    removed: Array<{ invoiceId: number }>;
    duplicates: Array<{ invoiceId: number }>;
    edited: Array<{ invoiceId: number; newTotal: string }>;
  },
  mode: DeleteMode,
): Promise<void> {
  const { updated, removed } = changes;
  const rows: ChangeRow[] = [];
  const add = (
    operation: string,
    invoiceId: number | null,
    customerId: number | null,
    newTotal: string | null,
  ) => rows.push({ operation, invoiceId, customerId, newTotal });
  for (const c of plan.newCustomers) add("customer_insert", null, c.id, null);
  for (const c of plan.customerChanges) add(`customer_${c.kind}`, null, c.customerId, null);
  for (const u of updated) add("invoice_update", u.invoiceId, null, u.total);
  for (const { invoiceId: id } of removed) {
    add(
      mode === "hard" ? "invoice_delete" : "invoice_cancel",
      id,
      null,
      mode === "hard" ? null : "0.00",
    );
  }
  for (const { invoiceId } of changes.duplicates) add("invoice_duplicate", invoiceId, null, null);
  for (const e of changes.edited) add("invoice_edit", e.invoiceId, null, e.newTotal);
  plan.invoiceDaysEarly.forEach((early, i) => {
    if (early > 0) add("invoice_late", plan.firstInvoiceId + i, null, null);
  });
  await recordChanges(tx, day, rows);
}
