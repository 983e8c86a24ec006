/** Live mode's schedule: every change once, in an order that keeps the batch's rows and ids. */
import assert from "node:assert/strict";
import { DEFAULT_MODEL } from "./demand.ts";
import {
  clockText,
  DAY_SECONDS,
  decodeTyped,
  dueCount,
  encodeTyped,
  liveSchedule,
  type OpKind,
  secondOfDayIn,
  slicePlan,
} from "./live.ts";
import {
  AUTO_COUNTS,
  buildDayPlan,
  type DayPlan,
  MESSINESS_LEVELS,
  planAddedLines,
  type Snapshot,
} from "./plan.ts";
import { loadNames } from "./people/mod.ts";

const names = await loadNames();

const SNAPSHOT: Snapshot = {
  customerIds: Int32Array.from({ length: 59 }, (_, i) => i + 1),
  trackIds: Int32Array.from({ length: 400 }, (_, i) => i + 1),
  trackPriceCents: Int32Array.from({ length: 400 }, (_, i) => (i % 10 === 0 ? 199 : 99)),
  supportRepIds: [3, 4, 5],
  recentInvoiceIds: Int32Array.from({ length: 300 }, (_, i) => 1000 + i),
  recentAgeDays: Int32Array.from({ length: 300 }, (_, i) => Math.floor((i * 30) / 300)),
  nextInvoiceId: 5000,
  nextInvoiceLineId: 20000,
  nextCustomerId: 60,
};

function day(seed: string): { plan: DayPlan; added: ReturnType<typeof planAddedLines> } {
  const plan = buildDayPlan({
    day: "2026-03-10",
    seed,
    requested: {
      ...AUTO_COUNTS,
      inserts: 400,
      updates: 40,
      deletes: 20,
      newCustomers: 8,
      customerChanges: 10,
    },
    model: DEFAULT_MODEL,
    snapshot: SNAPSHOT,
    messiness: MESSINESS_LEVELS.high,
    names,
  });
  const targets = Array.from(plan.updateTargets).sort((a, b) => a - b).map((invoiceId) => ({
    invoiceId,
    trackIds: [1],
  }));
  const added = planAddedLines({
    day: plan.day,
    seed,
    model: DEFAULT_MODEL,
    snapshot: SNAPSHOT,
    firstLineId: plan.firstLineId + plan.lineTrackIds.length,
    targets,
  });
  return { plan, added };
}

Deno.test("the schedule holds every change once, ordered by time", async (t) => {
  for (const seed of ["1", "2", "3"]) {
    await t.step(`seed ${seed}`, () => {
      const { plan, added } = day(seed);
      const ops = liveSchedule(plan, added);
      const expected: Record<OpKind, number> = {
        signup: plan.newCustomers.count,
        customer_change: plan.customerChanges.length,
        invoice: plan.invoiceCustomerIds.length,
        update: added.invoiceIds.length,
        cancel: plan.cancelTargets.length,
        duplicate: plan.duplicateIds.length,
        edit: plan.editTargets.length,
      };
      const whole = slicePlan(plan, added, ops, 0, ops.length);
      assert.deepEqual(whole.counts, expected);
      assert.ok(ops.every((op, i) => i === 0 || ops[i - 1]!.at <= op.at));
      assert.ok(ops.every((op) => op.at >= 0 && op.at < DAY_SECONDS));
      assert.deepEqual(liveSchedule(plan, added), ops, "the same plan, the same schedule");
    });
  }
});

Deno.test("the times keep the batch's rows: sign-ups, changes and updates around the invoices", () => {
  const { plan, added } = day("4");
  const ops = liveSchedule(plan, added);
  const firstInvoiceAt = new Map<number, number>();
  plan.invoiceCustomerIds.forEach((c, i) => {
    if (!firstInvoiceAt.has(c)) firstInvoiceAt.set(c, plan.invoiceSeconds[i]!);
  });
  const insertedAt = (id: number) => plan.invoiceSeconds[id - plan.firstInvoiceId] ?? 0;
  for (const op of ops) {
    if (op.kind === "signup") {
      const id = plan.newCustomers.idAt(op.index);
      assert.ok(op.at <= (firstInvoiceAt.get(id) ?? DAY_SECONDS), "sign-up before buying");
    }
    if (op.kind === "customer_change") {
      const id = plan.customerChanges[op.index]!.customerId;
      assert.ok(op.at < (firstInvoiceAt.get(id) ?? DAY_SECONDS) || op.at === 0);
    }
    if (op.kind === "update") assert.ok(op.at >= insertedAt(added.invoiceIds[op.index]!));
    if (op.kind === "cancel") assert.ok(op.at >= insertedAt(plan.cancelTargets[op.index]!));
    if (op.kind === "duplicate") assert.ok(op.at >= insertedAt(plan.duplicateIds[op.index]!));
  }
});

