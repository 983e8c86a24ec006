/**
 * Exporting committed days to landing files and change events: what the
 * `export` command does, and what `--export` does after each day a command
 * commits. Reads go through lib/db/export_data.ts, files through lib/export.
 */
import { TOOL_VERSION } from "./command.ts";
import type { Database, Sql, Tx } from "../db/connect.ts";
import { clickstreamDatasets } from "./clickstream_files.ts";
import {
  committedRuns,
  databaseName,
  type ExportRun,
  previousSequence,
  readConsistently,
  runChanges,
  tableRows,
} from "../db/export_data.ts";
import { CHINOOK_EXPORT_TABLES, SALES_TABLES } from "../export/chinook_tables.ts";
import {
  changeDataset,
  type DayDataset,
  type DayExportResult,
  exportDay,
  type ExportedRun,
  exportSnapshot,
} from "../export/day_export.ts";
import type { Row, TableSchema } from "../export/types.ts";
import { logger, writeProgress } from "./output.ts";
import type { ExportTarget } from "./export_target.ts";

export { checkExportDir, type ExportTarget, exportTargetFrom } from "./export_target.ts";

/**
 * The tables whose daily changes are exported, by name: landing files and
 * events. Another dataset of the day is one more entry in `dayDatasets`.
 */
export const CHANGE_TABLES: ReadonlyMap<string, TableSchema> = SALES_TABLES;

/** The export root's lock file: hidden, so readers of `part-*` never see it. */
export const ROOT_LOCK = ".chinook-sim-export.lock";

/**
 * One process exports into a root at a time (two would sweep each other's
 * temporary files): the next waits, saying so. The lock is the operating
 * system's, so a killed process never leaves it held.
 */
async function lockRoot(dir: string): Promise<Deno.FsFile> {
  await Deno.mkdir(dir, { recursive: true });
  const file = await Deno.open(`${dir}/${ROOT_LOCK}`, { create: true, write: true });
  const waiting = setTimeout(
    () => logger("export").info("Waiting for another export into {dir} to finish", { dir }),
    1000,
  );
  try {
    await file.lock(true);
  } catch (error) {
    file.close();
    throw error;
  } finally {
    clearTimeout(waiting);
  }
  return file;
}

/** A TTY line of what is being written, every few batches; nothing elsewhere. */
function progressOf(
  day: string,
): <T>(label: string, batches: AsyncIterable<T[]>) => AsyncIterable<T[]> {
  if (!Deno.stderr.isTerminal()) return (_label, batches) => batches;
  return async function* <T>(label: string, batches: AsyncIterable<T[]>) {
    let rows = 0;
    let shown = 0;
    for await (const batch of batches) {
      rows += batch.length;
      if (performance.now() - shown > 250) {
        shown = performance.now();
        writeProgress(`${day} ${label}: ${rows.toLocaleString("en-US")} rows`);
      }
      yield batch;
    }
    writeProgress("");
  };
}

function exportedRuns(runs: readonly ExportRun[]): ExportedRun[] {
  return runs.map((run) => ({
    runId: run.runId,
    runNumber: run.runNumber,
    txId: run.txId,
    committedAt: run.committedAt,
    firstSequence: run.sequenceBase + 1,
    lastSequence: run.sequenceBase + run.events,
    events: run.events,
  }));
}

/** What a source of a day's landing files gives: its datasets for the day. */
export type DayDatasetSource = (
  sql: Sql | Tx,
  day: string,
  runs: readonly ExportRun[],
) => DayDataset[] | Promise<DayDataset[]>;

/** Each change table's changed rows of the day. */
const changedRows: DayDatasetSource = (sql, _day, runs) =>
  [...CHANGE_TABLES.values()].map((table) =>
    changeDataset(table, (tables) => runChanges(sql, runs, tables))
  );

/**
 * The sources of a day's landing files, in the order they are written;
 * another kind of data of the day (e.g. the store's clickstream) is one more
 * entry, read in lib/db within the export's snapshot.
 */
