/**
 * A run's log of its row changes. Every statement of the run is recorded in
 * order; an UPDATE or DELETE logs the complete row before the change
 * (`to_jsonb`) of each row it touches in the same statement, set-based;
 * inserts are id ranges. Every row change, inserts included, takes the next
 * place in one global order (the event sequence): statements in the order
 * the run made them, rows of one statement by primary key.
 */
import type postgres from "postgres";
import type { Tx } from "./connect.ts";

/** The Chinook tables a run changes, by their PascalCase names (whatever the variant). */
export type ChangedTable = "Invoice" | "InvoiceLine" | "Customer";

/** One statement of a run, as recorded in chinook_sim.run.statements. */
export interface RunStatement {
  table: ChangedTable;
  op: "insert" | "update" | "delete";
  /** What the change means: invoice_insert, invoice_update, invoice_cancel, … */
  label: string;
  rows: number;
  /** Event sequence of the statement's first row; its rows follow by primary key. */
  firstSequence: number;
  /** insert: the rows have ids firstId … firstId + rows - 1. */
  firstId?: number;
  /** update, delete: their change rows are firstChangeId … firstChangeId + rows - 1. */
  firstChangeId?: number;
  /**
   * Live mode, whose run commits many transactions: the statement's own
   * transaction and commit time (otherwise the run's `txid`, `committed_at`).
   */
  txId?: number;
  committedAt?: string;
}

/** The CTE `logged AS (INSERT INTO chinook_sim.change …)`, reading the CTE `changed`. */
export interface Logging {
  logged: postgres.Fragment;
}

/** An update also needs `prior AS (…)`: the target rows before the statement. */
export interface UpdateLogging extends Logging {
  prior: postgres.Fragment;
}

/**
 * Each changed table's name and primary key as SQL fragments: written as
 * identifiers here, so the variant translation maps them.
 */
export const CHANGED_TABLES: Record<
  ChangedTable,
  (tx: Tx) => { name: postgres.Fragment; key: postgres.Fragment }
> = {
  Invoice: (tx) => ({ name: tx`public."Invoice"`, key: tx`"InvoiceId"` }),
  InvoiceLine: (tx) => ({ name: tx`public."InvoiceLine"`, key: tx`"InvoiceLineId"` }),
  Customer: (tx) => ({ name: tx`public."Customer"`, key: tx`"CustomerId"` }),
};

/**
 * The rows of `table` matching `where` (on the alias t) as they are before
 * the statement: every CTE of one statement sees the same snapshot.
 */
function prior(tx: Tx, table: ChangedTable, where: postgres.Fragment): postgres.Fragment {
  const { name, key } = CHANGED_TABLES[table](tx);
  return tx`prior AS (SELECT t.${key} AS row_id, to_jsonb(t) AS image FROM ${name} t WHERE ${where})`;
}

export class RunLog {
  readonly statements: RunStatement[] = [];
  #changes = 0;
  #events = 0;

  constructor(
    readonly runId: number,
    readonly runNumber: number,
    readonly day: string,
    /** The change ids and event sequences of this run come after these. */
    readonly changeBase: number,
    readonly sequenceBase: number,
  ) {}

  /** Row changes so far (the events of the run). */
  get events(): number {
    return this.#events;
  }

  get lastChangeId(): number {
    return this.changeBase + this.#changes;
  }

  /** An INSERT of `rows` rows with contiguous ids from `firstId`. */
  inserted(table: ChangedTable, label: string, firstId: number, rows: number): void {
    if (rows === 0) return;
    this.statements.push({
      table,
      op: "insert",
      label,
      rows,
      firstSequence: this.sequenceBase + this.#events + 1,
      firstId,
    });
    this.#events += rows;
  }

  /**
   * Runs an UPDATE written as `WITH ${prior}, changed AS (UPDATE … RETURNING
   * <key> AS row_id, …), ${logged} SELECT … FROM changed`: `where` (on the
   * alias t) must select every row the UPDATE may change.
   */
  update<R extends postgres.Row>(
    tx: Tx,
    table: ChangedTable,
    label: string,
    where: postgres.Fragment,
    statement: (logging: UpdateLogging) => postgres.PendingQuery<R[]>,
  ): Promise<R[]> {
    const before = prior(tx, table, where);
    return this.#run(
      tx,
      table,
      "update",
      label,
      (logged) => statement({ prior: before, logged }),
      true,
    );
  }

  /**
   * Runs a DELETE written as `WITH changed AS (DELETE … RETURNING <key> AS
   * row_id, to_jsonb(t) AS image, …), ${logged} SELECT … FROM changed`.
   */
  delete<R extends postgres.Row>(
    tx: Tx,
    table: ChangedTable,
    label: string,
    statement: (logging: Logging) => postgres.PendingQuery<R[]>,
  ): Promise<R[]> {
    return this.#run(tx, table, "delete", label, (logged) => statement({ logged }), false);
  }

  async #run<R extends postgres.Row>(
    tx: Tx,
    table: ChangedTable,
    op: "update" | "delete",
    label: string,
    statement: (logged: postgres.Fragment) => postgres.PendingQuery<R[]>,
    withPrior: boolean,
  ): Promise<R[]> {
    const firstChangeId = this.changeBase + this.#changes + 1;
    const firstSequence = this.sequenceBase + this.#events + 1;
    const image = withPrior
      ? tx`p.image FROM changed c JOIN prior p USING (row_id)`
      : tx`c.image FROM changed c`;
    const logged = tx`logged AS (
      INSERT INTO chinook_sim.change (change_id, run_id, sim_date, sequence, table_name, op, row_id, label, before)
      SELECT ${
      firstChangeId - 1
    }::bigint + row_number() OVER (ORDER BY c.row_id), ${this.runId}::bigint,
             ${this.day}::date, ${
      firstSequence - 1
    }::bigint + row_number() OVER (ORDER BY c.row_id),
             ${table}::text, ${op}::text, c.row_id, ${label}::text, ${image}
      RETURNING 1)`;
    // One row per changed row: the caller's final SELECT reads `changed`.
    const rows = await statement(logged);
    if (rows.length > 0) {
      this.statements.push({ table, op, label, rows: rows.length, firstSequence, firstChangeId });
      this.#changes += rows.length;
      this.#events += rows.length;
    }
    return rows;
  }
}
