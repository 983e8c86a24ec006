/**
 * The Chinook schema as chinook-sim knows it: the eleven tables and every
 * identifier, in the two variants in circulation. Quoted PascalCase
 * ("Invoice"."InvoiceId", the PostgreSQL sample) and snake_case
 * (invoice.invoice_id, the current upstream scripts). All SQL of chinook-sim
 * is written once, in PascalCase; for a snake_case database its quoted
 * Chinook identifiers are mapped by the one table below. Pure.
 */

export type Variant = "pascal" | "snake";

export const CHINOOK_TABLES = [
  "Album",
  "Artist",
  "Customer",
  "Employee",
  "Genre",
  "Invoice",
  "InvoiceLine",
  "MediaType",
  "Playlist",
  "PlaylistTrack",
  "Track",
] as const;

/** Every Chinook table and column name, as in the PostgreSQL sample. */
export const CHINOOK_IDENTIFIERS = [
  "Album",
  "AlbumId",
  "Title",
  "ArtistId",
  "Artist",
  "Name",
  "Customer",
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
  "Employee",
  "EmployeeId",
  "ReportsTo",
  "BirthDate",
  "HireDate",
  "Genre",
  "GenreId",
  "Invoice",
  "InvoiceId",
  "InvoiceDate",
  "BillingAddress",
  "BillingCity",
  "BillingState",
  "BillingCountry",
  "BillingPostalCode",
  "Total",
  "InvoiceLine",
  "InvoiceLineId",
  "TrackId",
  "UnitPrice",
  "Quantity",
  "MediaType",
  "MediaTypeId",
  "Playlist",
  "PlaylistId",
  "PlaylistTrack",
  "Track",
  "Composer",
  "Milliseconds",
  "Bytes",
] as const;

export type ChinookIdentifier = (typeof CHINOOK_IDENTIFIERS)[number];

/** "InvoiceLineId" → "invoice_line_id". */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

const SNAKE: ReadonlyMap<string, string> = new Map(
  CHINOOK_IDENTIFIERS.map((n) => [n, snakeCase(n)]),
);
const QUOTED = /"([A-Za-z]+)"/g;

/** Rewrites the quoted Chinook identifiers of a statement for `variant`; other text is untouched. */
export function translateSql(text: string, variant: Variant): string {
  if (variant === "pascal") return text;
  return text.replace(QUOTED, (whole, name: string) => SNAKE.get(name) ?? whole);
}

/** The name of a Chinook identifier in `variant` (for information_schema look-ups). */
export function nameIn(variant: Variant, name: ChinookIdentifier): string {
  return variant === "pascal" ? name : SNAKE.get(name)!;
}

/** The one-line explanation of what a Chinook database must contain. */
export const EXPECTED_CHINOOK = `the 11 Chinook tables, either quoted PascalCase (${
  CHINOOK_TABLES.map((t) => `"${t}"`).join(", ")
}) or snake_case (${CHINOOK_TABLES.map((t) => snakeCase(t)).join(", ")})`;
