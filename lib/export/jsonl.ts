/**
 * JSON Lines: one object per row, keys in column order, LF after each.
 * Integers are JSON numbers (int8 beyond 2^53 still exact: written digit by
 * digit); money and other decimals are strings ("1.99") so no reader turns them
 * into floats; timestamps are strings in PostgreSQL's text form; NULL is null.
 */
import type { Row, TableSchema } from "./types.ts";
import { cell, textOf } from "./values.ts";

const KEYS = new WeakMap<TableSchema, string[]>();

function keysOf(table: TableSchema): string[] {
  let keys = KEYS.get(table);
  if (!keys) {
    keys = table.columns.map((column) => `${JSON.stringify(column.name)}:`);
    KEYS.set(table, keys);
  }
  return keys;
}

/** The JSON object of a row, without line end. */
export function jsonObject(table: TableSchema, row: Row): string {
  const keys = keysOf(table);
  let out = "{";
  for (let i = 0; i < table.columns.length; i++) {
    const column = table.columns[i]!;
    const text = textOf(column, cell(table, column, row));
    if (i > 0) out += ",";
    out += keys[i];
    if (text === null) out += "null";
    else if (column.type.kind === "text") out += JSON.stringify(text);
    else if (column.type.kind === "int" || column.type.kind === "bigint") out += text;
    // Decimals and timestamps are digits and -.:+ only: nothing to escape.
    else out += `"${text}"`;
  }
  return out + "}";
}

/** One JSON Lines record of a row, LF-terminated. */
export function jsonLine(table: TableSchema, row: Row): string {
  return jsonObject(table, row) + "\n";
}
