/**
 * setup --cdc: audit columns with a trigger for updated_at, REPLICA IDENTITY
 * FULL where deletes must carry the old row, and a publication of the sales
 * tables. What was added is recorded, so --undo removes exactly that.
 */
import cdcSql from "../../sql/cdc.sql" with { type: "text" };
import cdcTouchSql from "../../sql/cdc_touch.sql" with { type: "text" };
import cdcUndoSql from "../../sql/cdc_undo.sql" with { type: "text" };
import { logger } from "../cli/output.ts";
import type { Sql, Tx } from "./connect.ts";
import { nameIn, type Variant } from "../chinook/schema.ts";
import { deleteMeta, readMeta, takeSimLock, writeMeta } from "./ledger.ts";

export const PUBLICATION = "chinook_sim_sales";
const TABLES = ["Invoice", "InvoiceLine", "Customer"] as const;
const COLUMNS = ["created_at", "updated_at"] as const;

export interface CdcState {
  /** "Table.column" pairs that --cdc added (not those that existed before). */
  addedColumns: string[];
  publication: boolean;
}

async function existingColumns(tx: Tx, variant: Variant): Promise<Set<string>> {
  const rows = await tx<{ table_name: string; column_name: string }[]>`
    SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND column_name IN ('created_at', 'updated_at')
       AND table_name IN ${tx(TABLES.map((t) => nameIn(variant, t)))}`;
  return new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
}

export async function enableCdc(
  sql: Sql,
  variant: Variant,
  lockTimeoutMs: number,
): Promise<CdcState> {
  const log = logger("cdc");
  const state = await sql.begin(async (tx) => {
    await takeSimLock(tx, lockTimeoutMs);
    const previous = await readMeta<CdcState>(tx, "cdc");
    const before = await existingColumns(tx, variant);
    await tx.unsafe(cdcTouchSql);
    await tx.unsafe(cdcSql);
    const added = TABLES.flatMap((t) => COLUMNS.map((c) => `${nameIn(variant, t)}.${c}`))
      .filter((column) => !before.has(column));
    return {
      addedColumns: [...new Set([...(previous?.addedColumns ?? []), ...added])],
      publication: previous?.publication ?? false,
    };
  });
  // A publication needs logical replication support; the embedded database may lack it.
  try {
    const [exists] = await sql<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM pg_publication WHERE pubname = ${PUBLICATION}`;
    if (!exists?.n) {
      await sql.unsafe(
        `CREATE PUBLICATION ${PUBLICATION} FOR TABLE public."Invoice", public."InvoiceLine", public."Customer"`,
      );
      state.publication = true;
    }
  } catch (error) {
    log.warn("No publication created ({reason}): audit columns and triggers are in place", {
      reason: (error as Error).message,
    });
  }
  await writeMeta(sql, "cdc", state);
  await warnUnlessLogical(sql);
  return state;
}

/** Logical decoding (a CDC tool's replication slot) needs wal_level = logical. */
async function warnUnlessLogical(sql: Sql): Promise<void> {
  let level: string | undefined;
  try {
    [{ wal_level: level } = { wal_level: undefined }] = await sql<{ wal_level: string }[]>`
      SHOW wal_level`;
  } catch (error) {
    logger("cdc").warn("Could not read wal_level ({reason})", {
      reason: (error as Error).message,
    });
    return;
  }
  if (level !== "logical") {
    logger("cdc").warn(
      "wal_level is {level}, not logical: a CDC tool cannot stream changes until the server runs " +
        "with wal_level = logical (ALTER SYSTEM SET wal_level = logical, then restart it)",
      { level: level ?? "unknown" },
    );
  }
}

/**
 * Before a rewind restores rows: the audit trigger (if --cdc added it) lets
 * restored rows keep their updated_at. Re-created, as a database set up by an
 * earlier release may have the function without that rule.
 */
export async function keepUpdatedAtWhileRestoring(tx: Tx): Promise<void> {
  if (await readMeta<CdcState>(tx, "cdc")) await tx.unsafe(cdcTouchSql);
  await tx`SELECT set_config('chinook_sim.restoring', 'on', true)`;
}

export async function disableCdc(sql: Sql, lockTimeoutMs: number): Promise<CdcState | null> {
  return await sql.begin(async (tx) => {
    await takeSimLock(tx, lockTimeoutMs);
    const state = await readMeta<CdcState>(tx, "cdc");
    if (!state) return null;
    await tx.unsafe(cdcUndoSql);
    for (const column of state.addedColumns) {
      const [table, name] = column.split(".") as [string, string];
      // Only names this module writes to the record, checked again before use.
      if (!/^[A-Za-z_]+$/.test(table) || !(COLUMNS as readonly string[]).includes(name)) continue;
      await tx.unsafe(`ALTER TABLE public."${table}" DROP COLUMN IF EXISTS ${name}`);
    }
    if (state.publication) await tx.unsafe(`DROP PUBLICATION IF EXISTS ${PUBLICATION}`);
    await deleteMeta(tx, "cdc");
    return state;
  });
}
