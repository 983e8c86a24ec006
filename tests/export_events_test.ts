/**
 * Change-event files written through the partition writer and read back with
 * JSON.parse and csv-parse: every change's image comes back exactly, in
 * commit order, with its op and sequence.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { cdcFlatEncoding } from "../lib/export/cdc_flat.ts";
import { SALES_TABLES } from "../lib/export/chinook_tables.ts";
import { debeziumEncoding, DebeziumStream } from "../lib/export/debezium.ts";
import { openLineFile } from "../lib/export/line_file.ts";
import { writePartition } from "../lib/export/partition.ts";
import type { ChangeRecord, Row, TableSchema } from "../lib/export/types.ts";
import { expected, micros, type SemanticRow, unscaled } from "./export_readers.ts";

function invoice(id: number, total: number, address: string | null): Row {
  return {
    InvoiceId: id,
    CustomerId: 7,
    InvoiceDate: `2013-12-22 ${String(id % 24).padStart(2, "0")}:30:00.25`,
    BillingAddress: address,
    BillingCity: "",
    BillingState: null,
    BillingCountry: "Česko",
    BillingPostalCode: "110 00",
    Total: total,
  };
}

/** Two days of history: inserts, updates and deletes in three transactions. */
function changes(): ChangeRecord[] {
  const out: ChangeRecord[] = [];
  let sequence = 100;
  const add = (txId: number, op: "c" | "u" | "d", before: Row | null, after: Row | null) =>
    out.push({
      table: "Invoice",
      op,
      key: { InvoiceId: (after ?? before)!.InvoiceId! },
      before,
      after,
      commitTs: `2013-12-2${txId - 40} 01:00:00+00`,
      txId,
      sequence: sequence += 3,
    });
  for (let id = 1; id <= 30; id++) add(42, "c", null, invoice(id, id * 99, `${id} "Main", St\n`));
  for (let id = 1; id <= 10; id++) {
    add(43, "u", invoice(id, id * 99, `${id} "Main", St\n`), invoice(id, id * 99 + 1, null));
  }
  for (let id = 11; id <= 15; id++) add(44, "d", invoice(id, id * 99, `${id} "Main", St\n`), null);
  return out;
}

const TABLE = SALES_TABLES.get("Invoice")!;

function fromDebezium(
  table: TableSchema,
  image: Record<string, unknown> | null,
): SemanticRow | null {
  if (image === null) return null;
  return Object.fromEntries(table.columns.map((column) => {
    const value = image[column.name] ?? null;
    if (value === null) return [column.name, null];
    if (column.type.kind === "decimal") return [column.name, unscaled(value as string, 2)];
    if (column.type.kind === "timestamp") return [column.name, BigInt(value as number)];
    return [column.name, value as string | number];
  }));
}

Deno.test("change events come back exactly from their files", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "chinook-sim-events-" });
  try {
    const all = changes();
    const batches = [all.slice(0, 17), all.slice(17)];

    await t.step("Debezium JSON lines", async () => {
      const stream = new DebeziumStream(SALES_TABLES, {
        serverName: "chinook",
        database: "chinook",
        version: "test",
      }, 99);
      const files = await writePartition(
        {
          root,
          dataset: "events/debezium/Invoice",
          day: "2013-12-22",
          extension: "jsonl",
          recordsPerPart: 20,
        },
        (path) => openLineFile(path, debeziumEncoding(stream)),
        batches,
      );
      assert.deepEqual(files.map((f) => f.records), [20, 20, 5]);
      const events = [];
      for (const file of files) {
        const text = await Deno.readTextFile(join(root, file.path));
        events.push(...text.trimEnd().split("\n").map((line) => JSON.parse(line)));
      }
      assert.deepEqual(events.map((e) => e.op), all.map((c) => c.op));
      assert.deepEqual(events.map((e) => e.source.lsn), all.map((c) => c.sequence));
      assert.deepEqual(
        events.map((e) => fromDebezium(TABLE, e.after)),
        all.map((c) => (c.after ? expected(TABLE, [c.after])[0] : null)),
      );
      assert.deepEqual(
        events.map((e) => fromDebezium(TABLE, e.before)),
        all.map((c) => (c.before ? expected(TABLE, [c.before])[0] : null)),
      );
      assert.deepEqual(
        [...new Set(events.map((e) => e.transaction.id))],
        ["42:103", "43:193", "44:223"],
      );
      assert.equal(
        events.at(-1).source.ts_us,
        Number(micros("2013-12-24 01:00:00+00")),
        "commit time of the last transaction",
      );
    });

    await t.step("TPC-DI change rows", async () => {
      const files = await writePartition(
        { root, dataset: "events/cdc-flat/Invoice", day: "2013-12-22", extension: "txt" },
        (path) => openLineFile(path, cdcFlatEncoding(TABLE)),
        batches,
      );
      const text = await Deno.readTextFile(join(root, files[0]!.path));
      const records: Array<Array<string | null>> = parseCsv(text, {
        delimiter: "|",
        cast: (value: string, context: { quoting: boolean }) =>
          value === "" && !context.quoting ? null : value,
      });
      assert.deepEqual(
        records.map((r) => r[0]),
        all.map((c) => ({ c: "I", u: "U", d: "D" })[c.op]),
      );
      assert.deepEqual(records.map((r) => Number(r[1])), all.map((c) => c.sequence));
      const rows = records.map((r) =>
        Object.fromEntries(TABLE.columns.map((column, i) => {
          const text = r[i + 2] ?? null;
          if (text === null) return [column.name, null];
          if (column.type.kind === "int") return [column.name, Number(text)];
          if (column.type.kind === "decimal") return [column.name, unscaled(text, 2)];
          if (column.type.kind === "timestamp") return [column.name, micros(text)];
          return [column.name, text];
        }))
      );
      assert.deepEqual(rows, all.map((c) => expected(TABLE, [(c.after ?? c.before)!])[0]));
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
