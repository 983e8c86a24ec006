/**
 * Writes one Hive partition (a dataset's files for one day) as a unit: every
 * part is staged under a temporary name first; only when all are complete are
 * they renamed into place, and parts of an earlier export in the same format
 * that the new one no longer has are removed. A failure or a kill before that leaves the previous
 * files untouched (plus hidden `.part-*.tmp` files the next run sweeps away).
 */
import { join } from "node:path";
import { PART_FILE, partitionDir, partName, STAGED_PART_FILE } from "./layout.ts";
import { type RecordWriter, removeIfPresent, type StagedFile, writtenFile } from "./staging.ts";
import type { WrittenFile } from "./types.ts";

export const DEFAULT_RECORDS_PER_PART = 1_000_000;

export interface PartitionTarget {
  /** The export root directory. */
  readonly root: string;
  /** Table or stream name, the first level under the root. */
  readonly dataset: string;
  /** The partition day, YYYY-MM-DD. */
  readonly day: string;
  /** File extension without the dot: csv, jsonl, parquet, txt. */
  readonly extension: string;
  /** A new part starts after this many records (default 1,000,000). */
  readonly recordsPerPart?: number;
}

/** Removes the files of this format in the partition that `remove` selects; other formats stay. */
async function sweep(dir: string, extension: string, remove: (name: string) => boolean) {
  for await (const entry of Deno.readDir(dir)) {
    const name = entry.name;
    const ours = name.endsWith(`.${extension}`) || name.endsWith(`.${extension}.tmp`);
    if (entry.isFile && ours && remove(name)) await removeIfPresent(join(dir, name));
  }
}

/**
 * Writes the records (in batches, in their final order) into the partition's
 * parts and returns the files written, in part order, paths relative to the
 * root. A day without records still gets one (empty) part, so "nothing
 * changed" and "not exported" look different.
 */
export async function writePartition<T>(
  target: PartitionTarget,
  open: (path: string) => Promise<RecordWriter<T>>,
  batches: Iterable<Iterable<T>> | AsyncIterable<Iterable<T>>,
): Promise<WrittenFile[]> {
  const perPart = target.recordsPerPart ?? DEFAULT_RECORDS_PER_PART;
  if (!Number.isSafeInteger(perPart) || perPart < 1) {
    throw new RangeError(
      `Cannot split parts every ${perPart} records: expected a positive integer; the default is ${DEFAULT_RECORDS_PER_PART}`,
    );
  }
  const relativeDir = partitionDir(target.dataset, target.day);
  const dir = join(target.root, relativeDir);
  await Deno.mkdir(dir, { recursive: true });
  await sweep(dir, target.extension, (name) => STAGED_PART_FILE.test(name));

  const staged: StagedFile[] = [];
  const names: string[] = [];
  let current: RecordWriter<T> | null = null;
  let inPart = 0;

  async function startPart(): Promise<RecordWriter<T>> {
    const name = partName(names.length, target.extension);
    names.push(name);
    current = await open(join(dir, name));
    inPart = 0;
    return current;
  }
  async function endPart(): Promise<void> {
    if (!current) return;
    const writer = current;
    current = null;
    staged.push(await writer.finish());
  }

  try {
    for await (const batch of batches) {
      let slice: T[] = [];
      for (const record of batch) {
        if (!current) await startPart();
        slice.push(record);
        if (inPart + slice.length >= perPart) {
          await current!.write(slice);
          slice = [];
          await endPart();
        }
      }
      if (slice.length > 0) {
        inPart += slice.length;
        await current!.write(slice);
      }
    }
    if (names.length === 0) await startPart();
    await endPart();
  } catch (error) {
    const unfinished = current as RecordWriter<T> | null;
    await unfinished?.abort();
    for (const file of staged) await file.discard();
    throw error;
  }

  for (const file of staged) await file.publish();
  const keep = new Set(names);
  await sweep(dir, target.extension, (name) => PART_FILE.test(name) && !keep.has(name));
  return staged.map((file, i) => writtenFile(file, `${relativeDir}/${names[i]}`));
}
