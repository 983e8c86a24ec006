/**
 * The input contract of the export layer: what the database side hands over.
 *
 * Values arrive exactly as PostgreSQL has them, in forms that survive the trip
 * without rounding or time-zone shifts:
 * - int, bigint: JavaScript integers (`bigint` allowed for int8 beyond 2^53);
 * - text: strings (PostgreSQL text is always well-formed Unicode without NUL);
 * - decimal(p,s): the UNSCALED integer (money in integer cents: 1.99 → 199);
 * - timestamp: PostgreSQL's text output of `timestamp without time zone`,
 *   `YYYY-MM-DD HH:MM:SS[.ffffff]` (a `T` separator, as `to_jsonb` writes it, is
 *   accepted too): a wall-clock time that no time zone ever touches;
 * - timestamptz: the same with an offset (`+00`, `+05:30`, `Z`).
 * NULL is `null`; every column of the schema must be present in a row.
 */

export type ColumnType =
  | { readonly kind: "int" }
  | { readonly kind: "bigint" }
  | { readonly kind: "text" }
  | { readonly kind: "decimal"; readonly precision: number; readonly scale: number }
  | { readonly kind: "timestamp" }
  | { readonly kind: "timestamptz" };

export interface ColumnSchema {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
}

/** One table as exported: its columns in file order and its primary key. */
export interface TableSchema {
  /** PostgreSQL schema, e.g. "public". */
  readonly schema: string;
  /** Table name as in the database, e.g. "InvoiceLine". */
  readonly name: string;
  readonly columns: readonly ColumnSchema[];
  readonly primaryKey: readonly string[];
}

export type Value = number | bigint | string | null;

/** One row: column name → value. */
export type Row = Readonly<Record<string, Value>>;

/** Debezium's operation codes: create (insert), update, delete. */
export type ChangeOp = "c" | "u" | "d";

/**
 * One row-level change, as the change log will provide it, in commit order.
 * - c: `before` null, `after` the inserted row;
 * - u: `before` the row before the change (complete), `after` the row after;
 * - d: `before` the deleted row, `after` null.
 */
export interface ChangeRecord {
  readonly table: string;
  readonly op: ChangeOp;
  /** The primary-key columns of the changed row. */
  readonly key: Row;
  readonly before: Row | null;
  readonly after: Row | null;
  /** Commit time of the transaction that made the change (timestamptz text). */
  readonly commitTs: string;
  /** PostgreSQL transaction id of that transaction. */
  readonly txId: number;
  /**
   * Position of the change in the simulator's history: strictly increasing
   * across changes, transactions and days, never reused.
   */
  readonly sequence: number;
}

/** Landing-file formats. */
export type LandingFormat = "csv" | "jsonl" | "parquet";

/** A file written by the export layer, as a manifest names it. */
export interface WrittenFile {
  /** Path relative to the export root, with `/` separators. */
  readonly path: string;
  readonly records: number;
  readonly bytes: number;
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string;
}
