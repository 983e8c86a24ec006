/**
 * Export schemas of the sales tables, as the Chinook sample's DDL declares them
 * (PascalCase names; varchar lengths are not enforced by the export).
 */
import type { ColumnSchema, ColumnType, TableSchema } from "./types.ts";

const int: ColumnType = { kind: "int" };
const text: ColumnType = { kind: "text" };
/** numeric(10,2), carried as integer cents. */
const money: ColumnType = { kind: "decimal", precision: 10, scale: 2 };
const timestamp: ColumnType = { kind: "timestamp" };

function required(name: string, type: ColumnType): ColumnSchema {
  return { name, type, nullable: false };
}
function optional(name: string, type: ColumnType): ColumnSchema {
  return { name, type, nullable: true };
}

export const INVOICE: TableSchema = {
  schema: "public",
  name: "Invoice",
  columns: [
    required("InvoiceId", int),
    required("CustomerId", int),
    required("InvoiceDate", timestamp),
    optional("BillingAddress", text),
    optional("BillingCity", text),
    optional("BillingState", text),
    optional("BillingCountry", text),
    optional("BillingPostalCode", text),
    required("Total", money),
  ],
  primaryKey: ["InvoiceId"],
};

export const INVOICE_LINE: TableSchema = {
  schema: "public",
  name: "InvoiceLine",
  columns: [
    required("InvoiceLineId", int),
    required("InvoiceId", int),
    required("TrackId", int),
    required("UnitPrice", money),
    required("Quantity", int),
  ],
  primaryKey: ["InvoiceLineId"],
};

export const CUSTOMER: TableSchema = {
  schema: "public",
  name: "Customer",
  columns: [
    required("CustomerId", int),
    required("FirstName", text),
    required("LastName", text),
    optional("Company", text),
    optional("Address", text),
    optional("City", text),
    optional("State", text),
    optional("Country", text),
    optional("PostalCode", text),
    optional("Phone", text),
    optional("Fax", text),
    required("Email", text),
    optional("SupportRepId", int),
  ],
  primaryKey: ["CustomerId"],
};

/** The tables whose daily changes are exported, by name. */
export const SALES_TABLES: ReadonlyMap<string, TableSchema> = new Map(
  [INVOICE, INVOICE_LINE, CUSTOMER].map((table) => [table.name, table]),
);

/** A catalogue table whose key is one integer, named `<Table>Id`, with a nullable name. */
function named(name: string): TableSchema {
  return {
    schema: "public",
    name,
    columns: [required(`${name}Id`, int), optional("Name", text)],
    primaryKey: [`${name}Id`],
  };
}

export const ALBUM: TableSchema = {
  schema: "public",
  name: "Album",
  columns: [required("AlbumId", int), required("Title", text), required("ArtistId", int)],
  primaryKey: ["AlbumId"],
};

export const EMPLOYEE: TableSchema = {
  schema: "public",
  name: "Employee",
  columns: [
    required("EmployeeId", int),
    required("LastName", text),
    required("FirstName", text),
    optional("Title", text),
    optional("ReportsTo", int),
    optional("BirthDate", timestamp),
    optional("HireDate", timestamp),
    optional("Address", text),
    optional("City", text),
    optional("State", text),
    optional("Country", text),
    optional("PostalCode", text),
    optional("Phone", text),
    optional("Fax", text),
    optional("Email", text),
  ],
  primaryKey: ["EmployeeId"],
};

export const PLAYLIST_TRACK: TableSchema = {
  schema: "public",
  name: "PlaylistTrack",
  columns: [required("PlaylistId", int), required("TrackId", int)],
  primaryKey: ["PlaylistId", "TrackId"],
};

export const TRACK: TableSchema = {
  schema: "public",
  name: "Track",
  columns: [
    required("TrackId", int),
    required("Name", text),
    optional("AlbumId", int),
    required("MediaTypeId", int),
    optional("GenreId", int),
    optional("Composer", text),
    required("Milliseconds", int),
    optional("Bytes", int),
    required("UnitPrice", money),
  ],
  primaryKey: ["TrackId"],
};

/** Every Chinook table, in the sample's (alphabetical) order: what `export --snapshot` writes. */
export const CHINOOK_EXPORT_TABLES: readonly TableSchema[] = [
  ALBUM,
  named("Artist"),
  CUSTOMER,
  EMPLOYEE,
  named("Genre"),
  INVOICE,
  INVOICE_LINE,
  named("MediaType"),
  named("Playlist"),
  PLAYLIST_TRACK,
  TRACK,
];
