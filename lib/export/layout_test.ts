import assert from "node:assert/strict";
import {
  checkDay,
  PART_FILE,
  partitionDir,
  partName,
  partPath,
  STAGED_PART_FILE,
} from "./layout.ts";
import { stagingPath } from "./staging.ts";

Deno.test("Hive partition paths are fixed by dataset, day and part number", async (t) => {
  await t.step("the documented shape", () => {
    assert.equal(
      partPath("Invoice", "2013-12-22", 0, "csv"),
      "Invoice/dt=2013-12-22/part-00000.csv",
    );
    assert.equal(
      partPath("events/debezium/InvoiceLine", "2024-02-29", 12, "jsonl"),
      "events/debezium/InvoiceLine/dt=2024-02-29/part-00012.jsonl",
    );
    assert.equal(partitionDir("Customer", "2013-01-01"), "Customer/dt=2013-01-01");
  });
  await t.step("part numbers sort as text up to 99999, then widen", () => {
    assert.equal(partName(99999, "parquet"), "part-99999.parquet");
    assert.equal(partName(100000, "parquet"), "part-100000.parquet");
    assert.ok(partName(9, "csv") < partName(10, "csv"));
  });
  await t.step("published and staged names are told apart", () => {
    const name = partName(3, "csv");
    assert.ok(PART_FILE.test(name));
    assert.ok(!STAGED_PART_FILE.test(name));
    const staged = stagingPath(`/x/Invoice/dt=2013-12-22/${name}`);
    assert.equal(staged, "/x/Invoice/dt=2013-12-22/.part-00003.csv.tmp");
    assert.ok(STAGED_PART_FILE.test(staged.split("/").pop()!));
    assert.ok(!PART_FILE.test(".part-00003.csv.tmp"));
  });
});

Deno.test("partition names refuse what could escape or confuse the layout", async (t) => {
  const badDays = ["2013-02-29", "2013-12-32", "13-12-22", "2013-12-22/..", "", "2013-1-1"];
  for (const day of badDays) {
    await t.step(
      `day ${JSON.stringify(day)}`,
      () => assert.throws(() => checkDay(day), RangeError),
    );
  }
  const badDatasets = ["../etc", "Invoice/", "/abs", "a/../b", "dt=x", "with space", "", "a.b"];
  for (const dataset of badDatasets) {
    await t.step(`dataset ${JSON.stringify(dataset)}`, () => {
      assert.throws(() => partitionDir(dataset, "2013-12-22"), RangeError);
    });
  }
  await t.step("part numbers and extensions", () => {
    assert.throws(() => partName(-1, "csv"), RangeError);
    assert.throws(() => partName(1.5, "csv"), RangeError);
    assert.throws(() => partName(0, ".csv"), RangeError);
    assert.throws(() => partName(0, "c/sv"), RangeError);
  });
});
