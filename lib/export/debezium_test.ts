import assert from "node:assert/strict";
import { CUSTOMER, INVOICE, SALES_TABLES } from "./chinook_tables.ts";
import {
  debeziumEnvelope,
  type DebeziumOptions,
  DebeziumStream,
  debeziumValue,
} from "./debezium.ts";
import type { ChangeRecord, ColumnSchema, Row } from "./types.ts";

const OPTIONS: DebeziumOptions = { serverName: "chinook", database: "chinook", version: "0.1.0" };

const INVOICE_ROW: Row = {
  InvoiceId: 413,
  CustomerId: 59,
  InvoiceDate: "2013-12-22 00:00:00",
  BillingAddress: "3,Raj Bhavan Road",
  BillingCity: "Bangalore",
  BillingState: null,
  BillingCountry: "India",
  BillingPostalCode: "560001",
  Total: 199,
};

function change(overrides: Partial<ChangeRecord>): ChangeRecord {
  return {
    table: "Invoice",
    op: "c",
    key: { InvoiceId: 413 },
    before: null,
    after: INVOICE_ROW,
    commitTs: "2013-12-23 00:00:05.123456+00",
    txId: 771,
    sequence: 1001,
    ...overrides,
  };
}

function lineLine(id: number, sequence: number, txId: number, op: "c" | "d" = "c"): ChangeRecord {
  const row = { InvoiceLineId: id, InvoiceId: 413, TrackId: 1, UnitPrice: 99, Quantity: 1 };
  return {
    table: "InvoiceLine",
    op,
    key: { InvoiceLineId: id },
    before: op === "d" ? row : null,
    after: op === "d" ? null : row,
    commitTs: "2013-12-23 00:00:05+00",
    txId,
    sequence,
  };
}

Deno.test("an update event is Debezium's envelope, field for field", () => {
  const update = change({
    op: "u",
    before: INVOICE_ROW,
    after: { ...INVOICE_ROW, Total: 298 },
  });
  const event = debeziumEnvelope(INVOICE, update, OPTIONS, {
    transactionId: "771:1001",
    totalOrder: 1,
    dataCollectionOrder: 1,
    lastCommitSequence: 990,
  });
  const expectedRow = (total: string) =>
    `{"InvoiceId":413,"CustomerId":59,"InvoiceDate":1387670400000000,` +
    `"BillingAddress":"3,Raj Bhavan Road","BillingCity":"Bangalore","BillingState":null,` +
    `"BillingCountry":"India","BillingPostalCode":"560001","Total":"${total}"}`;
  assert.equal(
    event,
    `{"before":${expectedRow("1.99")},"after":${expectedRow("2.98")},` +
      `"source":{"version":"0.1.0","connector":"chinook-sim","name":"chinook",` +
      `"ts_ms":1387756805123,"snapshot":"false","db":"chinook",` +
      `"sequence":"[\\"990\\",\\"1001\\"]","ts_us":1387756805123456,"ts_ns":1387756805123456000,` +
      `"schema":"public","table":"Invoice","txId":771,"lsn":1001,"xmin":null},` +
      `"op":"u","ts_ms":1387756805123,"ts_us":1387756805123456,"ts_ns":1387756805123456000,` +
      `"transaction":{"id":"771:1001","total_order":1,"data_collection_order":1}}`,
  );
  const parsed = JSON.parse(event);
  assert.deepEqual(Object.keys(parsed), [
    "before",
    "after",
    "source",
    "op",
    "ts_ms",
    "ts_us",
    "ts_ns",
    "transaction",
  ]);
  assert.deepEqual(JSON.parse(parsed.source.sequence), ["990", "1001"]);
});

