import assert from "node:assert/strict";
import {
  classifyStatement,
  decodeCopyField,
  DumpRefusedError,
  parseDump,
  parseQualifiedName,
} from "./pg_dump.ts";

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
      line: 6,
      text:
        'CREATE TABLE public."Genre" (\n    "GenreId" integer NOT NULL,\n    "Name" character varying(120)\n);',
    },
    {
      kind: "copy",
      line: 11,
      schema: "public",
      table: "Genre",
      columns: ["GenreId", "Name"],
      rows: [["1", "Rock"], ["2", null]],
    },
    {
      kind: "statement",
      line: 16,
      text: 'ALTER TABLE ONLY public."Genre" ADD CONSTRAINT "PK_Genre" PRIMARY KEY ("GenreId");',
    },
  ]);
});

Deno.test("parseDump: a truncated dump is an error, not a partial load", async (t) => {
  await t.step("COPY without its end marker", () => {
    assert.throws(() => parseDump("COPY genre (genre_id) FROM stdin;\n1\n"), /no end marker/);
  });
  await t.step("a statement without its semicolon", () => {
    assert.throws(
      () => parseDump("CREATE TABLE genre (\n  genre_id int\n"),
      /ends in the middle of a statement/,
    );
  });
});

/** What a Chinook dump legitimately holds (pg_dump's own output, both namings and key styles). */
const LOADED = [
  'CREATE TABLE public."Genre" (\n    "GenreId" integer NOT NULL,\n    "Name" character varying(120)\n);',
  'CREATE TABLE public."Invoice" ("InvoiceId" integer NOT NULL, "Total" numeric(10,2) NOT NULL);',
  "CREATE TABLE genre (genre_id integer DEFAULT nextval('public.genre_genre_id_seq'::regclass) NOT NULL);",
  "CREATE TABLE artist (artist_id int NOT NULL);",
  'CREATE INDEX "IFK_AlbumArtistId" ON public."Album" USING btree ("ArtistId");',
  "CREATE UNIQUE INDEX track_name ON ONLY track (name, album_id DESC);",
  'ALTER TABLE ONLY public."Album"\n    ADD CONSTRAINT "PK_Album" PRIMARY KEY ("AlbumId");',
  'ALTER TABLE ONLY public."Album"\n    ADD CONSTRAINT "FK_AlbumArtistId" FOREIGN KEY ("ArtistId") REFERENCES public."Artist"("ArtistId");',
  "ALTER TABLE ONLY public.invoice ADD CONSTRAINT invoice_customer_fk FOREIGN KEY (customer_id) REFERENCES public.customer(customer_id) ON DELETE CASCADE ON UPDATE NO ACTION;",
  "ALTER TABLE public.invoice ALTER COLUMN invoice_id ADD GENERATED ALWAYS AS IDENTITY (\n    SEQUENCE NAME public.invoice_invoice_id_seq\n    START WITH 1\n    INCREMENT BY 1\n    NO MINVALUE\n    NO MAXVALUE\n    CACHE 1\n);",
  "ALTER TABLE ONLY public.invoice_line ALTER COLUMN invoice_line_id SET DEFAULT nextval('public.invoice_line_invoice_line_id_seq'::regclass);",
  "CREATE SEQUENCE public.invoice_line_invoice_line_id_seq\n    AS integer\n    START WITH 1\n    INCREMENT BY 1\n    NO MINVALUE\n    NO MAXVALUE\n    CACHE 1;",
  "ALTER SEQUENCE public.invoice_line_invoice_line_id_seq OWNED BY public.invoice_line.invoice_line_id;",
  "SELECT pg_catalog.setval('public.invoice_line_invoice_line_id_seq', 2240, true);",
];
const SKIPPED = [
  "SET statement_timeout = 0;",
  "SET client_encoding = 'UTF8';",
  "SET default_tablespace = '';",
  "SET search_path = public, pg_catalog;",
  "SELECT pg_catalog.set_config('search_path', '', false);",
  'ALTER TABLE public."Album" OWNER TO postgres;',
];
/** Everything else: code, other tables, other kinds of statement. */
const REFUSED: Array<[string, RegExp]> = [
  ["COPY (SELECT 1) TO PROGRAM 'id > /tmp/x';", /not part of a Chinook dump/],
  ['COPY public."Genre" ("GenreId") FROM PROGRAM \'cat /etc/passwd\';', /not part of/],
  ["COPY public.\"Genre\" TO '/tmp/genre';", /not part of/],
  ['DROP TABLE public."Album";', /not part of/],
  ["DROP TABLE other;", /not part of/],
  ["CREATE TABLE public.other (id integer);", /not one of the 11 Chinook tables/],
  ['CREATE TABLE evil."Genre" (id integer);', /not one of the 11 Chinook tables/],
  ['CREATE TABLE public."Genre" ("GenreId" integer DEFAULT evil());', /not part of/],
  ['CREATE TABLE public."Genre" ("GenreId" integer CHECK (evil("GenreId")));', /not part of/],
  [
    'CREATE TABLE public."Genre" ("GenreId" integer GENERATED ALWAYS AS (evil()) STORED);',
    /not part/,
  ],
  ['CREATE TABLE public."Genre" ("GenreId" integer); DROP TABLE x;', /not part of/],
  ['CREATE TABLE public."Genre" ("GenreId" integer DEFAULT \'x\');', /not part of/],
  ["CREATE FUNCTION evil() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;", /not part of/],
  ["CREATE OR REPLACE FUNCTION f() RETURNS trigger AS 'x' LANGUAGE plpgsql;", /not part of/],
  ["DO $$ BEGIN PERFORM 1; END $$;", /not part of/],
  ["CREATE TRIGGER t AFTER INSERT ON genre FOR EACH ROW EXECUTE FUNCTION f();", /not part of/],
  ["CREATE EXTENSION plpython3u;", /not part of/],
  ["CREATE INDEX i ON public.other USING btree (id);", /not one of the 11/],
  ["CREATE INDEX i ON genre USING btree (evil(genre_id));", /not part of/],
  ["CREATE INDEX i ON genre USING gist (name);", /not part of/],
  ["CREATE INDEX i ON genre (name) WHERE genre_id > 0;", /not part of/],
  ["ALTER TABLE genre ADD COLUMN x int;", /not part of/],
  ["ALTER TABLE genre DROP CONSTRAINT pk;", /not part of/],
  ["ALTER TABLE genre RENAME TO other;", /not part of/],
  ["ALTER TABLE genre ADD CONSTRAINT c CHECK (evil(genre_id));", /not part of/],
  ["ALTER TABLE other ADD CONSTRAINT pk PRIMARY KEY (id);", /not one of the 11/],
  ["ALTER TABLE genre ALTER COLUMN name TYPE text USING evil(name);", /not part of/],
  ["ALTER TABLE genre ALTER COLUMN genre_id SET DEFAULT current_setting('x');", /not part of/],
  ["ALTER SEQUENCE s OWNED BY other.id;", /not one of the 11/],
  ["SELECT pg_catalog.setval('chinook_sim.invoice_id_seq', 1, false);", /not part of/],
  ["SELECT evil();", /not part of/],
  ["SELECT pg_catalog.set_config('search_path', 'evil', false);", /not part of/],
  ["SET ROLE postgres;", /not part of/],
  ["SET SESSION AUTHORIZATION postgres;", /not part of/],
  ["GRANT ALL ON genre TO public;", /not part of/],
  ["INSERT INTO genre VALUES (1, 'x');", /not part of/],
  ["UPDATE genre SET name = 'x';", /not part of/],
  ["TRUNCATE genre;", /not part of/],
  ["ALTER SYSTEM SET archive_command = 'evil';", /not part of/],
  ["COMMENT ON TABLE genre IS 'x';", /not part of/],
  ["CREATE TABLE genre (genre_id) AS SELECT 1;", /not part of/],
  ["CREATE TABLE genre (genre_id) AS TABLE secrets;", /not part of/],
  ["CREATE TABLE genre (genre_id int) INHERITS (secrets);", /not part of/],
  ["CREATE INDEX i ON genre USING btree (name) INCLUDE (x);", /not part of/],
  ["CREATE TABLE genre (genre_id integer /* hidden */);", /not part of/],
];

