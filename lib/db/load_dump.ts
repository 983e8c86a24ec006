/** Loads a parsed pg_dump into the database, inside the caller's transaction. */
import type { DumpPart } from "../chinook/pg_dump.ts";
import type { Tx } from "./connect.ts";

const ROWS_PER_STATEMENT = 5000;

export async function loadDump(
  tx: Tx,
  parts: DumpPart[],
): Promise<{ tables: number; rows: number }> {
  let tables = 0;
  let rows = 0;
  for (const part of parts) {
    if (part.kind === "statement") {
      await tx.unsafe(part.text);
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
        SELECT ${columns} FROM json_populate_recordset(NULL::${table}, ${tx.json(objects)}::json)`;
      rows += objects.length;
    }
  }
  return { tables, rows };
}
