import assert from "node:assert/strict";
import { firstUint32, firstUint32Of, Rng } from "./rng.ts";

Deno.test("firstUint32: the first draw of the stream, as Rng makes it", () => {
  const keys = ["", "a", "loyal/1", "track/3503", "é/ü/日本", "x".repeat(300)];
  for (let i = 0; i < 2000; i++) keys.push(`loyal/${i * 7919}`, `track/${i}`);
  for (const key of keys) assert.equal(firstUint32(key), new Rng(key).nextUint32(), key);
});

Deno.test("firstUint32Of: the prefix and the id's digits, as one key", () => {
  const ids = [0, 1, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, 2 ** 53 - 1, -1, 1.5, NaN];
  for (let i = 0; i < 3000; i++) ids.push(i * 7919, i);
  for (const prefix of ["loyal/", "track/", "", "é/"]) {
    const draw = firstUint32Of(prefix);
    for (const id of ids) {
      assert.equal(draw(id), new Rng(`${prefix}${id}`).nextUint32(), `${prefix}${id}`);
    }
  }
});
