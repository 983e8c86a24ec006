/**
 * One day's export as a unit: the landing files of its datasets (a table's
 * changed rows, or any other rows of the day), optionally its change events,
 * then the day's manifest naming every file written. Each partition is
 * replaced whole (partition.ts); the manifest is written last, so a manifest
 * always names complete files. The same rows give the same bytes, manifest
 * included: nothing in it depends on when or where the export ran.
 */
import { cdcFlatEncoding } from "./cdc_flat.ts";
import { landingRow, landingSchema } from "./changes.ts";
import { debeziumEncoding, type DebeziumOptions, DebeziumStream } from "./debezium.ts";
import { EXTENSIONS, writeLandingPartition } from "./landing.ts";
import { checkDay } from "./layout.ts";
import { openLineFile } from "./line_file.ts";
import { writePartition } from "./partition.ts";
import { StagingFile } from "./staging.ts";
import type { ChangeRecord, LandingFormat, Row, TableSchema, WrittenFile } from "./types.ts";
import type { EventFormat } from "./formats.ts";

export { EVENT_FORMATS, type EventFormat } from "./formats.ts";

/** Where the change events go under the export root. */
export const EVENTS_DATASET = "events";
/** Where the manifests go: a leading underscore, so Hive-style readers skip it. */
export const MANIFESTS_DIR = "_manifests";
/** Where the initial extract goes. */
export const SNAPSHOT_DATASET = "snapshot";

/** Rows of one dataset for the day, in their final order. */
export interface DayDataset {
  /** The first level under the root (a table's name). */
  readonly name: string;
  readonly schema: TableSchema;
  batches(): AsyncIterable<Iterable<Row>>;
}

/** What a manifest records of each transaction exported. */
export interface ExportedRun {
  readonly runId: number;
  readonly runNumber: number;
  readonly txId: number;
  readonly committedAt: string;
  /** Its events are sequences firstSequence … lastSequence (none when events is 0). */
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly events: number;
}

export interface DayExport {
  readonly root: string;
  readonly day: string;
  readonly format: LandingFormat;
  readonly events: EventFormat | null;
  /** Landing files: one partition per dataset. */
  readonly datasets: readonly DayDataset[];
  /** The tables whose changes make events, by name. */
  readonly changeTables: ReadonlyMap<string, TableSchema>;
  /** The day's changes to `tables`, in commit order. */
  changes(tables: ReadonlyMap<string, TableSchema>): AsyncIterable<ChangeRecord[]>;
  /** The sequence before the day's first change (Debezium's last commit position). */
  readonly previousSequence: number | null;
  readonly debezium: DebeziumOptions;
  readonly runs: readonly ExportedRun[];
  readonly recordsPerPart?: number;
}

/** The day's manifest: what was exported and every file written for it. */
export interface DayManifest {
  readonly day: string;
  readonly kind: "changes" | "snapshot";
  readonly format: LandingFormat;
  readonly events: EventFormat | null;
  readonly runs: readonly ExportedRun[];
  readonly files: readonly WrittenFile[];
}

/** `_manifests/<day>.<format>.json` (a snapshot: `_manifests/snapshot-<day>.<format>.json`). */
export function manifestPath(day: string, format: LandingFormat, kind: DayManifest["kind"]) {
  return `${MANIFESTS_DIR}/${kind === "snapshot" ? "snapshot-" : ""}${checkDay(day)}.${
    EXTENSIONS[format]
  }.json`;
}

/** The changes of one table out of a stream of all of them. */
export function onlyTable(
  table: TableSchema,
): ReadonlyMap<string, TableSchema> {
  return new Map([[table.name, table]]);
}

/** A table's changed rows of the day as a landing dataset (`_op`, `_sequence`, `_committed_at`). */
export function changeDataset(
  table: TableSchema,
  changes: (tables: ReadonlyMap<string, TableSchema>) => AsyncIterable<ChangeRecord[]>,
): DayDataset {
  return {
    name: table.name,
    schema: landingSchema(table),
    async *batches() {
      for await (const batch of changes(onlyTable(table))) {
        yield batch.map((change) => landingRow(table, change));
      }
    },
  };
}

async function writeManifest(root: string, manifest: DayManifest): Promise<string> {
  const relative = manifestPath(manifest.day, manifest.format, manifest.kind);
  const file = await StagingFile.create(`${root}/${relative}`);
  try {
    await file.write(new TextEncoder().encode(JSON.stringify(manifest, null, 2) + "\n"));
    const staged = await file.finish(manifest.files.length);
    await staged.publish();
  } catch (error) {
    await file.abort();
    throw error;
  }
  return relative;
}

export interface DayExportResult {
  readonly manifest: DayManifest;
  /** The manifest's path relative to the root. */
  readonly manifestPath: string;
}

/** Writes a day: every dataset's partition, the events, then the manifest. */
export async function exportDay(spec: DayExport): Promise<DayExportResult> {
  const files: WrittenFile[] = [];
  for (const dataset of spec.datasets) {
    files.push(
      ...await writeLandingPartition({
        root: spec.root,
        table: dataset.schema,
        dataset: dataset.name,
        day: spec.day,
        format: spec.format,
        recordsPerPart: spec.recordsPerPart,
      }, dataset.batches()),
    );
  }
  if (spec.events === "debezium") {
    // One stream for every table: events in commit order, as one transaction log.
    const stream = new DebeziumStream(spec.changeTables, spec.debezium, spec.previousSequence);
    files.push(
      ...await writePartition(
        {
          root: spec.root,
          dataset: `${EVENTS_DATASET}/debezium`,
          day: spec.day,
          extension: "jsonl",
          recordsPerPart: spec.recordsPerPart,
        },
        (path) => openLineFile(path, debeziumEncoding(stream)),
        spec.changes(spec.changeTables),
      ),
    );
  } else if (spec.events === "cdc-flat") {
    // TPC-DI's change files are per table: each has its own columns.
    for (const table of spec.changeTables.values()) {
      files.push(
        ...await writePartition(
          {
            root: spec.root,
            dataset: `${EVENTS_DATASET}/cdc-flat/${table.name}`,
            day: spec.day,
            extension: "txt",
            recordsPerPart: spec.recordsPerPart,
          },
          (path) => openLineFile(path, cdcFlatEncoding(table)),
          spec.changes(onlyTable(table)),
        ),
      );
    }
  }
  const manifest: DayManifest = {
    day: spec.day,
    kind: "changes",
    format: spec.format,
    events: spec.events,
    runs: spec.runs,
    files,
  };
  return { manifest, manifestPath: await writeManifest(spec.root, manifest) };
}

/** The initial extract: every table's rows under `snapshot/<table>/dt=<day>`, then its manifest. */
export async function exportSnapshot(spec: {
  readonly root: string;
  readonly day: string;
  readonly format: LandingFormat;
  readonly tables: readonly DayDataset[];
  readonly runs: readonly ExportedRun[];
  readonly recordsPerPart?: number;
}): Promise<DayExportResult> {
  const files: WrittenFile[] = [];
  for (const dataset of spec.tables) {
    files.push(
      ...await writeLandingPartition({
        root: spec.root,
        table: dataset.schema,
        dataset: `${SNAPSHOT_DATASET}/${dataset.name}`,
        day: spec.day,
        format: spec.format,
        recordsPerPart: spec.recordsPerPart,
      }, dataset.batches()),
    );
  }
  const manifest: DayManifest = {
    day: spec.day,
    kind: "snapshot",
    format: spec.format,
    events: null,
    runs: spec.runs,
    files,
  };
  return { manifest, manifestPath: await writeManifest(spec.root, manifest) };
}
