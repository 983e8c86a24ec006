/**
 * Change events in the envelope of Debezium's PostgreSQL connector, as its
 * JSON converter writes them without schemas (value only, one per line):
 *
 *   {"before":…,"after":…,"source":{"version","connector","name","ts_ms",
 *    "snapshot","db","sequence","ts_us","ts_ns","schema","table","txId",
 *    "lsn","xmin"},"op":"c|u|d","ts_ms","ts_us","ts_ns",
 *    "transaction":{"id","total_order","data_collection_order"}}
 *
 * Where the simulator differs from a live connector, on purpose:
 * - `connector` is "chinook-sim" and `version` the tool's version;
 * - there is no WAL position: `lsn` is the change's sequence and `sequence` is
 *   `["<last sequence of the previous transaction>","<this sequence>"]`, the
 *   shape of Debezium's `[lastCommitLsn, lsn]` — strictly increasing across
 *   days, so it orders and deduplicates events like the real one;
 * - `ts_ms`/`ts_us`/`ts_ns`, in `source` and in the envelope, are the commit
 *   time (a connector puts its own clock in the envelope's): events are
 *   reproducible byte for byte;
 * - updates and deletes carry the full before-image, as with REPLICA IDENTITY
 *   FULL; deletes are not followed by tombstones (a Kafka compaction device).
 * Column values follow the connector's defaults: integers as numbers,
 * `timestamp` as io.debezium.time.MicroTimestamp (epoch microseconds of the
 * wall-clock time), `timestamptz` as io.debezium.time.ZonedTimestamp (ISO 8601,
 * UTC). Decimals follow `decimal.handling.mode`: "string" here by default
 * ("1.99": exact and readable); "precise" (the connector's default: base64 of
 * the unscaled two's-complement integer, scale from the schema) and "double"
 * are available.
 */
import { checkChange } from "./changes.ts";
import type { LineEncoding } from "./line_file.ts";
import type { ChangeRecord, ColumnSchema, Row, TableSchema, Value } from "./types.ts";
import {
  bigintValue,
  cell,
  decimalValue,
  formatDecimal,
  formatIsoUtc,
  intValue,
  textValue,
  timestampMicros,
  timestamptzMicros,
} from "./values.ts";

export type DecimalHandling = "string" | "precise" | "double";

export interface DebeziumOptions {
  /** `source.name`: the logical server name, also the topic prefix. */
  readonly serverName: string;
  /** `source.db`: the database name. */
  readonly database: string;
  /** `source.version`: the tool's version. */
  readonly version: string;
  readonly decimalHandling?: DecimalHandling;
}

/** Where an event stands in its transaction and in the stream. */
export interface DebeziumPosition {
  /** `transaction.id`: `<txId>:<sequence of the transaction's first change>`. */
  readonly transactionId: string;
  /** 1-based place of the event among all events of its transaction. */
  readonly totalOrder: number;
  /** 1-based place among the events of the same table in its transaction. */
  readonly dataCollectionOrder: number;
  /** Sequence of the previous transaction's last change (null: none before). */
  readonly lastCommitSequence: number | null;
}

/** Java's BigInteger.toByteArray: minimal big-endian two's complement. */
function twosComplement(value: bigint): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  for (;;) {
    const byte = Number(rest & 0xffn);
    bytes.unshift(byte);
    rest >>= 8n;
    if ((rest === 0n && !(byte & 0x80)) || (rest === -1n && byte & 0x80)) break;
  }
  return Uint8Array.from(bytes);
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** One column value as a JSON literal, in the connector's encoding. */
export function debeziumValue(
  column: ColumnSchema,
  value: Value,
  decimalHandling: DecimalHandling = "string",
): string {
  if (value === null) return "null";
  const type = column.type;
  switch (type.kind) {
    case "int":
      return String(intValue(column, value));
    case "bigint":
      return bigintValue(column, value).toString();
    case "text":
      return JSON.stringify(textValue(column, value));
    case "decimal": {
      const unscaled = decimalValue(column, value);
      if (decimalHandling === "precise") return `"${base64(twosComplement(BigInt(unscaled)))}"`;
      const text = formatDecimal(unscaled, type.scale);
      return decimalHandling === "double" ? String(Number(text)) : `"${text}"`;
    }
    case "timestamp":
      return String(timestampMicros(column, value));
    case "timestamptz":
      return JSON.stringify(formatIsoUtc(timestamptzMicros(column, value)));
  }
}

/** A row image as a JSON object, columns in table order. */
export function debeziumRow(
  table: TableSchema,
  row: Row | null,
  decimalHandling: DecimalHandling = "string",
): string {
  if (row === null) return "null";
  const fields = table.columns.map((column) =>
    `${JSON.stringify(column.name)}:${
      debeziumValue(column, cell(table, column, row), decimalHandling)
    }`
  );
  return `{${fields.join(",")}}`;
}

