/** The pure day plan: reproducible, and shaped like a real store (not uniform randomness). */
import assert from "node:assert/strict";
import { addDays, clockChangeOn, weekday } from "./calendar.ts";
import { DEFAULT_MODEL, drawVolume, expectedInvoices, VOLUME_LIMITS } from "./demand.ts";
import {
  AUTO_COUNTS,
  buildDayPlan,
  dayCounts,
  type DayPlan,
  MESSINESS_LEVELS,
  planAddedLines,
  planCustomerChangeTargets,
  type Snapshot,
  stableOrderByKey,
} from "./plan.ts";
import { loadNames } from "./people/mod.ts";
import { dayRng } from "./rng.ts";

const names = await loadNames();

function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  const recent = 2000;
  return {
    customerIds: Int32Array.from({ length: 59 }, (_, i) => i + 1),
    trackIds: Int32Array.from({ length: 3503 }, (_, i) => i + 1),
    trackPriceCents: Int32Array.from({ length: 3503 }, (_, i) => (i % 10 === 0 ? 199 : 99)),
    supportRepIds: [3, 4, 5],
    recentInvoiceIds: Int32Array.from({ length: recent }, (_, i) => 1000 + i),
    recentAgeDays: Int32Array.from({ length: recent }, (_, i) => Math.floor((i * 90) / recent)),
    nextInvoiceId: 5000,
    nextInvoiceLineId: 20000,
    nextCustomerId: 60,
    ...overrides,
  };
}

function plan(
  day = "2026-03-10",
  seed = "1",
  inserts = 5000,
  extra: Partial<Parameters<typeof buildDayPlan>[0]> = {},
) {
  return buildDayPlan({
    day,
    seed,
    requested: { ...AUTO_COUNTS, inserts, updates: 200, deletes: 80 },
    model: DEFAULT_MODEL,
    snapshot: snapshot(),
    names,
    ...extra,
  });
}

Deno.test("same inputs, same plan; another seed or day, another plan; days independent of order", () => {
  assert.deepEqual(plan(), plan());
  assert.notDeepEqual(plan("2026-03-10", "2").invoiceCustomerIds, plan().invoiceCustomerIds);
  assert.notDeepEqual(plan("2026-03-11").invoiceSeconds, plan().invoiceSeconds);
  const b1 = plan("2026-03-11");
  plan("2026-03-10");
  assert.deepEqual(plan("2026-03-11"), b1);
});

Deno.test("invoices: numbered in time order, totals = sum of lines, 1-5 distinct tracks", () => {
  const p = plan();
  let previous = -1;
  const sizes = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < p.invoiceCustomerIds.length; i++) {
    assert.ok(p.invoiceSeconds[i]! >= previous && p.invoiceSeconds[i]! < 86400);
    previous = p.invoiceSeconds[i]!;
    const tracks = p.lineTrackIds.subarray(p.lineStart[i]!, p.lineStart[i + 1]!);
    const prices = p.linePriceCents.subarray(p.lineStart[i]!, p.lineStart[i + 1]!);
    assert.equal(new Set(tracks).size, tracks.length, "no duplicate track");
    assert.equal(prices.reduce((a, b) => a + b, 0), p.invoiceTotalCents[i]);
    sizes[tracks.length]!++;
  }
  const n = p.invoiceCustomerIds.length;
  assert.equal(sizes[0], 0);
  assert.ok((sizes[1]! + sizes[2]!) / n > 0.6, `1-2 track baskets: ${(sizes[1]! + sizes[2]!) / n}`);
  assert.ok(sizes[5]! > 0, "some 5-track baskets");
  assert.equal(p.revenueCents, p.invoiceTotalCents.reduce((a, b) => a + b, 0));
});

function topShare(p: DayPlan): number {
  const revenue = new Map<number, number>();
  p.invoiceCustomerIds.forEach((c, i) =>
    revenue.set(c, (revenue.get(c) ?? 0) + p.invoiceTotalCents[i]!)
  );
  const sorted = [...revenue.values()].sort((a, b) => b - a);
  const top = sorted.slice(0, Math.ceil(sorted.length * 0.2)).reduce((a, b) => a + b, 0);
  return top / sorted.reduce((a, b) => a + b, 0);
}

Deno.test("loyal customers: the top 20% bring well over half of the revenue (uniform: about 25%)", () => {
  const share = topShare(plan());
  assert.ok(share > 0.5, `top 20% share ${share}`);
  assert.ok(share < 0.95, `not a single buyer: ${share}`);
});

Deno.test("hour of day: lunch and evening peaks, a quiet night (uniform: all hours equal)", () => {
  const hours = new Array(24).fill(0);
  for (const s of plan("2026-03-10", "1", 20000).invoiceSeconds) hours[Math.floor(s / 3600)]++;
  const night = (hours[2] + hours[3] + hours[4] + hours[5]) / 4;
  assert.ok(hours[12] > 5 * night, `lunch ${hours[12]} vs night ${night}`);
  assert.ok((hours[19] + hours[20] + hours[21]) / 3 > 5 * night, "evening peak");
  assert.ok(hours[20] > hours[16], "evening above afternoon");
});

