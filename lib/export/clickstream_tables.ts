/**
 * Export schemas of the web shop's clickstream (schema chinook_web, setup
 * --web), as sql/web.sql declares them. The day is the partition (`dt=`), so
 * sim_date is not a column of the files.
 */
import type { ColumnSchema, ColumnType, TableSchema } from "./types.ts";

const int: ColumnType = { kind: "int" };
const bigint: ColumnType = { kind: "bigint" };
const text: ColumnType = { kind: "text" };
const timestamp: ColumnType = { kind: "timestamp" };

function required(name: string, type: ColumnType): ColumnSchema {
  return { name, type, nullable: false };
}
function optional(name: string, type: ColumnType): ColumnSchema {
  return { name, type, nullable: true };
}

export const WEB_SESSION: TableSchema = {
  schema: "chinook_web",
  name: "session",
  columns: [
    required("session_id", bigint),
    required("run_id", bigint),
    required("visitor_id", text),
    optional("customer_id", int),
    required("started_at", timestamp),
    required("ended_at", timestamp),
    required("device", text),
    required("browser", text),
    required("referrer", text),
    required("country", text),
    required("landing_page", text),
    required("purchases", int),
  ],
  primaryKey: ["session_id"],
};

export const WEB_EVENT: TableSchema = {
  schema: "chinook_web",
  name: "event",
  columns: [
    required("event_id", bigint),
    required("session_id", bigint),
    required("run_id", bigint),
    required("occurred_at", timestamp),
    required("event_type", text),
    required("page", text),
    optional("track_id", int),
    optional("album_id", int),
    optional("artist_id", int),
    optional("search_query", text),
    optional("invoice_id", int),
  ],
  primaryKey: ["event_id"],
};

export const WEB_REVIEW: TableSchema = {
  schema: "chinook_web",
  name: "review",
  columns: [
    required("review_id", bigint),
    required("run_id", bigint),
    required("invoice_line_id", int),
    required("customer_id", int),
    required("track_id", int),
    required("rating", int),
    required("reviewed_at", timestamp),
  ],
  primaryKey: ["review_id"],
};

/** The clickstream's tables by name, in the order they are exported. */
export const CLICKSTREAM_TABLES: ReadonlyMap<string, TableSchema> = new Map(
  [WEB_SESSION, WEB_EVENT, WEB_REVIEW].map((table) => [table.name, table]),
);

/** Where a clickstream table lands under the export root: `clickstream/event/dt=…/`. */
export function clickstreamDataset(table: TableSchema): string {
  return `clickstream/${table.name}`;
}
