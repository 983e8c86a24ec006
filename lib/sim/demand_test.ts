import assert from "node:assert/strict";
import { customerWeights, DEFAULT_MODEL, isLoyal, resolveModel } from "./demand.ts";

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
    [
      "a share above 1",
      { newCustomerShare: 1.5 },
      /"newCustomerShare" must be a number from 0 to 1/,
    ],
    ["loyalty below 1", { loyalFactor: 0.5 }, /"loyalFactor" must be a number from 1 to 1000/],
    ["no readiness", { repeatDays: 0 }, /"repeatDays" must be a number from 0.1 to 3650/],
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
