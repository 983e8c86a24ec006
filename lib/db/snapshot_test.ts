import assert from "node:assert/strict";
import { parseIntList, parseIntLists } from "./snapshot.ts";

Deno.test("parseIntList reads a comma-separated list of integers", () => {
  assert.deepEqual(parseIntList(null), new Int32Array());
  assert.deepEqual(parseIntList(""), new Int32Array());
  assert.deepEqual(parseIntList("7"), Int32Array.of(7));
  assert.deepEqual(parseIntList("3,5,8"), Int32Array.of(3, 5, 8));
  assert.deepEqual(parseIntList("0,-1,2147483647,-12"), Int32Array.of(0, -1, 2147483647, -12));
  const many = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 100_003);
  assert.deepEqual(parseIntList(many.join(",")), Int32Array.from(many));
});

Deno.test("parseIntList refuses what is not such a list", () => {
  for (const bad of ["1,", ",1", "1,,2", "1,x", "-", "1 ,2", "1.5"]) {
    assert.throws(() => parseIntList(bad), SyntaxError, bad);
  }
});

Deno.test("parseIntLists reads several lists as one, in order", () => {
  assert.deepEqual(parseIntLists([]), new Int32Array());
  assert.deepEqual(parseIntLists(["1,2", "3", "4,5,6"]), Int32Array.of(1, 2, 3, 4, 5, 6));
});
