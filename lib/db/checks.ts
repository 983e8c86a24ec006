/**
 * The checks of `verify`: set-based SQL over the simulated days of a range.
 * Each returns how many rows offend and a few example ids.
 */
import type { Manifest } from "../sim/manifest.ts";
import type { Sql } from "./connect.ts";

export interface CheckResult {
  name: string;
  description: string;
  ok: boolean;
  offending: number;
  examples: Array<number | string>;
}

interface Offenders {
  n: number;
  examples: Array<number | string> | null;
}

async function check(
  name: string,
  description: string,
  query: Promise<Offenders[]>,
): Promise<CheckResult> {
  const [row] = await query;
  const offending = row?.n ?? 0;
  return { name, description, ok: offending === 0, offending, examples: row?.examples ?? [] };
}

/** Every check over the ledger days from `from` to `to`. */
export async function runChecks(sql: Sql, from: string, to: string): Promise<CheckResult[]> {
  // The invoices a day wrote or changed, as one reusable set.
  const scope = sql`
    WITH days AS (
      SELECT sim_date, first_invoice_id, last_invoice_id FROM chinook_sim.ledger
       WHERE sim_date BETWEEN ${from}::date AND ${to}::date
    ), scope AS (
      SELECT i."InvoiceId" AS id FROM days d
        JOIN public."Invoice" i ON i."InvoiceId" BETWEEN d.first_invoice_id AND d.last_invoice_id
      UNION
      SELECT c.invoice_id FROM chinook_sim.change c JOIN days d USING (sim_date) WHERE c.invoice_id IS NOT NULL
    )`;
  const agg = sql`count(*)::int AS n, (array_agg(id ORDER BY id))[1:5] AS examples`;
  return [
    await check(
      "totals",
      "Total = sum(UnitPrice * Quantity) of the lines (cancelled: 0, no lines)",
      sql<Offenders[]>`${scope}
        SELECT ${agg} FROM (
          SELECT i."InvoiceId" AS id FROM scope s JOIN public."Invoice" i ON i."InvoiceId" = s.id
           WHERE i."Total" <> (SELECT coalesce(sum(l."UnitPrice" * l."Quantity"), 0)
                                 FROM public."InvoiceLine" l WHERE l."InvoiceId" = i."InvoiceId")
        ) x`,
    ),
    await check(
      "duplicate_tracks",
      "no invoice has the same track twice",
      sql<Offenders[]>`${scope}
        SELECT ${agg} FROM (
          SELECT DISTINCT l."InvoiceId" AS id FROM scope s JOIN public."InvoiceLine" l ON l."InvoiceId" = s.id
           GROUP BY l."InvoiceId", l."TrackId" HAVING count(*) > 1
        ) x`,
    ),
    await check(
      "foreign_keys",
      "lines' invoices and tracks, invoices' customers, new customers' support reps exist",
      sql<Offenders[]>`${scope}
        SELECT ${agg} FROM (
          SELECT l."InvoiceLineId" AS id FROM public."InvoiceLine" l
           WHERE l."InvoiceId" IN (SELECT id FROM scope) AND NOT EXISTS (
                   SELECT 1 FROM public."Track" t WHERE t."TrackId" = l."TrackId")
          UNION ALL
          SELECT l."InvoiceLineId" FROM public."InvoiceLine" l
           WHERE l."InvoiceId" > (SELECT coalesce(min(first_invoice_id), 2147483647) - 1 FROM chinook_sim.ledger)
             AND NOT EXISTS (SELECT 1 FROM public."Invoice" i WHERE i."InvoiceId" = l."InvoiceId")
          UNION ALL
          SELECT i."InvoiceId" FROM scope s JOIN public."Invoice" i ON i."InvoiceId" = s.id
           WHERE NOT EXISTS (SELECT 1 FROM public."Customer" c WHERE c."CustomerId" = i."CustomerId")
          UNION ALL
          SELECT c.customer_id FROM chinook_sim.change c
           WHERE c.operation = 'customer_insert' AND c.sim_date BETWEEN ${from}::date AND ${to}::date
             AND NOT EXISTS (SELECT 1 FROM public."Customer" k JOIN public."Employee" e
                               ON e."EmployeeId" = k."SupportRepId" WHERE k."CustomerId" = c.customer_id)
        ) x`,
    ),
    await check(
      "timestamps",
      "every simulated invoice is dated inside its day (late arrivals: within 7 days before)",
      sql<Offenders[]>`
        SELECT ${agg} FROM (
          SELECT i."InvoiceId" AS id
            FROM chinook_sim.ledger d
            JOIN public."Invoice" i ON i."InvoiceId" BETWEEN d.first_invoice_id AND d.last_invoice_id
           WHERE d.sim_date BETWEEN ${from}::date AND ${to}::date
             AND NOT CASE WHEN EXISTS (SELECT 1 FROM chinook_sim.change c WHERE c.sim_date = d.sim_date
                                         AND c.operation = 'invoice_late' AND c.invoice_id = i."InvoiceId")
                          THEN i."InvoiceDate" >= d.sim_date - 7 AND i."InvoiceDate" < d.sim_date
                          ELSE i."InvoiceDate" >= d.sim_date AND i."InvoiceDate" < d.sim_date + 1 END
        ) x`,
    ),
    await check(
      "unledgered_days",
      "no simulated invoice outside the days of the ledger",
      sql<Offenders[]>`
        SELECT ${agg} FROM (
          SELECT i."InvoiceId" AS id FROM public."Invoice" i
           WHERE i."InvoiceId" > (SELECT coalesce(min(first_invoice_id), 2147483647) - 1 FROM chinook_sim.ledger)
             AND NOT EXISTS (SELECT 1 FROM chinook_sim.ledger d
                              WHERE i."InvoiceId" BETWEEN d.first_invoice_id AND d.last_invoice_id)
          UNION ALL
          SELECT i."InvoiceId" FROM public."Invoice" i
           WHERE i."InvoiceDate" >= (SELECT (value->>'lastHistoryDay')::date + 1 FROM chinook_sim.meta WHERE key = 'history')
             AND i."InvoiceDate" >= ${from}::date AND i."InvoiceDate" < ${to}::date + 1
             AND NOT EXISTS (SELECT 1 FROM chinook_sim.ledger d
                              WHERE i."InvoiceDate" >= d.sim_date AND i."InvoiceDate" < d.sim_date + 1)
             AND NOT EXISTS (SELECT 1 FROM chinook_sim.change c
                              WHERE c.operation = 'invoice_late' AND c.invoice_id = i."InvoiceId")
        ) x`,
    ),
    await check(
      "ledger_counts",
      "the ledger's counts equal the invoices and changes in the tables",
      sql<Offenders[]>`
        SELECT count(*)::int AS n,
               (array_agg(sim_date::text ORDER BY sim_date))[1:5] AS examples
          FROM (
            SELECT d.sim_date FROM chinook_sim.ledger d
             WHERE d.sim_date BETWEEN ${from}::date AND ${to}::date
               AND (
                 (d.runs = 1 AND d.inserts <> (
                    SELECT count(*) FROM public."Invoice" i
                     WHERE i."InvoiceId" BETWEEN d.first_invoice_id AND d.last_invoice_id) + (
                    SELECT count(*) FROM chinook_sim.change c
                     WHERE c.operation = 'invoice_delete' AND c.invoice_id BETWEEN d.first_invoice_id AND d.last_invoice_id
                       AND NOT EXISTS (SELECT 1 FROM public."Invoice" i WHERE i."InvoiceId" = c.invoice_id)))
                 OR d.updates <> (SELECT count(*) FROM chinook_sim.change c
                                   WHERE c.sim_date = d.sim_date AND c.operation = 'invoice_update')
                 OR d.deletes <> (SELECT count(*) FROM chinook_sim.change c
                                   WHERE c.sim_date = d.sim_date AND c.operation IN ('invoice_cancel', 'invoice_delete'))
                 OR d.new_customers <> (SELECT count(*) FROM chinook_sim.change c
                                         JOIN public."Customer" k ON k."CustomerId" = c.customer_id
                                         WHERE c.sim_date = d.sim_date AND c.operation = 'customer_insert')
                 OR d.customer_changes <> (SELECT count(*) FROM chinook_sim.change c
                                            WHERE c.sim_date = d.sim_date
                                              AND c.operation IN ('customer_address', 'customer_email'))
                 OR d.late <> (SELECT count(*) FROM chinook_sim.change c
                                WHERE c.sim_date = d.sim_date AND c.operation = 'invoice_late')
                 OR d.edits <> (SELECT count(*) FROM chinook_sim.change c
                                 WHERE c.sim_date = d.sim_date AND c.operation = 'invoice_edit')
                 OR d.duplicates <> (SELECT count(*) FROM chinook_sim.change c
                                      WHERE c.sim_date = d.sim_date AND c.operation = 'invoice_duplicate'))
          ) x`,
    ),
    await check(
      "sequences",
      "the id sequences are at or above the current maxima",
      sql<Offenders[]>`
        SELECT count(*) FILTER (WHERE NOT ok)::int AS n, NULL::int[] AS examples FROM (
          SELECT (SELECT last_value FROM chinook_sim.invoice_id_seq) >=
                   coalesce((SELECT max("InvoiceId") FROM public."Invoice"), 0) AS ok
          UNION ALL
          SELECT (SELECT last_value FROM chinook_sim.invoice_line_id_seq) >=
                   coalesce((SELECT max("InvoiceLineId") FROM public."InvoiceLine"), 0)
          UNION ALL
          SELECT (SELECT last_value FROM chinook_sim.customer_id_seq) >=
                   coalesce((SELECT max("CustomerId") FROM public."Customer"), 0)
        ) x`,
    ),
    await check(
      "history_before_simulation",
      "the historical invoices end before the first simulated day",
      sql<Offenders[]>`
        SELECT ${agg} FROM (
          SELECT i."InvoiceId" AS id FROM public."Invoice" i
           WHERE i."InvoiceId" < (SELECT min(first_invoice_id) FROM chinook_sim.ledger)
             AND i."InvoiceDate" >= (SELECT min(sim_date) FROM chinook_sim.ledger)
        ) x`,
    ),
  ];
}

