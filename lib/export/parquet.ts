/**
 * Parquet landing files through hyparquet-writer, in row groups: rows are
 * buffered per column up to a row group, encoded, and written out before the
 * next group starts, so memory is bounded by one row group.
 *
 * Types (logical type annotations as the Parquet format defines them):
 * - int → INT32; bigint → INT64;
 * - text → BYTE_ARRAY, STRING (UTF8);
 * - decimal(p,s) → DECIMAL(p,s) on INT32 (p ≤ 9) or INT64 (p ≤ 18), from the
 *   unscaled integer: money is DECIMAL(10,2) on INT64, exact;
 * - timestamp → INT64 TIMESTAMP(MICROS, isAdjustedToUTC=false): a local
 *   (wall-clock) time, read back as written in any time zone;
 * - timestamptz → INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true);
 * - NOT NULL columns are REQUIRED, the others OPTIONAL.
 * Row groups hold 32,768 rows by default: the encoder's working memory grows
 * with the group (about 320 MB peak for a 3M-row day at this size, near 500 MB
 * at 100,000), and files grow only about 3% against 100,000-row groups.
 * Nothing time- or run-dependent goes into the file: the same rows give the
 * same bytes.
 */
import type { SchemaElement } from "hyparquet";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { type RecordWriter, type StagedFile, StagingFile } from "./staging.ts";
import type { ColumnSchema, Row, TableSchema, Value } from "./types.ts";
import {
  bigintValue,
  cell,
  decimalValue,
  intValue,
  textValue,
  timestampMicros,
  timestamptzMicros,
} from "./values.ts";

export const DEFAULT_ROW_GROUP_ROWS = 32_768;

export interface ParquetOptions {
  /** Rows per row group (the unit of memory and of reading in parallel). */
  readonly rowGroupRows?: number;
  /** The file's created_by: the writing application. */
  readonly createdBy?: string;
}

function element(column: ColumnSchema): SchemaElement {
  const repetition_type = column.nullable ? "OPTIONAL" : "REQUIRED";
  const name = column.name;
  const type = column.type;
  switch (type.kind) {
    case "int":
      return { name, repetition_type, type: "INT32" };
    case "bigint":
      return { name, repetition_type, type: "INT64" };
    case "text":
      return {
        name,
        repetition_type,
        type: "BYTE_ARRAY",
        converted_type: "UTF8",
        logical_type: { type: "STRING" },
      };
    case "decimal": {
      if (type.precision > 18 || type.scale > type.precision || type.scale < 0) {
        throw new RangeError(
          `Cannot write ${name} decimal(${type.precision},${type.scale}) to Parquet: only precision up to 18 is supported; export it as text`,
        );
      }
      const { precision, scale } = type;
      return {
        name,
        repetition_type,
        type: precision <= 9 ? "INT32" : "INT64",
        converted_type: "DECIMAL",
        precision,
        scale,
        logical_type: { type: "DECIMAL", precision, scale },
      };
    }
    case "timestamp":
    case "timestamptz":
      // No converted type: TIMESTAMP_MICROS would claim UTC for a local time.
      return {
        name,
        repetition_type,
        type: "INT64",
        ...(type.kind === "timestamptz" ? { converted_type: "TIMESTAMP_MICROS" as const } : {}),
        logical_type: {
          type: "TIMESTAMP",
          isAdjustedToUTC: type.kind === "timestamptz",
          unit: "MICROS",
        },
      };
  }
}

/** The Parquet schema of a table: a root and one leaf per column. */
export function parquetSchema(table: TableSchema): SchemaElement[] {
  return [
    { name: "schema", num_children: table.columns.length },
    ...table.columns.map(element),
  ];
}

/** The physical value hyparquet-writer expects for a column. */
function physical(column: ColumnSchema, value: Value): number | bigint | string | null {
  if (value === null) return null;
  switch (column.type.kind) {
    case "int":
      return intValue(column, value);
    case "bigint":
      return bigintValue(column, value);
    case "text":
      return textValue(column, value);
    case "decimal": {
      const unscaled = decimalValue(column, value);
      return column.type.precision <= 9 ? Number(unscaled) : BigInt(unscaled);
    }
    case "timestamp":
      return timestampMicros(column, value);
    case "timestamptz":
      return timestamptzMicros(column, value);
  }
}

