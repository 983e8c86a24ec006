/**
 * The checks of `verify`: set-based SQL over the simulated days of a range.
 * Each returns how many rows offend and a few example ids.
 */
import type { Manifest } from "../sim/manifest.ts";
import type { Sql } from "./connect.ts";
import { webInstalled } from "./web.ts";

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

/** Every check over the committed runs of the days from `from` to `to`. */
export async function runChecks(sql: Sql, from: string, to: string): Promise<CheckResult[]> {
  // The range's committed runs, and the invoices they wrote or changed, as reusable sets.
  const runs = sql`
    runs AS (
      SELECT * FROM chinook_sim.run
       WHERE state = 'committed' AND sim_date BETWEEN ${from}::date AND ${to}::date
    )`;
  const scope = sql`
    WITH ${runs}, scope AS (
      SELECT i."InvoiceId" AS id FROM runs r
        JOIN public."Invoice" i ON i."InvoiceId" BETWEEN r.first_invoice_id AND r.last_invoice_id
      UNION
      SELECT c.row_id FROM chinook_sim.change c JOIN runs r USING (run_id) WHERE c.table_name = 'Invoice'
    )`;
  // Invoices dated before their day on purpose (late arrivals), from every committed run.
  const late = sql`
    late AS (
      SELECT (l.value->>'invoiceId')::int AS id
        FROM chinook_sim.run r, jsonb_array_elements(coalesce(r.manifest->'late', '[]'::jsonb)) l
       WHERE r.state = 'committed'
    )`;
  const firstSimulated = sql`(SELECT coalesce(min(first_invoice_id), 2147483647)
                               FROM chinook_sim.run WHERE state = 'committed')`;
  const agg = sql`count(*)::int AS n, (array_agg(id ORDER BY id))[1:5] AS examples`;
  const checks = [
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
           WHERE l."InvoiceId" >= ${firstSimulated}
             AND NOT EXISTS (SELECT 1 FROM public."Invoice" i WHERE i."InvoiceId" = l."InvoiceId")
          UNION ALL
          SELECT i."InvoiceId" FROM scope s JOIN public."Invoice" i ON i."InvoiceId" = s.id
           WHERE NOT EXISTS (SELECT 1 FROM public."Customer" c WHERE c."CustomerId" = i."CustomerId")
          UNION ALL
          SELECT g.id FROM runs r, generate_series(r.first_customer_id, r.last_customer_id) AS g(id)
           WHERE NOT EXISTS (SELECT 1 FROM public."Customer" k JOIN public."Employee" e
                               ON e."EmployeeId" = k."SupportRepId" WHERE k."CustomerId" = g.id)
        ) x`,
    ),
    await check(
      "timestamps",
      "every simulated invoice is dated inside its day (late arrivals: within 7 days before)",
      sql<Offenders[]>`
        WITH ${runs}, ${late}
        SELECT ${agg} FROM (
          SELECT i."InvoiceId" AS id
            FROM runs d
            JOIN public."Invoice" i ON i."InvoiceId" BETWEEN d.first_invoice_id AND d.last_invoice_id
           WHERE NOT CASE WHEN i."InvoiceId" IN (SELECT id FROM late)
                          THEN i."InvoiceDate" >= d.sim_date - 7 AND i."InvoiceDate" < d.sim_date
                          ELSE i."InvoiceDate" >= d.sim_date AND i."InvoiceDate" < d.sim_date + 1 END
        ) x`,
    ),
    await check(
      "unledgered_days",
      "no simulated invoice outside the runs and days of the ledger",
      sql<Offenders[]>`
        WITH ${late}
        SELECT ${agg} FROM (
          SELECT i."InvoiceId" AS id FROM public."Invoice" i
           WHERE i."InvoiceId" >= ${firstSimulated}
             AND NOT EXISTS (SELECT 1 FROM chinook_sim.run r
                              WHERE r.state = 'committed'
                                AND i."InvoiceId" BETWEEN r.first_invoice_id AND r.last_invoice_id)
          UNION ALL
          SELECT i."InvoiceId" FROM public."Invoice" i
           WHERE i."InvoiceDate" >= (SELECT (value->>'lastHistoryDay')::date + 1 FROM chinook_sim.meta WHERE key = 'history')
             AND i."InvoiceDate" >= ${from}::date AND i."InvoiceDate" < ${to}::date + 1
             AND NOT EXISTS (SELECT 1 FROM chinook_sim.ledger d
                              WHERE i."InvoiceDate" >= d.sim_date AND i."InvoiceDate" < d.sim_date + 1)
             AND i."InvoiceId" NOT IN (SELECT id FROM late)
             -- A day live is still writing: its run has no manifest until the day's end.
             AND NOT EXISTS (SELECT 1 FROM chinook_sim.run r
                              WHERE r.kind = 'live' AND r.state = 'committed' AND r.manifest IS NULL
                                AND i."InvoiceId" BETWEEN r.first_invoice_id AND r.last_invoice_id)
        ) x`,
    ),
    await check(
      "ledger_counts",
      "each run's counts equal its rows and changes in the tables; each day's, its runs'",
      sql<Offenders[]>`
        WITH ${runs}, ${late}
        SELECT count(*)::int AS n, (array_agg(id ORDER BY id))[1:5] AS examples FROM (
          SELECT r.sim_date::text || ' run ' || r.run_number AS id FROM runs r
           WHERE (
                 (r.before_images OR r.options->>'upgradedFromRuns' = '1') AND r.inserts <> (
                    SELECT count(*) FROM public."Invoice" i
                     WHERE i."InvoiceId" BETWEEN r.first_invoice_id AND r.last_invoice_id) + (
                    SELECT count(DISTINCT c.row_id) FROM chinook_sim.change c
                      JOIN chinook_sim.run k ON k.run_id = c.run_id AND k.state = 'committed'
                     WHERE c.table_name = 'Invoice' AND c.op = 'delete'
                       AND c.row_id BETWEEN r.first_invoice_id AND r.last_invoice_id
                       AND NOT EXISTS (SELECT 1 FROM public."Invoice" i WHERE i."InvoiceId" = c.row_id))
              OR r.updates <> (SELECT count(*) FROM chinook_sim.change c WHERE c.run_id = r.run_id
                                  AND c.table_name = 'Invoice' AND c.label = 'invoice_update')
              OR r.deletes <> (SELECT count(*) FROM chinook_sim.change c WHERE c.run_id = r.run_id
                                  AND c.table_name = 'Invoice' AND c.label IN ('invoice_cancel', 'invoice_delete'))
              OR r.new_customers <> (SELECT count(*) FROM public."Customer" k
                                      WHERE k."CustomerId" BETWEEN r.first_customer_id AND r.last_customer_id)
              OR r.customer_changes <> (SELECT count(*) FROM chinook_sim.change c
                                         WHERE c.run_id = r.run_id AND c.table_name = 'Customer')
              OR (r.manifest IS NOT NULL AND r.late <> jsonb_array_length(r.manifest->'late'))
              OR r.edits <> (SELECT count(*) FROM chinook_sim.change c WHERE c.run_id = r.run_id
                                AND c.table_name = 'Invoice' AND c.label = 'invoice_edit')
              OR r.duplicates <> (SELECT count(*) FROM chinook_sim.change c WHERE c.run_id = r.run_id
                                     AND c.table_name = 'Invoice' AND c.label = 'invoice_duplicate'))
          UNION ALL
          SELECT s.sim_date::text FROM (
            SELECT sim_date, count(*)::int AS runs, sum(inserts)::int AS inserts,
                   sum(updates)::int AS updates, sum(deletes)::int AS deletes,
                   sum(new_customers)::int AS new_customers, sum(customer_changes)::int AS customer_changes,
                   sum(lines)::int AS lines, sum(revenue) AS revenue, sum(late)::int AS late,
                   sum(edits)::int AS edits, sum(duplicates)::int AS duplicates
              FROM runs GROUP BY sim_date) s
            LEFT JOIN chinook_sim.ledger d USING (sim_date)
           WHERE (d.runs, d.inserts, d.updates, d.deletes, d.new_customers, d.customer_changes,
                  d.lines, d.revenue, d.late, d.edits, d.duplicates)
                 IS DISTINCT FROM (s.runs, s.inserts, s.updates, s.deletes, s.new_customers,
                  s.customer_changes, s.lines, s.revenue, s.late, s.edits, s.duplicates)
        ) x`,
    ),
    await check(
      "sequences",
      "the id sequences are at or above the current maxima and every id ever issued (the counters)",
      sql<Offenders[]>`
        WITH maxima AS (
          SELECT 'invoice' AS name, (SELECT max("InvoiceId") FROM public."Invoice") AS max_id,
                 (SELECT last_value FROM chinook_sim.invoice_id_seq) AS seq
          UNION ALL
          SELECT 'invoice_line', (SELECT max("InvoiceLineId") FROM public."InvoiceLine"),
                 (SELECT last_value FROM chinook_sim.invoice_line_id_seq)
          UNION ALL
          SELECT 'customer', (SELECT max("CustomerId") FROM public."Customer"),
                 (SELECT last_value FROM chinook_sim.customer_id_seq)
        )
        SELECT count(*)::int AS n, array_agg(m.name ORDER BY m.name) AS examples
          FROM maxima m LEFT JOIN chinook_sim.counter c USING (name)
         WHERE m.seq < greatest(coalesce(m.max_id, 0), coalesce(c.value, 0))`,
    ),
    await check(
      "history_before_simulation",
      "the historical invoices end before the first simulated day",
      sql<Offenders[]>`
        SELECT ${agg} FROM (
          SELECT i."InvoiceId" AS id FROM public."Invoice" i
           WHERE i."InvoiceId" < ${firstSimulated}
             AND i."InvoiceDate" >= (SELECT min(sim_date) FROM chinook_sim.ledger)
        ) x`,
    ),
  ];
  // With setup --web: the runs that wrote a clickstream (those before it did not).
  if (await webInstalled(sql)) {
    checks.push(
      await check(
        "clickstream",
        "each invoice of a run with a clickstream has one purchase event, before it, in a session of its customer",
        sql<Offenders[]>`WITH ${runs}, invoices AS (
            SELECT i."InvoiceId" AS id, i."CustomerId" AS customer, i."InvoiceDate" AS at
              FROM runs r JOIN public."Invoice" i
                ON i."InvoiceId" BETWEEN r.first_invoice_id AND r.last_invoice_id
             WHERE EXISTS (SELECT 1 FROM chinook_web.session s WHERE s.run_id = r.run_id)
          ), purchases AS (
            SELECT e.invoice_id, count(*) AS n, max(e.occurred_at) AS at,
                   min(s.customer_id) AS first_customer, max(s.customer_id) AS last_customer,
                   bool_or(s.customer_id IS NULL) AS visitor
              FROM chinook_web.event e JOIN chinook_web.session s USING (session_id)
             WHERE e.event_type = 'purchase' AND e.invoice_id IN (SELECT id FROM invoices)
             GROUP BY 1
          )
          SELECT ${agg} FROM (
            SELECT i.id FROM invoices i LEFT JOIN purchases p ON p.invoice_id = i.id
             WHERE p.n IS DISTINCT FROM 1 OR p.at >= i.at OR p.visitor
                OR p.first_customer IS DISTINCT FROM i.customer
                OR p.last_customer IS DISTINCT FROM i.customer
          ) x`,
      ),
    );
  }
  return checks;
}

/**
 * The database against a run's manifest: the ground truth a pipeline is
 * compared with. Rows are taken as they were at the end of that run (the
 * before-image of their first change by a later committed run, else their
 * row now), so a manifest stays checkable after later days changed its rows.
 */
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
  // A manifest of the first release has no run id: its rows are taken as they are now.
  const runId = manifest.runId ?? Number.MAX_SAFE_INTEGER;
  const insertedIds = inserted
    ? Array.from({ length: inserted.last - inserted.first + 1 }, (_, i) => inserted.first + i)
    : [];
  const invoicesThen = sql`invoices AS (
    SELECT ids.id, r.* FROM unnest(${[
    ...insertedIds,
    ...updated.map((u) => u.invoiceId),
    ...lateIds,
  ]}::int[]) AS ids(id)
      LEFT JOIN public."Invoice" now ON now."InvoiceId" = ids.id
      LEFT JOIN LATERAL (${laterImage(sql, "Invoice", runId)}) later ON true,
      jsonb_populate_record(NULL::public."Invoice", coalesce(later.before, to_jsonb(now))) r)`;
  const linesThen = sql`lines AS (
    SELECT ids.id, r.* FROM unnest(${updated.map((u) => u.addedLineId)}::int[]) AS ids(id)
      LEFT JOIN public."InvoiceLine" now ON now."InvoiceLineId" = ids.id
      LEFT JOIN LATERAL (${laterImage(sql, "InvoiceLine", runId)}) later ON true,
      jsonb_populate_record(NULL::public."InvoiceLine", coalesce(later.before, to_jsonb(now))) r)`;
  const agg = sql`count(*)::int AS n, (array_agg(id ORDER BY id))[1:5] AS examples`;
  return [
    await check(
      "manifest_inserted",
      "every inserted invoice existed after the run (unless the manifest deletes it), dated in the window",
      sql<Offenders[]>`
        WITH ${invoicesThen}
        SELECT ${agg} FROM (
          SELECT g.id FROM unnest(${insertedIds}::int[]) AS g(id)
           WHERE g.id <> ALL(${removedIds}::int[]) AND NOT EXISTS (
             SELECT 1 FROM invoices i WHERE i.id = g.id AND i."InvoiceId" IS NOT NULL
                AND (i."InvoiceDate" >= ${manifest.window.from}::timestamp AND i."InvoiceDate" < ${manifest.window.to}::timestamp
                     OR i."InvoiceId" = ANY(${lateIds}::int[])))
        ) x`,
    ),
    await check(
      "manifest_updated",
      "updated invoices had the manifest's Total and the added line after the run",
      sql<Offenders[]>`
        WITH ${invoicesThen}, ${linesThen}
        SELECT ${agg} FROM (
          SELECT u.id FROM unnest(${updated.map((u) => u.invoiceId)}::int[], ${
        updated.map((u) => u.newTotal)
      }::numeric[],
                                  ${updated.map((u) => u.addedLineId)}::int[]) AS u(id, total, line)
           WHERE NOT EXISTS (SELECT 1 FROM invoices i JOIN lines l ON l."InvoiceId" = i."InvoiceId"
                              WHERE i.id = u.id AND l.id = u.line AND i."Total" = u.total)
        ) x`,
    ),
    await check(
      "manifest_cancelled",
      "cancelled invoices have Total 0 and no lines; deleted ones are gone",
      sql<Offenders[]>`
        SELECT ${agg} FROM (
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
      "new customers exist; late invoices carried their earlier date after the run",
      sql<Offenders[]>`
        WITH ${invoicesThen}
        SELECT ${agg} FROM (
          SELECT c.id FROM unnest(${manifest.inserted.customerIds}::int[]) AS c(id)
           WHERE NOT EXISTS (SELECT 1 FROM public."Customer" k WHERE k."CustomerId" = c.id)
          UNION ALL
          SELECT l.id FROM unnest(${lateIds}::int[], ${lateDates}::date[]) AS l(id, day)
           WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.id = l.id AND i."InvoiceDate"::date = l.day)
        ) x`,
    ),
  ];
}

/** The before-image of the first change a committed run after `runId` made to the row `ids.id`. */
function laterImage(sql: Sql, table: "Invoice" | "InvoiceLine", runId: number) {
  return sql`
    SELECT c.before FROM chinook_sim.change c JOIN chinook_sim.run k USING (run_id)
     WHERE c.table_name = ${table} AND c.row_id = ids.id AND c.run_id > ${runId}
       AND k.state = 'committed'
     ORDER BY c.change_id LIMIT 1`;
}
