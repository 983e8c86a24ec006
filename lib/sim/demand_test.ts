import assert from "node:assert/strict";
import {
  customerWeights,
  DEFAULT_MODEL,
  drawVolume,
  isLoyal,
  MODEL_RANGES,
  ModelRangeError,
  resolveModel,
  stableOrder,
  weightedSampleWithoutReplacement,
} from "./demand.ts";
import { Rng } from "./rng.ts";

Deno.test("resolveModel: a partial model over the defaults", () => {
  assert.deepEqual(resolveModel({}), DEFAULT_MODEL);
  const model = resolveModel({ baseInvoicesPerDay: 7, growthAnchor: "2026-01-01" });
  assert.equal(model.baseInvoicesPerDay, 7);
  assert.equal(model.growthAnchor, "2026-01-01");
  assert.deepEqual(model.hourWeights, DEFAULT_MODEL.hourWeights);
  assert.equal(DEFAULT_MODEL.baseInvoicesPerDay, 100, "the defaults are not changed");
});

Deno.test("every parameter of the model has its range", () => {
  for (const [key, value] of Object.entries(DEFAULT_MODEL)) {
    if (typeof value === "string") continue;
    assert.ok(MODEL_RANGES[key] !== undefined, key);
    assert.deepEqual(resolveModel({ [key]: value }), DEFAULT_MODEL, key);
  }
});

Deno.test("resolveModel: every problem named, in one error", async (t) => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ["an unknown key", { baseInvoicePerDay: 1 }, /unknown key "baseInvoicePerDay"/],
    ["a wrong length", { hourWeights: [1, 2] }, /"hourWeights" must be 24 non-negative numbers/],
    [
      "all zero",
      { weekdayFactors: [0, 0, 0, 0, 0, 0, 0] },
      /"weekdayFactors" must be 7 .*not all 0/,
    ],
    ["a negative", { annualGrowth: -1 }, /"annualGrowth" must be a number from 0 to 1 \(not -1\)/],
    [
      "too large",
      { baseInvoicesPerDay: 1e8 },
      /"baseInvoicesPerDay" must be a number from 0 to 100,000/,
    ],
    ["a list element too large", { hourWeights: Array(24).fill(1e9) }, /"hourWeights" must be 24/],
    [
      "no such day",
      { growthAnchor: "2025-13-45" },
      /"growthAnchor" must be a date .* \(not "2025-13-45"\)/,
    ],
    ["a day too far", { growthAnchor: "9999-12-31" }, /from 1970-01-01 to 2199-12-31/],
    [
      "an overflow",
      { trackZipf: Infinity },
      /"trackZipf" must be a number from 0 to 5 \(not Infinity\)/,
    ],
    ["constructor", JSON.parse('{"constructor": 1}'), /unknown key "constructor"/],
    ["__proto__", JSON.parse('{"__proto__": {"x": 1}}'), /unknown key "__proto__"/],
    ["toString", { toString: "2025-01-01" }, /unknown key "toString"/],
    ["not a number", { trackZipf: "1" }, /"trackZipf" must be a number/],
    ["not a date", { growthAnchor: "soon" }, /"growthAnchor" must be a date YYYY-MM-DD/],
    ["two at once", { foo: 1, annualGrowth: -1 }, /unknown key "foo"; "annualGrowth" must be/],
    [
      "a share above 1",
      { newCustomerShare: 1.5 },
      /"newCustomerShare" must be a number from 0 to 1/,
    ],
    ["loyalty below 1", { loyalFactor: 0.5 }, /"loyalFactor" must be a number from 1 to 1,000/],
    ["no readiness", { repeatDays: 0 }, /"repeatDays" must be a number from 0.1 to 3,650/],
    ["a removed key", { customerZipf: 1 }, /unknown key "customerZipf"/],
    [
      "launch baskets",
      { launchBasketSizeWeights: [1, 2] },
      /"launchBasketSizeWeights" must be 5 non-negative numbers/,
    ],
  ];
  for (const [name, partial, message] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => resolveModel(partial),
        (e: Error) => e instanceof RangeError && message.test(e.message),
      );
    });
  }
});

