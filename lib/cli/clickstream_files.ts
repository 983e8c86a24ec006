/**
 * The clickstream's landing files of a committed day (`clickstream/<table>/
 * dt=<day>/`), read from chinook_web in one snapshot: what an export of the
 * day calls for the web shop's tables.
 */
import type { Sql, Tx } from "../db/connect.ts";
import { readWebSnapshot, webInstalled, webRowsOfDay } from "../db/web.ts";
import { writeClickstreamDay } from "../export/clickstream.ts";
import { CLICKSTREAM_TABLES, clickstreamDataset } from "../export/clickstream_tables.ts";
import type { LandingFormat, Row, TableSchema, WrittenFile } from "../export/types.ts";

export interface ClickstreamFiles {
  /** The export root directory. */
  root: string;
  day: string;
  format: LandingFormat;
  recordsPerPart?: number;
}

/** Writes the day's session, event and review files; the files written. */
export function exportClickstreamDay(sql: Sql, spec: ClickstreamFiles): Promise<WrittenFile[]> {
  return readWebSnapshot(
    sql,
    (tx) => writeClickstreamDay({ ...spec, rows: (table) => webRowsOfDay(tx, table, spec.day) }),
  );
}

/** One landing dataset of a day: the shape an export's list of the day's datasets takes. */
export interface ClickstreamDataset {
  /** Under the export root: `clickstream/<table>`. */
  readonly name: string;
  readonly schema: TableSchema;
  batches(): AsyncIterable<Row[]>;
}

/**
 * The clickstream's datasets of a committed day, for an export that writes
 * a day's datasets: none when the database has no chinook_web.
 */
export async function clickstreamDatasets(
  sql: Sql | Tx,
  day: string,
): Promise<ClickstreamDataset[]> {
  if (!(await webInstalled(sql))) return [];
  return [...CLICKSTREAM_TABLES.values()].map((table) => ({
    name: clickstreamDataset(table),
    schema: table,
    batches: () => webRowsOfDay(sql, table, day),
  }));
}
