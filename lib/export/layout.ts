/**
 * Hive-style layout: `<root>/<dataset>/dt=YYYY-MM-DD/part-NNNNN.<ext>`.
 * Engines that understand Hive partitioning (DuckDB, Spark, Trino, Athena…)
 * read `dt` as a column. Part numbers are dense from 00000 in row order, so
 * the same rows always land in the same file names.
 */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A dataset is a table name or a path of them (`events/debezium/Invoice`): no dots, no spaces. */
const DATASET = /^[A-Za-z0-9_][A-Za-z0-9_-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_-]*)*$/;
const EXTENSION = /^[a-z0-9]+(?:\.[a-z0-9]+)?$/;
/** Names the writer owns in a partition: published parts and their temporary names. */
export const PART_FILE = /^part-\d{5,}\.[a-z0-9.]+$/;
export const STAGED_PART_FILE = /^\.part-\d{5,}\.[a-z0-9.]+\.tmp$/;

export function checkDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (!DAY.test(day) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
    throw new RangeError(
      `Cannot use "${day}" as a partition day: expected YYYY-MM-DD, e.g. 2013-12-22`,
    );
  }
  return day;
}

export function checkDataset(dataset: string): string {
  if (!DATASET.test(dataset)) {
    throw new RangeError(
      `Cannot use "${dataset}" as a dataset name: letters, digits, _ and - only, / between levels; e.g. InvoiceLine`,
    );
  }
  return dataset;
}

/** `part-00000.csv`: five digits at least, more only beyond 99999 parts. */
export function partName(part: number, extension: string): string {
  if (!Number.isSafeInteger(part) || part < 0) {
    throw new RangeError(`Cannot name part ${part}: expected a non-negative integer`);
  }
  if (!EXTENSION.test(extension)) {
    throw new RangeError(`Cannot use extension "${extension}": lower-case letters and digits only`);
  }
  return `part-${String(part).padStart(5, "0")}.${extension}`;
}

/** The partition directory relative to the export root: `Invoice/dt=2013-12-22`. */
export function partitionDir(dataset: string, day: string): string {
  return `${checkDataset(dataset)}/dt=${checkDay(day)}`;
}

/** A part's path relative to the export root: `Invoice/dt=2013-12-22/part-00000.csv`. */
export function partPath(dataset: string, day: string, part: number, extension: string): string {
  return `${partitionDir(dataset, day)}/${partName(part, extension)}`;
}
