/**
 * The dashboard's data contract: compact columnar facts the page aggregates
 * itself, so every filter recomputes every number in the browser. Ids are
 * replaced by codes (positions in the dictionaries), days by day numbers
 * counted from `baseDay`, money by integer cents. Pure.
 *
 * Two kinds of numbers, never mixed:
 * - current: the tables now (invoices by InvoiceDate, after every later
 *   update, edit and cancellation); the `invoices` and `lines` columns.
 * - as booked: what each day's runs reported, by simulated day; the `ledger`
 *   columns (the store as a whole) and the `events` columns (the change log,
 *   one entry per invoice change, linked to the invoice while it still exists).
 */
import { Buffer } from "node:buffer";

export const FACTS_FORMAT = "chinook-sim/dashboard-facts@1";

/** Chinook's prices are iTunes US prices; the schema has no currency column. */
export const CURRENCY = "USD";

/** Change-log operations on invoices, in code order (events.op). */
export const EVENT_OPS = [
  "invoice_update",
  "invoice_cancel",
  "invoice_delete",
  "invoice_late",
  "invoice_edit",
  "invoice_duplicate",
] as const;

/** Bits of invoices.flags. */
export const INVOICE_FLAGS = {
  /** Total is 0: cancelled (its lines removed), still a row in the table. */
  cancelled: 1,
  /** Arrived late: written by the run of a later day than its InvoiceDate. */
  late: 2,
  /** Part of the historical data, not written by any run. */
  history: 4,
  /** The cancelled copy of a double submission. */
  duplicate: 8,
} as const;

export type Column = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

export interface DashboardFacts {
  generatedAt: string;
  currency: string;
  /** Day number 0; every day column counts from here. */
  baseDay: string;
  /** Largest day number any column or ledger row uses. */
  lastDay: string;
  /** The date range the page opens with. */
  initialRange: { from: string; to: string };
  /** The zone of the store's wall-clock days and hours (the last run's). */
  timeZone: string | null;
  deleteMode: string | null;
  lastHistoryDay: string | null;
  /** When the newest run committed (ISO); null before the first run. */
  lastRunAt: string | null;
  dictionaries: {
    countries: string[];
    /** Sales reps (Chinook's support reps: the "store" of a customer). */
    reps: string[];
    genres: string[];
    artists: string[];
    tracks: string[];
    customers: string[];
  };
  /**
   * One entry per simulated day: what its runs reported (summed over its
   * runs), as `simulate --json` printed it. Ordered by day.
   */
  ledger: {
    day: Column;
    runs: Column;
    inserts: Column;
    lines: Column;
    revenueCents: Float64Array;
    updates: Column;
    deletes: Column;
    newCustomers: Column;
    customerChanges: Column;
    late: Column;
    edits: Column;
    duplicates: Column;
  };
  /** One entry per invoice in the table now, ordered by InvoiceDate's day, then InvoiceId. */
  invoices: {
    day: Column;
    hour: Column;
    country: Column;
    /** The customer's support rep now (Invoice has no rep of its own). */
    rep: Column;
    customer: Column;
    flags: Column;
    /** Days from InvoiceDate to the day whose run wrote it (late arrivals; 0 otherwise). */
    lateDays: Column;
    /** Its lines are the next lineCount entries of `lines`. */
    lineCount: Column;
  };
  /** One entry per invoice line now, grouped by invoice in invoice order. */
  lines: {
    track: Column;
    /** UnitPrice × Quantity in cents. */
    cents: Column;
  };
  /** Per track code. */
  tracks: { genre: Column; artist: Column };
  /** One entry per invoice change in the change log, ordered by simulated day. */
  events: {
    day: Column;
    /** Index into EVENT_OPS. */
    op: Column;
    /** Invoice position + 1; 0 when the invoice is no longer in the table. */
    invoice: Column;
  };
}

/** The smallest unsigned column type that holds every value in 0 … max. */
export function unsignedColumn(values: ArrayLike<number>): Column {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0) {
      throw new RangeError(`Cannot store ${v} in an unsigned column: expected whole numbers ≥ 0`);
    }
    if (v > max) max = v;
  }
  if (max > 0xffff_ffff) throw new RangeError(`Cannot store ${max} in 32 bits`);
  const Type = max <= 0xff ? Uint8Array : max <= 0xffff ? Uint16Array : Uint32Array;
  return Type.from(values);
}

const TYPE_NAMES = new Map<string, string>([
  ["Uint8Array", "u8"],
  ["Uint16Array", "u16"],
  ["Uint32Array", "u32"],
  ["Int32Array", "i32"],
  ["Float64Array", "f64"],
]);

const TABLES = ["invoices", "lines", "tracks", "events", "ledger"] as const;

/** How one column sits in the binary block. */
export interface ColumnEntry {
  table: string;
  name: string;
  type: string;
  length: number;
  /** Byte offset in the decompressed block (a multiple of 8). */
  offset: number;
}

/** What the page embeds: JSON, with the columns as one gzip'd, base64'd block. */
export interface EncodedFacts extends Omit<DashboardFacts, (typeof TABLES)[number]> {
  format: typeof FACTS_FORMAT;
  eventOps: typeof EVENT_OPS;
  invoiceFlags: typeof INVOICE_FLAGS;
  counts: Record<(typeof TABLES)[number], number>;
  columns: ColumnEntry[];
  /** Base64 of the gzip'd block. */
  data: string;
}

export async function encodeFacts(facts: DashboardFacts): Promise<EncodedFacts> {
  const columns: ColumnEntry[] = [];
  const parts: Column[] = [];
  let offset = 0;
  const counts = { invoices: 0, lines: 0, tracks: 0, events: 0, ledger: 0 };
  for (const table of TABLES) {
    const entries = Object.entries(facts[table]) as Array<[string, Column]>;
    counts[table] = entries[0]?.[1].length ?? 0;
    for (const [name, column] of entries) {
      if (column.length !== counts[table]) {
        throw new RangeError(
          `Cannot encode ${table}.${name}: ${column.length} entries, the table has ${
            counts[table]
          }`,
        );
      }
      columns.push({
        table,
        name,
        type: TYPE_NAMES.get(column.constructor.name)!,
        length: column.length,
        offset,
      });
      parts.push(column);
      offset += Math.ceil(column.byteLength / 8) * 8;
    }
  }
  const block = new Uint8Array(offset);
  parts.forEach((column, i) => {
    block.set(
      new Uint8Array(column.buffer, column.byteOffset, column.byteLength),
      columns[i]!.offset,
    );
  });
  const gzipped = new Uint8Array(
    await new Response(new Blob([block]).stream().pipeThrough(new CompressionStream("gzip")))
      .arrayBuffer(),
  );
  const { invoices: _i, lines: _l, tracks: _t, events: _e, ledger: _d, ...meta } = facts;
  return {
    format: FACTS_FORMAT,
    eventOps: EVENT_OPS,
    invoiceFlags: INVOICE_FLAGS,
    ...meta,
    counts,
    columns,
    data: Buffer.from(gzipped).toString("base64"),
  };
}

/** JSON for inside an HTML <script> element: no "</script>", no "<!--". */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll("<", "\\u003c").replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}
