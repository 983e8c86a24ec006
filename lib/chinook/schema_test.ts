import assert from "node:assert/strict";
import { nameIn, quotedIdentifiers, snakeCase, translateSql } from "./schema.ts";

Deno.test("snakeCase: Chinook's PascalCase names as the snake_case scripts spell them", async (t) => {
  const cases: Array<[string, string]> = [
    ["Invoice", "invoice"],
    ["InvoiceLineId", "invoice_line_id"],
    ["BillingPostalCode", "billing_postal_code"],
    ["SupportRepId", "support_rep_id"],
    ["MediaType", "media_type"],
  ];
  for (const [pascal, snake] of cases) {
    await t.step(pascal, () => assert.equal(snakeCase(pascal), snake));
  }
  assert.equal(nameIn("pascal", "InvoiceLine"), "InvoiceLine");
  assert.equal(nameIn("snake", "InvoiceLine"), "invoice_line");
});

Deno.test("translateSql: Chinook identifiers only, never inside literals, dollar quotes or comments", async (t) => {
  const cases: Array<[string, string, string]> = [
    [
      "identifiers",
      'SELECT "InvoiceId", i."Total" FROM public."Invoice" i',
      "SELECT invoice_id, i.total FROM public.invoice i",
    ],
    [
      "other quoted names stay",
      'SELECT "PK_Invoice", "xyz", "Nope"',
      'SELECT "PK_Invoice", "xyz", "Nope"',
    ],
    [
      "a JSON literal",
      `SELECT '{"Email":1}'::jsonb AS j, "Email" FROM public."Customer"`,
      `SELECT '{"Email":1}'::jsonb AS j, email FROM public.customer`,
    ],
    [
      "a quote inside a literal",
      `SELECT 'it''s "Total"', "Total"`,
      `SELECT 'it''s "Total"', total`,
    ],
    [
      "an escape-string literal",
      String.raw`SELECT E'\'"Total"', "Total"`,
      String.raw`SELECT E'\'"Total"', total`,
    ],
    [
      "a to_char format",
      `SELECT to_char(now(), 'YYYY-MM-DD"T"HH24') AS t, "InvoiceDate"`,
      `SELECT to_char(now(), 'YYYY-MM-DD"T"HH24') AS t, invoice_date`,
    ],
    [
      "a dollar-quoted body",
      `DO $$ BEGIN RAISE NOTICE '"Total"'; END $$; SELECT "Total"`,
      `DO $$ BEGIN RAISE NOTICE '"Total"'; END $$; SELECT total`,
    ],
    [
      "a tagged dollar quote",
      `CREATE FUNCTION f() RETURNS text AS $fn$ SELECT '"Name"' $fn$ LANGUAGE sql; SELECT "Name"`,
      `CREATE FUNCTION f() RETURNS text AS $fn$ SELECT '"Name"' $fn$ LANGUAGE sql; SELECT name`,
    ],
    ["parameters are not dollar quotes", 'SELECT $1, "Total", $2', "SELECT $1, total, $2"],
    ["a line comment", 'SELECT 1 -- "Total"\n, "Total"', 'SELECT 1 -- "Total"\n, total'],
    [
      "a nested block comment",
      'SELECT /* a /* "Total" */ "Total" */ "Total"',
      'SELECT /* a /* "Total" */ "Total" */ total',
    ],
    ["an escaped quote in an identifier", 'SELECT "a""Total"', 'SELECT "a""Total"'],
    ["an unterminated literal", `SELECT "Total", '"Total"`, `SELECT total, '"Total"`],
  ];
  for (const [name, pascal, snake] of cases) {
    await t.step(name, () => {
      assert.equal(translateSql(pascal, "snake"), snake);
      assert.equal(translateSql(pascal, "pascal"), pascal);
    });
  }
});

Deno.test("quotedIdentifiers: names and where they stand", () => {
  const text = `SELECT "a""b", '"no"', "Total"`;
  assert.deepEqual(quotedIdentifiers(text), [
    { name: 'a"b', start: 7, end: 13 },
    { name: "Total", start: 23, end: 30 },
  ]);
});