const COMMIT: ColumnSchema = { name: "commitTs", type: { kind: "timestamptz" }, nullable: false };

/** One event (JSON, no line end) for a change at a given position. */
export function debeziumEnvelope(
  table: TableSchema,
  change: ChangeRecord,
  options: DebeziumOptions,
  position: DebeziumPosition,
): string {
  checkChange(table, change);
  const handling = options.decimalHandling ?? "string";
  const micros = timestamptzMicros(COMMIT, change.commitTs);
  const millis = micros >= 0n ? micros / 1000n : -((-micros + 999n) / 1000n);
  const times = `"ts_ms":${millis},"ts_us":${micros},"ts_ns":${micros * 1000n}`;
  const last = position.lastCommitSequence === null ? null : String(position.lastCommitSequence);
  const sequence = JSON.stringify([last, String(change.sequence)]);
  const source = `{"version":${JSON.stringify(options.version)},"connector":"chinook-sim",` +
    `"name":${JSON.stringify(options.serverName)},"ts_ms":${millis},"snapshot":"false",` +
    `"db":${JSON.stringify(options.database)},"sequence":${JSON.stringify(sequence)},` +
    `"ts_us":${micros},"ts_ns":${micros * 1000n},"schema":${JSON.stringify(table.schema)},` +
    `"table":${JSON.stringify(table.name)},"txId":${change.txId},"lsn":${change.sequence},` +
    `"xmin":null}`;
  const transaction = `{"id":${JSON.stringify(position.transactionId)},` +
    `"total_order":${position.totalOrder},` +
    `"data_collection_order":${position.dataCollectionOrder}}`;
  return `{"before":${debeziumRow(table, change.before, handling)},` +
    `"after":${debeziumRow(table, change.after, handling)},"source":${source},` +
    `"op":"${change.op}",${times},"transaction":${transaction}}`;
}

/**
 * Turns changes, given in commit order, into event lines, keeping track of
 * transactions: their ids, the event orders within them, and the previous
 * transaction's last sequence. Refuses changes out of order.
 */
export class DebeziumStream {
  #lastSequence: number | null;
  #lastCommitSequence: number | null;
  #txId: number | null = null;
  #transactionId = "";
  #totalOrder = 0;
  #perTable = new Map<string, number>();
  #finished = new Set<number>();

  /**
   * @param previousSequence the sequence of the last change before the first
   * one given (from earlier days), so a day's events are the same whether it
   * is exported alone or as part of a longer stream; null for the beginning.
   */
  constructor(
    private readonly tables: ReadonlyMap<string, TableSchema>,
    private readonly options: DebeziumOptions,
    previousSequence: number | null = null,
  ) {
    this.#lastSequence = previousSequence;
    this.#lastCommitSequence = previousSequence;
  }

  /** The event line (LF-terminated) of the next change. */
  line(change: ChangeRecord): string {
    const table = this.tables.get(change.table);
    if (!table) {
      throw new RangeError(
        `Cannot export a change of table "${change.table}": it has no export schema; add it to the tables given`,
      );
    }
    if (this.#lastSequence !== null && !(change.sequence > this.#lastSequence)) {
      throw new RangeError(
        `Cannot export change ${change.sequence} after ${this.#lastSequence}: sequences must increase; give changes in commit order`,
      );
    }
    if (change.txId !== this.#txId) {
      if (this.#finished.has(change.txId)) {
        throw new RangeError(
          `Cannot export change ${change.sequence}: transaction ${change.txId} already ended; give each transaction's changes together`,
        );
      }
      if (this.#txId !== null) {
        this.#finished.add(this.#txId);
        this.#lastCommitSequence = this.#lastSequence;
      }
      this.#txId = change.txId;
      this.#transactionId = `${change.txId}:${change.sequence}`;
      this.#totalOrder = 0;
      this.#perTable.clear();
    }
    const dataCollectionOrder = (this.#perTable.get(change.table) ?? 0) + 1;
    const event = debeziumEnvelope(table, change, this.options, {
      transactionId: this.#transactionId,
      totalOrder: this.#totalOrder + 1,
      dataCollectionOrder,
      lastCommitSequence: this.#lastCommitSequence,
    });
    this.#totalOrder++;
    this.#perTable.set(change.table, dataCollectionOrder);
    this.#lastSequence = change.sequence;
    return event + "\n";
  }
}

/** The file encoding of an event stream: one event per line. */
export function debeziumEncoding(stream: DebeziumStream): LineEncoding<ChangeRecord> {
  return { line: (change) => stream.line(change) };
}