export const DAY_DATASET_SOURCES: readonly DayDatasetSource[] = [
  changedRows,
  // The web shop's sessions, events and reviews (clickstream/<table>/), where setup --web made them.
  (sql, day) => clickstreamDatasets(sql, day),
];

async function dayDatasets(
  sql: Sql | Tx,
  day: string,
  runs: readonly ExportRun[],
): Promise<DayDataset[]> {
  const datasets: DayDataset[] = [];
  for (const source of DAY_DATASET_SOURCES) datasets.push(...await source(sql, day, runs));
  return datasets;
}

export interface DaysExported {
  readonly days: DayExportResult[];
  readonly snapshot: DayExportResult | null;
}

/**
 * Exports every day from `from` to `to` (each must be committed: refused
 * before anything is written otherwise), oldest first; `snapshot`: first
 * every Chinook table as it was after the last run of `to`.
 */
export async function exportDays(
  db: Database,
  target: ExportTarget,
  range: { from: string; to: string; snapshot?: boolean },
  onDay: (result: DayExportResult) => void = () => {},
): Promise<DaysExported> {
  return await readConsistently(db.sql, (tx) => exportRange(tx, target, range, onDay));
}

async function exportRange(
  sql: Tx,
  target: ExportTarget,
  range: { from: string; to: string; snapshot?: boolean },
  onDay: (result: DayExportResult) => void,
): Promise<DaysExported> {
  const byDay = await committedRuns(sql, range.from, range.to);
  const database = await databaseName(sql);
  // Checked first: a refused range writes nothing, not even the directory.
  using _lock = await lockRoot(target.dir);
  let snapshot: DayExportResult | null = null;
  if (range.snapshot) {
    const runs = byDay.get(range.to)!;
    const asOf = runs[runs.length - 1]!.runId;
    snapshot = await exportSnapshot({
      root: target.dir,
      day: range.to,
      format: target.format,
      runs: exportedRuns(runs),
      recordsPerPart: target.recordsPerPart,
      tables: CHINOOK_EXPORT_TABLES.map((table) => ({
        name: table.name,
        schema: table,
        batches: () => tableRows(sql, table, asOf, CHANGE_TABLES.has(table.name)),
      })),
    });
  }
  const days: DayExportResult[] = [];
  for (const [day, runs] of byDay) {
    const progress = progressOf(day);
    const datasets = (await dayDatasets(sql, day, runs)).map((dataset) => ({
      ...dataset,
      batches: () => progress(dataset.name, dataset.batches() as AsyncIterable<Row[]>),
    }));
    const result = await exportDay({
      root: target.dir,
      day,
      format: target.format,
      events: target.events,
      datasets,
      changeTables: CHANGE_TABLES,
      changes: (tables) => progress(`${target.events} events`, runChanges(sql, runs, tables)),
      previousSequence: previousSequence(runs),
      debezium: { serverName: "chinook", database, version: TOOL_VERSION },
      runs: exportedRuns(runs),
      recordsPerPart: target.recordsPerPart,
    });
    days.push(result);
    onDay(result);
  }
  return { days, snapshot };
}

/**
 * For a command that committed `day`: its export, or what went wrong, worded
 * for exit 4 (the day stays committed; `export` writes the files later).
 */
export async function exportCommittedDay(
  db: Database,
  target: ExportTarget,
  day: string,
): Promise<{ result: DayExportResult | null; failure: string | null }> {
  try {
    const { days } = await exportDays(db, target, { from: day, to: day });
    return { result: days[0] ?? null, failure: null };
  } catch (error) {
    const events = target.events ? ` --events ${target.events}` : "";
    return {
      result: null,
      failure:
        `${day} was committed, but its export was not written to ${target.flag} "${target.dir}": ${
          (error as Error).message
        }. Run "chinook-sim export --from ${day} --to ${day} --out ${target.dir} --format ${target.format}${events}" to write it`,
    };
  }
}
