/**
 * What the exporter reads: the committed runs of days, their row changes in
 * commit order with complete images, and whole tables as they were after a
 * run. Everything comes from the change log (chinook_sim.run statements and
 * chinook_sim.change before-images) and the tables: the after-image of a
 * change is the before-image of the row's next change by a committed run,
 * else the row as it is now, so a day exports the same rows whatever later
 * days did. Rows are read in batches (keyset), never a whole table at once.
 */
import { UsageError } from "../cli/errors.ts";
import { daysInRange } from "../sim/calendar.ts";
import type { ChangeRecord, ColumnSchema, Row, TableSchema, Value } from "../export/types.ts";
import type { RunStatement } from "./change_log.ts";
import type { Sql, Tx } from "./connect.ts";

/** Rows per query: bounded memory whatever the size of the day. */
export const READ_BATCH = 10_000;

/** A committed run as the exporter needs it. */
export interface ExportRun {
  runId: number;
  day: string;
  runNumber: number;
  txId: number;
  /** Its commit time (the run record's last statement), timestamptz text in UTC. */
  committedAt: string;
  sequenceBase: number;
  events: number;
  statements: RunStatement[];
}

/**
 * The committed runs of every day from `from` to `to`, by day, in commit
 * (run id) order. A day without committed runs, or with runs whose changes
 * were not logged (recorded by the first release), is refused.
 */
export async function committedRuns(
  sql: Sql | Tx,
  from: string,
  to: string,
): Promise<Map<string, ExportRun[]>> {
  const rows = await sql<
    {
      run_id: string;
      day: string;
      run_number: number;
      txid: string | null;
      committed_at: string;
      sequence_base: string;
      events: string;
      statements: RunStatement[];
      before_images: boolean;
    }[]
  >`
    SELECT run_id::text, sim_date::text AS day, run_number, txid::text,
           to_char(committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' AS committed_at,
           sequence_base::text, events::text, statements, before_images
      FROM chinook_sim.run
     WHERE sim_date BETWEEN ${from}::date AND ${to}::date AND state = 'committed'
     ORDER BY run_id`;
  const byDay = new Map<string, ExportRun[]>(daysInRange(from, to).map((d) => [d, []]));
  for (const row of rows) {
    if (!row.before_images || row.txid === null) {
      throw new UsageError(
        `Cannot export ${row.day}: its run ${row.run_number} was recorded by an earlier chinook-sim that did not log its row changes; export days simulated since`,
      );
    }
    byDay.get(row.day)!.push({
      runId: Number(row.run_id),
      day: row.day,
      runNumber: row.run_number,
      txId: Number(row.txid),
      committedAt: row.committed_at,
      sequenceBase: Number(row.sequence_base),
      events: Number(row.events),
      statements: row.statements,
    });
  }
  const missing = [...byDay].filter(([, runs]) => runs.length === 0).map(([day]) => day);
  if (missing.length > 0) {
    const shown = missing.length > 3
      ? `${missing.slice(0, 3).join(", ")} and ${missing.length - 3} more`
      : missing.join(", ");
    throw new UsageError(
      `Cannot export ${shown}: not committed (not in the ledger); simulate ${
        missing.length > 1 ? "them" : "it"
      } first, or export only simulated days ("chinook-sim status" lists them)`,
    );
  }
  return byDay;
}

/** The event sequence before a run's first change: what a stream of its day continues from. */
export function previousSequence(runs: readonly ExportRun[]): number | null {
  const first = runs[0];
  return first && first.sequenceBase > 0 ? first.sequenceBase : null;
}

// ---------------------------------------------------------------------------
// SQL built from export schemas. Names are written as quoted identifiers, so
// the variant translation maps Chinook's; values come back under positional
// aliases (c0, c1…), which no variant touches.

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function tableName(table: TableSchema): string {
  return `${quoted(table.schema)}.${quoted(table.name)}`;
}

/** One column of the record `alias` in the export contract's form (see export/types.ts). */
function columnExpression(alias: string, column: ColumnSchema): string {
  const ref = `${alias}.${quoted(column.name)}`;
  const type = column.type;
  switch (type.kind) {
    case "int":
    case "text":
      return ref;
    case "bigint":
      return `${ref}::text`;
    case "decimal":
      // The unscaled integer: exact, the column holds no more digits than its scale.
      return `(${ref} * 1${"0".repeat(type.scale)})::numeric(${
        Math.max(type.precision, 1)
      },0)::text`;
    case "timestamp":
      return `to_char(${ref}, 'YYYY-MM-DD HH24:MI:SS.US')`;
    case "timestamptz":
      return `to_char(${ref} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'`;
  }
}

