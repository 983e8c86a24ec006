/**
 * Ids only move forward. chinook_sim.counter holds the highest id ever
 * issued per table: a row of a table, written under the simulation lock, so
 * a dry run or a failed run moves nothing. The next id is above the counter,
 * the table's current maximum and its sequences (another writer may have
 * drawn from them); never max + 1 alone, which hard deletes would send back.
 * At commit the sequences (ours, and the tables' own serial or identity ones)
 * are raised to the counters, for anyone else inserting rows.
 */
import { ConfigError } from "../cli/errors.ts";
import type { IdTable } from "../sim/day_outcome.ts";
import type { DayPlan } from "../sim/plan.ts";
import type { Tx } from "./connect.ts";

export type Counter = IdTable | "run" | "change" | "event";

export type NextIds = Record<IdTable, number>;

/**
 * Each id counter's table maximum and the sequences that issue its ids: the
 * table's own (the id is its first column) and chinook_sim's. Each table is
 * named as an identifier (its row type), never in a literal, so the variant
 * translation sees it.
 */
function idSources(tx: Tx) {
  return tx`
    WITH tables AS (
      SELECT 'invoice' AS name, (SELECT max("InvoiceId") FROM public."Invoice") AS max_id,
             pg_typeof(NULL::public."Invoice")::oid AS row_type
      UNION ALL
      SELECT 'invoice_line', (SELECT max("InvoiceLineId") FROM public."InvoiceLine"),
             pg_typeof(NULL::public."InvoiceLine")::oid
      UNION ALL
      SELECT 'customer', (SELECT max("CustomerId") FROM public."Customer"),
             pg_typeof(NULL::public."Customer")::oid
    ), sources AS (
      SELECT t.name, coalesce(t.max_id, 0) AS max_id, s.seq::regclass AS seq
        FROM tables t
        JOIN pg_type ty ON ty.oid = t.row_type
        JOIN pg_attribute a ON a.attrelid = ty.typrelid AND a.attnum = 1
        CROSS JOIN LATERAL (VALUES (pg_get_serial_sequence(ty.typrelid::regclass::text, a.attname)),
                                   ('chinook_sim.' || t.name || '_id_seq')) AS s(seq)
       WHERE s.seq IS NOT NULL
    )`;
}

/** The next id of each table: above its counter, its maximum and its sequences. */
export async function nextIds(tx: Tx): Promise<NextIds> {
  const rows = await tx<{ name: IdTable; next: string }[]>`
    ${idSources(tx)}
    SELECT s.name, (greatest(max(s.max_id), max(coalesce(pg_sequence_last_value(s.seq), 0)),
                             coalesce(max(c.value), 0)) + 1)::text AS next
      FROM sources s LEFT JOIN chinook_sim.counter c ON c.name = s.name
     GROUP BY s.name`;
  const next = Object.fromEntries(rows.map((r) => [r.name, Number(r.next)]));
  return { invoice: next.invoice!, invoice_line: next.invoice_line!, customer: next.customer! };
}

/** Raises counters to at least the values given (the highest issued); never lowers one. */
export async function raiseCounters(
  tx: Tx,
  issued: Partial<Record<Counter, number>>,
): Promise<void> {
  const entries = Object.entries(issued);
  await tx`
    INSERT INTO chinook_sim.counter (name, value)
    SELECT * FROM unnest(${entries.map(([name]) => name)}::text[],
                         ${entries.map(([, value]) => String(value))}::bigint[])
    ON CONFLICT (name) DO UPDATE SET value = greatest(chinook_sim.counter.value, EXCLUDED.value)`;
}

/** Counts the ids already taken (rows, sequences) as issued: setup's starting point. */
export async function countExistingIds(tx: Tx): Promise<void> {
  const next = await nextIds(tx);
  await raiseCounters(tx, {
    invoice: next.invoice - 1,
    invoice_line: next.invoice_line - 1,
    customer: next.customer - 1,
  });
}

/** Reads the run, change and event counters: a run takes the values above them. */
export async function readCounters(tx: Tx): Promise<Record<"run" | "change" | "event", number>> {
  const rows = await tx<{ name: string; value: string }[]>`
    SELECT name, value::text AS value FROM chinook_sim.counter WHERE name IN ('run', 'change', 'event')`;
  const value = (name: string) => Number(rows.find((r) => r.name === name)?.value ?? 0);
  return { run: value("run"), change: value("change"), event: value("event") };
}

/**
 * Raises every sequence that issues ids to its counter. Not transactional:
 * called only by a run about to commit (never by a dry run), and it only
 * ever raises, so a rollback after it leaves a sequence ahead, never behind.
 */
export async function syncSequences(tx: Tx): Promise<void> {
  await tx`
    ${idSources(tx)}
    SELECT setval(s.seq, c.value)
      FROM sources s JOIN chinook_sim.counter c ON c.name = s.name
     WHERE c.value > coalesce(pg_sequence_last_value(s.seq), 0)`;
}

/** The largest id Chinook's integer keys hold (and the plan's Int32Arrays). */
export const MAX_ID = 2_147_483_647;

/**
 * A day whose new rows would need ids past MAX_ID is refused before any
 * write, with what to do: ids are never issued twice, so they run out.
 */
export function checkIdRoom(plan: DayPlan, nextCustomerId: number): void {
  const needs: Array<[string, string, number, number]> = [
    ["invoice", '"InvoiceId"', plan.firstInvoiceId, plan.invoiceCustomerIds.length],
    ["invoice line", '"InvoiceLineId"', plan.firstLineId, plan.lineTrackIds.length],
    ["customer", '"CustomerId"', nextCustomerId, plan.newCustomers.count],
  ];
  for (const [what, column, first, count] of needs) {
    if (count > 0 && first + count - 1 > MAX_ID) {
      throw new ConfigError(
        `Cannot simulate ${plan.day}: its ${
          count.toLocaleString("en-US")
        } new ${what} rows need ids up to ${(first + count - 1).toLocaleString("en-US")}, past ${
          MAX_ID.toLocaleString("en-US")
        }, the largest the integer key ${column} holds (ids are never issued twice); nothing was written: ask for fewer rows, or set up a new database`,
      );
    }
  }
}
