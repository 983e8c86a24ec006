import assert from "node:assert/strict";
import type { ColumnSchema, ColumnType } from "./types.ts";
import {
  cell,
  formatDecimal,
  formatIsoUtc,
  formatTimestamp,
  formatTimestamptz,
  textOf,
  timestampMicros,
  timestamptzMicros,
} from "./values.ts";
import { INVOICE } from "./chinook_tables.ts";

function column(type: ColumnType, nullable = true): ColumnSchema {
  return { name: "C", type, nullable };
}
const money = column({ kind: "decimal", precision: 10, scale: 2 });
const timestamp = column({ kind: "timestamp" });
const timestamptz = column({ kind: "timestamptz" });

Deno.test("decimals are exact text from unscaled integers", async (t) => {
  const cases: Array<[bigint, number, string]> = [
    [199n, 2, "1.99"],
    [0n, 2, "0.00"],
    [-5n, 2, "-0.05"],
    [-100n, 2, "-1.00"],
    [9999999999n, 2, "99999999.99"],
    [123456789012345678901234567890n, 4, "12345678901234567890123456.7890"],
    [42n, 0, "42"],
  ];
  for (const [unscaled, scale, text] of cases) {
    await t.step(`${unscaled} scale ${scale} → ${text}`, () => {
      assert.equal(formatDecimal(unscaled, scale), text);
    });
  }
  await t.step("money columns take cents and check the precision", () => {
    assert.equal(textOf(money, 199), "1.99");
    assert.equal(textOf(money, 9_999_999_999), "99999999.99");
    assert.throws(() => textOf(money, 10_000_000_000), RangeError);
    assert.throws(() => textOf(money, 1.99), /unscaled integer/);
    assert.throws(() => textOf(money, "1.99"), RangeError);
  });
});

Deno.test("timestamps keep their wall-clock time and print as PostgreSQL does", async (t) => {
  const cases: Array<[string, string]> = [
    ["2013-12-22 14:05:09", "2013-12-22 14:05:09"],
    ["2013-12-22T14:05:09", "2013-12-22 14:05:09"],
    ["2024-02-29 00:00:00.5", "2024-02-29 00:00:00.5"],
    ["2024-02-29 23:59:59.000001", "2024-02-29 23:59:59.000001"],
    ["2024-02-29 23:59:59.120000", "2024-02-29 23:59:59.12"],
    ["1969-12-31 23:59:59.999999", "1969-12-31 23:59:59.999999"],
    ["0042-03-01 12:00:00", "0042-03-01 12:00:00"],
    ["0001-01-01 00:00:00.000001", "0001-01-01 00:00:00.000001"],
    ["9999-12-31 23:59:59.999999", "9999-12-31 23:59:59.999999"],
  ];
  for (const [input, output] of cases) {
    await t.step(`${input} → ${output}`, () => {
      assert.equal(formatTimestamp(timestampMicros(timestamp, input)), output);
      assert.equal(textOf(timestamp, input), output);
    });
  }
  await t.step("epoch microseconds, no time zone applied", () => {
    assert.equal(timestampMicros(timestamp, "1970-01-01 00:00:01.000002"), 1_000_002n);
    assert.equal(timestampMicros(timestamp, "1969-12-31 23:59:59"), -1_000_000n);
    assert.equal(timestampMicros(timestamp, "9999-12-31 23:59:59.999999"), 253402300799999999n);
  });
  for (
    const bad of [
      "2023-02-29 00:00:00",
      "2024-01-01 24:00:00",
      "2024-01-01 10:60:00",
      "2024-01-01",
      "2024-01-01 10:00:00+00",
      "0000-01-01 00:00:00",
      "2024-01-01 10:00:00.1234567",
      "2024-01-01 10:00:00.",
      "2024-01-01_10:00:00",
      "２０２４-01-01 10:00:00",
      "2024-1-01 10:00:00",
      " 2024-01-01 10:00:00",
      "2024-01-01 10:00",
    ]
  ) {
    await t.step(`refuses ${bad}`, () => {
      assert.throws(() => timestampMicros(timestamp, bad), RangeError);
    });
  }
});

Deno.test("timestamptz values are instants, printed in UTC", async (t) => {
  const cases: Array<[string, string, string]> = [
    ["2013-12-22 14:05:09+00", "2013-12-22 14:05:09+00", "2013-12-22T14:05:09Z"],
    ["2013-12-22 14:05:09.25+02", "2013-12-22 12:05:09.25+00", "2013-12-22T12:05:09.25Z"],
    ["2013-12-22T00:30:00-05:30", "2013-12-22 06:00:00+00", "2013-12-22T06:00:00Z"],
    ["2013-12-22T14:05:09Z", "2013-12-22 14:05:09+00", "2013-12-22T14:05:09Z"],
  ];
  for (const [input, text, iso] of cases) {
    await t.step(input, () => {
      const micros = timestamptzMicros(timestamptz, input);
      assert.equal(formatTimestamptz(micros), text);
      assert.equal(formatIsoUtc(micros), iso);
    });
  }
  await t.step("refuses a time without offset", () => {
    assert.throws(() => timestamptzMicros(timestamptz, "2013-12-22 14:05:09"), /offset/);
  });
});

Deno.test("values are checked against their columns", async (t) => {
  const int = column({ kind: "int" });
  const bigint = column({ kind: "bigint" });
  const text = column({ kind: "text" });
  await t.step("int4 range and integrality", () => {
    assert.equal(textOf(int, -2147483648), "-2147483648");
    assert.throws(() => textOf(int, 2147483648), RangeError);
    assert.throws(() => textOf(int, 1.5), RangeError);
    assert.throws(() => textOf(int, "1"), RangeError);
  });
  await t.step("int8 from numbers or bigints", () => {
    assert.equal(textOf(bigint, 9007199254740991), "9007199254740991");
    assert.equal(textOf(bigint, 9223372036854775807n), "9223372036854775807");
    assert.throws(() => textOf(bigint, 9007199254740992), RangeError);
    assert.throws(() => textOf(bigint, 9223372036854775808n), RangeError);
  });
  await t.step("text must be what PostgreSQL can hold", () => {
    assert.equal(textOf(text, ""), "");
    assert.throws(() => textOf(text, "a\uD800b"), /Unicode/);
    assert.throws(() => textOf(text, "a\0b"), /NUL/);
    assert.throws(() => textOf(text, 5), RangeError);
  });
  await t.step("NULL only where the column allows it; every column present", () => {
    const total = INVOICE.columns.find((c) => c.name === "Total")!;
    const address = INVOICE.columns.find((c) => c.name === "BillingAddress")!;
    assert.equal(cell(INVOICE, address, { BillingAddress: null }), null);
    assert.throws(() => cell(INVOICE, total, { Total: null }), /NOT NULL/);
    assert.throws(() => cell(INVOICE, total, {}), /no "Total" value/);
    assert.equal(textOf(column({ kind: "int" }, true), null), null);
  });
});
