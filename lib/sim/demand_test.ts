import assert from "node:assert/strict";
import { DEFAULT_MODEL, resolveModel } from "./demand.ts";

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
    ["a negative", { annualGrowth: -1 }, /"annualGrowth" must be a number from 0 to 10000000/],
    ["too large", { baseInvoicesPerDay: 1e8 }, /"baseInvoicesPerDay" must be a number/],
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
