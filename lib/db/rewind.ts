/**
 * rewind --to DAY: returns the database to exactly its state after DAY, in
 * ONE transaction. Runs are undone newest first, each statement of a run in
 * reverse: inserted rows are deleted, updated rows get their before-image
 * back, deleted rows are inserted again from it. The rewound runs keep their
 * records (marked rewound); their days leave the ledger and can be simulated
 * again. Ids are not reissued: the counters stay where they are.
 */
import { UsageError } from "../cli/errors.ts";
import { CHANGED_TABLES, type ChangedTable, type RunStatement } from "./change_log.ts";
import { keepUpdatedAtWhileRestoring } from "./cdc.ts";
import type { Sql, Tx } from "./connect.ts";
import { historyInfo, refreshLedger, takeSimLock } from "./ledger.ts";
import { forgetLiveDays } from "./live.ts";
import { forgetRecency } from "./recency.ts";
import { removeWebRuns } from "./web.ts";

export interface RewoundRun {
  runId: number;
  day: string;
  runNumber: number;
  seed: string;
  inserts: number;
  updates: number;
  deletes: number;
  newCustomers: number;
  customerChanges: number;
  events: number;
}

export interface RewindResult {
  to: string;
  dryRun: boolean;
  /** Newest first, as undone. */
  runs: RewoundRun[];
  /** Days that leave the ledger (every committed run undone): they can be simulated again. */
  days: string[];
  /** Days up to `to` with a run undone because it was committed after a later day's. */
  earlierDays: string[];
  /** Rows inserted by the runs (deleted now, unless a later change removed them) and rows restored from before-images. */
  removedRows: number;
  restoredRows: number;
}

interface RunToUndo extends RewoundRun {
  statements: RunStatement[];
  beforeImages: boolean;
}

