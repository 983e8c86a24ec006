/**
 * Row-level changes as the export layer receives them: the checks every
 * consumer relies on, and the row image each change contributes to files
 * (the after-image; the before-image for a delete).
 */
import type { ChangeOp, ChangeRecord, ColumnSchema, Row, TableSchema, Value } from "./types.ts";
import { timestamptzMicros } from "./values.ts";

/** TPC-DI's CDC_FLAG letters (and the landing files' `_op`) for Debezium's op codes. */
export const CDC_FLAGS: Readonly<Record<ChangeOp, "I" | "U" | "D">> = { c: "I", u: "U", d: "D" };

/** Columns appended to a table's columns in landing files of changes. */
export const CHANGE_COLUMNS: readonly ColumnSchema[] = [
  { name: "_op", type: { kind: "text" }, nullable: false },
  { name: "_sequence", type: { kind: "bigint" }, nullable: false },
  { name: "_committed_at", type: { kind: "timestamptz" }, nullable: false },
];
const COMMITTED_AT = CHANGE_COLUMNS[2]!;

const LANDING = new WeakMap<TableSchema, TableSchema>();

/** The table plus `_op` (I/U/D), `_sequence` and `_committed_at`. */
export function landingSchema(table: TableSchema): TableSchema {
  let schema = LANDING.get(table);
  if (!schema) {
    const clash = table.columns.find((c) => CHANGE_COLUMNS.some((x) => x.name === c.name));
    if (clash) {
      throw new RangeError(
        `Cannot add change columns to ${table.name}: it has a column named ${clash.name}; rename it in the export schema`,
      );
    }
    schema = { ...table, columns: [...table.columns, ...CHANGE_COLUMNS] };
    LANDING.set(table, schema);
  }
  return schema;
}

function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  if (typeof a === "bigint" || typeof b === "bigint") return String(a) === String(b);
  return a === b;
}

function refuse(change: ChangeRecord, why: string): RangeError {
  return new RangeError(
    `Cannot export change ${change.sequence} (${change.op} on ${change.table}): ${why}; ` +
      "the change log must give complete images in commit order",
  );
}

const SHAPES: Readonly<Record<ChangeOp, { before: boolean; after: boolean }>> = {
  c: { before: false, after: true },
  u: { before: true, after: true },
  d: { before: true, after: false },
};

/** Checks a change against its table and the contract; returns it for chaining. */
export function checkChange(table: TableSchema, change: ChangeRecord): ChangeRecord {
  if (change.table !== table.name) throw refuse(change, `it is not a ${table.name} change`);
  const shape = SHAPES[change.op];
  if (!shape) throw refuse(change, `unknown op "${change.op}", expected c, u or d`);
  if ((change.before !== null) !== shape.before || (change.after !== null) !== shape.after) {
    throw refuse(
      change,
      `op ${change.op} needs ${shape.before ? "a" : "no"} before-image and ${
        shape.after ? "an" : "no"
      } after-image`,
    );
  }
  if (!Number.isSafeInteger(change.sequence) || change.sequence < 1) {
    throw refuse(change, "its sequence must be a positive integer");
  }
  if (!Number.isSafeInteger(change.txId) || change.txId < 0) {
    throw refuse(change, "its txId must be a non-negative integer");
  }
  timestamptzMicros(COMMITTED_AT, change.commitTs);
  // Both images must carry the key: a change never moves a row to another key.
  for (const name of table.primaryKey) {
    for (const image of [change.before, change.after]) {
      if (image && !sameValue(image[name], change.key[name])) {
        throw refuse(change, `its key ${name}=${change.key[name]} differs from its image's`);
      }
    }
  }
  return change;
}

/** The row a change puts in files: the after-image, or the before-image of a delete. */
export function changeImage(change: ChangeRecord): Row {
  return (change.after ?? change.before)!;
}

/** A landing-file row of a change: its image plus `_op`, `_sequence`, `_committed_at`. */
export function landingRow(table: TableSchema, change: ChangeRecord): Row {
  checkChange(table, change);
  return {
    ...changeImage(change),
    _op: CDC_FLAGS[change.op],
    _sequence: change.sequence,
    _committed_at: change.commitTs,
  };
}
