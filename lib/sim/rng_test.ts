import assert from "node:assert/strict";
import { firstUint32, Rng } from "./rng.ts";

Deno.test("firstUint32: the first draw of the stream, as Rng makes it", () => {
  const keys = ["", "a", "loyal/1", "track/3503", "é/ü/日本", "x".repeat(300)];
  for (let i = 0; i < 2000; i++) keys.push(`loyal/${i * 7919}`, `track/${i}`);
  for (const key of keys) assert.equal(firstUint32(key), new Rng(key).nextUint32(), key);
});