function selectColumns(table: TableSchema, alias: string, prefix: string): string {
  return table.columns.map((c, i) => `${columnExpression(alias, c)} AS ${prefix}${i}`).join(", ");
}

function toValue(column: ColumnSchema, raw: unknown): Value {
  if (raw === null || raw === undefined) return null;
  switch (column.type.kind) {
    case "bigint":
    case "decimal": {
      const n = Number(raw);
      return Number.isSafeInteger(n) ? n : BigInt(raw as string);
    }
    default:
      return raw as Value;
  }
}

/**
 * A row as it was after a change: the before-image of its next change
 * (`later.before`, expanded as record `r`) when there is one, else the row
 * now (`cur`). Read straight from `cur` in the common case: no JSON round trip.
 */
function imageColumns(table: TableSchema, prefix: string): string {
  return table.columns.map((c, i) =>
    `CASE WHEN later.before IS NULL THEN ${columnExpression("cur", c)} ELSE ${
      columnExpression("r", c)
    } END AS ${prefix}${i}`
  ).join(", ");
}

/** Joins `later` (see laterChange) and its expansion `r`. */
function laterRecord(table: TableSchema): string {
  return `LEFT JOIN LATERAL jsonb_populate_record(NULL::${
    tableName(table)
  }, later.before) r ON later.before IS NOT NULL`;
}

function rowFrom(table: TableSchema, record: Record<string, unknown>, prefix: string): Row {
  const row: Record<string, Value> = {};
  table.columns.forEach((column, i) => {
    row[column.name] = toValue(column, record[`${prefix}${i}`]);
  });
  return row;
}

function keyColumn(table: TableSchema): string {
  if (table.primaryKey.length !== 1) {
    throw new RangeError(`Cannot read changes of ${table.name}: its key must be one column`);
  }
  return table.primaryKey[0]!;
}

/**
 * The first change a committed run made to the row `idRef` of the table named
 * by `tableRef` after change `afterChange`.
 */
function laterChange(tableRef: string, idRef: string, afterChange: string): string {
  return `SELECT n.before FROM chinook_sim.change n JOIN chinook_sim.run k ON k.run_id = n.run_id
     WHERE n.table_name = ${tableRef} AND n.row_id = ${idRef} AND n.change_id > ${afterChange}
       AND k.state = 'committed' AND n.before IS NOT NULL
     ORDER BY n.change_id LIMIT 1`;
}

function gone(table: TableSchema, id: unknown, run: ExportRun): Error {
  return new Error(
    `Cannot export ${table.name} ${id} of run ${run.runNumber} of ${run.day}: the row is gone and no logged change says what it was; was it deleted outside chinook-sim?`,
  );
}

/** Rows of one INSERT statement, ids `first` to `last`, as they were right after it. */
async function insertedRows(
  sql: Sql | Tx,
  table: TableSchema,
  first: number,
  last: number,
): Promise<Array<{ id: number; row: Row | null }>> {
  const key = quoted(keyColumn(table));
  const rows = await sql.unsafe<Record<string, unknown>[]>(
    `SELECT g.id, later.before IS NULL AND cur.${key} IS NULL AS missing, ${
      imageColumns(table, "c")
    }
       FROM generate_series($1::int, $2::int) AS g(id)
       -- Ranges, not a probe per row: an index range scan whatever the table's size.
       LEFT JOIN ${tableName(table)} cur ON cur.${key} = g.id AND cur.${key} BETWEEN $1 AND $2
       LEFT JOIN (
         SELECT DISTINCT ON (n.row_id) n.row_id, n.before
           FROM chinook_sim.change n JOIN chinook_sim.run k ON k.run_id = n.run_id
          WHERE n.table_name = $3::text AND n.row_id BETWEEN $1 AND $2
            AND k.state = 'committed' AND n.before IS NOT NULL
          ORDER BY n.row_id, n.change_id) later ON later.row_id = g.id
       ${laterRecord(table)}
      ORDER BY g.id`,
    [first, last, table.name],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    row: r.missing ? null : rowFrom(table, r, "c"),
  }));
}

