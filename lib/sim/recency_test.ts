/** Recency: stored bytes, a day's invoices merged in, the ages a day's plan reads. */
import assert from "node:assert/strict";
import { dayToEpochDays } from "./calendar.ts";
import {
  agesOn,
  decodeRecency,
  encodeRecency,
  mergeDay,
  mergeLatest,
  NO_INVOICE,
  recencyAfter,
  replaceLatest,
} from "./recency.ts";

const DAY = "2026-07-10";
const TODAY = dayToEpochDays(DAY);

Deno.test("encode and decode: little-endian, the same array back, trailing customers without an invoice left out", async (t) => {
  const cases: Array<{ name: string; latest: number[]; stored: number[] }> = [
    { name: "empty", latest: [], stored: [] },
    { name: "none with an invoice", latest: [-1, -1, -1], stored: [] },
    {
      name: "mixed",
      latest: [-1, TODAY, -1, 0, 2 ** 31 - 1, -1, -1],
      stored: [-1, TODAY, -1, 0, 2 ** 31 - 1],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const bytes = encodeRecency(Int32Array.from(c.latest));
      assert.equal(bytes.length, c.stored.length * 4);
      assert.deepEqual(Array.from(decodeRecency(bytes)), c.stored);
    });
  }
  await t.step("byte order", () => {
    assert.deepEqual(Array.from(encodeRecency(Int32Array.of(-1, 0x01020304))), [
      0xff,
      0xff,
      0xff,
      0xff,
      4,
      3,
      2,
      1,
    ]);
  });
  await t.step("a view into a larger buffer (as a driver may return it)", () => {
    const buffer = new Uint8Array(12);
    buffer.set(encodeRecency(Int32Array.of(-1, 42)), 4);
    assert.deepEqual(Array.from(decodeRecency(buffer.subarray(4))), [-1, 42]);
  });
  await t.step("not a multiple of four bytes", () => {
    assert.throws(() => decodeRecency(new Uint8Array(5)), RangeError);
  });
});

Deno.test("a day's invoices merged into the recency before it", async (t) => {
  // Customers 1-4: 1 bought 3 days ago, 2 yesterday, 3 never, 4 10 days ago.
  const before = Int32Array.of(NO_INVOICE, TODAY - 3, TODAY - 1, NO_INVOICE, TODAY - 10);
  const cases: Array<{
    name: string;
    customers: number[];
    early?: number[];
    signups?: number[];
    latest: number[];
  }> = [
    {
      name: "empty day: nothing changes",
      customers: [],
      latest: [-1, TODAY - 3, TODAY - 1, -1, TODAY - 10],
    },
    {
      name: "buyers on the day",
      customers: [1, 3, 1],
      latest: [-1, TODAY, TODAY - 1, TODAY, TODAY - 10],
    },
    {
      name: "late invoices: older than the latest change nothing, newer ones win",
      customers: [1, 2, 4, 3],
      early: [5, 3, 7, 2],
      latest: [-1, TODAY - 3, TODAY - 1, TODAY - 2, TODAY - 7],
    },
    {
      name: "a late invoice and one on the day for the same customer",
      customers: [4, 4],
      early: [2, 0],
      latest: [-1, TODAY - 3, TODAY - 1, -1, TODAY],
    },
    {
      name: "new customers beyond the array, one of them buying late",
      customers: [6, 8],
      early: [0, 1],
      signups: [5, 6, 7, 8],
      latest: [-1, TODAY - 3, TODAY - 1, -1, TODAY - 10, -1, TODAY, -1, TODAY - 1],
    },
    {
      name: "sign-ups without an invoice",
      customers: [],
      signups: [5, 6],
      latest: [-1, TODAY - 3, TODAY - 1, -1, TODAY - 10, -1, -1],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const kept = before.slice();
      const after = recencyAfter(before, {
        day: DAY,
        invoiceCustomerIds: Int32Array.from(c.customers),
        invoiceDaysEarly: c.early ? Int32Array.from(c.early) : undefined,
        newCustomers: c.signups && { firstId: c.signups[0]!, count: c.signups.length },
      });
      assert.deepEqual(Array.from(after), c.latest);
      assert.deepEqual(before, kept, "the recency before is left as it was");
      // In place, as the history keeps one: the same days (its array may keep spare room).
      const inPlace = mergeDay(before.slice(), {
        day: DAY,
        invoiceCustomerIds: Int32Array.from(c.customers),
        invoiceDaysEarly: c.early ? Int32Array.from(c.early) : undefined,
        newCustomers: c.signups && { firstId: c.signups[0]!, count: c.signups.length },
      });
      assert.deepEqual(Array.from(inPlace.subarray(0, c.latest.length)), c.latest);
      assert.ok(inPlace.subarray(c.latest.length).every((d) => d === NO_INVOICE));
    });
  }
});

Deno.test("mergeLatest: invoice rows read from the database, in any order", () => {
  const merged = mergeLatest(Int32Array.of(-1, 100, -1), [3, 1, 3, 2], [50, 90, 70, 10]);
  assert.deepEqual(Array.from(merged.subarray(0, 4)), [-1, 100, 10, 70]);
  assert.throws(() => mergeLatest(new Int32Array(2), [0], 5), RangeError);
});

Deno.test("replaceLatest: customers read again after a removal get their older day, or none", () => {
  const replaced = replaceLatest(Int32Array.of(-1, 100, 90, 80), [1, 3, 2, 5, 7], [
    95,
    -1,
    90,
    -1,
    60,
  ]);
  assert.deepEqual(Array.from(replaced.subarray(0, 8)), [-1, 95, 90, -1, -1, -1, -1, 60]);
  assert.ok(replaced.subarray(8).every((d) => d === NO_INVOICE));
  // Nothing to grow for customers beyond the array without an invoice.
  assert.equal(replaceLatest(Int32Array.of(-1, 5), [9], [-1]).length, 2);
  assert.throws(() => replaceLatest(new Int32Array(2), [0], [5]), RangeError);
});

Deno.test("ages on a day: the customers' own order, -1 for none and for ids beyond the array", () => {
  const latest = Int32Array.of(-1, TODAY, TODAY - 30, -1);
  assert.deepEqual(Array.from(agesOn(latest, Int32Array.of(3, 1, 2, 9), DAY)), [-1, 0, 30, -1]);
  assert.deepEqual(
    Array.from(agesOn(latest, Int32Array.of(2), "2026-07-11")),
    [31],
  );
});
