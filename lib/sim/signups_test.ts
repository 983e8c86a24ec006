/** Sign-ups made when used: the same people however and whenever they are asked for. */
import assert from "node:assert/strict";
import { loadNames } from "./people/names.ts";
import { randomPerson } from "./people/generate.ts";
import { Rng } from "./rng.ts";
import { Signups } from "./signups.ts";

const names = await loadNames();
const KEY = "12345:customers";
const REPS = [3, 4, 5];
const make = (count = 50) => Signups.drawn(KEY, count, 1000, REPS, () => names);

/** The stream drawn by hand, one customer after another, as the plan once made them. */
function byHand(count: number) {
  const rng = new Rng(KEY);
  return Array.from({ length: count }, (_, i) => {
    const id = 1000 + i;
    return { id, ...randomPerson(rng, names, id), supportRepId: rng.pick(REPS) };
  });
}

Deno.test("sign-ups: the stream's people, however they are asked for", async (t) => {
  const all = byHand(50);
  await t.step("all at once", () => assert.deepEqual(make().range(), all));
  await t.step("in pieces, in order", () => {
    const s = make();
    assert.deepEqual([...s.range(0, 7), ...s.range(7, 30), ...s.range(30, 50)], all);
  });
  await t.step("an earlier piece after a later one (made again from the first)", () => {
    const s = make();
    assert.deepEqual(s.range(40, 50), all.slice(40));
    assert.deepEqual(s.range(5, 10), all.slice(5, 10));
    assert.deepEqual(s.range(0, 50), all);
  });
  await t.step("slices: the same people, their own positions", () => {
    const s = make();
    const middle = s.slice(10, 20);
    assert.equal(middle.count, 10);
    assert.equal(middle.firstId, 1010);
    assert.deepEqual(middle.ids(), all.slice(10, 20).map((c) => c.id));
    assert.deepEqual(middle.range(2, 4), all.slice(12, 14));
    assert.deepEqual(middle.slice(5, 100).range(), all.slice(15, 20));
    assert.equal(s.slice(60, 70).count, 0);
  });
  await t.step("ids and countries without making them by hand", () => {
    const s = make();
    assert.deepEqual(s.ids(), all.map((c) => c.id));
    assert.equal(s.idAt(7), 1007);
    assert.deepEqual(s.countries(), all.map((c) => c.country));
    assert.deepEqual(s.slice(20, 25).countries(), all.slice(20, 25).map((c) => c.country));
    const late = make();
    late.range(0, 10);
    assert.deepEqual(late.countries(), all.map((c) => c.country));
  });
  await t.step("no support reps: none", () => {
    const s = Signups.drawn(KEY, 3, 1, [], () => names);
    assert.deepEqual(s.range().map((c) => c.supportRepId), [null, null, null]);
  });
});

Deno.test("sign-ups: none, and ranges outside them", async (t) => {
  await t.step("none", () => {
    const none = Signups.drawn(KEY, 0, 1000, REPS, () => names);
    assert.equal(none.count, 0);
    assert.deepEqual(none.range(), []);
    assert.deepEqual(none.ids(), []);
    assert.deepEqual(none.countries(), []);
  });
  for (const [start, end] of [[-1, 2], [0, 51], [5, 4]] as const) {
    await t.step(`${start} … ${end - 1}`, () => {
      assert.throws(() => make().range(start, end), RangeError);
    });
  }
});
