/**
 * TPC-DI style change files: each record is `CDC_FLAG`, `CDC_DSN`, then the
 * row — the after-image, or the before-image of a delete. CDC_FLAG is I, U or
 * D (TPC-DI itself has I and U; D marks a hard delete); CDC_DSN is the
 * change's sequence, increasing across days. Like TPC-DI's files they are
 * `|`-separated, LF-terminated and without header by default; fields are
 * quoted by the CSV rule (only when they contain `|`, a quote, CR or LF), NULL
 * is an empty field and the empty string `""`. A comma dialect and a header
 * are available.
 */
import { CDC_FLAGS, changeImage, checkChange } from "./changes.ts";
import { delimitedHeader, delimitedRow, type Dialect, PIPE } from "./delimited.ts";
import type { LineEncoding } from "./line_file.ts";
import type { ChangeRecord, TableSchema } from "./types.ts";

export const CDC_COLUMNS = ["CDC_FLAG", "CDC_DSN"];

export function cdcFlatHeader(table: TableSchema, dialect: Dialect = PIPE): string {
  return delimitedHeader(table, dialect, CDC_COLUMNS);
}

export function cdcFlatLine(
  table: TableSchema,
  change: ChangeRecord,
  dialect: Dialect = PIPE,
): string {
  checkChange(table, change);
  const row = delimitedRow(table, changeImage(change), dialect);
  const d = dialect.delimiter;
  return `${CDC_FLAGS[change.op]}${d}${change.sequence}${d}${row}${dialect.lineEnd}`;
}

export interface CdcFlatOptions {
  readonly dialect?: Dialect;
  readonly header?: boolean;
}

/** The file encoding of one table's change file. */
export function cdcFlatEncoding(
  table: TableSchema,
  options: CdcFlatOptions = {},
): LineEncoding<ChangeRecord> {
  const dialect = options.dialect ?? PIPE;
  return {
    header: options.header ? cdcFlatHeader(table, dialect) : undefined,
    line: (change) => cdcFlatLine(table, change, dialect),
  };
}
