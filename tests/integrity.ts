/** Integrity assertions shared by the integration tests (no tests here: importing registers none). */
import assert from "node:assert/strict";
import type { Sql } from "./harness.ts";

/** Every integrity property of one simulated day, checked by SQL. */
export async function assertDayIntegrity(sql: Sql, day: string): Promise<void> {
  const [row] = await sql`
    WITH day_invoices AS (
      SELECT * FROM public."Invoice"
       WHERE "InvoiceDate" >= ${day}::date AND "InvoiceDate" < ${day}::date + 1
    ), sums AS (
      SELECT i."InvoiceId", i."Total", coalesce(sum(l."UnitPrice" * l."Quantity"), 0) AS line_sum
        FROM day_invoices i LEFT JOIN public."InvoiceLine" l USING ("InvoiceId")
       GROUP BY 1, 2
    )
    SELECT
      (SELECT count(*) FROM sums WHERE "Total" <> line_sum)::int AS wrong_totals,
      (SELECT count(*) FROM (SELECT "InvoiceId", "TrackId" FROM public."InvoiceLine"
                              GROUP BY 1, 2 HAVING count(*) > 1) d)::int AS duplicate_tracks,
      (SELECT count(*) FROM public."InvoiceLine" l
        WHERE NOT EXISTS (SELECT 1 FROM public."Track" t WHERE t."TrackId" = l."TrackId")
           OR NOT EXISTS (SELECT 1 FROM public."Invoice" i WHERE i."InvoiceId" = l."InvoiceId"))::int AS orphan_lines,
      (SELECT count(*) FROM public."Invoice" i
        WHERE NOT EXISTS (SELECT 1 FROM public."Customer" c WHERE c."CustomerId" = i."CustomerId"))::int AS orphan_invoices,
      (SELECT count(*) FROM public."Customer" c WHERE c."SupportRepId" IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM public."Employee" e WHERE e."EmployeeId" = c."SupportRepId"))::int AS orphan_customers,
      (SELECT count(*) FROM day_invoices i JOIN public."Customer" c USING ("CustomerId")
        WHERE i."InvoiceId" >= (SELECT first_invoice_id FROM chinook_sim.ledger WHERE sim_date = ${day})
          AND i."BillingCity" IS DISTINCT FROM c."City" AND NOT EXISTS (
            SELECT 1 FROM chinook_sim.change ch
             WHERE ch.table_name = 'Customer' AND ch.row_id = c."CustomerId"))::int AS wrong_billing,
      (SELECT count(*) FROM sums s JOIN public."InvoiceLine" l USING ("InvoiceId")
        WHERE l."Quantity" <> 1)::int AS wrong_quantity`;
  assert.deepEqual(row, {
    wrong_totals: 0,
    duplicate_tracks: 0,
    orphan_lines: 0,
    orphan_invoices: 0,
    orphan_customers: 0,
    wrong_billing: 0,
    wrong_quantity: 0,
  });
}

/** Makes the database refuse inserts into `table` while `when` (a PL/pgSQL condition) holds. */
export async function injectFailure(
  sql: Sql,
  options: {
    table: "Invoice" | "InvoiceLine";
    timing: "BEFORE" | "AFTER";
    when: string;
    message: string;
  },
): Promise<void> {
  await sql.unsafe(`
    CREATE FUNCTION public.injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      -- Rows this transaction has inserted so far (whatever the table held before).
      written int := coalesce(nullif(current_setting('test.injected_rows', true), ''), '0')::int + 1;
    BEGIN
      PERFORM set_config('test.injected_rows', written::text, true);
      IF ${options.when} THEN
        RAISE EXCEPTION '${options.message}';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER injected_failure ${options.timing} INSERT ON public."${options.table}"
      FOR EACH ROW EXECUTE FUNCTION public.injected_failure();`);
}

export async function removeInjectedFailure(sql: Sql, table: "Invoice" | "InvoiceLine") {
  await sql.unsafe(`DROP TRIGGER injected_failure ON public."${table}";
    DROP FUNCTION public.injected_failure();`);
}
