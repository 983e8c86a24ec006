/** The export schemas say what the Chinook sample's DDL says: names, order, types, NULLs, keys. */
import assert from "node:assert/strict";
import { CHINOOK_EXPORT_TABLES } from "../lib/export/chinook_tables.ts";
import { CHINOOK_TABLES } from "../lib/chinook/schema.ts";
import type { ColumnType } from "../lib/export/types.ts";
import { chinookSource, REAL_CHINOOK } from "./harness.ts";

function exportType(sqlType: string): ColumnType {
  const decimal = /^numeric\((\d+),(\d+)\)$/.exec(sqlType);
  if (decimal) return { kind: "decimal", precision: Number(decimal[1]), scale: Number(decimal[2]) };
  if (sqlType === "integer") return { kind: "int" };
  if (sqlType === "bigint") return { kind: "bigint" };
  if (sqlType === "timestamp without time zone") return { kind: "timestamp" };
  if (sqlType === "timestamp with time zone") return { kind: "timestamptz" };
  if (/^(character varying|varchar)(\(\d+\))?$/.test(sqlType) || sqlType === "text") {
    return { kind: "text" };
  }
  throw new Error(`no export type for ${sqlType}`);
}

Deno.test({
  name: REAL_CHINOOK
    ? "export schemas match the Chinook sample's DDL"
    : "export schemas match the Chinook sample's DDL [skipped: needs CHINOOK_SQL]",
  ignore: !REAL_CHINOOK,
  async fn() {
    const dump = await Deno.readTextFile(chinookSource());
    assert.deepEqual(CHINOOK_EXPORT_TABLES.map((t) => t.name), CHINOOK_TABLES);
    for (const table of CHINOOK_EXPORT_TABLES) {
      const ddl = new RegExp(`CREATE TABLE public\\."${table.name}" \\(\\n([\\s\\S]*?)\\n\\);`)
        .exec(dump);
      assert.ok(ddl, `CREATE TABLE ${table.name}`);
      const columns = ddl[1]!.split(",\n").map((line) => {
        const match = /^\s*"(\w+)" (.+?)( NOT NULL)?$/.exec(line);
        assert.ok(match, line);
        return { name: match[1]!, type: exportType(match[2]!), nullable: match[3] === undefined };
      });
      assert.deepEqual(table.columns, columns, table.name);
      const key = new RegExp(
        `ALTER TABLE ONLY public\\."${table.name}"\\s+ADD CONSTRAINT "\\w+" PRIMARY KEY \\(([^)]*)\\)`,
      ).exec(dump);
      assert.ok(key, `primary key of ${table.name}`);
      assert.deepEqual(table.primaryKey, key[1]!.split(", ").map((k) => k.replaceAll('"', "")));
    }
  },
});