export async function rewind(
  sql: Sql,
  options: { to: string; dryRun: boolean; lockTimeoutMs: number },
): Promise<RewindResult> {
  let result: RewindResult | undefined;
  try {
    await sql.begin(async (tx) => {
      await takeSimLock(tx, options.lockTimeoutMs);
      result = await rewindInTransaction(tx, options.to, options.dryRun);
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  return result!;
}

class DryRunRollback extends Error {}

async function rewindInTransaction(tx: Tx, to: string, dryRun: boolean): Promise<RewindResult> {
  const history = await historyInfo(tx);
  if (history && to < history.lastHistoryDay) {
    throw new UsageError(
      `Cannot rewind to ${to}: the historical data runs to ${history.lastHistoryDay}; "rewind --to ${history.lastHistoryDay}" undoes every simulated day`,
    );
  }
  const runs = await runsToUndo(tx, to);
  const legacy = runs.find((r) => !r.beforeImages);
  if (legacy) {
    throw new UsageError(
      `Cannot rewind to ${to}: run ${legacy.runNumber} of ${legacy.day} was written by an earlier chinook-sim that kept no before-images; rewind to ${legacy.day} or later`,
    );
  }
  await refuseChangedColumns(tx, runs);
  const days = [...new Set(runs.map((r) => r.day))].sort();
  // A day leaves the ledger when every committed run of it is undone.
  const ledger = await tx<{ day: string; runs: number }[]>`
    SELECT sim_date::text AS day, runs FROM chinook_sim.ledger WHERE sim_date = ANY(${days}::date[])`;
  const leaving = ledger.filter((d) => runs.filter((r) => r.day === d.day).length >= d.runs)
    .map((d) => d.day).sort();
  let removedRows = 0;
  let restoredRows = 0;
  for (const run of runs) {
    for (const s of run.statements) {
      if (s.op === "insert") removedRows += s.rows;
      else restoredRows += s.rows;
    }
  }
  if (!dryRun && runs.length > 0) {
    await keepUpdatedAtWhileRestoring(tx);
    const columns = await restorableColumns(tx);
    for (const run of runs) {
      for (const statement of [...run.statements].reverse()) {
        await undo(tx, statement, columns[statement.table]);
      }
    }
    // The runs' clickstream (setup --web) goes with them.
    await removeWebRuns(tx, runs.map((r) => r.runId));
    await tx`
      UPDATE chinook_sim.run SET state = 'rewound', rewound_at = clock_timestamp()
       WHERE run_id = ANY(${runs.map((r) => r.runId)}::bigint[])`;
    await forgetLiveDays(tx, runs.map((r) => r.runId));
    // The stored recency of the rewound days (and any after them) held their invoices.
    await forgetRecency(tx, days[0]!);
    await refreshLedger(tx, days);
  }
  return {
    to,
    dryRun,
    runs: runs.map(({ statements: _, beforeImages: __, ...run }) => run),
    days: leaving,
    earlierDays: days.filter((d) => d <= to),
    removedRows,
    restoredRows,
  };
}

/**
 * The committed runs to undo, newest first: every run committed since the
 * first run of a day after `to` (a run of an earlier day committed after it
 * is undone too: its rows may depend on that day's).
 */
async function runsToUndo(tx: Tx, to: string): Promise<RunToUndo[]> {
  const rows = await tx<
    {
      run_id: string;
      day: string;
      run_number: number;
      seed: string;
      inserts: number;
      updates: number;
      deletes: number;
      new_customers: number;
      customer_changes: number;
      events: string;
      statements: RunStatement[];
      before_images: boolean;
    }[]
  >`
    SELECT run_id, sim_date::text AS day, run_number, seed, inserts, updates, deletes,
           new_customers, customer_changes, events, statements, before_images
      FROM chinook_sim.run
     WHERE state = 'committed'
       AND run_id >= (SELECT min(run_id) FROM chinook_sim.run
                       WHERE state = 'committed' AND sim_date > ${to}::date)
     ORDER BY run_id DESC`;
  // bigint columns arrive as text.
  return rows.map((r) => ({
    runId: Number(r.run_id),
    day: r.day,
    runNumber: r.run_number,
    seed: r.seed,
    inserts: r.inserts,
    updates: r.updates,
    deletes: r.deletes,
    newCustomers: r.new_customers,
    customerChanges: r.customer_changes,
    events: Number(r.events),
    statements: r.statements,
    beforeImages: r.before_images,
  }));
}

/**
 * Each table's columns now, in order (the key first), as identifiers. Each
 * table is named by its row type, so the variant translation sees it.
 */
async function restorableColumns(tx: Tx): Promise<Record<ChangedTable, string[]>> {
  const rows = await tx<{ name: ChangedTable; columns: string[] }[]>`
    SELECT t.name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
      FROM (VALUES ('Invoice', pg_typeof(NULL::public."Invoice")::oid),
                   ('InvoiceLine', pg_typeof(NULL::public."InvoiceLine")::oid),
                   ('Customer', pg_typeof(NULL::public."Customer")::oid)) AS t(name, row_type)
      JOIN pg_type ty ON ty.oid = t.row_type
      JOIN pg_attribute a ON a.attrelid = ty.typrelid AND a.attnum > 0 AND NOT a.attisdropped
     GROUP BY t.name`;
  return Object.fromEntries(rows.map((r) => [r.name, r.columns])) as Record<
    ChangedTable,
    string[]
  >;
}

/** A before-image without a column the table has now (added since, e.g. by setup --cdc) cannot be restored exactly. */
async function refuseChangedColumns(tx: Tx, runs: RunToUndo[]): Promise<void> {
  if (runs.length === 0) return;
  const columns = await restorableColumns(tx);
  for (const table of Object.keys(columns) as ChangedTable[]) {
    const [row] = await tx<{ day: string; run_number: number }[]>`
      SELECT r.sim_date::text AS day, r.run_number FROM chinook_sim.change c
        JOIN chinook_sim.run r USING (run_id)
       WHERE c.run_id = ANY(${runs.map((r) => r.runId)}::bigint[]) AND c.table_name = ${table}
         AND NOT (c.before ?& ${columns[table]}::text[])
       ORDER BY c.change_id LIMIT 1`;
    if (row) {
      throw new UsageError(
        `Cannot rewind past run ${row.run_number} of ${row.day}: ${table} has columns now that it did not have then (setup --cdc?), so its rows cannot be restored exactly; undo that first ("chinook-sim setup --cdc --undo")`,
      );
    }
  }
}

/**
 * Undoes one statement of a run: an insert's rows are deleted by id range;
 * an update's rows get their before-image back (every column but the key,
 * which never changes and, as an identity, cannot be set); a delete's rows
 * are inserted again from it.
 */
async function undo(tx: Tx, s: RunStatement, columns: string[]): Promise<void> {
  const { name, key } = CHANGED_TABLES[s.table](tx);
  if (s.op === "insert") {
    await tx`DELETE FROM ${name} WHERE ${key} BETWEEN ${s.firstId!} AND ${s.firstId! + s.rows - 1}`;
    return;
  }
  const first = s.firstChangeId!;
  const last = first + s.rows - 1;
  const restored = tx(columns.slice(1));
  const done = s.op === "update"
    ? await tx`
        UPDATE ${name} t SET (${restored}) = (
          SELECT ${restored} FROM jsonb_populate_record(NULL::${name}, c.before))
          FROM chinook_sim.change c
         WHERE c.change_id BETWEEN ${first} AND ${last} AND t.${key} = c.row_id`
    : await tx`
        INSERT INTO ${name} OVERRIDING SYSTEM VALUE
        SELECT r.* FROM chinook_sim.change c, jsonb_populate_record(NULL::${name}, c.before) r
         WHERE c.change_id BETWEEN ${first} AND ${last} ORDER BY c.change_id`;
  if (done.count !== s.rows) {
    throw new Error(
      `Cannot rewind: ${s.rows} ${s.table} rows of changes ${first}-${last} were expected, ${done.count} found; the table was changed outside chinook-sim`,
    );
  }
}
