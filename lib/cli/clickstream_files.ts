/**
 * The clickstream's landing files of a committed day (`clickstream/<table>/
 * dt=<day>/`), read from chinook_web in one snapshot: what an export of the
 * day calls for the web shop's tables.
 */
import type { Sql } from "../db/connect.ts";
import { readWebSnapshot, webRowsOfDay } from "../db/web.ts";
import { writeClickstreamDay } from "../export/clickstream.ts";
import type { LandingFormat, WrittenFile } from "../export/types.ts";

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