Deno.test("weekday shape, December peak, growth and Poisson noise in the daily volume", () => {
  const mean = (days: string[]) =>
    days.reduce((a, d) => a + expectedInvoices(DEFAULT_MODEL, d), 0) / days.length;
  const weeks = Array.from({ length: 56 }, (_, i) => addDays("2026-02-02", i));
  const weekend = mean(weeks.filter((d) => [0, 6].includes(weekday(d))));
  const early = mean(weeks.filter((d) => [1, 2, 3].includes(weekday(d))));
  assert.ok(weekend > 1.25 * early, `weekend ${weekend} vs Mon-Wed ${early}`);
  assert.ok(
    expectedInvoices(DEFAULT_MODEL, "2026-12-15") >
      1.6 * expectedInvoices(DEFAULT_MODEL, "2026-02-11"),
  );
  assert.ok(
    expectedInvoices(DEFAULT_MODEL, "2027-02-10") > expectedInvoices(DEFAULT_MODEL, "2026-02-11"),
  );
  const draws = Array.from(
    { length: 200 },
    (_, i) => drawVolume(DEFAULT_MODEL, "2026-03-10", dayRng(String(i), "x")).inserts,
  );
  const m = draws.reduce((a, b) => a + b, 0) / draws.length;
  const variance = draws.reduce((a, b) => a + (b - m) ** 2, 0) / draws.length;
  const expected = expectedInvoices(DEFAULT_MODEL, "2026-03-10");
  assert.ok(Math.abs(m - expected) < 0.05 * expected, `mean ${m} vs ${expected}`);
  assert.ok(
    variance > 0.5 * expected && variance < 2 * expected,
    `Poisson-like variance ${variance}`,
  );
});

Deno.test("updates and cancellations: recent invoices far more often; disjoint; shortfall reported", () => {
  const s = snapshot();
  const p = plan();
  const ageOf = new Map<number, number>();
  s.recentInvoiceIds.forEach((id, i) => ageOf.set(id, s.recentAgeDays[i]!));
  const targets = [...p.updateTargets, ...p.cancelTargets];
  assert.equal(new Set(targets).size, targets.length, "disjoint");
  const ages = targets.map((id) => ageOf.get(id) ?? 0);
  const meanTarget = ages.reduce((a, b) => a + b, 0) / ages.length;
  const meanEligible = [...s.recentAgeDays].reduce((a, b) => a + b, 0) / s.recentAgeDays.length;
  assert.ok(meanTarget < meanEligible / 3, `target age ${meanTarget} vs eligible ${meanEligible}`);
  const few = buildDayPlan({
    day: "2026-03-10",
    seed: "1",
    requested: { ...AUTO_COUNTS, inserts: 3, updates: 10, deletes: 10 },
    model: DEFAULT_MODEL,
    names,
    snapshot: snapshot({ recentInvoiceIds: new Int32Array(), recentAgeDays: new Int32Array() }),
  });
  assert.equal(few.updateTargets.length + few.cancelTargets.length, 3);
  assert.equal(few.shortfall.updates + few.shortfall.deletes, 17);
});

Deno.test("new customers each buy on their day; support reps from the agents", () => {
  const p = plan("2026-03-10", "1", 500, {
    requested: { ...AUTO_COUNTS, inserts: 500, newCustomers: 4 },
  });
  assert.equal(p.newCustomers.count, 4);
  for (const c of p.newCustomers.range()) {
    assert.ok(p.invoiceCustomerIds.includes(c.id), `customer ${c.id} buys`);
    assert.ok([3, 4, 5].includes(c.supportRepId!));
    assert.ok(c.lastName.length <= 20 && c.email.length <= 60 && c.postalCode.length <= 10);
  }
});

Deno.test("messiness is off by default and does not change a plan's other rows", () => {
  const clean = plan();
  assert.equal(clean.duplicateIds.length + clean.editTargets.length, 0);
  assert.ok(clean.invoiceDaysEarly.every((d) => d === 0));
  const messy = plan("2026-03-10", "1", 5000, { messiness: MESSINESS_LEVELS.high });
  assert.ok(messy.duplicateIds.length > 50 && messy.editTargets.length > 100);
  assert.ok(messy.invoiceDaysEarly.filter((d) => d > 0).length > 200);
  assert.equal(messy.revenueCents, clean.revenueCents, "duplicates are not revenue");
});

Deno.test("added lines never repeat a track already on the invoice", () => {
  const s = snapshot({
    trackIds: Int32Array.from([1, 2, 3, 4]),
    trackPriceCents: Int32Array.from([99, 99, 99, 199]),
  });
  const added = planAddedLines({
    day: "2026-03-10",
    seed: "1",
    model: DEFAULT_MODEL,
    snapshot: s,
    firstLineId: 10,
    targets: [{ invoiceId: 7, trackIds: [1, 2, 3] }, { invoiceId: 8, trackIds: [1, 2, 3, 4] }],
  });
  assert.deepEqual([...added.invoiceIds], [7], "a full invoice gets nothing");
  assert.deepEqual([...added.trackIds], [4]);
  assert.deepEqual([...added.priceCents], [199]);
});

