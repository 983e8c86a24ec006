/**
 * How believable the store looks, computed by SQL on its tables: the monthly series (and the
 * largest step between consecutive complete months), customer activity over 30-day windows,
 * the people the simulator made checked against the per-country format table, and invoices at
 * wall-clock times that do not exist in the store's zone. Read-only.
 */
import { addDays } from "../sim/calendar.ts";
import { placeProblems } from "../sim/people/formats.ts";
import type { Sql, Tx } from "./connect.ts";

export interface MonthFigures {
  month: string;
  invoices: number;
  revenue: string;
}

export interface WindowFigures {
  /** The window's first and last day. */
  from: string;
  to: string;
  invoices: number;
  /** Distinct customers who bought in the window. */
  buyers: number;
  /** The most invoices one customer has in the window. */
  top: number;
  /** Invoices of the median customer who bought. */
  median: number;
  /** Share of the window's invoices that are a customer's first ever. */
  firstTimeShare: number;
}

export interface Step {
  ratio: number;
  from: string;
  to: string;
}

/** The largest ratio between consecutive months, the first and the last (partial) left out. */
function largestStep(months: MonthFigures[], value: (m: MonthFigures) => number): Step | null {
  let step: Step | null = null;
  for (let i = 2; i < months.length - 1; i++) {
    const [a, b] = [value(months[i - 1]!), value(months[i]!)];
    const ratio = Math.max(a, b) / Math.max(Math.min(a, b), 1e-9);
    if (step === null || ratio > step.ratio) {
      step = { ratio: Number(ratio.toFixed(3)), from: months[i - 1]!.month, to: months[i]!.month };
    }
  }
  return step;
}

export interface RealismFigures {
  months: MonthFigures[];
  /** The largest ratio between consecutive complete months' invoice counts (first and last skipped). */
  maxMonthStep: Step | null;
  /** The same for the monthly revenue. */
  maxRevenueStep: Step | null;
  windows: WindowFigures[];
  people: { checked: number; invalid: number; examples: string[] };
  /** Invoices whose wall-clock time does not exist in `timeZone` (a skipped DST hour). */
  nonexistentTimes: { timeZone: string; invoices: number };
}

/**
 * The figures of the store: `windows` 30-day windows ending on `lastDay` and every `stepDays`
 * before it; people checked are the customers with ids from `firstCustomerId`.
 */
export async function realismFigures(
  sql: Sql | Tx,
  options: {
    lastDay: string;
    windows: number;
    stepDays: number;
    firstCustomerId: number;
    timeZone: string;
  },
): Promise<RealismFigures> {
  const months = await monthlySeries(sql);
  const maxMonthStep = largestStep(months, (m) => m.invoices);
  const maxRevenueStep = largestStep(months, (m) => Number(m.revenue));

  const windows: WindowFigures[] = [];
  for (let w = options.windows - 1; w >= 0; w--) {
    const to = addDays(options.lastDay, -w * options.stepDays);
    const from = addDays(to, -29);
    windows.push(await customerWindow(sql, from, to));
  }

  const customers = await sql<
    {
      id: number;
      country: string | null;
      city: string | null;
      state: string | null;
      postal: string | null;
      phone: string | null;
      fax: string | null;
    }[]
  >`
    SELECT "CustomerId" AS id, "Country" AS country, "City" AS city, "State" AS state,
           "PostalCode" AS postal, "Phone" AS phone, "Fax" AS fax
      FROM public."Customer" WHERE "CustomerId" >= ${options.firstCustomerId} ORDER BY 1`;
  const examples: string[] = [];
  let invalid = 0;
  for (const c of customers) {
    const problems = placeProblems({
      country: c.country,
      city: c.city,
      state: c.state,
      postalCode: c.postal,
      phone: c.phone,
      fax: c.fax,
    });
    if (problems.length === 0) continue;
    invalid++;
    if (examples.length < 5) examples.push(`customer ${c.id}: ${problems.join("; ")}`);
  }

  // A wall clock that does not exist comes back as another one after a round trip through the zone.
  const [times] = await sql<{ n: string }[]>`
    SELECT count(*)::text AS n FROM public."Invoice"
     WHERE ("InvoiceDate" AT TIME ZONE ${options.timeZone}) AT TIME ZONE ${options.timeZone}
           <> "InvoiceDate"`;

  return {
    months,
    maxMonthStep,
    maxRevenueStep,
    windows,
    people: { checked: customers.length, invalid, examples },
    nonexistentTimes: { timeZone: options.timeZone, invoices: Number(times?.n ?? 0) },
  };
}

/** Invoices and revenue per calendar month, the store's first month to its last. */
export async function monthlySeries(sql: Sql | Tx): Promise<MonthFigures[]> {
  const rows = await sql<{ month: string; invoices: string; revenue: string }[]>`
    SELECT to_char("InvoiceDate", 'YYYY-MM') AS month, count(*)::text AS invoices,
           sum("Total")::text AS revenue
      FROM public."Invoice" GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => ({ month: r.month, invoices: Number(r.invoices), revenue: r.revenue }));
}

/** Customer activity from `from` to `to` (both included). */
export async function customerWindow(
  sql: Sql | Tx,
  from: string,
  to: string,
): Promise<WindowFigures> {
  const end = addDays(to, 1);
  const [row] = await sql<
    {
      invoices: string | null;
      buyers: string;
      top: number | null;
      median: number | null;
      first_time: string;
    }[]
  >`
    WITH bought AS (
      SELECT "CustomerId" AS customer, count(*)::int AS n FROM public."Invoice"
       WHERE "InvoiceDate" >= ${from}::date AND "InvoiceDate" < ${end}::date
       GROUP BY 1
    ), firsts AS (
      SELECT "CustomerId" AS customer, min("InvoiceDate") AS first FROM public."Invoice" GROUP BY 1
    )
    SELECT sum(n)::text AS invoices, count(*)::text AS buyers, max(n) AS top,
           percentile_disc(0.5) WITHIN GROUP (ORDER BY n) AS median,
           (SELECT count(*) FROM firsts
             WHERE first >= ${from}::date AND first < ${end}::date)::text AS first_time
      FROM bought`;
  const invoices = Number(row?.invoices ?? 0);
  return {
    from,
    to,
    invoices,
    buyers: Number(row?.buyers ?? 0),
    top: row?.top ?? 0,
    median: row?.median ?? 0,
    firstTimeShare: invoices > 0 ? Number((Number(row?.first_time ?? 0) / invoices).toFixed(3)) : 0,
  };
}
