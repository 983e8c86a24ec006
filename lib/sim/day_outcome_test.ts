import assert from "node:assert/strict";
import * as outcome from "./day_outcome.ts";
import type { DayOptions, DayWrites } from "./day_types.ts";
import { DEFAULT_MODEL } from "./demand.ts";
import { AUTO_COUNTS, buildDayPlan, MESSINESS_LEVELS } from "./plan.ts";

const OPTIONS: DayOptions = {
  day: "2026-03-10",
  seed: "4",
  requested: { ...AUTO_COUNTS, inserts: 40, newCustomers: 2, customerChanges: 3 },
  model: DEFAULT_MODEL,
  windowDays: 90,
  deleteMode: "cancel",
  force: false,
  dryRun: false,
  timeZone: "UTC",
  toolVersion: "0.0.0",
  lockTimeoutMs: 1000,
  messiness: MESSINESS_LEVELS.high,
};

const PLAN = buildDayPlan({
  ...OPTIONS,
  snapshot: {
    customerIds: Int32Array.from({ length: 20 }, (_, i) => i + 1),
    trackIds: Int32Array.from({ length: 50 }, (_, i) => i + 1),
    trackPriceCents: new Int32Array(50).fill(99),
    supportRepIds: [3],
    recentInvoiceIds: Int32Array.from({ length: 30 }, (_, i) => 100 + i),
    recentAgeDays: Int32Array.from({ length: 30 }, (_, i) => i % 5),
    nextInvoiceId: 200,
    nextInvoiceLineId: 900,
    nextCustomerId: 21,
  },
});

/** What the database would report for the plan's targets. */
const WRITES: DayWrites = {
  lines: PLAN.lineTrackIds.length,
  updated: [{ invoiceId: 101, total: "1.98", addedLineId: 990 }],
  removed: [{ invoiceId: 102, deletedLineIds: [7, 8] }],
  duplicates: [],
  edited: [{ invoiceId: 103, lineId: 9, newTotal: "2.97" }],
};

Deno.test("the change log: sign-ups, customer changes, updates, removals, duplicates, edits, late ones", () => {
  const rows = outcome.changeRows(PLAN, WRITES, "cancel");
  const operations = rows.map((r) => r.operation);
  // Address and email changes come in the plan's order, together.
  const order = [
    "customer_insert",
    "customer_address|customer_email",
    "invoice_update",
    "invoice_cancel",
    "invoice_duplicate",
    "invoice_edit",
    "invoice_late",
  ];
  const ranks = operations.map((op) => order.findIndex((o) => o.split("|").includes(op)));
  assert.ok(ranks.every((r, i) => r >= 0 && (i === 0 || r >= ranks[i - 1]!)), operations.join(" "));
  assert.ok(new Set(operations).size >= 5, "the plan exercises most kinds of change");
  assert.ok(operations.filter((o) => o === "customer_insert").length === 2);
  assert.deepEqual(
    rows.find((r) => r.operation === "invoice_cancel"),
    { operation: "invoice_cancel", invoiceId: 102, customerId: null, newTotal: "0.00" },
  );
  assert.deepEqual(
    outcome.changeRows(PLAN, WRITES, "hard").find((r) => r.invoiceId === 102),
    { operation: "invoice_delete", invoiceId: 102, customerId: null, newTotal: null },
  );
  const late = rows.filter((r) => r.operation === "invoice_late").length;
  assert.equal(late, outcome.dayDone(PLAN, WRITES).late);
});

Deno.test("counts, id range, manifest and result agree with the plan and the writes", () => {
  const done = outcome.dayDone(PLAN, WRITES);
  const inserts = PLAN.invoiceCustomerIds.length;
  assert.deepEqual(
    [done.inserts, done.updates, done.deletes, done.newCustomers, done.edits],
    [inserts, 1, 1, 2, 1],
  );
  assert.deepEqual(outcome.invoiceIdRange(PLAN), { first: 200, last: 200 + inserts - 1 });
  const manifest = outcome.dayManifest(PLAN, WRITES, OPTIONS, 2);
  assert.equal(manifest.run, 2);
  assert.deepEqual(manifest.inserted.invoiceIds, { first: 200, last: 200 + inserts - 1 });
  assert.deepEqual(manifest.cancelled, WRITES.removed);
  const result = outcome.writtenDay(PLAN, WRITES, OPTIONS, manifest);
  assert.equal(result.status, "written");
  assert.deepEqual(result.updatedTotals, [{ invoiceId: 101, total: "1.98" }]);
  assert.equal(
    outcome.writtenDay(PLAN, WRITES, { ...OPTIONS, dryRun: true }, manifest).status,
    "dry-run",
  );
  const skipped = outcome.skippedDay(OPTIONS, 5);
  assert.deepEqual([skipped.status, skipped.done.inserts, skipped.manifest], ["skipped", 0, null]);
});
