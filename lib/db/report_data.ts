/** Gathers what `report` shows, for a range of simulated days. Money in cents. */
import type { ReportData } from "../report/model.ts";
import { addDays } from "../sim/calendar.ts";
import { toCents } from "../sim/money.ts";
import type { Sql } from "./connect.ts";
import { customerWindow, monthlySeries } from "./realism.ts";

const TOP = 10;

export async function readReportData(
  sql: Sql,
  range: { from: string; to: string },
  now: Date,
): Promise<ReportData> {
  const { from, to } = range;
  const days = await sql<
    {
      day: string;
      invoices: number;
      lines: number;
      revenue_cents: string;
      updates: number;
      cancellations: number;
      new_customers: number;
    }[]
  >`
    WITH days AS (SELECT d::date AS day FROM generate_series(${from}::date, ${to}::date, interval '1 day') d),
    sales AS (
      SELECT i."InvoiceDate"::date AS day, count(DISTINCT i."InvoiceId")::int AS invoices,
             count(l."InvoiceLineId")::int AS lines,
             coalesce(sum(l."UnitPrice" * l."Quantity") * 100, 0)::bigint AS revenue_cents
        FROM public."Invoice" i
        LEFT JOIN public."InvoiceLine" l ON l."InvoiceId" = i."InvoiceId"
       WHERE i."InvoiceDate" >= ${from}::date AND i."InvoiceDate" < ${to}::date + 1 AND i."Total" > 0
       GROUP BY 1
    ),
    changes AS (
      -- The ledger's totals of each day's committed runs.
      SELECT sim_date AS day, updates, deletes AS cancellations, new_customers
        FROM chinook_sim.ledger WHERE sim_date BETWEEN ${from}::date AND ${to}::date
    )
    SELECT d.day::text AS day, coalesce(s.invoices, 0) AS invoices, coalesce(s.lines, 0) AS lines,
           coalesce(s.revenue_cents, 0)::text AS revenue_cents, coalesce(c.updates, 0) AS updates,
           coalesce(c.cancellations, 0) AS cancellations, coalesce(c.new_customers, 0) AS new_customers
      FROM days d LEFT JOIN sales s USING (day) LEFT JOIN changes c USING (day)
     ORDER BY d.day`;
  const hours = await sql<{ hour: number; invoices: number }[]>`
    SELECT extract(hour FROM "InvoiceDate")::int AS hour, count(*)::int AS invoices
      FROM public."Invoice"
     WHERE "InvoiceDate" >= ${to}::date AND "InvoiceDate" < ${to}::date + 1 AND "Total" > 0
     GROUP BY 1`;
  const hourOfDay = new Array<number>(24).fill(0);
  for (const h of hours) hourOfDay[h.hour] = h.invoices;
  const genres = await sql<{ name: string; revenue_cents: string; lines: number }[]>`
    SELECT coalesce(g."Name", '(none)') AS name, (sum(l."UnitPrice" * l."Quantity") * 100)::bigint::text AS revenue_cents,
           count(*)::int AS lines
      FROM public."InvoiceLine" l
      JOIN public."Invoice" i ON i."InvoiceId" = l."InvoiceId"
      JOIN public."Track" t ON t."TrackId" = l."TrackId"
      LEFT JOIN public."Genre" g ON g."GenreId" = t."GenreId"
     WHERE i."InvoiceDate" >= ${from}::date AND i."InvoiceDate" < ${to}::date + 1
     GROUP BY 1 ORDER BY sum(l."UnitPrice" * l."Quantity") DESC, 1 LIMIT ${TOP}`;
  const countries = await sql<{ name: string; revenue_cents: string; invoices: number }[]>`
    SELECT coalesce("BillingCountry", '(none)') AS name, (sum("Total") * 100)::bigint::text AS revenue_cents,
           count(*)::int AS invoices
      FROM public."Invoice"
     WHERE "InvoiceDate" >= ${from}::date AND "InvoiceDate" < ${to}::date + 1 AND "Total" > 0
     GROUP BY 1 ORDER BY sum("Total") DESC, 1 LIMIT ${TOP}`;
  const months = (await monthlySeries(sql)).filter((m) => m.month <= to.slice(0, 7));
  const customerActivity = await customerWindow(sql, addDays(to, -29), to);
  return {
    from,
    to,
    generatedAt: now.toISOString(),
    months: months.map((m) => ({
      month: m.month,
      invoices: m.invoices,
      revenueCents: toCents(m.revenue),
    })),
    customerActivity,
    days: days.map((d) => ({
      day: d.day,
      invoices: d.invoices,
      lines: d.lines,
      revenueCents: Number(d.revenue_cents),
      updates: d.updates,
      cancellations: d.cancellations,
      newCustomers: d.new_customers,
    })),
    hourOfDay: { day: to, invoices: hourOfDay },
    topGenres: genres.map((g) => ({
      name: g.name,
      revenueCents: Number(g.revenue_cents),
      lines: g.lines,
    })),
    topCountries: countries.map((c) => ({
      name: c.name,
      revenueCents: Number(c.revenue_cents),
      invoices: c.invoices,
    })),
  };
}