Deno.test("no invoice in a skipped hour; late invoices on a change day too", async (t) => {
  for (const [zone, day] of [["Europe/Paris", "2026-03-29"], ["America/New_York", "2026-03-08"]]) {
    await t.step(`${zone} ${day}`, () => {
      const p = plan(day, "1", 20_000, { timeZone: zone, messiness: MESSINESS_LEVELS.high });
      const utc = plan(day, "1", 20_000, { messiness: MESSINESS_LEVELS.high });
      assert.ok(utc.invoiceSeconds.some((s) => s >= 7200 && s < 10800), "UTC keeps 2 h");
      for (let i = 0; i < p.invoiceSeconds.length; i++) {
        const dated = addDays(day!, -p.invoiceDaysEarly[i]!);
        const change = clockChangeOn(zone!, dated);
        const s = p.invoiceSeconds[i]!;
        assert.ok(
          change?.kind !== "skipped" || s < change.from || s >= change.to,
          `${dated} ${s}`,
        );
      }
      // Still numbered in time order.
      for (let i = 1; i < p.invoiceSeconds.length; i++) {
        assert.ok(p.invoiceSeconds[i - 1]! <= p.invoiceSeconds[i]!);
      }
    });
  }
});

Deno.test("customer changes need the profiles of their targets only (planCustomerChangeTargets)", () => {
  const customers = 3000;
  const base = snapshot({ customerIds: Int32Array.from({ length: customers }, (_, i) => i + 1) });
  const profiles = Array.from({ length: customers }, (_, i) => ({
    firstName: `First${i}`,
    lastName: `Last${i}`,
    country: i % 2 ? "Germany" : "France",
    city: i % 2 ? "Berlin" : "Paris",
  }));
  for (
    const [day, changes] of [["2026-03-10", 40], ["2026-03-11", 0], ["2026-03-12", "auto"]] as const
  ) {
    const requested = { ...AUTO_COUNTS, inserts: 500, customerChanges: changes };
    const targets = planCustomerChangeTargets({
      day,
      seed: "3",
      requested,
      model: DEFAULT_MODEL,
      customerCount: customers,
    });
    const sparse: typeof profiles = [];
    for (const i of targets) sparse[i] = profiles[i]!;
    const build = (customerProfiles: typeof profiles) =>
      buildDayPlan({
        day,
        seed: "3",
        requested,
        model: DEFAULT_MODEL,
        snapshot: { ...base, customerProfiles },
        names,
      });
    const full = build(profiles);
    assert.equal(targets.length, full.customerChanges.length);
    assert.deepEqual(build(sparse), full);
  }
});

Deno.test("automatic counts follow --inserts, held to the caps their own flags have", async (t) => {
  const counts = (inserts: number | "auto", more: Partial<typeof AUTO_COUNTS> = {}) =>
    dayCounts({
      day: "2026-03-10",
      seed: "1",
      requested: { ...AUTO_COUNTS, inserts, ...more },
      model: DEFAULT_MODEL,
    });
  await t.step("below the caps: the day's drawn shares, scaled", () => {
    const c = counts(10_000);
    assert.equal(c.newCustomers, 1782);
  });
  await t.step("1,000,000 invoices: sign-ups at their cap, not 178,200", () => {
    assert.equal(counts(1_000_000).newCustomers, VOLUME_LIMITS.newCustomers);
  });
  await t.step("2,000,000 invoices: updates and cancellations within theirs", () => {
    const c = counts(2_000_000);
    assert.equal(c.inserts, 2_000_000);
    assert.ok(c.updates <= VOLUME_LIMITS.updates && c.deletes <= VOLUME_LIMITS.deletes);
  });
  await t.step("given counts are kept as given", () => {
    const c = counts(1_000_000, { newCustomers: 7, updates: 3, deletes: 2 });
    assert.deepEqual([c.newCustomers, c.updates, c.deletes], [7, 3, 2]);
  });
});

Deno.test("stableOrderByKey orders as a stable comparison sort does", async (t) => {
  const byComparison = (keys: Int32Array) =>
    Int32Array.from(
      Array.from({ length: keys.length }, (_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b),
    );
  const rng = dayRng("2026-03-10", "order");
  const cases: Array<[string, Int32Array]> = [
    ["empty", new Int32Array()],
    ["one", Int32Array.of(5)],
    ["a day's seconds, many equal", Int32Array.from({ length: 5000 }, () => rng.int(0, 86_399))],
    ["few distinct keys", Int32Array.from({ length: 1000 }, () => rng.int(0, 3))],
    ["negative keys", Int32Array.from({ length: 1000 }, () => rng.int(-50, 50))],
    ["a wide span (the comparison path)", Int32Array.of(2_000_000_000, -5, 7, 7, -2_000_000_000)],
  ];
  for (const [name, keys] of cases) {
    await t.step(name, () => assert.deepEqual(stableOrderByKey(keys), byComparison(keys)));
  }
});
