/**
 * Text files of one line (record) per item — CSV, JSON Lines, Debezium events,
 * TPC-DI change rows — streamed to disk in chunks of about a megabyte, so
 * memory does not grow with the file.
 */
import { type RecordWriter, type StagedFile, StagingFile } from "./staging.ts";

export interface LineEncoding<T> {
  /** Written first, even when there are no records (a CSV header). */
  readonly header?: string;
  /** One record, line end included. */
  line(record: T): string;
}

const CHUNK_CHARS = 1 << 20;

export async function openLineFile<T>(
  path: string,
  encoding: LineEncoding<T>,
): Promise<RecordWriter<T>> {
  const file = await StagingFile.create(path);
  const encoder = new TextEncoder();
  let pending = encoding.header ?? "";
  let records = 0;

  async function flush(): Promise<void> {
    if (pending === "") return;
    const chunk = encoder.encode(pending);
    pending = "";
    await file.write(chunk);
  }

  return {
    async write(batch: Iterable<T>): Promise<void> {
      for (const record of batch) {
        pending += encoding.line(record);
        records++;
        if (pending.length >= CHUNK_CHARS) await flush();
      }
    },
    async finish(): Promise<StagedFile> {
      await flush();
      return await file.finish(records);
    },
    abort: () => file.abort(),
  };
}
