/**
 * Reads the dashboard's facts (see lib/report/dashboard_facts.ts) in one
 * read-only, repeatable-read transaction: every query sees the same moment,
 * and nothing can be written through it.
 */
import {
  CURRENCY,
  type DashboardFacts,
  EVENT_OPS,
  INVOICE_FLAGS,
  unsignedColumn,
} from "../report/dashboard_facts.ts";
import type { Sql, Tx } from "./connect.ts";
import { historyInfo } from "./ledger.ts";
import { daysBetween } from "../sim/calendar.ts";

export interface DashboardRange {
  /** The range the page opens with; default: the simulated days (else every invoice's). */
  from?: string;
  to?: string;
}

export async function readDashboardFacts(
  sql: Sql,
  range: DashboardRange,
  now: Date,
): Promise<DashboardFacts> {
  return await sql.begin(
    "isolation level repeatable read read only",
    (tx) => readFacts(tx, range, now),
  ) as DashboardFacts;
}

/**
 * A cheap summary that changes whenever the simulator may have changed the
 * facts: the highest key of each table it inserts into (the change log's
 * for updates, cancellations and deletions) and the ledger's runs. Index
 * lookups and the small ledger only; the served page polls it.
 */
export async function dashboardVersion(sql: Sql): Promise<string> {
  return await sql.begin("read only", async (tx) => {
    const [row] = await tx<{ version: string }[]>`
    SELECT concat_ws('/',
      (SELECT max("InvoiceId") FROM public."Invoice"),
      (SELECT max("InvoiceLineId") FROM public."InvoiceLine"),
      (SELECT max("CustomerId") FROM public."Customer"),
      (SELECT max(change_id) FROM chinook_sim.change),
      (SELECT sum(runs) || '@' || max(finished_at) FROM chinook_sim.ledger)) AS version`;
    return row!.version;
  }) as string;
}

/** Rows as arrays (no object per row: these queries return a row per invoice or line). */
async function tuples<T>(query: { values(): Promise<unknown> }): Promise<T[]> {
  return await query.values() as T[];
}

function codes<K>(keys: K[]): Map<K, number> {
  return new Map(keys.map((k, i) => [k, i]));
}

/** The code of `key`, adding `fallback` to the dictionary the first time it is needed. */
function codeOr<K>(map: Map<K, number>, names: string[], key: K, fallback: string): number {
  const code = map.get(key);
  if (code !== undefined) return code;
  names.push(fallback);
  map.set(key, names.length - 1);
  return names.length - 1;
}

