import assert from "node:assert/strict";
import { INVOICE, INVOICE_LINE } from "./chinook_tables.ts";
import {
  CSV,
  csvLine,
  delimitedField,
  delimitedHeader,
  delimitedRecord,
  PIPE,
} from "./delimited.ts";
import { jsonLine } from "./jsonl.ts";
import type { Row } from "./types.ts";

Deno.test("CSV fields are quoted only when they must be", async (t) => {
  const cases: Array<[string | null, string]> = [
    [null, ""],
    ["", '""'],
    ["plain", "plain"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ["line\nbreak", '"line\nbreak"'],
    ["carriage\rreturn", '"carriage\rreturn"'],
    ["crlf\r\n", '"crlf\r\n"'],
    [" padded ", " padded "],
    ["a|b", "a|b"],
    ["\\.", '"\\."'],
    ["Ünïcödé 😀 日本", "Ünïcödé 😀 日本"],
  ];
  for (const [text, field] of cases) {
    await t.step(JSON.stringify(text), () => assert.equal(delimitedField(text, ","), field));
  }
  await t.step("the pipe dialect quotes pipes, not commas", () => {
    assert.equal(delimitedField("a|b", "|"), '"a|b"');
    assert.equal(delimitedField("a,b", "|"), "a,b");
  });
  await t.step("bad delimiters are refused", () => {
    for (const bad of ['"', "\n", "", ";;"]) {
      assert.throws(() => delimitedField("x", bad), RangeError, JSON.stringify(bad));
    }
  });
});

const NASTY: Row = {
  InvoiceId: 2147483647,
  CustomerId: 1,
  InvoiceDate: "2013-12-22T05:06:07.5",
  BillingAddress: 'Rua "Dr." Falcão, 1\nApt 2',
  BillingCity: "",
  BillingState: null,
  BillingCountry: "Česko",
  BillingPostalCode: "\\.",
  Total: 0,
};

Deno.test("CSV records: RFC 4180 with CRLF, NULL unquoted, empty string quoted", () => {
  assert.equal(
    delimitedHeader(INVOICE, CSV),
    "InvoiceId,CustomerId,InvoiceDate,BillingAddress,BillingCity,BillingState,BillingCountry,BillingPostalCode,Total\r\n",
  );
  assert.equal(
    csvLine(INVOICE, NASTY),
    '2147483647,1,2013-12-22 05:06:07.5,"Rua ""Dr."" Falcão, 1\nApt 2","",,Česko,"\\.",0.00\r\n',
  );
  assert.equal(delimitedRecord(["I", "7", null, ""], PIPE), 'I|7||""\n');
});

Deno.test("JSON lines: exact decimals as strings, integers as numbers, null for NULL", () => {
  assert.equal(
    jsonLine(INVOICE, NASTY),
    '{"InvoiceId":2147483647,"CustomerId":1,"InvoiceDate":"2013-12-22 05:06:07.5",' +
      '"BillingAddress":"Rua \\"Dr.\\" Falcão, 1\\nApt 2","BillingCity":"","BillingState":null,' +
      '"BillingCountry":"Česko","BillingPostalCode":"\\\\.","Total":"0.00"}\n',
  );
  const parsed = JSON.parse(jsonLine(INVOICE, NASTY));
  assert.equal(parsed.BillingAddress, NASTY.BillingAddress);
  assert.equal(parsed.Total, "0.00");
  assert.equal(
    jsonLine(INVOICE_LINE, {
      InvoiceLineId: 1,
      InvoiceId: 2,
      TrackId: 3,
      UnitPrice: -199,
      Quantity: 1,
    }),
    '{"InvoiceLineId":1,"InvoiceId":2,"TrackId":3,"UnitPrice":"-1.99","Quantity":1}\n',
  );
});

Deno.test("rows that break the contract are refused, not written", async (t) => {
  const cases: Array<[string, Row]> = [
    ["missing column", { ...NASTY, Total: undefined as unknown as null }],
    ["NULL in NOT NULL", { ...NASTY, InvoiceDate: null }],
    ["money as float", { ...NASTY, Total: 1.99 }],
    ["bad date", { ...NASTY, InvoiceDate: "2013-02-30 00:00:00" }],
  ];
  for (const [name, row] of cases) {
    await t.step(name, () => {
      assert.throws(() => csvLine(INVOICE, row));
      assert.throws(() => jsonLine(INVOICE, row));
    });
  }
});
