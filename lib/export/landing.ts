/**
 * Landing files: a table's rows for one day in CSV, JSON Lines or Parquet,
 * written as a Hive partition.
 */
import { CSV, csvLine, delimitedHeader } from "./delimited.ts";
import { jsonLine } from "./jsonl.ts";
import { openLineFile } from "./line_file.ts";
import { openParquetFile, type ParquetOptions } from "./parquet.ts";
import { type PartitionTarget, writePartition } from "./partition.ts";
import type { RecordWriter } from "./staging.ts";
import type { LandingFormat, Row, TableSchema, WrittenFile } from "./types.ts";
import { LANDING_FORMATS } from "./formats.ts";

export { LANDING_FORMATS } from "./formats.ts";

export const EXTENSIONS: Readonly<Record<LandingFormat, string>> = {
  csv: "csv",
  jsonl: "jsonl",
  parquet: "parquet",
};

export function checkLandingFormat(format: string): LandingFormat {
  if (!(LANDING_FORMATS as readonly string[]).includes(format)) {
    throw new RangeError(
      `Cannot export as "${format}": unknown format; use one of ${LANDING_FORMATS.join(", ")}`,
    );
  }
  return format as LandingFormat;
}

export interface LandingOptions {
  readonly parquet?: ParquetOptions;
}

/** Opens one landing file (staged; publish it after `finish`). */
export function openLandingFile(
  path: string,
  format: LandingFormat,
  table: TableSchema,
  options: LandingOptions = {},
): Promise<RecordWriter<Row>> {
  switch (format) {
    case "csv":
      return openLineFile(path, {
        header: delimitedHeader(table, CSV),
        line: (row: Row) => csvLine(table, row),
      });
    case "jsonl":
      return openLineFile(path, { line: (row: Row) => jsonLine(table, row) });
    case "parquet":
      return openParquetFile(path, table, options.parquet);
  }
}

export interface LandingPartition extends LandingOptions {
  readonly root: string;
  readonly table: TableSchema;
  readonly day: string;
  readonly format: LandingFormat;
  readonly recordsPerPart?: number;
  /** Dataset name under the root; the table's name by default. */
  readonly dataset?: string;
}

/** Writes a table's rows for a day: `<root>/<table>/dt=<day>/part-NNNNN.<ext>`. */
export function writeLandingPartition(
  spec: LandingPartition,
  batches: Iterable<Iterable<Row>> | AsyncIterable<Iterable<Row>>,
): Promise<WrittenFile[]> {
  const target: PartitionTarget = {
    root: spec.root,
    dataset: spec.dataset ?? spec.table.name,
    day: spec.day,
    extension: EXTENSIONS[spec.format],
    recordsPerPart: spec.recordsPerPart,
  };
  return writePartition(
    target,
    (path) => openLandingFile(path, spec.format, spec.table, spec),
    batches,
  );
}
