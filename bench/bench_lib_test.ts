import assert from "node:assert/strict";
import {
  type Figure,
  figureRow,
  formatTable,
  median,
  medianFigures,
  parseBenchArgs,
  SECTIONS,
  treeRssKb,
  UsageError,
  verdict,
} from "./bench_lib.ts";

Deno.test("bench arguments: defaults, both spellings, sections in the bench's order", () => {
  assert.deepEqual(parseBenchArgs([]), {
    invoices: 1_000_000,
    runs: 1,
    only: [...SECTIONS],
    embedded: true,
    scale: [1_000, 10_000, 100_000, 1_000_000],
  });
  const a = parseBenchArgs([
    "--invoices=20_000",
    "--runs",
    "3",
    "--only",
    "exports,bigday",
    "--embedded",
    "off",
    "--scale=10000,1000,1000",
  ]);
  assert.deepEqual(a, {
    invoices: 20_000,
    runs: 3,
    only: ["bigday", "exports"],
    embedded: false,
    scale: [1_000, 10_000],
  });
});

Deno.test("bench arguments: every bad value is a usage error", () => {
  for (
    const bad of [
      ["--invoices", "0"],
      ["--invoices", "2000001"],
      ["--invoices", "1e6"],
      ["--invoices", "-5"],
      ["--runs", "0"],
      ["--runs", "21"],
      ["--runs"],
      ["--only", "bigday,nope"],
      ["--only", ""],
      ["--embedded", "yes"],
      ["--scale", "1000,x"],
      ["--scale", "1,2,3,4,5,6,7,8,9"],
      ["--invoices", "5", "--invoices", "6"],
      ["--nope", "1"],
      ["positional"],
      ["--only", "x".repeat(201)],
    ]
  ) {
    assert.throws(() => parseBenchArgs(bad), UsageError, bad.join(" "));
  }
});

Deno.test("median: odd, even, none, non-finite values left out", () => {
  assert.deepEqual(median([3, 1, 2]), 2);
  assert.deepEqual(median([4, 1, 3, 2]), 2.5);
  assert.deepEqual(median([]), NaN);
  assert.deepEqual(median([NaN, 5]), 5);
});

const time = (value: number, baseline: number): Figure => ({
  key: "t",
  label: "day",
  value,
  unit: "s",
  baseline,
  baselineLabel: "psql",
  check: { on: "ratio", op: ">=", limit: 1 },
});

Deno.test("verdicts: on the ratio (faster than the baseline) and on the value", () => {
  assert.deepEqual(verdict(time(2, 2.2)), "PASS");
  assert.deepEqual(verdict(time(2, 1.8)), "MISS");
  const peak: Figure = {
    key: "m",
    label: "peak",
    value: 400,
    unit: "MB",
    check: { on: "value", op: "<=", limit: 400 },
  };
  assert.deepEqual(verdict(peak), "PASS");
  assert.deepEqual(verdict({ ...peak, value: 401 }), "MISS");
  assert.deepEqual(verdict({ ...peak, value: NaN }), "MISS");
  assert.deepEqual(verdict({ ...peak, check: undefined }), "");
  // A rate: more than the baseline is better.
  const rate: Figure = { key: "r", label: "rows/s", value: 90, unit: "rows/s", baseline: 100 };
  assert.deepEqual(figureRow({ ...rate, higherIsBetter: true })[3], "0.90×");
});

Deno.test("a figure's row and the padded table", () => {
  assert.deepEqual(figureRow(time(2, 2.2)), [
    "day",
    "2.00 s",
    "2.20 s (psql)",
    "1.10× (target ≥ 1.0×)",
    "PASS",
  ]);
  assert.deepEqual(formatTable([["a", "1", "x"], ["bbb", "22", ""]]), ["a     1  x", "bbb  22"]);
});

Deno.test("medians over runs: of values, baselines and each run's own ratio", () => {
  const m = medianFigures([[time(2, 2)], [time(1, 3)], [time(4, 2)]]);
  assert.deepEqual(m.length, 1);
  assert.deepEqual(m[0]!.value, 2);
  assert.deepEqual(m[0]!.baseline, 2);
  assert.deepEqual(m[0]!.ratio, 1); // ratios 1, 3, 0.5
  assert.deepEqual(verdict(m[0]!), "PASS");
});

Deno.test("memory of a process tree: the root and all its descendants", () => {
  const ps = [
    "  1     0  1000",
    " 10     1   500", // the root
    " 11    10   300", // its child (the launcher's deno)
    " 12    11   200", // a grandchild
    " 13     1  9999", // unrelated
    "garbage",
  ].join("\n");
  assert.deepEqual(treeRssKb(ps, 10), { totalKb: 1000, largestKb: 500 });
  assert.deepEqual(treeRssKb(ps, 99), { totalKb: 0, largestKb: 0 });
});