Deno.test("classifyStatement: a Chinook dump's statements load; pg_dump's settings skip", async (t) => {
  for (const text of LOADED) {
    await t.step(text, () => assert.equal(classifyStatement(text, 1), "load"));
  }
  for (const text of SKIPPED) {
    await t.step(text, () => assert.equal(classifyStatement(text, 1), "skip"));
  }
});

Deno.test("classifyStatement: anything else is refused, naming the line", async (t) => {
  for (const [text, why] of REFUSED) {
    await t.step(text, () => {
      assert.throws(() => classifyStatement(text, 42), (error: unknown) => {
        assert.ok(error instanceof DumpRefusedError);
        assert.match(error.message, /^line 42: /);
        assert.match(error.message, why);
        return true;
      });
    });
  }
});

Deno.test("parseDump: the first refused statement stops the whole dump, with its line", () => {
  const dump = [
    'CREATE TABLE public."Genre" ("GenreId" integer);',
    'COPY public."Genre" ("GenreId") FROM stdin;',
    "1",
    "\\.",
    "",
    "COPY (SELECT 1) TO PROGRAM 'touch /tmp/x';",
  ].join("\n");
  assert.throws(() => parseDump(dump), /^DumpRefusedError: line 6: COPY \(SELECT 1\) TO PROGRAM/);
  assert.throws(
    () => parseDump("COPY public.secrets (a) FROM stdin;\n1\n\\.\n"),
    /line 1: COPY public.secrets \(a\) FROM stdin; is not one of the 11 Chinook tables/,
  );
});
