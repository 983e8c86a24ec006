/**
 * Loads a parsed pg_dump into the database, inside the caller's transaction.
 * A failing statement is named (its number and first words), and the whole
 * load rolls back with the transaction.
 */
import { type DumpPart, excerpt } from "../chinook/pg_dump.ts";
import { ConfigError } from "../cli/errors.ts";
import type { Tx } from "./connect.ts";
import { databaseFailureReason } from "./failure.ts";

const ROWS_PER_STATEMENT = 5000;

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
    const table = tx(`${part.schema}.${part.table}`);
    const columns = tx(part.columns);
    for (let start = 0; start < part.rows.length; start += ROWS_PER_STATEMENT) {
      const objects = part.rows.slice(start, start + ROWS_PER_STATEMENT).map((row) =>
        Object.fromEntries(part.columns.map((c, i) => [c, row[i] ?? null]))
      );
      // json_populate_recordset converts each text value to its column's type.
      await tx`
        INSERT INTO ${table} (${columns})
        SELECT ${columns} FROM json_populate_recordset(NULL::${table}, ${tx.json(objects)}::json)`
        .catch(
          failed(`COPY ${part.schema}.${part.table}, rows ${start + 1}-${start + objects.length}`),
        );
      rows += objects.length;
    }
  }
  return { tables, rows };
}
