/**
 * The answer key: what a correct warehouse holds at the end of a day, from
 * the tables, the ledger and the change log's before-images (later days'
 * changes are undone in temporary tables, never in the tables). Read-only:
 * the work runs in one transaction that is always rolled back.
 */
import stateSql from "../../sql/expect_state.sql" with { type: "text" };
import salesSql from "../../sql/expect_sales.sql" with { type: "text" };
import customersSql from "../../sql/expect_customers.sql" with { type: "text" };
import changesSql from "../../sql/expect_changes.sql" with { type: "text" };
import { UsageError } from "../cli/errors.ts";
import type { Sql, Tx } from "./connect.ts";

/** One row of the daily sales facts: day x country x genre. Revenue: an exact decimal. */
export interface SalesFact {
  day: string;
  country: string;
  genre: string;
  invoices: number;
  lines: number;
  revenue: string;
  cancellations: number;
}

/** One version of a customer (SCD Type 2); valid_to is exclusive, 9999-12-31 when current. */
export interface CustomerVersion {
  customer_id: number;
  first_name: string;
  last_name: string;
  company: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  postal_code: string | null;
  phone: string | null;
  fax: string | null;
  email: string;
  support_rep_id: number | null;
  valid_from: string;
  valid_to: string;
  is_current: boolean;
}

/** Rows a day's runs inserted, updated and deleted in one table. */
export interface TableChanges {
  day: string;
  table_name: string;
  inserted: number;
  updated: number;
  deleted: number;
}

export interface AnswerKey {
  asOf: string;
  from: string;
  to: string;
  sales: SalesFact[];
  customers: CustomerVersion[];
  changes: TableChanges[];
}

/** The columns of each part of the answer key, in file order. */
export const SALES_COLUMNS = [
  "day",
  "country",
  "genre",
  "invoices",
  "lines",
  "revenue",
  "cancellations",
] as const satisfies readonly (keyof SalesFact)[];

export const CUSTOMER_COLUMNS = [
  "customer_id",
  "first_name",
  "last_name",
  "company",
  "address",
  "city",
  "state",
  "country",
  "postal_code",
  "phone",
  "fax",
  "email",
  "support_rep_id",
  "valid_from",
  "valid_to",
  "is_current",
] as const satisfies readonly (keyof CustomerVersion)[];

export const CHANGE_COLUMNS = [
  "day",
  "table_name",
  "inserted",
  "updated",
  "deleted",
] as const satisfies readonly (keyof TableChanges)[];

class Rollback extends Error {}

/**
 * Runs `work` on the rows as they were at the end of `asOf` (the temporary
 * tables of sql/expect_state.sql), in one transaction rolled back afterwards.
 */
export async function withStateAsOf<T>(
  sql: Sql,
  asOf: string,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  let result: T | undefined;
  try {
    await sql.begin("isolation level repeatable read", async (tx) => {
      await refuseUnrecorded(tx, asOf);
      await tx`SELECT set_config('chinook_sim.as_of', ${asOf}, true)`;
      await tx.unsafe(stateSql);
      result = await work(tx);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return result as T;
}

/** Runs recorded by the first release kept no before-images: days before them cannot be rebuilt. */
async function refuseUnrecorded(tx: Tx, asOf: string): Promise<void> {
  const [legacy] = await tx<{ day: string }[]>`
    SELECT min(sim_date)::text AS day FROM chinook_sim.run
     WHERE state = 'committed' AND NOT before_images AND sim_date > ${asOf}::date`;
  if (legacy?.day) {
    throw new UsageError(
      `Cannot use --as-of "${asOf}": ${legacy.day} was written by an earlier chinook-sim that kept no before-images; pick ${legacy.day} or later`,
    );
  }
}

/** By code point, whatever the database's collation: the same files everywhere. */
function byText<T>(...keys: (keyof T)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const x = String(a[key]);
      const y = String(b[key]);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}

/** The customer versions at the end of the day of the open state (sorted by customer, then start). */
export async function customerVersions(tx: Tx): Promise<CustomerVersion[]> {
  const rows = await tx.unsafe<CustomerVersion[]>(customersSql);
  return [...rows].map((r) => ({ ...r }))
    .sort((a, b) => a.customer_id - b.customer_id || (a.valid_from < b.valid_from ? -1 : 1));
}

/** Sales facts of days `from` to `to` in the open state. */
export async function salesFacts(tx: Tx, from: string, to: string): Promise<SalesFact[]> {
  const rows = await tx.unsafe<SalesFact[]>(salesSql, [from, to]);
  return [...rows].map((r) => ({ ...r })).sort(byText<SalesFact>("day", "country", "genre"));
}

/** The answer key for days `from` to `to` at the end of `asOf`. */
export async function answerKey(
  sql: Sql,
  options: { from: string; to: string; asOf: string },
): Promise<AnswerKey> {
  const { from, to, asOf } = options;
  return await withStateAsOf(sql, asOf, async (tx) => {
    const sales = await salesFacts(tx, from, to);
    const customers = await customerVersions(tx);
    const changes = [...await tx.unsafe<TableChanges[]>(changesSql, [from, to])]
      .map((r) => ({ ...r })).sort(byText<TableChanges>("day", "table_name"));
    return { asOf, from, to, sales, customers, changes };
  });
}