/** Change rows `first` to `last` (change ids) of one UPDATE or DELETE statement. */
async function changedRows(
  sql: Sql | Tx,
  table: TableSchema,
  first: number,
  last: number,
): Promise<Array<{ id: number; sequence: number; before: Row; after: Row | null }>> {
  const key = quoted(keyColumn(table));
  const rows = await sql.unsafe<Record<string, unknown>[]>(
    `SELECT c.row_id, c.sequence::text AS sequence, c.op,
            later.before IS NULL AND cur.${key} IS NULL AS missing,
            ${selectColumns(table, "b", "b")}, ${imageColumns(table, "a")}
       FROM chinook_sim.change c
       CROSS JOIN LATERAL jsonb_populate_record(NULL::${tableName(table)}, c.before) b
       LEFT JOIN ${tableName(table)} cur ON c.op = 'update' AND cur.${key} = c.row_id
       LEFT JOIN LATERAL (${
      laterChange("c.table_name", "c.row_id", "c.change_id")
    }) later ON c.op = 'update'
       ${laterRecord(table)}
      WHERE c.change_id BETWEEN $1::bigint AND $2::bigint
      ORDER BY c.change_id`,
    [first, last],
  );
  return rows.map((r) => ({
    id: Number(r.row_id),
    sequence: Number(r.sequence),
    before: rowFrom(table, r, "b"),
    after: r.op === "delete" ? null : r.missing ? null : rowFrom(table, r, "a"),
  }));
}

/**
 * The row changes of `runs` (in commit order) to `tables`, in batches, in
 * event-sequence order; `tables` is also how a change's table is found.
 */
export async function* runChanges(
  sql: Sql | Tx,
  runs: readonly ExportRun[],
  tables: ReadonlyMap<string, TableSchema>,
): AsyncGenerator<ChangeRecord[]> {
  // One batch is read ahead while the previous one is written: the database
  // and the encoder work at the same time, and memory holds two batches.
  let pending: Promise<ChangeRecord[]> | null = null;
  for (const read of batchReads(sql, runs, tables)) {
    const next = read();
    // A failure of a batch read ahead surfaces when it is awaited.
    next.catch(() => {});
    if (pending) yield await pending;
    pending = next;
  }
  if (pending) yield await pending;
}

