import assert from "node:assert/strict";
import * as outcome from "./day_outcome.ts";
import type { DayOptions, DayWrites } from "./day_types.ts";
import { DEFAULT_MODEL } from "./demand.ts";
import { loadNames } from "./people/mod.ts";
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
  names: await loadNames(),
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

Deno.test("counts, id range, manifest and result agree with the plan and the writes", () => {
  const done = outcome.dayDone(PLAN, WRITES);
  const inserts = PLAN.invoiceCustomerIds.length;
  assert.deepEqual(
    [done.inserts, done.updates, done.deletes, done.newCustomers, done.edits],
    [inserts, 1, 1, 2, 1],
  );
  assert.deepEqual(outcome.invoiceIdRange(PLAN), { first: 200, last: 200 + inserts - 1 });
  const manifest = outcome.dayManifest(PLAN, WRITES, OPTIONS, { id: 7, number: 2 });
  assert.deepEqual([manifest.run, manifest.runId], [2, 7]);
  assert.deepEqual(outcome.insertedIds(PLAN, WRITES, 21), {
    invoice: { first: 200, count: inserts },
    invoice_line: { first: 900, count: WRITES.lines + 1 },
    customer: { first: 21, count: 2 },
  });
  assert.deepEqual(manifest.inserted.invoiceIds, { first: 200, last: 200 + inserts - 1 });
  assert.deepEqual(manifest.cancelled, WRITES.removed);
  const result = outcome.writtenDay(PLAN, WRITES, OPTIONS, manifest);
  assert.equal(result.status, "written");
  assert.deepEqual(result.updatedTotals, [{ invoiceId: 101, total: "1.98" }]);
  assert.equal(
    outcome.writtenDay(PLAN, WRITES, { ...OPTIONS, dryRun: true }, manifest).status,
    "dry-run",
  );
  const skipped = outcome.skippedDay(OPTIONS, 5, [manifest]);
  assert.deepEqual(
    [skipped.status, skipped.done.inserts, skipped.manifest, skipped.recordedManifests],
    ["skipped", 0, null, [manifest]],
  );
});
