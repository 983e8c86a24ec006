import assert from "node:assert/strict";
import { lineOfKey } from "./inputs.ts";

Deno.test("lineOfKey: the line of a key in a JSON text, to name in an error", async (t) => {
  const text = '{\n  "trackZipf": 0.9,\n  "growthAnchor" : "2025-13-45",\n  "a.b": 1\n}';
  const cases: Array<[string, number | undefined]> = [
    ["trackZipf", 2],
    ["growthAnchor", 3],
    ["a.b", 4],
    ["growth", undefined],
    ["constructor", undefined],
  ];
  for (const [key, line] of cases) {
    await t.step(key, () => assert.equal(lineOfKey(text, key), line));
  }
  assert.equal(lineOfKey('{"0.9": 1}', "0.9"), 1);
  assert.equal(lineOfKey('{"x": "growthAnchor", "growthAnchor": 1}', "growthAnchor"), 1);
});