/** The database against a day's manifest: the ground truth a pipeline is compared with. */
export async function checkManifest(sql: Sql, manifest: Manifest): Promise<CheckResult[]> {
  const inserted = manifest.inserted.invoiceIds;
  const removedIds = [
    ...manifest.deleted,
    ...manifest.duplicates.filter(() => manifest.deleteMode === "hard"),
  ]
    .map((d) => d.invoiceId);
  const cancelledIds = [
    ...manifest.cancelled,
    ...manifest.duplicates.filter(() => manifest.deleteMode === "cancel"),
  ]
    .map((d) => d.invoiceId);
  const removedLineIds = [...manifest.cancelled, ...manifest.deleted, ...manifest.duplicates]
    .flatMap((d) => d.deletedLineIds);
  const updated = manifest.updated.filter((u) =>
    !cancelledIds.includes(u.invoiceId) && !removedIds.includes(u.invoiceId)
  );
  const lateIds = manifest.late.map((l) => l.invoiceId);
  const lateDates = manifest.late.map((l) => l.invoiceDate);
  return [
    await check(
      "manifest_inserted",
      "every inserted invoice exists (unless the manifest deletes it), dated in the window",
      sql<Offenders[]>`
        SELECT ${sql`count(*)::int AS n, (array_agg(id ORDER BY id))[1:5] AS examples`} FROM (
          SELECT g.id FROM generate_series(${inserted?.first ?? 1}::int, ${
        inserted?.last ?? 0
      }::int) AS g(id)
           WHERE g.id <> ALL(${removedIds}::int[]) AND NOT EXISTS (
             SELECT 1 FROM public."Invoice" i WHERE i."InvoiceId" = g.id
                AND (i."InvoiceDate" >= ${manifest.window.from}::timestamp AND i."InvoiceDate" < ${manifest.window.to}::timestamp
                     OR i."InvoiceId" = ANY(${lateIds}::int[])))
        ) x`,
    ),
    await check(
      "manifest_updated",
      "updated invoices have the manifest's Total and the added line",
      sql<Offenders[]>`
        SELECT ${sql`count(*)::int AS n, (array_agg(id ORDER BY id))[1:5] AS examples`} FROM (
          SELECT u.id FROM unnest(${updated.map((u) => u.invoiceId)}::int[], ${
        updated.map((u) => u.newTotal)
      }::numeric[],
                                  ${updated.map((u) => u.addedLineId)}::int[]) AS u(id, total, line)
           WHERE NOT EXISTS (SELECT 1 FROM public."Invoice" i JOIN public."InvoiceLine" l ON l."InvoiceId" = i."InvoiceId"
                              WHERE i."InvoiceId" = u.id AND l."InvoiceLineId" = u.line AND i."Total" = u.total)
        ) x`,
    ),
    await check(
      "manifest_cancelled",
      "cancelled invoices have Total 0 and no lines; deleted ones are gone",
      sql<Offenders[]>`
        SELECT ${sql`count(*)::int AS n, (array_agg(id ORDER BY id))[1:5] AS examples`} FROM (
          SELECT c.id FROM unnest(${cancelledIds}::int[]) AS c(id)
           WHERE NOT EXISTS (SELECT 1 FROM public."Invoice" i WHERE i."InvoiceId" = c.id AND i."Total" = 0)
          UNION ALL
          SELECT d.id FROM unnest(${removedIds}::int[]) AS d(id)
           WHERE EXISTS (SELECT 1 FROM public."Invoice" i WHERE i."InvoiceId" = d.id)
          UNION ALL
          SELECT l."InvoiceLineId" FROM public."InvoiceLine" l
           WHERE l."InvoiceLineId" = ANY(${removedLineIds}::int[])
              OR l."InvoiceId" = ANY(${[...cancelledIds, ...removedIds]}::int[])
        ) x`,
    ),
    await check(
      "manifest_customers",
      "new customers exist; late invoices carry their earlier date",
      sql<Offenders[]>`
        SELECT ${sql`count(*)::int AS n, (array_agg(id ORDER BY id))[1:5] AS examples`} FROM (
          SELECT c.id FROM unnest(${manifest.inserted.customerIds}::int[]) AS c(id)
           WHERE NOT EXISTS (SELECT 1 FROM public."Customer" k WHERE k."CustomerId" = c.id)
          UNION ALL
          SELECT l.id FROM unnest(${lateIds}::int[], ${lateDates}::date[]) AS l(id, day)
           WHERE NOT EXISTS (SELECT 1 FROM public."Invoice" i WHERE i."InvoiceId" = l.id AND i."InvoiceDate"::date = l.day)
        ) x`,
    ),
  ];
}