Deno.test("column values in the connector's encodings", async (t) => {
  const money = INVOICE.columns.find((c) => c.name === "Total")!;
  await t.step(
    "decimal.handling.mode=precise: base64 two's complement of the unscaled value",
    () => {
      const cases: Array<[number, string]> = [
        [0, "AA=="],
        [199, "AMc="],
        [-1, "/w=="],
        [128, "AIA="],
        [-128, "gA=="],
        [9_999_999_999, "AlQL4/8="],
      ];
      for (const [cents, encoded] of cases) {
        assert.equal(debeziumValue(money, cents, "precise"), `"${encoded}"`, String(cents));
      }
    },
  );
  await t.step("string and double modes", () => {
    assert.equal(debeziumValue(money, 0, "string"), '"0.00"');
    assert.equal(debeziumValue(money, -5, "string"), '"-0.05"');
    assert.equal(debeziumValue(money, 199, "double"), "1.99");
    assert.equal(debeziumValue(money, 100, "double"), "1");
  });
  await t.step("timestamps: MicroTimestamp and ZonedTimestamp", () => {
    const local = INVOICE.columns.find((c) => c.name === "InvoiceDate")!;
    assert.equal(debeziumValue(local, "1970-01-01 00:00:00.000001"), "1");
    assert.equal(debeziumValue(local, "1969-12-31 23:59:59"), "-1000000");
    const zoned: ColumnSchema = { name: "at", type: { kind: "timestamptz" }, nullable: true };
    assert.equal(debeziumValue(zoned, "2013-12-22 10:00:00.5+02"), '"2013-12-22T08:00:00.5Z"');
    assert.equal(debeziumValue(zoned, null), "null");
  });
  await t.step("text and integers", () => {
    const first = CUSTOMER.columns.find((c) => c.name === "FirstName")!;
    assert.equal(debeziumValue(first, 'Zoë "Z" \n😀'), JSON.stringify('Zoë "Z" \n😀'));
    const id = CUSTOMER.columns.find((c) => c.name === "CustomerId")!;
    assert.equal(debeziumValue(id, 60), "60");
  });
});

Deno.test("the stream numbers events within transactions and chains sequences", () => {
  const stream = new DebeziumStream(SALES_TABLES, OPTIONS, 1000);
  const lines = [
    change({ sequence: 1001 }),
    lineLine(2240, 1002, 771),
    lineLine(2241, 1003, 771),
    lineLine(2241, 1010, 772, "d"),
  ].map((c) => JSON.parse(stream.line(c)));
  assert.deepEqual(lines.map((e) => e.transaction), [
    { id: "771:1001", total_order: 1, data_collection_order: 1 },
    { id: "771:1001", total_order: 2, data_collection_order: 1 },
    { id: "771:1001", total_order: 3, data_collection_order: 2 },
    { id: "772:1010", total_order: 1, data_collection_order: 1 },
  ]);
  assert.deepEqual(lines.map((e) => JSON.parse(e.source.sequence)), [
    ["1000", "1001"],
    ["1000", "1002"],
    ["1000", "1003"],
    ["1003", "1010"],
  ]);
  assert.deepEqual(lines.map((e) => e.op), ["c", "c", "c", "d"]);
  assert.equal(lines[3].after, null);
  assert.equal(lines[3].before.InvoiceLineId, 2241);
  assert.equal(lines[3].before.UnitPrice, "0.99");
});

Deno.test("the stream refuses what would break ordering or the contract", async (t) => {
  const cases: Array<[string, ChangeRecord[], RegExp]> = [
    ["a sequence that does not increase", [change({}), lineLine(1, 1001, 771)], /must increase/],
    [
      "a transaction that comes back",
      [lineLine(1, 1, 5), lineLine(2, 2, 6), lineLine(3, 3, 5)],
      /already ended/,
    ],
    ["an unknown table", [{ ...change({}), table: "Track" }], /no export schema/],
    ["an insert with a before-image", [change({ before: INVOICE_ROW })], /no before-image/],
    ["an update without before-image", [change({ op: "u" })], /a before-image/],
    ["a key that differs from the image", [change({ key: { InvoiceId: 1 } })], /key/],
    ["a commit time without offset", [change({ commitTs: "2013-12-23 00:00:00" })], /offset/],
    ["a float sequence", [change({ sequence: 1.5 })], /sequence/],
  ];
  for (const [name, changes, message] of cases) {
    await t.step(name, () => {
      const stream = new DebeziumStream(SALES_TABLES, OPTIONS);
      assert.throws(() => changes.forEach((c) => stream.line(c)), message);
    });
  }
  await t.step("the first change must follow the previous day's", () => {
    const stream = new DebeziumStream(SALES_TABLES, OPTIONS, 5000);
    assert.throws(() => stream.line(change({ sequence: 5000 })), /must increase/);
  });
});