/** hyparquet-writer's byte buffer, emptied into the staging file after every row group. */
class FlushingWriter extends ByteWriter {
  /** Applied to the last chunk written. */
  lastChunk: (chunk: Uint8Array) => Uint8Array = (chunk) => chunk;

  constructor(private readonly file: StagingFile) {
    super(1 << 20);
  }
  flush(): Promise<void> {
    const chunk = this.getBytes().slice();
    this.index = 0;
    return this.file.write(chunk);
  }
  override finish(): Promise<void> {
    const chunk = this.lastChunk(this.getBytes().slice());
    this.index = 0;
    return this.file.write(chunk);
  }
}

/**
 * A file without rows has an empty row_groups list, and hyparquet-writer
 * 0.17.0 gives an empty Thrift list the element type 0, which strict readers
 * (arrow-rs) refuse. Such a file is written in one piece, so its footer is
 * corrected here: num_rows = 0 (0x16 0x00), then row_groups (0x19) as an
 * empty list of structs (0x0C). Anything unexpected fails loudly.
 */
export function fixEmptyRowGroups(file: Uint8Array): Uint8Array {
  const magic = [0x50, 0x41, 0x52, 0x31];
  const footerLength = new DataView(file.buffer, file.byteOffset).getUint32(file.length - 8, true);
  const start = file.length - 8 - footerLength;
  const found: number[] = [];
  for (let i = Math.max(start, 4); i + 3 < file.length - 8; i++) {
    if (file[i] === 0x16 && file[i + 1] === 0 && file[i + 2] === 0x19 && file[i + 3] === 0) {
      found.push(i + 3);
    }
  }
  const framed = magic.every((b, i) => file[i] === b && file[file.length - 4 + i] === b);
  if (!framed || start !== 4 || found.length !== 1) {
    throw new Error(
      "Cannot write an empty Parquet file: the writer's footer is not as expected; check the hyparquet-writer version",
    );
  }
  const fixed = file.slice();
  fixed[found[0]!] = 0x0c;
  return fixed;
}

export async function openParquetFile(
  path: string,
  table: TableSchema,
  options: ParquetOptions = {},
): Promise<RecordWriter<Row>> {
  const rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
  if (!Number.isSafeInteger(rowGroupRows) || rowGroupRows < 1) {
    throw new RangeError(
      `Cannot use ${rowGroupRows} rows per row group: expected a positive integer; the default is ${DEFAULT_ROW_GROUP_ROWS}`,
    );
  }
  const schema = parquetSchema(table);
  const file = await StagingFile.create(path);
  const bytes = new FlushingWriter(file);
  const writer = new ParquetWriter({
    writer: bytes,
    schema,
    createdBy: options.createdBy ?? "chinook-sim",
  });
  const width = table.columns.length;
  const columns = table.columns.map(() => [] as Array<number | bigint | string | null>);
  const scratch: Array<number | bigint | string | null> = new Array(width).fill(null);
  let buffered = 0;
  let records = 0;

  async function writeGroup(): Promise<void> {
    if (buffered === 0) return;
    const columnData = table.columns.map((column, i) => ({
      name: column.name,
      data: columns[i]!,
    }));
    await writer.write({ columnData, rowGroupSize: buffered });
    for (const values of columns) values.length = 0;
    buffered = 0;
  }

  return {
    async write(rows: Iterable<Row>): Promise<void> {
      for (const row of rows) {
        // Convert the whole row first: a bad value leaves no half-written row behind.
        for (let i = 0; i < width; i++) {
          const column = table.columns[i]!;
          scratch[i] = physical(column, cell(table, column, row));
        }
        for (let i = 0; i < width; i++) columns[i]!.push(scratch[i]!);
        buffered++;
        records++;
        if (buffered >= rowGroupRows) await writeGroup();
      }
    },
    async finish(): Promise<StagedFile> {
      await writeGroup();
      if (records === 0) bytes.lastChunk = fixEmptyRowGroups;
      await writer.finish();
      return await file.finish(records);
    },
    abort: () => file.abort(),
  };
}
