import assert from "node:assert/strict";
import { readAtMost } from "./bounded_read.ts";

function streamOf(...parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

Deno.test("readAtMost: the whole stream up to the cap, an error past it", async (t) => {
  const cases: Array<[string, string[], number, string | null]> = [
    ["empty", [], 4, ""],
    ["pieces joined", ["ab", "cd"], 4, "abcd"],
    ["exactly the cap", ["abcd"], 4, "abcd"],
    ["one byte past", ["abc", "de"], 4, null],
  ];
  for (const [name, parts, max, expected] of cases) {
    await t.step(name, async () => {
      const read = readAtMost(streamOf(...parts), max, () => new RangeError("too large"));
      if (expected === null) await assert.rejects(read, RangeError);
      else assert.equal(new TextDecoder().decode(await read), expected);
    });
  }
  await t.step("an endless stream stops at the cap", async () => {
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(1024));
      },
    });
    await assert.rejects(readAtMost(endless, 10_000, () => new RangeError("too large")));
  });
});
