import assert from "node:assert/strict";
import { cdcFlatEncoding, cdcFlatHeader, cdcFlatLine } from "./cdc_flat.ts";
import { CHANGE_COLUMNS, landingRow, landingSchema } from "./changes.ts";
import { CUSTOMER, INVOICE_LINE } from "./chinook_tables.ts";
import { CSV } from "./delimited.ts";
import type { ChangeRecord, Row } from "./types.ts";

const BEFORE: Row = {
  CustomerId: 60,
  FirstName: "Zoë",
  LastName: "O'Brien|Smith",
  Company: null,
  Address: 'Flat 2, "The Oaks"\nHigh St',
  City: "",
  State: null,
  Country: "Ireland",
  PostalCode: null,
  Phone: "+353 1 555 0100",
  Fax: null,
  Email: "zoe@example.ie",
  SupportRepId: 3,
};
const AFTER: Row = { ...BEFORE, Email: "zoe.obrien@example.ie" };

function customerChange(op: "c" | "u" | "d", sequence: number): ChangeRecord {
  return {
    table: "Customer",
    op,
    key: { CustomerId: 60 },
    before: op === "c" ? null : BEFORE,
    after: op === "d" ? null : AFTER,
    commitTs: "2013-12-23 00:00:05+00",
    txId: 900,
    sequence,
  };
}

Deno.test("TPC-DI change rows: CDC_FLAG, CDC_DSN, then the row", async (t) => {
  await t.step("pipe-separated, LF, quoted only where needed", () => {
    assert.equal(
      cdcFlatLine(CUSTOMER, customerChange("u", 4711)),
      'U|4711|60|Zoë|"O\'Brien|Smith"||"Flat 2, ""The Oaks""\nHigh St"|""||Ireland||+353 1 555 0100||zoe.obrien@example.ie|3\n',
    );
  });
  await t.step("an insert carries the after-image, a delete the before-image", () => {
    assert.match(cdcFlatLine(CUSTOMER, customerChange("c", 1)), /^I\|1\|60\|.*zoe\.obrien@/s);
    assert.match(
      cdcFlatLine(CUSTOMER, customerChange("d", 2)),
      /^D\|2\|60\|.*\|zoe@example\.ie\|3\n$/s,
    );
  });
  await t.step("comma dialect and header on request", () => {
    assert.equal(
      cdcFlatHeader(INVOICE_LINE, CSV),
      "CDC_FLAG,CDC_DSN,InvoiceLineId,InvoiceId,TrackId,UnitPrice,Quantity\r\n",
    );
    const line: ChangeRecord = {
      table: "InvoiceLine",
      op: "c",
      key: { InvoiceLineId: 9 },
      before: null,
      after: { InvoiceLineId: 9, InvoiceId: 4, TrackId: 7, UnitPrice: 99, Quantity: 1 },
      commitTs: "2013-12-23 00:00:05+00",
      txId: 900,
      sequence: 12,
    };
    const encoding = cdcFlatEncoding(INVOICE_LINE, { dialect: CSV, header: true });
    assert.equal(encoding.header, cdcFlatHeader(INVOICE_LINE, CSV));
    assert.equal(encoding.line(line), "I,12,9,4,7,0.99,1\r\n");
    assert.equal(cdcFlatEncoding(INVOICE_LINE).header, undefined);
  });
  await t.step("a change of another table is refused", () => {
    assert.throws(() => cdcFlatLine(INVOICE_LINE, customerChange("c", 1)), /not a InvoiceLine/);
  });
});

Deno.test("landing rows of changes: the image plus _op, _sequence, _committed_at", () => {
  const schema = landingSchema(CUSTOMER);
  assert.deepEqual(
    schema.columns.slice(-3).map((c) => c.name),
    CHANGE_COLUMNS.map((c) => c.name),
  );
  assert.equal(landingSchema(CUSTOMER), schema, "one schema object per table");
  const row = landingRow(CUSTOMER, customerChange("d", 77));
  assert.equal(row.Email, "zoe@example.ie");
  assert.equal(row._op, "D");
  assert.equal(row._sequence, 77);
  assert.equal(row._committed_at, "2013-12-23 00:00:05+00");
  assert.throws(
    () => landingSchema({ ...CUSTOMER, columns: [...CUSTOMER.columns, CHANGE_COLUMNS[0]!] }),
    /_op/,
  );
});
