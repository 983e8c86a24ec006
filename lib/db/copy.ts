/**
 * COPY … FROM STDIN (text format) through postgres.js: rows are streamed in
 * one statement instead of one INSERT per chunk, so the server does no SQL
 * parsing, planning or array unnesting per row. The caller produces the text
 * (encodeCopyRow / encodeCopyValue) in chunks; each chunk is written as it
 * comes and backpressure is honoured, so a chunk generator that is still
 * working overlaps with the server's load of the previous chunk.
 *
 * The embedded database takes COPY FROM STDIN too (wire_server.ts hands it to
 * PGlite whole), but holds one COPY in memory: callers bound what they send
 * per call there.
 */
import type { Writable } from "node:stream";
import { logger } from "../cli/output.ts";
import type { Tx } from "./connect.ts";

const log = logger("db", "statement");

/** A value of a text-format COPY row: null is SQL NULL. */
export type CopyValue = string | number | bigint | boolean | null;

/** One value in COPY's text format: backslash, tab, newline and carriage return escaped. */
export function encodeCopyValue(value: CopyValue): string {
  if (value === null) return "\\N";
  if (typeof value !== "string") return String(value);
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (c) => ESCAPES[c]!) : value;
}

/** One row of COPY's text format, newline included. */
export function encodeCopyRow(values: readonly CopyValue[]): string {
  let row = "";
  for (let i = 0; i < values.length; i++) {
    row += (i === 0 ? "" : "\t") + encodeCopyValue(values[i]!);
  }
  return row + "\n";
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/**
 * Streams `chunks` (each whole rows of text-format COPY) into `schema.table`
 * (`columns` in the order of each row's values). Resolves when the server has
 * taken every row; a bad row (a constraint, a type) rejects with the
 * server's error, and the statement (hence the transaction) fails.
 */
export async function copyInto(
  tx: Tx,
  target: { schema: string; table: string; columns: readonly string[] },
  chunks: Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  // As text with quoted identifiers: the variant translation (variant.ts) maps Chinook's names.
  const text = `COPY ${quoted(target.schema)}.${quoted(target.table)} (${
    target.columns.map(quoted).join(", ")
  }) FROM STDIN`;
  const started = performance.now();
  const query = tx.unsafe(text);
  // postgres.js (3.4.x) settles the query with the stream when the COPY starts, so an error the
  // server reports after the last row (a foreign key, a duplicate key) reaches only the query's own
  // reject: it is caught here, or the COPY would wait for a 'finish' that never comes.
  const failed = new Promise<never>((_, reject) => {
    const pending = query as unknown as { reject(error: unknown): void };
    const reject0 = pending.reject;
    pending.reject = (error) => {
      reject(error);
      reject0(error);
    };
  });
  failed.catch(() => {});
  const stream: Writable = await query.writable();
  const finished = new Promise<void>((resolve, reject) => {
    stream.once("finish", resolve);
    stream.once("error", reject);
  });
  finished.catch(() => {});
  const settled = Promise.race([finished, failed]);
  let characters = 0;
  try {
    for await (const chunk of chunks) {
      if (chunk.length === 0) continue;
      characters += chunk.length;
      if (!stream.write(chunk)) await Promise.race([drained(stream), failed]);
    }
  } catch (error) {
    // The generator (or the server) failed: CopyFail makes the server drop the COPY.
    if (!stream.destroyed) stream.destroy(error as Error);
    await settled.catch(() => {});
    throw error;
  }
  stream.end();
  await settled;
  // LOG_LEVEL=debug: the statement's trace line times its start only; this is the whole COPY.
  if (log.isEnabledFor("debug")) {
    const ms = Math.round((performance.now() - started) * 10) / 10;
    log.debug("{ms} ms, {characters} characters copied: {statement}", {
      ms,
      characters,
      statement: text,
    });
  }
}

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function drained(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stream.off("error", onError);
      resolve();
    };
    const onError = (error: Error) => {
      stream.off("drain", onDrain);
      reject(error);
    };
    stream.once("drain", onDrain);
    stream.once("error", onError);
  });
}
