/**
 * Landing files read back by readers that share no code with the writers:
 * CSV by csv-parse and by PostgreSQL's COPY, JSON Lines by JSON.parse, Parquet
 * by parquet-wasm (Rust's arrow-rs) and hyparquet. Every value must come back
 * exactly: NULL vs empty string, exact decimals, timestamps to the microsecond.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { CUSTOMER, INVOICE, INVOICE_LINE } from "../lib/export/chinook_tables.ts";
import { writeLandingPartition } from "../lib/export/landing.ts";
import type { LandingFormat, Row, TableSchema, WrittenFile } from "../lib/export/types.ts";
import {
  expected,
  parquetArrowSchema,
  parquetRowGroups,
  parquetSchemaElements,
  postgresReader,
  readCsv,
  readJsonl,
  readParquetArrow,
  readParquetHyparquet,
  type SemanticRow,
} from "./export_readers.ts";
import { SERVER_URL } from "./harness.ts";

const NASTY_TEXT = [
  "",
  " ",
  "plain",
  "comma, inside",
  'quote " inside',
  '"fully quoted"',
  "line\nbreak",
  "carriage\rreturn",
  "windows\r\nline",
  "trailing newline\n",
  "tab\tinside",
  "pipe | inside",
  "\\.",
  "\\N",
  "NULL",
  "null",
  "semi;colon",
  "Zoë Ångström Øre",
  "日本語テキスト",
  "emoji 😀🎵 and ZWJ 👩‍👩‍👧",
  "combining e\u0301",
  "right-to-left \u05e9\u05dc\u05d5\u05dd",
  "backslash \\ and \\\\",
  "apostrophe ' inside",
  "x".repeat(300),
];

function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length]!;
}

/** Text or NULL: every nasty string, and NULL every seventh row. */
function nullableText(i: number, salt: number): string | null {
  return (i + salt) % 7 === 0 ? null : pick(NASTY_TEXT, i * 3 + salt);
}

const MONEY = [0, 1, 99, 100, 199, -1, -199, 9_999_999_999, -9_999_999_999, 123_456, 10];
const TIMES = [
  "2013-12-22 00:00:00",
  "2013-12-22T23:59:59",
  "2024-02-29 12:00:00.5",
  "2013-12-22 05:06:07.123456",
  "1969-12-31 23:59:59.999999",
  "1970-01-01 00:00:00",
  "2038-01-19 03:14:08",
  "0042-03-01 12:00:00",
  "9999-12-31 23:59:59.999999",
];

function invoices(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    InvoiceId: i === n - 1 ? 2147483647 : i + 1,
    CustomerId: (i * 13) % 59 + 1,
    InvoiceDate: pick(TIMES, i),
    BillingAddress: nullableText(i, 0),
    BillingCity: nullableText(i, 1),
    BillingState: nullableText(i, 2),
    BillingCountry: nullableText(i, 3),
    BillingPostalCode: nullableText(i, 4),
    Total: pick(MONEY, i),
  }));
}

function invoiceLines(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    InvoiceLineId: i + 1,
    InvoiceId: Math.floor(i / 3) + 1,
    TrackId: (i * 7919) % 3503 + 1,
    UnitPrice: pick(MONEY, i + 3),
    Quantity: i % 11 === 0 ? -2147483648 : (i % 3) + 1,
  }));
}

function customers(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    CustomerId: i + 1,
    FirstName: pick(NASTY_TEXT, i),
    LastName: pick(NASTY_TEXT, i + 5),
    Company: nullableText(i, 5),
    Address: nullableText(i, 6),
    City: nullableText(i, 7),
    State: nullableText(i, 8),
    Country: nullableText(i, 9),
    PostalCode: nullableText(i, 10),
    Phone: nullableText(i, 11),
    Fax: nullableText(i, 12),
    Email: `${pick(NASTY_TEXT, i + 9)}@example.org`,
    SupportRepId: i % 4 === 0 ? null : (i % 5) + 1,
  }));
}

const DATA: Array<[TableSchema, Row[]]> = [
  [INVOICE, invoices(2500)],
  [INVOICE_LINE, invoiceLines(2500)],
  [CUSTOMER, customers(1200)],
];
const FORMATS: LandingFormat[] = ["csv", "jsonl", "parquet"];
const DAY = "2013-12-22";
/** Small parts and row groups, so boundaries are crossed many times. */
const RECORDS_PER_PART = 1000;
const ROW_GROUP_ROWS = 300;

/** Batches of uneven sizes, as a database cursor would deliver them. */
function batches(rows: Row[]): Row[][] {
  const out: Row[][] = [];
  for (let i = 0, size = 1; i < rows.length; i += size, size = (size * 7) % 997 + 1) {
    out.push(rows.slice(i, i + size));
  }
  return out;
}

