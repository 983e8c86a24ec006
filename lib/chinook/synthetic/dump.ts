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

function copyBlock(table: string, columns: readonly string[], rows: readonly Field[][]): string {
  const head = [
    "--",
    `-- Data for Name: ${table}; Type: TABLE DATA; Schema: public; Owner: -`,
    "--",
    "",
    `COPY public."${table}" (${columns.map((c) => `"${c}"`).join(", ")}) FROM stdin;`,
  ];
  const body = rows.map((row) => row.map(copyField).join("\t"));
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
    copyBlock(
      "Album",
      ["AlbumId", "Title", "ArtistId"],
      catalogue.albums.map((a) => [a.id, a.title, a.artistId]),
    ),
    copyBlock("Artist", ["ArtistId", "Name"], catalogue.artists.map((a) => [a.id, a.name])),
    copyBlock(
      "Customer",
      [
        "CustomerId",
        "FirstName",
        "LastName",
        "Company",
        "Address",
        "City",
        "State",
        "Country",
        "PostalCode",
        "Phone",
        "Fax",
        "Email",
        "SupportRepId",
      ],
      customers.map((c) => [
        c.id,
        c.firstName,
        c.lastName,
        c.company,
        c.address,
        c.city,
        c.state,
        c.country,
        c.postalCode,
        c.phone,
        c.fax,
        c.email,
        c.supportRepId,
      ]),
    ),
    copyBlock(
      "Employee",
      [
        "EmployeeId",
        "LastName",
        "FirstName",
        "Title",
        "ReportsTo",
        "BirthDate",
        "HireDate",
        "Address",
        "City",
        "State",
        "Country",
        "PostalCode",
        "Phone",
        "Fax",
        "Email",
      ],
      employees.map((e) => [
        e.id,
        e.lastName,
        e.firstName,
        e.title,
        e.reportsTo,
        e.birthDate,
        e.hireDate,
        e.address,
        e.city,
        e.state,
        e.country,
        e.postalCode,
        e.phone,
        e.fax,
        e.email,
      ]),
    ),
    copyBlock("Genre", ["GenreId", "Name"], GENRES.map((name, i) => [i + 1, name])),
    copyBlock(
      "Invoice",
      [
        "InvoiceId",
        "CustomerId",
        "InvoiceDate",
        "BillingAddress",
        "BillingCity",
        "BillingState",
        "BillingCountry",
        "BillingPostalCode",
        "Total",
      ],
      invoices.map((inv) => [
        inv.id,
        inv.customer.id,
        `${inv.day} 00:00:00`,
        inv.customer.address,
        inv.customer.city,
        inv.customer.state,
        inv.customer.country,
        inv.customer.postalCode,
        formatCents(inv.cents),
      ]),
    ),
    copyBlock(
      "InvoiceLine",
      ["InvoiceLineId", "InvoiceId", "TrackId", "UnitPrice", "Quantity"],
      lines.map(([lineId, invoiceId, trackId, cents]) => [
        lineId,
        invoiceId,
        trackId,
        formatCents(cents),
        1,
      ]),
    ),
    copyBlock("MediaType", ["MediaTypeId", "Name"], MEDIA_TYPES.map((name, i) => [i + 1, name])),
    copyBlock("Playlist", ["PlaylistId", "Name"], PLAYLISTS.map((name, i) => [i + 1, name])),
    copyBlock("PlaylistTrack", ["PlaylistId", "TrackId"], playlistTracks),
    copyBlock(
      "Track",
      [
        "TrackId",
        "Name",
        "AlbumId",
        "MediaTypeId",
        "GenreId",
        "Composer",
        "Milliseconds",
        "Bytes",
        "UnitPrice",
      ],
      catalogue.tracks.map((t) => [
        t.id,
        t.name,
        t.albumId,
        t.mediaTypeId,
        t.genreId,
        t.composer,
        t.milliseconds,
        t.bytes,
        formatCents(t.cents),
      ]),
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
