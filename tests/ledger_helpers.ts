/** What the ledger tests read from a database (no tests here: importing registers none). */
import assert from "node:assert/strict";
import { cli, type Sql, type TestDatabase } from "./harness.ts";

/** The complete rows of the tables a run changes, hashed: equal ⇔ byte-identical rows. */
export async function rowsHash(sql: Sql): Promise<Record<string, string>> {
  const [row] = await sql`
    SELECT
      (SELECT md5(coalesce(string_agg(to_jsonb(i)::text, '|' ORDER BY "InvoiceId"), '')) FROM public."Invoice" i) AS invoices,
      (SELECT md5(coalesce(string_agg(to_jsonb(l)::text, '|' ORDER BY "InvoiceLineId"), '')) FROM public."InvoiceLine" l) AS lines,
      (SELECT md5(coalesce(string_agg(to_jsonb(c)::text, '|' ORDER BY "CustomerId"), '')) FROM public."Customer" c) AS customers`;
  return row as Record<string, string>;
}

/** The ledger's days without the times of their runs. */
export async function ledgerRows(sql: Sql): Promise<unknown[]> {
  return [
    ...await sql`
    SELECT sim_date::text, seed, requested, inserts, updates, deletes, new_customers, customer_changes,
           lines, revenue::text, first_invoice_id, last_invoice_id, runs, late, edits, duplicates,
           manifest - 'runId' AS manifest
      FROM chinook_sim.ledger ORDER BY sim_date`,
  ];
}

export type IdSets = Record<"invoice" | "line" | "customer", Set<number>>;

/** Every id the tables hold now. */
export async function currentIds(sql: Sql): Promise<IdSets> {
  const ids = async (query: Promise<{ id: number }[]>) => new Set((await query).map((r) => r.id));
  return {
    invoice: await ids(sql`SELECT "InvoiceId" AS id FROM public."Invoice"`),
    line: await ids(sql`SELECT "InvoiceLineId" AS id FROM public."InvoiceLine"`),
    customer: await ids(sql`SELECT "CustomerId" AS id FROM public."Customer"`),
  };
}

/** The counters and every sequence's state: what a dry or failed run must not move. */
export async function idState(sql: Sql): Promise<string> {
  const counters = await sql`SELECT name, value::text FROM chinook_sim.counter ORDER BY name`;
  const sequences = await sql`
    SELECT schemaname, sequencename, last_value::text FROM pg_sequences ORDER BY 1, 2`;
  return JSON.stringify({ counters, sequences });
}

/** Runs the CLI and asserts exit 0. */
export async function ok(db: TestDatabase, args: string[], stdin?: string) {
  const r = await cli(args, { env: db.env, stdin });
  assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  return r;
}

/** verify over every day: all checks pass. */
export async function assertVerified(db: TestDatabase): Promise<void> {
  const r = await cli(["verify", "--json"], { env: db.env });
  assert.equal(r.code, 0, r.stdout + r.stderr);
}