async function exportAll(root: string): Promise<Map<string, WrittenFile[]>> {
  const written = new Map<string, WrittenFile[]>();
  for (const format of FORMATS) {
    for (const [table, rows] of DATA) {
      const files = await writeLandingPartition({
        root,
        table,
        day: DAY,
        format,
        recordsPerPart: RECORDS_PER_PART,
        parquet: { rowGroupRows: ROW_GROUP_ROWS },
      }, batches(rows));
      written.set(`${table.name}.${format}`, files);
    }
  }
  return written;
}

async function readAll(root: string, files: WrittenFile[]): Promise<Uint8Array[]> {
  return await Promise.all(files.map((f) => Deno.readFile(join(root, f.path))));
}

function assertSameRows(actual: SemanticRow[], wanted: SemanticRow[], label: string): void {
  assert.equal(actual.length, wanted.length, `${label}: row count`);
  for (let i = 0; i < wanted.length; i++) {
    assert.deepStrictEqual(actual[i], wanted[i], `${label}: row ${i}`);
  }
}

Deno.test("landing files read back exactly with independent readers", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "chinook-sim-export-" });
  try {
    const written = await exportAll(root);

    await t.step("the layout and the manifest entries", async () => {
      for (const [table, rows] of DATA) {
        for (const format of FORMATS) {
          const files = written.get(`${table.name}.${format}`)!;
          const parts = Math.ceil(rows.length / RECORDS_PER_PART);
          assert.deepEqual(
            files.map((f) => f.path),
            Array.from(
              { length: parts },
              (_, i) => `${table.name}/dt=${DAY}/part-${String(i).padStart(5, "0")}.${format}`,
            ),
          );
          assert.deepEqual(
            files.map((f) => f.records),
            Array.from(
              { length: parts },
              (_, i) => Math.min(RECORDS_PER_PART, rows.length - i * RECORDS_PER_PART),
            ),
          );
          for (const file of files) {
            const bytes = await Deno.readFile(join(root, file.path));
            assert.equal(file.bytes, bytes.length, file.path);
            const digest = await crypto.subtle.digest("SHA-256", bytes);
            const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0"))
              .join("");
            assert.equal(file.sha256, hex, file.path);
          }
        }
      }
      const leftovers: string[] = [];
      for (const [table] of DATA) {
        for await (const entry of Deno.readDir(join(root, table.name, `dt=${DAY}`))) {
          if (entry.name.startsWith(".")) leftovers.push(entry.name);
        }
      }
      assert.deepEqual(leftovers, [], "no temporary files remain");
    });

    for (const [table, rows] of DATA) {
      const wanted = expected(table, rows);

      await t.step(`${table.name}: CSV through csv-parse`, async () => {
        const files = await readAll(root, written.get(`${table.name}.csv`)!);
        assertSameRows(files.flatMap((bytes) => readCsv(table, bytes)), wanted, "csv-parse");
      });

      await t.step(`${table.name}: JSON Lines through JSON.parse`, async () => {
        const files = await readAll(root, written.get(`${table.name}.jsonl`)!);
        assertSameRows(files.flatMap((bytes) => readJsonl(table, bytes)), wanted, "JSON.parse");
      });

      await t.step(`${table.name}: Parquet through parquet-wasm (arrow-rs)`, async () => {
        const files = await readAll(root, written.get(`${table.name}.parquet`)!);
        assertSameRows(files.flatMap((b) => readParquetArrow(table, b)), wanted, "parquet-wasm");
      });

      await t.step(`${table.name}: Parquet through hyparquet`, async () => {
        const files = await readAll(root, written.get(`${table.name}.parquet`)!);
        const rowsRead: SemanticRow[] = [];
        for (const bytes of files) rowsRead.push(...await readParquetHyparquet(table, bytes));
        assertSameRows(rowsRead, wanted, "hyparquet");
      });
    }

    await t.step("CSV through PostgreSQL's COPY", async () => {
      const reader = await postgresReader(SERVER_URL || undefined);
      try {
        for (const [table, rows] of DATA) {
          const files = await readAll(root, written.get(`${table.name}.csv`)!);
          const sorted = [...rows].sort((a, b) =>
            (a[table.primaryKey[0]!] as number) - (b[table.primaryKey[0]!] as number)
          );
          assertSameRows(
            await reader.loadCsv(table, files),
            expected(table, sorted),
            `${reader.kind} COPY ${table.name}`,
          );
        }
      } finally {
        await reader.close();
      }
    });

    await t.step("Parquet logical types, as two readers see them", async () => {
      const [invoiceFile] = written.get("Invoice.parquet")!;
      const bytes = await Deno.readFile(join(root, invoiceFile!.path));
      assert.deepEqual(parquetArrowSchema(bytes), [
        { name: "InvoiceId", type: "Int32", nullable: false },
        { name: "CustomerId", type: "Int32", nullable: false },
        { name: "InvoiceDate", type: "Timestamp<MICROSECOND>", nullable: false },
        { name: "BillingAddress", type: "Utf8", nullable: true },
        { name: "BillingCity", type: "Utf8", nullable: true },
        { name: "BillingState", type: "Utf8", nullable: true },
        { name: "BillingCountry", type: "Utf8", nullable: true },
        { name: "BillingPostalCode", type: "Utf8", nullable: true },
        { name: "Total", type: "Decimal[10e+2]", nullable: false },
      ]);
      const elements = parquetSchemaElements(bytes);
      const byName = new Map(elements.map((e) => [e.name, e]));
      assert.deepEqual(byName.get("Total")?.logical_type, {
        type: "DECIMAL",
        precision: 10,
        scale: 2,
      });
      assert.equal(byName.get("Total")?.type, "INT64");
      assert.deepEqual(byName.get("InvoiceDate")?.logical_type, {
        type: "TIMESTAMP",
        isAdjustedToUTC: false,
        unit: "MICROS",
      });
      assert.equal(byName.get("InvoiceDate")?.converted_type, undefined);
      assert.equal(byName.get("BillingCity")?.repetition_type, "OPTIONAL");
      assert.equal(byName.get("InvoiceId")?.repetition_type, "REQUIRED");
      assert.deepEqual(parquetRowGroups(bytes), [300, 300, 300, 100]);
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("exports are byte-identical, and a re-export replaces a partition whole", async (t) => {
  const first = await Deno.makeTempDir({ prefix: "chinook-sim-export-a-" });
  const second = await Deno.makeTempDir({ prefix: "chinook-sim-export-b-" });
  try {
    const a = await exportAll(first);
    const b = await exportAll(second);

    await t.step("same rows → same files, same bytes", async () => {
      assert.deepEqual([...b.entries()], [...a.entries()]);
      for (const files of a.values()) {
        for (const file of files) {
          const left = await Deno.readFile(join(first, file.path));
          const right = await Deno.readFile(join(second, file.path));
          assert.deepEqual(left, right, file.path);
        }
      }
    });

    await t.step("exporting again over the same files changes nothing", async () => {
      const again = await exportAll(first);
      assert.deepEqual([...again.entries()], [...a.entries()]);
    });

    await t.step("fewer rows: fewer parts; stale parts go, other formats stay", async () => {
      const files = await writeLandingPartition({
        root: first,
        table: INVOICE,
        day: DAY,
        format: "csv",
        recordsPerPart: RECORDS_PER_PART,
      }, [invoices(1500)]);
      assert.deepEqual(files.map((f) => f.path.split("/").pop()), [
        "part-00000.csv",
        "part-00001.csv",
      ]);
      const names: string[] = [];
      for await (const entry of Deno.readDir(join(first, "Invoice", `dt=${DAY}`))) {
        names.push(entry.name);
      }
      assert.deepEqual(names.sort(), [
        "part-00000.csv",
        "part-00000.jsonl",
        "part-00000.parquet",
        "part-00001.csv",
        "part-00001.jsonl",
        "part-00001.parquet",
        "part-00002.jsonl",
        "part-00002.parquet",
      ]);
    });

    await t.step("a day without rows still gets one empty, readable part per format", async () => {
      for (const format of FORMATS) {
        const [file, ...more] = await writeLandingPartition(
          { root: first, table: CUSTOMER, day: "2013-12-23", format },
          [],
        );
        assert.equal(more.length, 0);
        assert.equal(file!.records, 0);
        const bytes = await Deno.readFile(join(first, file!.path));
        const rows = format === "csv"
          ? readCsv(CUSTOMER, bytes)
          : format === "jsonl"
          ? readJsonl(CUSTOMER, bytes)
          : readParquetArrow(CUSTOMER, bytes);
        assert.deepEqual(rows, []);
      }
    });

    await t.step(
      "a bad row fails the export and leaves the published files as they were",
      async () => {
        const before = await Deno.readFile(join(first, "Invoice", `dt=${DAY}`, "part-00000.csv"));
        const rows = invoices(2500);
        rows[2200] = { ...rows[2200]!, Total: 1.5 };
        await assert.rejects(
          writeLandingPartition({
            root: first,
            table: INVOICE,
            day: DAY,
            format: "csv",
            recordsPerPart: RECORDS_PER_PART,
          }, batches(rows)),
          /unscaled integer/,
        );
        const names: string[] = [];
        for await (const entry of Deno.readDir(join(first, "Invoice", `dt=${DAY}`))) {
          if (entry.name.endsWith(".csv") || entry.name.endsWith(".tmp")) names.push(entry.name);
        }
        assert.deepEqual(names.sort(), ["part-00000.csv", "part-00001.csv"]);
        assert.deepEqual(
          await Deno.readFile(join(first, "Invoice", `dt=${DAY}`, "part-00000.csv")),
          before,
        );
      },
    );
  } finally {
    await Deno.remove(first, { recursive: true });
    await Deno.remove(second, { recursive: true });
  }
});