async function readFacts(tx: Tx, range: DashboardRange, now: Date): Promise<DashboardFacts> {
  const ledgerRows = await tx<
    {
      day: string;
      runs: number;
      inserts: number;
      lines: number;
      revenueCents: string;
      updates: number;
      deletes: number;
      newCustomers: number;
      customerChanges: number;
      late: number;
      edits: number;
      duplicates: number;
      finishedAt: Date;
      timeZone: string;
      deleteMode: string;
    }[]
  >`
    SELECT sim_date::text AS day, runs, inserts, lines, (revenue * 100)::bigint::text AS "revenueCents",
           updates, deletes, new_customers AS "newCustomers", customer_changes AS "customerChanges",
           late, edits, duplicates, finished_at AS "finishedAt", time_zone AS "timeZone",
           delete_mode AS "deleteMode"
      FROM chinook_sim.ledger ORDER BY sim_date`;
  const [span] = await tx<{ first: string | null; last: string | null }[]>`
    SELECT min("InvoiceDate")::date::text AS first, max("InvoiceDate")::date::text AS last
      FROM public."Invoice"`;
  const days = [span?.first, span?.last, ledgerRows[0]?.day, ledgerRows.at(-1)?.day]
    .filter((d): d is string => typeof d === "string").sort();
  const today = now.toISOString().slice(0, 10);
  const baseDay = days[0] ?? today;
  const lastDay = days.at(-1) ?? today;
  const opened = {
    from: ledgerRows[0]?.day ?? baseDay,
    to: ledgerRows.at(-1)?.day ?? lastDay,
  };
  const to = range.to ?? opened.to;
  const from = [range.from ?? opened.from, to].sort()[0]!;

  const reps = await tx<{ id: number; name: string }[]>`
    SELECT "EmployeeId" AS id, concat_ws(' ', "FirstName", "LastName") AS name
      FROM public."Employee"
     WHERE "EmployeeId" IN (SELECT "SupportRepId" FROM public."Customer") ORDER BY 1`;
  const genres = await tx<{ id: number; name: string }[]>`
    SELECT "GenreId" AS id, coalesce("Name", '(unnamed)') AS name FROM public."Genre" ORDER BY 1`;
  const artists = await tx<{ id: number; name: string }[]>`
    SELECT "ArtistId" AS id, coalesce("Name", '(unnamed)') AS name FROM public."Artist" ORDER BY 1`;
  const tracks = await tx<
    { id: number; name: string; genre: number | null; artist: number | null }[]
  >`
    SELECT t."TrackId" AS id, t."Name" AS name, t."GenreId" AS genre, a."ArtistId" AS artist
      FROM public."Track" t LEFT JOIN public."Album" a ON a."AlbumId" = t."AlbumId" ORDER BY 1`;
  const customers = await tx<{ id: number; name: string }[]>`
    SELECT "CustomerId" AS id, concat_ws(' ', "FirstName", "LastName") AS name
      FROM public."Customer" ORDER BY 1`;
  type InvoiceRow = [number, number, number, string, number, number | null, number, number];
  const invoices = await tuples<InvoiceRow>(tx`
    WITH first_run AS (SELECT min(first_invoice_id) AS id FROM chinook_sim.ledger),
    booked AS (
      SELECT invoice_id, min(sim_date) FILTER (WHERE operation = 'invoice_late') AS late_day,
             bool_or(operation = 'invoice_duplicate') AS duplicate
        FROM chinook_sim.day_event
       WHERE operation IN ('invoice_late', 'invoice_duplicate') GROUP BY 1
    )
    SELECT i."InvoiceId", i."InvoiceDate"::date - ${baseDay}::date,
           extract(hour FROM i."InvoiceDate")::int, coalesce(i."BillingCountry", ''),
           i."CustomerId", c."SupportRepId",
           (CASE WHEN i."Total" <= 0 THEN ${INVOICE_FLAGS.cancelled} ELSE 0 END
            + CASE WHEN b.late_day IS NOT NULL THEN ${INVOICE_FLAGS.late} ELSE 0 END
            + CASE WHEN f.id IS NULL OR i."InvoiceId" < f.id THEN ${INVOICE_FLAGS.history} ELSE 0 END
            + CASE WHEN b.duplicate THEN ${INVOICE_FLAGS.duplicate} ELSE 0 END)::int,
           coalesce(b.late_day - i."InvoiceDate"::date, 0)
      FROM public."Invoice" i
      CROSS JOIN first_run f
      LEFT JOIN public."Customer" c ON c."CustomerId" = i."CustomerId"
      LEFT JOIN booked b ON b.invoice_id = i."InvoiceId"
     ORDER BY i."InvoiceDate"::date, i."InvoiceId"`);
  const lines = await tuples<[number, number, number]>(tx`
    SELECT "InvoiceId", "TrackId", round("UnitPrice" * "Quantity" * 100)::int
      FROM public."InvoiceLine" ORDER BY "InvoiceId", "InvoiceLineId"`);
  const events = await tuples<[number, string, number | null]>(tx`
    SELECT sim_date - ${baseDay}::date, operation, invoice_id FROM chinook_sim.day_event
     WHERE operation = ANY(${EVENT_OPS as unknown as string[]}::text[])
     ORDER BY sim_date, operation, invoice_id`);

  const repNames = reps.map((r) => r.name);
  const repCode = codes(reps.map((r) => r.id as number | null));
  const genreNames = genres.map((g) => g.name);
  const genreCode = codes(genres.map((g) => g.id as number | null));
  const artistNames = artists.map((a) => a.name);
  const artistCode = codes(artists.map((a) => a.id as number | null));
  const customerNames = customers.map((c) => c.name);
  const customerCode = codes(customers.map((c) => c.id));
  const trackCode = codes(tracks.map((t) => t.id));
  const countryNames = [...new Set(invoices.map((r) => r[3]))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0
  );
  const countryCode = codes(countryNames);

  const n = invoices.length;
  const position = new Map<number, number>();
  const lineCount = new Uint32Array(n);
  invoices.forEach((r, i) => position.set(r[0], i));
  for (const [invoiceId] of lines) lineCount[position.get(invoiceId)!]!++;
  // Lines in invoice order: each invoice's lines start where the previous invoice's end.
  const lineStart = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) lineStart[i + 1] = lineStart[i]! + lineCount[i]!;
  const fill = lineStart.slice(0, n);
  const lineTrack = new Uint32Array(lines.length);
  const lineCents = new Uint32Array(lines.length);
  for (const [invoiceId, trackId, cents] of lines) {
    const at = fill[position.get(invoiceId)!]!++;
    lineTrack[at] = trackCode.get(trackId)!;
    lineCents[at] = cents;
  }

  const last = ledgerRows.at(-1);
  return {
    generatedAt: now.toISOString(),
    currency: CURRENCY,
    baseDay,
    lastDay,
    initialRange: { from, to },
    timeZone: last?.timeZone ?? null,
    deleteMode: last?.deleteMode ?? null,
    lastHistoryDay: (await historyInfo(tx))?.lastHistoryDay ?? null,
    lastRunAt: ledgerRows.length === 0
      ? null
      : new Date(Math.max(...ledgerRows.map((r) => r.finishedAt.getTime()))).toISOString(),
    dictionaries: {
      countries: countryNames.map((c) => c === "" ? "(no country)" : c),
      reps: repNames,
      genres: genreNames,
      artists: artistNames,
      tracks: tracks.map((t) => t.name),
      customers: customerNames,
    },
    ledger: {
      day: unsignedColumn(ledgerRows.map((r) => daysBetween(baseDay, r.day))),
      runs: unsignedColumn(ledgerRows.map((r) => r.runs)),
      inserts: unsignedColumn(ledgerRows.map((r) => r.inserts)),
      lines: unsignedColumn(ledgerRows.map((r) => r.lines)),
      revenueCents: Float64Array.from(ledgerRows, (r) => Number(r.revenueCents)),
      updates: unsignedColumn(ledgerRows.map((r) => r.updates)),
      deletes: unsignedColumn(ledgerRows.map((r) => r.deletes)),
      newCustomers: unsignedColumn(ledgerRows.map((r) => r.newCustomers)),
      customerChanges: unsignedColumn(ledgerRows.map((r) => r.customerChanges)),
      late: unsignedColumn(ledgerRows.map((r) => r.late)),
      edits: unsignedColumn(ledgerRows.map((r) => r.edits)),
      duplicates: unsignedColumn(ledgerRows.map((r) => r.duplicates)),
    },
    invoices: {
      day: unsignedColumn(invoices.map((r) => r[1])),
      hour: unsignedColumn(invoices.map((r) => r[2])),
      country: unsignedColumn(invoices.map((r) => countryCode.get(r[3])!)),
      rep: unsignedColumn(invoices.map((r) => codeOr(repCode, repNames, r[5], "(no rep)"))),
      customer: unsignedColumn(
        invoices.map((r) => codeOr(customerCode, customerNames, r[4], `Customer ${r[4]}`)),
      ),
      flags: unsignedColumn(invoices.map((r) => r[6])),
      lateDays: unsignedColumn(invoices.map((r) => r[7])),
      lineCount: unsignedColumn(lineCount),
    },
    lines: { track: unsignedColumn(lineTrack), cents: unsignedColumn(lineCents) },
    tracks: {
      genre: unsignedColumn(
        tracks.map((t) => codeOr(genreCode, genreNames, t.genre, "(no genre)")),
      ),
      artist: unsignedColumn(
        tracks.map((t) => codeOr(artistCode, artistNames, t.artist, "(no artist)")),
      ),
    },
    events: {
      day: unsignedColumn(events.map((e) => e[0])),
      op: unsignedColumn(events.map((e) => (EVENT_OPS as readonly string[]).indexOf(e[1]))),
      invoice: unsignedColumn(
        events.map((e) => e[2] === null ? 0 : (position.get(e[2]) ?? -1) + 1),
      ),
    },
  };
}
