/**
 * Loads a parsed pg_dump into the database, inside the caller's transaction.
 * A failing statement is named (its number and first words), and the whole
 * load rolls back with the transaction.
 */
import { type DumpPart, excerpt } from "../chinook/pg_dump.ts";
import { ConfigError } from "../cli/errors.ts";
import type { Tx } from "./connect.ts";
import { copyInto, encodeCopyRow } from "./copy.ts";
import { databaseFailureReason } from "./failure.ts";

/** Rows per COPY statement (the embedded database holds each COPY whole). */
const ROWS_PER_STATEMENT = 25_000;

export async function loadDump(
  tx: Tx,
  parts: DumpPart[],
  origin: string,
): Promise<{ tables: number; rows: number }> {
  let tables = 0;
  let rows = 0;
  for (const [index, part] of parts.entries()) {
    const failed = (what: string) => (error: unknown) => {
      const reason = databaseFailureReason(error) ?? (error as Error).message;
      throw new ConfigError(
        `Cannot load Chinook from ${origin}: statement ${
          index + 1
        } at line ${part.line} (${what}) failed: ${reason}; nothing was written`,
        { cause: error },
      );
    };
    if (part.kind === "statement") {
      await tx.unsafe(part.text).catch(failed(excerpt(part.text)));
      continue;
    }
    tables++;
    const target = { schema: part.schema, table: part.table, columns: part.columns };
    for (let start = 0; start < part.rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = part.rows.slice(start, start + ROWS_PER_STATEMENT);
      // COPY's text format: each value through its column type's input, as the dump's own COPY.
      let text = "";
      for (const row of chunk) text += encodeCopyRow(part.columns.map((_, i) => row[i] ?? null));
      await copyInto(tx, target, [text]).catch(
        failed(`COPY ${part.schema}.${part.table}, rows ${start + 1}-${start + chunk.length}`),
      );
      rows += chunk.length;
    }
  }
  return { tables, rows };
}
