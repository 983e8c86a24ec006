import assert from "node:assert/strict";
import { DEFAULT_MODEL, drawVolume, ModelRangeError, resolveModel } from "./demand.ts";
import { Rng } from "./rng.ts";

Deno.test("resolveModel: a partial model over the defaults", () => {
  assert.deepEqual(resolveModel({}), DEFAULT_MODEL);
  const model = resolveModel({ baseInvoicesPerDay: 7, growthAnchor: "2026-01-01" });
  assert.equal(model.baseInvoicesPerDay, 7);
  assert.equal(model.growthAnchor, "2026-01-01");
  assert.deepEqual(model.hourWeights, DEFAULT_MODEL.hourWeights);
  assert.equal(DEFAULT_MODEL.baseInvoicesPerDay, 100, "the defaults are not changed");
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
