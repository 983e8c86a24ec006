import assert from "node:assert/strict";
import { decodeCopyField, parseDump, parseQualifiedName } from "./pg_dump.ts";

Deno.test("parseQualifiedName: quoted names keep their case, plain ones fold", async (t) => {
  const cases: Array<[string, string[]]> = [
    ['public."Invoice"', ["public", "Invoice"]],
    ["invoice", ["invoice"]],
    ["Public.Invoice", ["public", "invoice"]],
    ['"a""b"', ['a"b']],
    [' public . "Track" ', ["public", "Track"]],
  ];
  for (const [text, parts] of cases) {
    await t.step(text, () => assert.deepEqual(parseQualifiedName(text), parts));
  }
  assert.throws(() => parseQualifiedName("public.1x"), SyntaxError);
});

Deno.test("decodeCopyField: NULL and COPY text escapes", async (t) => {
  const cases: Array<[string, string | null]> = [
    ["\\N", null],
    ["plain", "plain"],
    ["a\\tb\\nc", "a\tb\nc"],
    ["back\\\\slash", "back\\slash"],
    ["\\x41\\101", "AA"],
    ["\\N and more", "N and more"],
  ];
  for (const [field, value] of cases) {
    await t.step(JSON.stringify(field), () => assert.equal(decodeCopyField(field), value));
  }
});

Deno.test("parseDump: statements and COPY blocks; session settings skipped", () => {
  const dump = [
    "--",
    "-- PostgreSQL database dump",
    "--",
    "SET statement_timeout = 0;",
    "SELECT pg_catalog.set_config('search_path', '', false);",
    'CREATE TABLE public."Genre" (',
    '    "GenreId" integer NOT NULL,',
    '    "Name" character varying(120)',
    ");",
    "",
    'COPY public."Genre" ("GenreId", "Name") FROM stdin;',
    "1\tRock",
    "2\t\\N",
    "\\.",
    "",
    'ALTER TABLE ONLY public."Genre" ADD CONSTRAINT "PK_Genre" PRIMARY KEY ("GenreId");',
    "",
  ].join("\r\n");
  assert.deepEqual(parseDump(dump), [
    {
      kind: "statement",
      text:
        'CREATE TABLE public."Genre" (\n    "GenreId" integer NOT NULL,\n    "Name" character varying(120)\n);',
    },
    {
      kind: "copy",
      schema: "public",
      table: "Genre",
      columns: ["GenreId", "Name"],
      rows: [["1", "Rock"], ["2", null]],
    },
    {
      kind: "statement",
      text: 'ALTER TABLE ONLY public."Genre" ADD CONSTRAINT "PK_Genre" PRIMARY KEY ("GenreId");',
    },
  ]);
});

Deno.test("parseDump: a truncated dump is an error, not a partial load", async (t) => {
  await t.step("COPY without its end marker", () => {
    assert.throws(() => parseDump("COPY genre (id) FROM stdin;\n1\n"), /no end marker/);
  });
  await t.step("a statement without its semicolon", () => {
    assert.throws(
      () => parseDump("CREATE TABLE x (\n  id int\n"),
      /ends in the middle of a statement/,
    );
  });
});
