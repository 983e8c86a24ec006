/**
 * The clickstream's landing files for one day: each table of chinook_web as
 * a Hive partition, `<root>/clickstream/<table>/dt=<day>/part-NNNNN.<ext>`.
 * The rows come from the caller (the database side reads them), in batches
 * in primary-key order, so the same day gives the same files.
 */
import { CLICKSTREAM_TABLES, clickstreamDataset } from "./clickstream_tables.ts";
import { type LandingOptions, writeLandingPartition } from "./landing.ts";
import type { LandingFormat, Row, TableSchema, WrittenFile } from "./types.ts";

export interface ClickstreamExport extends LandingOptions {
  readonly root: string;
  readonly day: string;
  readonly format: LandingFormat;
  readonly recordsPerPart?: number;
  /** A table's rows of the day, in primary-key order, in batches. */
  rows(table: TableSchema): AsyncIterable<Row[]>;
}

/** Writes every clickstream table of the day; the files written, table by table. */
export async function writeClickstreamDay(spec: ClickstreamExport): Promise<WrittenFile[]> {
  const files: WrittenFile[] = [];
  for (const table of CLICKSTREAM_TABLES.values()) {
    files.push(
      ...await writeLandingPartition(
        {
          root: spec.root,
          table,
          day: spec.day,
          format: spec.format,
          recordsPerPart: spec.recordsPerPart,
          dataset: clickstreamDataset(table),
          parquet: spec.parquet,
        },
        spec.rows(table),
      ),
    );
  }
  return files;
}
