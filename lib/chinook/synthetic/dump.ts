/**
 * A synthetic, Chinook-compatible catalogue for offline runs: the text of a
 * pg_dump file with the very DDL of the public Chinook sample (sql/) and
 * invented, seeded data (artists, albums, tracks, customers, employees and a
 * few years of invoice history). Pure: no I/O, no Math.random(); the same
 * options give the same text.
 */
// The DDL is verbatim from the public Chinook pg_dump (PostgreSQL 15), so the
// same loader and the same queries work on either.
import constraintsSql from "../../../sql/chinook_constraints.sql" with { type: "text" };
import tablesSql from "../../../sql/chinook_tables.sql" with { type: "text" };
import { type ChinookTable, columnsOf } from "../schema.ts";
import { addDays, parseDay } from "../../sim/calendar.ts";
import { formatCents } from "../../sim/money.ts";
import { makeCustomers } from "./customers.ts";
import { makeEmployees } from "./employees.ts";
import { makeHistory } from "./history.ts";
import { makePlaylists } from "./playlists.ts";
import { GENRES, MEDIA_TYPES } from "./reference.ts";
import { makeCatalogue } from "./tracks.ts";
import { PLAYLISTS } from "./words.ts";

export interface SyntheticOptions {
  seed: string;
  /** Years of invoice history, 2 … 5 (default 3). */
  historyYears?: number;
  /** The day of the newest historical invoice, "YYYY-MM-DD" (default 2013-12-22, as the sample). */
  lastHistoryDay?: string;
}

export const DEFAULT_HISTORY_YEARS = 3;
export const DEFAULT_LAST_HISTORY_DAY = "2013-12-22";

/** The first day of the generated history: `years` years (of 365.25 days) back, inclusive. */
export function syntheticHistoryStart(lastHistoryDay: string, years: number): string {
  return addDays(lastHistoryDay, -(Math.round(years * 365.25) - 1));
}

const DDL_TABLES = tablesSql.replace(/\n$/, "");
const DDL_CONSTRAINTS = constraintsSql.replace(/\n$/, "");

type Field = string | number | null;

/** One field in COPY text format. */
function copyField(value: Field): string {
  if (value === null) return "\\N";
  if (typeof value === "number") return String(value);
  return value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(
    /\r/g,
    "\\r",
  );
}

/**
 * A table's COPY block. Each row is an object whose fields are the table's
 * columns in camelCase, its own id as `id` (CustomerId → id, FirstName →
 * firstName): the column order is the sample's, from lib/chinook/schema.ts.
 */
function copyBlock(table: ChinookTable, rows: ReadonlyArray<object>): string {
  const columns = columnsOf(table);
  const fields = columns.map((c) => (c === `${table}Id` ? "id" : c[0]!.toLowerCase() + c.slice(1)));
  const head = [
    "--",
    `-- Data for Name: ${table}; Type: TABLE DATA; Schema: public; Owner: -`,
    "--",
    "",
    `COPY public."${table}" (${columns.map((c) => `"${c}"`).join(", ")}) FROM stdin;`,
  ];
  const body = rows.map((row) =>
    fields.map((f) => {
      if (!(f in row)) throw new Error(`${table} row without ${f}`);
      return copyField((row as Record<string, Field>)[f]!);
    }).join("\t")
  );
  return [...head, ...body, "\\.", "", "", ""].join("\n");
}

/** The whole synthetic catalogue as pg_dump text, ready for the same loader as the real sample. */
export function syntheticChinookSql(options: SyntheticOptions): string {
  const years = options.historyYears ?? DEFAULT_HISTORY_YEARS;
  if (!Number.isInteger(years) || years < 2 || years > 5) {
    throw new RangeError(`historyYears must be a whole number from 2 to 5, not ${years}`);
  }
  const lastDay = parseDay(options.lastHistoryDay ?? DEFAULT_LAST_HISTORY_DAY);
  const firstDay = syntheticHistoryStart(lastDay, years);
  const base = `chinook-sim/${options.seed}/synthetic-catalog`;

  const catalogue = makeCatalogue(base);
  const playlistTracks = makePlaylists(base, catalogue);
  const employees = makeEmployees(base, firstDay);
  const customers = makeCustomers(base);
  const { invoices, lines } = makeHistory(base, catalogue, customers, firstDay, lastDay, years);

  const blocks = [
    copyBlock("Album", catalogue.albums),
    copyBlock("Artist", catalogue.artists),
    copyBlock("Customer", customers),
    copyBlock("Employee", employees),
    copyBlock("Genre", GENRES.map((name, i) => ({ id: i + 1, name }))),
    copyBlock(
      "Invoice",
      invoices.map(({ id, customer, day, cents }) => ({
        id,
        customerId: customer.id,
        invoiceDate: `${day} 00:00:00`,
        billingAddress: customer.address,
        billingCity: customer.city,
        billingState: customer.state,
        billingCountry: customer.country,
        billingPostalCode: customer.postalCode,
        total: formatCents(cents),
      })),
    ),
    copyBlock(
      "InvoiceLine",
      lines.map(([id, invoiceId, trackId, cents]) => ({
        id,
        invoiceId,
        trackId,
        unitPrice: formatCents(cents),
        quantity: 1,
      })),
    ),
    copyBlock("MediaType", MEDIA_TYPES.map((name, i) => ({ id: i + 1, name }))),
    copyBlock("Playlist", PLAYLISTS.map((name, i) => ({ id: i + 1, name }))),
    copyBlock(
      "PlaylistTrack",
      playlistTracks.map(([playlistId, trackId]) => ({ playlistId, trackId })),
    ),
    copyBlock(
      "Track",
      catalogue.tracks.map((t) => ({ ...t, unitPrice: formatCents(t.cents) })),
    ),
  ];

  // JSON quoting keeps a strange seed (say, with a newline) inside the comment.
  const seedText = JSON.stringify(options.seed);
  const header = [
    "--",
    "-- Synthetic Chinook-compatible catalogue generated by chinook-sim",
    `-- seed ${seedText}; ${years} years of history, ${firstDay} to ${lastDay}.`,
    "-- Invented artists, tracks and people in the schema of the public Chinook",
    "-- PostgreSQL sample (pg_dump plain format).",
    "--",
    "",
    "",
  ].join("\n");
  const footer = ["", "--", "-- Synthetic Chinook-compatible catalogue complete", "--", ""].join(
    "\n",
  );
  return `${header}${DDL_TABLES}\n\n\n${blocks.join("")}${DDL_CONSTRAINTS}\n${footer}`;
}
