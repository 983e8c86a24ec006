/**
 * Delimited text rows: CSV (RFC 4180) for landing files and the pipe-separated
 * TPC-DI style for change files share one quoting rule.
 *
 * - A field is quoted when it contains the delimiter, a double quote, CR or LF;
 *   quotes inside are doubled.
 * - NULL is an empty, unquoted field; the empty string is `""`. PostgreSQL's
 *   `COPY … (FORMAT csv)` reads exactly this (DuckDB: `allow_quoted_nulls=false`).
 * - A lone `\.` is quoted too, as PostgreSQL does, so COPY never takes it for
 *   its end-of-data marker.
 */
import type { Row, TableSchema } from "./types.ts";
import { cell, textOf } from "./values.ts";

export interface Dialect {
  readonly delimiter: string;
  readonly lineEnd: string;
}

/** RFC 4180: comma, CRLF after every record. */
export const CSV: Dialect = { delimiter: ",", lineEnd: "\r\n" };
/** TPC-DI's change files: `|`, LF. */
export const PIPE: Dialect = { delimiter: "|", lineEnd: "\n" };

/** Characters that force quoting, per delimiter. */
const QUOTE_TRIGGERS = new Map<string, RegExp>();
function triggers(delimiter: string): RegExp {
  let pattern = QUOTE_TRIGGERS.get(delimiter);
  if (!pattern) {
    if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
      throw new RangeError(
        `Cannot use delimiter "${delimiter}": it must be one character other than a quote, CR or LF; use "," or "|"`,
      );
    }
    pattern = new RegExp(`["\\r\\n${delimiter.replace(/[\\^\]-]/g, "\\$&")}]`);
    QUOTE_TRIGGERS.set(delimiter, pattern);
  }
  return pattern;
}

function quoted(text: string, pattern: RegExp): string {
  if (text === "" || text === "\\.") return `"${text}"`;
  return pattern.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One field: null → empty, "" → `""`, quoted when it must be. */
export function delimitedField(text: string | null, delimiter: string): string {
  return text === null ? "" : quoted(text, triggers(delimiter));
}

/** A record of already-rendered fields, with its line end. */
export function delimitedRecord(fields: ReadonlyArray<string | null>, dialect: Dialect): string {
  let line = "";
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line += dialect.delimiter;
    line += delimitedField(fields[i] ?? null, dialect.delimiter);
  }
  return line + dialect.lineEnd;
}

/** The header record: the column names, in order. */
export function delimitedHeader(table: TableSchema, dialect: Dialect, prefix: string[] = []) {
  return delimitedRecord([...prefix, ...table.columns.map((column) => column.name)], dialect);
}

/**
 * The fields of a row, joined, without line end. Only text can need quotes:
 * numbers and timestamps are rendered without delimiters or quotes.
 */
export function delimitedRow(table: TableSchema, row: Row, dialect: Dialect): string {
  const pattern = triggers(dialect.delimiter);
  let line = "";
  for (let i = 0; i < table.columns.length; i++) {
    const column = table.columns[i]!;
    const text = textOf(column, cell(table, column, row));
    if (i > 0) line += dialect.delimiter;
    if (text !== null) line += column.type.kind === "text" ? quoted(text, pattern) : text;
  }
  return line;
}

/** One CSV record of a row, CRLF-terminated. */
export function csvLine(table: TableSchema, row: Row): string {
  return delimitedRow(table, row, CSV) + CSV.lineEnd;
}
