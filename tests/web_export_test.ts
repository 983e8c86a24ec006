/**
 * The clickstream's landing files: `clickstream/<table>/dt=<day>/` in JSON
 * Lines and Parquet, read back by readers that share no code with the
 * writers (JSON.parse; parquet-wasm), equal to chinook_web row by row; the
 * same day exported twice gives the same bytes.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { exportClickstreamDay } from "../lib/cli/clickstream_files.ts";
import { CLICKSTREAM_TABLES } from "../lib/export/clickstream_tables.ts";
import type { LandingFormat, Row, TableSchema } from "../lib/export/types.ts";
import { expected, readJsonl, readParquetArrow } from "./export_readers.ts";
import { freshDatabase, setupDatabase, type Sql } from "./harness.ts";
import { ok } from "./ledger_helpers.ts";

const DAYS = ["2026-07-01", "2026-07-02"];

/** The table's rows of the day straight from the database, timestamps as text. */
async function databaseRows(sql: Sql, table: TableSchema, day: string): Promise<Row[]> {
  const columns = table.columns.map((c) =>
    c.type.kind === "timestamp" ? `${c.name}::text AS ${c.name}` : c.name
  );
  return await sql.unsafe(
    `SELECT ${columns.join(", ")} FROM chinook_web.${table.name}
      WHERE sim_date = $1 ORDER BY ${table.primaryKey[0]}`,
    [day],
  ) as unknown as Row[];
}

function read(table: TableSchema, format: LandingFormat, bytes: Uint8Array) {
  if (format === "parquet") return readParquetArrow(table, bytes);
  // JSON numbers: int8 ids as BigInt, as the other readers give them.
  const bigints = table.columns.filter((c) => c.type.kind === "bigint").map((c) => c.name);
  return readJsonl(table, bytes).map((row) => {
    for (const name of bigints) if (row[name] !== null) row[name] = BigInt(row[name]!);
    return row;
  });
}

Deno.test("clickstream landing files (JSON Lines, Parquet) equal chinook_web, the same bytes every time", async (t) => {
  const db = await freshDatabase();
  const root = await Deno.makeTempDir({ prefix: "chinook-sim-click-" });
  try {
    await setupDatabase(db, ["--history-end", "2026-06-30"]);
    await ok(db, ["setup", "--web"]);
    await ok(db, [
      "backfill",
      "--from",
      DAYS[0]!,
      "--to",
      DAYS[1]!,
      "--seed",
      "3",
      "--manifest-dir",
      "none",
    ]);
    for (const format of ["jsonl", "parquet"] as const) {
      await t.step(format, async () => {
        await db.query(async (sql) => {
          for (const day of DAYS) {
            const out = join(root, format);
            const files = await exportClickstreamDay(sql, {
              root: out,
              day,
              format,
              recordsPerPart: 4000,
            });
            const again = await exportClickstreamDay(sql, {
              root: out,
              day,
              format,
              recordsPerPart: 4000,
            });
            assert.deepEqual(again, files, "exporting a day twice: the same files, the same bytes");
            for (const table of CLICKSTREAM_TABLES.values()) {
              const ours = files.filter((f) =>
                f.path.startsWith(`clickstream/${table.name}/dt=${day}/part-`)
              );
              assert.ok(ours.length >= 1, `${table.name}: at least one part`);
              const fromFiles = [];
              for (const file of ours) {
                fromFiles.push(...read(table, format, await Deno.readFile(join(out, file.path))));
              }
              const rows = await databaseRows(sql, table, day);
              assert.equal(fromFiles.length, rows.length, `${table.name} ${day}: row count`);
              assert.deepEqual(
                fromFiles,
                expected(table, rows),
                `${table.name} ${day}: row by row`,
              );
              if (table.name === "event") {
                assert.ok(ours.length > 1, "a large table is split into parts");
                assert.ok(fromFiles.some((r) => r.event_type === "purchase"));
              }
            }
          }
        });
      });
    }
  } finally {
    await db.drop();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("clickstream landing files from a database without --web: a clear configuration error", async () => {
  const db = await freshDatabase();
  const root = await Deno.makeTempDir({ prefix: "chinook-sim-click-" });
  try {
    await setupDatabase(db, ["--history-end", "2026-06-30"]);
    await db.query(async (sql) => {
      await assert.rejects(
        () => exportClickstreamDay(sql, { root, day: "2026-07-01", format: "jsonl" }),
        /run "chinook-sim setup --web" first/,
      );
    });
    assert.deepEqual([...Deno.readDirSync(root)], [], "no file written");
  } finally {
    await db.drop();
    await Deno.remove(root, { recursive: true });
  }
});