Deno.test("customerWeights: loyal customers more, nobody right after a purchase, lapsed ones rarely", () => {
  const ids = Int32Array.from({ length: 2000 }, (_, i) => i + 1);
  const loyal = Array.from(ids).filter((id) => isLoyal(DEFAULT_MODEL, id)).length;
  assert.ok(loyal > 150 && loyal < 250, `${loyal} of 2000 loyal (10%)`);
  const at = (age: number) => customerWeights(DEFAULT_MODEL, [1], [age])[0]!;
  assert.ok(at(0) < at(14) / 10, "just bought: rarely again the next day");
  assert.ok(at(14) > at(365) * 5, "after a year without a purchase: lapsed");
  const loyalId = Array.from(ids).find((id) => isLoyal(DEFAULT_MODEL, id))!;
  const other = Array.from(ids).find((id) => !isLoyal(DEFAULT_MODEL, id))!;
  const [a, b] = customerWeights(DEFAULT_MODEL, [loyalId, other], [30, 30]);
  assert.equal(a! / b!, DEFAULT_MODEL.loyalFactor);
  // A customer with no invoice yet counts as one who has just signed up.
  assert.equal(
    customerWeights(DEFAULT_MODEL, [other], [-1])[0],
    customerWeights(DEFAULT_MODEL, [other], [0])[0],
  );
});

Deno.test("drawVolume: a model that compounds past the caps is refused on that day", () => {
  const model = resolveModel({ baseInvoicesPerDay: 100_000, annualGrowth: 1 });
  assert.doesNotThrow(() => drawVolume(model, "2025-01-01", new Rng("x")));
  assert.throws(
    () => drawVolume(model, "2030-01-01", new Rng("x")),
    /Cannot simulate 2030-01-01: the demand model expects [0-9,]+ invoices that day, past the cap of 2,000,000/,
  );
  const peaks = resolveModel({
    baseInvoicesPerDay: 100_000,
    monthFactors: Array(12).fill(10),
    weekdayFactors: Array(7).fill(10),
  });
  assert.throws(() => drawVolume(peaks, "2025-01-01", new Rng("x")), ModelRangeError);
});

/** The sampler as first written (pairs, closures): the reference the fast one must equal. */
function referenceSample(rng: Rng, weights: ArrayLike<number>, k: number): number[] {
  const n = weights.length;
  if (k <= 0 || n === 0) return [];
  const keys = new Float64Array(n);
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = weights[i] as number;
    const u = rng.next();
    if (!(w > 0)) continue;
    keys[i] = Math.log(1 - u) / w;
    kept.push(i);
  }
  kept.sort((a, b) => keys[b]! - keys[a]! || a - b);
  return kept.slice(0, k).sort((a, b) => a - b);
}

Deno.test("weightedSampleWithoutReplacement: the k largest keys, ties to the smaller index", () => {
  const shape = new Rng("shapes");
  for (let trial = 0; trial < 300; trial++) {
    const n = shape.int(0, 400);
    // Zeros, negatives, NaN, equal weights (ties) and a spread of magnitudes.
    const weights = Array.from({ length: n }, () => {
      const r = shape.next();
      return r < 0.1 ? 0 : r < 0.13 ? -1 : r < 0.15 ? NaN : r < 0.4 ? 1 : shape.next() * 1e3;
    });
    const k = shape.int(0, n + 3);
    assert.deepEqual(
      weightedSampleWithoutReplacement(new Rng(`t${trial}`), weights, k),
      referenceSample(new Rng(`t${trial}`), weights, k),
      `trial ${trial}`,
    );
  }
  // Equal keys: the same draw for every item.
  const same = { next: () => 0.5 } as unknown as Rng;
  assert.deepEqual(weightedSampleWithoutReplacement(same, [1, 1, 1, 1, 1], 3), [0, 1, 2]);
});

Deno.test("stableOrder: ids by their hash, then by position", () => {
  const ids = Array.from({ length: 5000 }, (_, i) => (i * 37) % 4999);
  const expected = ids
    .map((id, i) => [new Rng(`track/${id}`).nextUint32(), i] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([, i]) => i);
  assert.deepEqual(stableOrder(ids, "track"), expected);
});
