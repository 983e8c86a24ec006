/** The history's volume: a ramp from the launch pace to the model's curve, steady while small. */
import assert from "node:assert/strict";
import { addDays, daysInRange, dayToEpochDays } from "./calendar.ts";
import { DEFAULT_MODEL, expectedInvoices } from "./demand.ts";
import {
  historyCounts,
  historyExpected,
  historyRamp,
  historySlices,
  planHistory,
} from "./history.ts";
import { loadNames } from "./people/mod.ts";

const TO = "2026-06-30";
const FROM = addDays(TO, -1095);

function monthly(days: string[], counts: number[]): number[] {
  const months = new Map<string, number>();
  days.forEach((d, i) => months.set(d.slice(0, 7), (months.get(d.slice(0, 7)) ?? 0) + counts[i]!));
  return [...months.values()];
}

Deno.test("the ramp starts at the launch pace and joins the model's curve", () => {
  const ramp = historyRamp(DEFAULT_MODEL, FROM, TO);
  assert.equal(ramp.end, addDays(FROM, 731)); // round(2 × 365.25)
  const first = historyExpected(DEFAULT_MODEL, ramp, FROM);
  assert.ok(first > 0.15 && first < 0.4, `first day ${first}`);
  for (const day of [ramp.end, addDays(ramp.end, 40), TO]) {
    assert.equal(historyExpected(DEFAULT_MODEL, ramp, day), expectedInvoices(DEFAULT_MODEL, day));
  }
  const before = historyExpected(DEFAULT_MODEL, ramp, addDays(ramp.end, -1));
  const after = historyExpected(DEFAULT_MODEL, ramp, ramp.end);
  assert.ok(Math.abs(after / before - 1) < 0.5, `no step at the ramp's end: ${before} → ${after}`);
  // A history shorter than the ramp ends on the curve.
  assert.equal(historyRamp(DEFAULT_MODEL, addDays(TO, -99), TO).end, addDays(TO, 1));
});

Deno.test("history counts: reproducible, months within a factor of 2 from the first", () => {
  const counts = historyCounts(DEFAULT_MODEL, "7", FROM, TO);
  assert.deepEqual(historyCounts(DEFAULT_MODEL, "7", FROM, TO), counts);
  assert.notDeepEqual(historyCounts(DEFAULT_MODEL, "8", FROM, TO), counts);
  const months = monthly(daysInRange(FROM, TO), counts).slice(1, -1);
  for (let i = 1; i < months.length; i++) {
    const ratio = Math.max(months[i]!, months[i - 1]!) / Math.min(months[i]!, months[i - 1]!);
    assert.ok(ratio <= 2, `month ${i}: ${months[i - 1]} → ${months[i]}`);
  }
  assert.ok(months[0]! >= 5 && months[0]! <= 14, `first month ${months[0]}`);
  assert.ok(months.at(-1)! > 2500, `last month ${months.at(-1)}`);
});

Deno.test("planHistory: the same seed gives the same rows; customers arrive and come back", async () => {
  const names = await loadNames();
  const input = {
    seed: "3",
    model: DEFAULT_MODEL,
    from: addDays(TO, -400),
    to: TO,
    timeZone: "Europe/Paris",
    names,
    start: {
      customerIds: Int32Array.from({ length: 59 }, (_, i) => i + 1),
      customerLatest: new Array(59).fill(addDays(TO, -420)),
      trackIds: Int32Array.from({ length: 500 }, (_, i) => i + 1),
      trackPriceCents: new Int32Array(500).fill(99),
      supportRepIds: [3, 4, 5],
      nextInvoiceId: 413,
      nextInvoiceLineId: 2241,
      nextCustomerId: 60,
    },
  };
  const a = planHistory(input);
  assert.deepEqual(planHistory(input), a);
  const n = a.invoiceCustomerIds.length;
  assert.ok(n > 1000, `${n} invoices`);
  assert.deepEqual(a.invoiceDates, a.invoiceDates.slice().sort(), "ids in time order");
  assert.equal(a.lineInvoiceIds[0], 413);
  const returning = n - a.newCustomers.length;
  assert.ok(returning > n / 2, "most invoices are by returning customers");
  assert.ok(a.newCustomers.length > n * 0.1, `${a.newCustomers.length} sign-ups`);
  assert.ok(a.newCustomers.every((c, i) => c.id === 60 + i && [3, 4, 5].includes(c.supportRepId!)));
  // No time in the hour Paris skips on 2026-03-29.
  assert.ok(!a.invoiceDates.some((d) => d.startsWith("2026-03-29 02:")));

  // In slices: the same rows, whole days, ids continuing, the days covered once.
  const slices = [...historySlices(input, 300)];
  assert.ok(slices.length > 3, `${slices.length} slices`);
  const joined = <T>(pick: (r: typeof a) => ArrayLike<T>) =>
    slices.flatMap((r) => Array.from(pick(r)));
  assert.deepEqual(joined((r) => r.invoiceCustomerIds), Array.from(a.invoiceCustomerIds));
  assert.deepEqual(joined((r) => r.invoiceDates), a.invoiceDates);
  assert.deepEqual(joined((r) => r.invoiceTotalCents), Array.from(a.invoiceTotalCents));
  assert.deepEqual(joined((r) => r.lineInvoiceIds), Array.from(a.lineInvoiceIds));
  assert.deepEqual(joined((r) => r.lineTrackIds), Array.from(a.lineTrackIds));
  assert.deepEqual(joined((r) => r.linePriceCents), Array.from(a.linePriceCents));
  assert.deepEqual(slices.flatMap((r) => r.newCustomers), a.newCustomers);
  assert.equal(slices.reduce((n, r) => n + r.revenueCents, 0), a.revenueCents);
  assert.equal(slices[0]!.from, input.from);
  assert.equal(slices.at(-1)!.to, input.to);
  for (let i = 1; i < slices.length; i++) {
    const [before, slice] = [slices[i - 1]!, slices[i]!];
    assert.equal(slice.from, addDays(before.to, 1));
    assert.equal(slice.firstInvoiceId, before.firstInvoiceId + before.invoiceCustomerIds.length);
    assert.equal(slice.firstLineId, before.firstLineId + before.lineTrackIds.length);
  }

  // The last slice carries each customer's latest invoice (the start's, or the history's own),
  // as the days after the history read it (recency.ts); the others carry none.
  const latest = new Map<number, number>();
  input.start.customerIds.forEach((id, i) =>
    latest.set(id, dayToEpochDays(input.start.customerLatest[i]!))
  );
  a.invoiceCustomerIds.forEach((id, i) =>
    latest.set(id, Math.max(latest.get(id) ?? -1, dayToEpochDays(a.invoiceDates[i]!.slice(0, 10))))
  );
  const kept = slices.at(-1)!.latest!;
  assert.ok(slices.slice(0, -1).every((s) => s.latest === undefined));
  assert.deepEqual(a.latest, kept);
  for (let id = 0; id < kept.length; id++) assert.equal(kept[id], latest.get(id) ?? -1, `${id}`);
  assert.equal(latest.size, 59 + a.newCustomers.length);
  assert.ok(Math.max(...latest.keys()) < kept.length, "every customer has room");
});
