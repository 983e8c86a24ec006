/**
 * Files are written under a hidden temporary name beside their destination,
 * synced, and only then renamed into place: a reader (or a crash) never sees
 * half a file, and a re-export replaces a file whole. The temporary name is
 * fixed (`.<name>.tmp`), so whatever a killed process left behind is simply
 * overwritten or swept by the next export of the same partition.
 */
import { createHash, type Hash } from "node:crypto";
import { basename, dirname, join } from "node:path";
import type { WrittenFile } from "./types.ts";

/** The temporary name of a destination path. */
export function stagingPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp`);
}

/** A file written completely under its temporary name, ready to be put in place. */
export interface StagedFile {
  readonly path: string;
  readonly records: number;
  readonly bytes: number;
  readonly sha256: string;
  /** Renames it over the destination (atomic on one file system). */
  publish(): Promise<void>;
  /** Removes the temporary file. */
  discard(): Promise<void>;
}

/** Writes records of type T into one file. */
export interface RecordWriter<T> {
  /** Appends records in order; resolves once they are encoded (and written, when a buffer fills). */
  write(records: Iterable<T>): Promise<void>;
  /** Completes the file under its temporary name: flushed, synced, closed. */
  finish(): Promise<StagedFile>;
  /** Stops and removes the temporary file; the destination is untouched. */
  abort(): Promise<void>;
}

/** The byte stream of one file being staged: counts, hashes, writes everything it is given. */
export class StagingFile {
  #file: Deno.FsFile | null;
  #hash: Hash = createHash("sha256");
  #bytes = 0;

  private constructor(readonly path: string, readonly temporary: string, file: Deno.FsFile) {
    this.#file = file;
  }

  static async create(path: string): Promise<StagingFile> {
    await Deno.mkdir(dirname(path), { recursive: true });
    const temporary = stagingPath(path);
    const file = await Deno.open(temporary, { write: true, create: true, truncate: true });
    return new StagingFile(path, temporary, file);
  }

  get bytes(): number {
    return this.#bytes;
  }

  async write(chunk: Uint8Array): Promise<void> {
    const file = this.#file;
    if (!file) throw new Error(`Cannot write "${this.path}": the file is already finished`);
    this.#hash.update(chunk);
    this.#bytes += chunk.length;
    for (let done = 0; done < chunk.length;) done += await file.write(chunk.subarray(done));
  }

  async finish(records: number): Promise<StagedFile> {
    const file = this.#file;
    if (!file) throw new Error(`Cannot finish "${this.path}": it is already finished`);
    await file.sync();
    file.close();
    this.#file = null;
    const { path, temporary } = this;
    return {
      path,
      records,
      bytes: this.#bytes,
      sha256: this.#hash.digest("hex"),
      publish: () => Deno.rename(temporary, path),
      discard: () => removeIfPresent(temporary),
    };
  }

  async abort(): Promise<void> {
    this.#file?.close();
    this.#file = null;
    await removeIfPresent(this.temporary);
  }
}

export async function removeIfPresent(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/** What a manifest says of a published file, its path relative to the export root. */
export function writtenFile(staged: StagedFile, relativePath: string): WrittenFile {
  return {
    path: relativePath,
    records: staged.records,
    bytes: staged.bytes,
    sha256: staged.sha256,
  };
}