/** The reads of `runChanges`, batch by batch, in event order. */
function* batchReads(
  sql: Sql | Tx,
  runs: readonly ExportRun[],
  tables: ReadonlyMap<string, TableSchema>,
): Generator<() => Promise<ChangeRecord[]>> {
  for (const run of runs) {
    for (const statement of run.statements) {
      const table = tables.get(statement.table);
      if (!table) continue;
      const keyName = keyColumn(table);
      const common = { table: table.name, commitTs: run.committedAt, txId: run.txId };
      for (let offset = 0; offset < statement.rows; offset += READ_BATCH) {
        const count = Math.min(READ_BATCH, statement.rows - offset);
        if (statement.op === "insert") {
          const first = statement.firstId! + offset;
          yield async () =>
            (await insertedRows(sql, table, first, first + count - 1)).map(({ id, row }, i) => {
              if (row === null) throw gone(table, id, run);
              return {
                ...common,
                op: "c",
                key: { [keyName]: id },
                before: null,
                after: row,
                sequence: statement.firstSequence + offset + i,
              };
            });
        } else {
          const first = statement.firstChangeId! + offset;
          const op = statement.op === "delete" ? "d" : "u";
          yield async () =>
            (await changedRows(sql, table, first, first + count - 1)).map(
              ({ id, sequence, before, after }, i) => {
                if (op === "u" && after === null) throw gone(table, id, run);
                return {
                  ...common,
                  op,
                  key: { [keyName]: id },
                  before,
                  after,
                  sequence: Number.isSafeInteger(sequence) && sequence > 0
                    ? sequence
                    : statement.firstSequence + offset + i,
                };
              },
            );
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Whole tables, for the initial extract.

/** Id ranges a committed run after `runId` inserted into `table`. */
async function insertedAfter(
  sql: Sql | Tx,
  table: string,
  runId: number,
): Promise<{ firsts: number[]; lasts: number[] }> {
  const rows = await sql<{ first: number; last: number }[]>`
    SELECT (s->>'firstId')::int AS first, (s->>'firstId')::int + (s->>'rows')::int - 1 AS last
      FROM chinook_sim.run k, jsonb_array_elements(k.statements) s
     WHERE k.run_id > ${runId} AND k.state = 'committed'
       AND s->>'table' = ${table} AND s->>'op' = 'insert'`;
  return { firsts: rows.map((r) => r.first), lasts: rows.map((r) => r.last) };
}

/**
 * Every row of `table` as it was right after run `asOfRunId` committed, in
 * key order, in batches. `changed`: the table is in the change log (its
 * rows are taken back to that point); other tables are read as they are.
 */
export async function* tableRows(
  sql: Sql | Tx,
  table: TableSchema,
  asOfRunId: number,
  changed: boolean,
): AsyncGenerator<Row[]> {
  const keys = table.primaryKey.map(quoted);
  if (!changed) {
    let after: unknown[] | null = null;
    for (;;) {
      const where = after === null
        ? ""
        : `WHERE (${keys.map((k) => `t.${k}`).join(", ")}) > (${
          keys.map((_, i) => `$${i + 1}`).join(", ")
        })`;
      const rows: Record<string, unknown>[] = await sql.unsafe(
        `SELECT ${keys.map((k, i) => `t.${k} AS k${i}`).join(", ")}, ${
          selectColumns(table, "t", "c")
        }
           FROM ${tableName(table)} t ${where}
          ORDER BY ${keys.map((k) => `t.${k}`).join(", ")} LIMIT ${READ_BATCH}`,
        (after ?? []) as never[],
      );
      if (rows.length === 0) return;
      yield rows.map((r) => rowFrom(table, r, "c"));
      const last = rows[rows.length - 1]!;
      after = keys.map((_, i) => last[`k${i}`]);
      if (rows.length < READ_BATCH) return;
    }
  }
  const key = quoted(keyColumn(table));
  const { firsts, lasts } = await insertedAfter(sql, table.name, asOfRunId);
  // Windows of keys, not pages of rows: each query is an index range scan
  // however large the table, and ids that are gone (deleted since, or never
  // kept) only make a window thinner.
  const [bounds] = await sql.unsafe<{ low: number | null; high: number | null }[]>(
    `SELECT least((SELECT min(t.${key}) FROM ${tableName(table)} t), d.low) AS low,
            greatest((SELECT max(t.${key}) FROM ${tableName(table)} t), d.high) AS high
       FROM (SELECT min(c.row_id) AS low, max(c.row_id) AS high FROM chinook_sim.change c
              WHERE c.table_name = $1::text AND c.op = 'delete' AND c.run_id > $2) d`,
    [table.name, asOfRunId] as never[],
  );
  if (!bounds || bounds.low === null || bounds.high === null) return;
  for (let low = bounds.low; low <= bounds.high; low += READ_BATCH) {
    const high = Math.min(low + READ_BATCH - 1, bounds.high);
    const rows: Record<string, unknown>[] = await sql.unsafe(
      `WITH candidate AS (
         SELECT t.${key} AS id FROM ${tableName(table)} t WHERE t.${key} BETWEEN $1 AND $6
         UNION
         SELECT c.row_id FROM chinook_sim.change c JOIN chinook_sim.run k ON k.run_id = c.run_id
          WHERE c.table_name = $5::text AND c.op = 'delete' AND c.run_id > $2
            AND k.state = 'committed' AND c.row_id BETWEEN $1 AND $6
       ), ids AS (
         SELECT id FROM candidate
          WHERE NOT EXISTS (SELECT 1 FROM unnest($3::int[], $4::int[]) AS x(f, l)
                             WHERE candidate.id BETWEEN x.f AND x.l)
       )
       SELECT ids.id, ${imageColumns(table, "c")}
         FROM ids
         LEFT JOIN ${tableName(table)} cur ON cur.${key} = ids.id AND cur.${key} BETWEEN $1 AND $6
         LEFT JOIN (
           SELECT DISTINCT ON (n.row_id) n.row_id, n.before
             FROM chinook_sim.change n JOIN chinook_sim.run k ON k.run_id = n.run_id
            WHERE n.table_name = $5::text AND n.row_id BETWEEN $1 AND $6 AND n.run_id > $2
              AND k.state = 'committed' AND n.before IS NOT NULL
            ORDER BY n.row_id, n.change_id) later ON later.row_id = ids.id
         ${laterRecord(table)}
        ORDER BY ids.id`,
      [low, asOfRunId, firsts, lasts, table.name, high] as never[],
    );
    if (rows.length > 0) yield rows.map((r) => rowFrom(table, r, "c"));
  }
}

/**
 * Runs `work` in one read-only transaction: every read of an export sees the
 * same snapshot (a day committed meanwhile is not half in it), and the
 * short, index-driven queries skip JIT compilation, which costs more than
 * they do.
 */
export function readConsistently<T>(sql: Sql, work: (tx: Tx) => Promise<T>): Promise<T> {
  return sql.begin("ISOLATION LEVEL REPEATABLE READ READ ONLY", async (tx) => {
    await tx`SELECT set_config('jit', 'off', true)`;
    return await work(tx);
  }) as Promise<T>;
}

/** The database's name, for the change events' `source.db`. */
export async function databaseName(sql: Sql | Tx): Promise<string> {
  const [row] = await sql<{ name: string }[]>`SELECT current_database() AS name`;
  return row!.name;
}