Deno.test("slices insert contiguous ids that add up to the whole day's", () => {
  const { plan, added } = day("5");
  const ops = liveSchedule(plan, added);
  const cuts = [0, 17, 18, 90, 91, 200, ops.length];
  let nextInvoice = plan.firstInvoiceId;
  let nextLine = plan.firstLineId;
  let nextAdded = added.firstLineId;
  let nextCustomer = SNAPSHOT.nextCustomerId;
  const cancelled: number[] = [];
  for (let k = 1; k < cuts.length; k++) {
    const slice = slicePlan(plan, added, ops, cuts[k - 1]!, cuts[k]!);
    if (slice.plan.invoiceCustomerIds.length > 0) {
      assert.equal(slice.plan.firstInvoiceId, nextInvoice);
      assert.equal(slice.plan.firstLineId, nextLine);
    }
    nextInvoice += slice.plan.invoiceCustomerIds.length;
    nextLine += slice.plan.lineTrackIds.length;
    assert.equal(slice.plan.lineStart.at(-1), slice.plan.lineTrackIds.length);
    if (slice.added.invoiceIds.length > 0) assert.equal(slice.added.firstLineId, nextAdded);
    nextAdded += slice.added.invoiceIds.length;
    for (const c of slice.plan.newCustomers.range()) assert.equal(c.id, nextCustomer++);
    cancelled.push(...slice.plan.cancelTargets);
  }
  assert.equal(nextInvoice, plan.firstInvoiceId + plan.invoiceCustomerIds.length);
  assert.equal(nextLine, plan.firstLineId + plan.lineTrackIds.length);
  assert.equal(nextAdded, added.firstLineId + added.invoiceIds.length);
  assert.deepEqual(cancelled.sort(), Array.from(plan.cancelTargets).sort());
});

Deno.test("due changes, the stored plan, the store's clock", async (t) => {
  const { plan, added } = day("6");
  const ops = liveSchedule(plan, added);
  await t.step("due at a second: every change at or before it", () => {
    assert.equal(dueCount(ops, -1), 0);
    assert.equal(dueCount(ops, DAY_SECONDS), ops.length);
    const mid = ops[100]!.at;
    assert.equal(dueCount(ops, mid), ops.filter((op) => op.at <= mid).length);
  });
  await t.step("a plan survives JSON", () => {
    const back = decodeTyped(JSON.parse(JSON.stringify(encodeTyped({ plan, added })))) as {
      plan: DayPlan;
    };
    assert.deepEqual(back, { plan, added });
    assert.ok(plan.newCustomers.count > 0);
    assert.deepEqual(back.plan.newCustomers.range(), plan.newCustomers.range());
  });
  await t.step("the second of the day in a zone", () => {
    const at = new Date("2026-03-10T12:34:56Z");
    assert.equal(secondOfDayIn("UTC", at), 12 * 3600 + 34 * 60 + 56);
    assert.equal(secondOfDayIn("Asia/Kolkata", at), 18 * 3600 + 4 * 60 + 56);
    assert.equal(clockText(DAY_SECONDS), "24:00:00");
    assert.equal(clockText(3661), "01:01:01");
  });
});

Deno.test("every per-invoice and per-line column of the plan is sliced", () => {
  const { plan, added } = day("7");
  const ops = liveSchedule(plan, added);
  const slice = slicePlan(plan, added, ops, 10, 60);
  const invoices = plan.invoiceCustomerIds.length;
  const lines = plan.lineTrackIds.length;
  for (const [key, value] of Object.entries(plan)) {
    if (!(value instanceof Int32Array)) continue;
    const sliced = (slice.plan as unknown as Record<string, Int32Array>)[key]!;
    if (value.length === invoices) {
      assert.equal(sliced.length, slice.counts.invoice, `${key}: one per sliced invoice`);
    } else if (value.length === invoices + 1) {
      assert.equal(sliced.length, slice.counts.invoice + 1, key);
    } else if (value.length === lines) {
      assert.equal(sliced.length, slice.plan.lineStart.at(-1), `${key}: one per sliced line`);
    }
  }
});
