/**
 * Independent readers for the export round-trip tests: none of them shares
 * code with the writers. Each turns a file back into "semantic" rows — ints
 * as numbers, text as strings, decimals as unscaled bigints, timestamps as
 * epoch microseconds — so values are compared exactly, not as text.
 */
import { PGlite } from "@electric-sql/pglite";
import { tableFromIPC, type Vector } from "apache-arrow";
import { parse as parseCsv } from "csv-parse/sync";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import * as parquetWasm from "parquet-wasm";
import postgres from "postgres";
import type { ColumnSchema, Row, TableSchema } from "../lib/export/types.ts";

export type Semantic = number | bigint | string | null;
export type SemanticRow = Record<string, Semantic>;

// ---------------------------------------------------------------------------
// Text forms, parsed here without the export layer's code.

/** "12.30" → 1230n at scale 2; refuses anything that is not a plain decimal of that scale. */
export function unscaled(text: string, scale: number): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match || (match[3] ?? "").length !== scale) {
    throw new Error(`not a decimal(…,${scale}): ${text}`);
  }
  const value = BigInt(`${match[2]}${match[3] ?? ""}`);
  return match[1] === "-" ? -value : value;
}

/** "2013-12-22 05:06:07.5" (or with T, or with an offset) → epoch microseconds. */
export function micros(text: string): bigint {
  const match =
    /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/
      .exec(text);
  if (!match) throw new Error(`not a timestamp: ${text}`);
  let offset = match[4] ?? "Z";
  if (/^[+-]\d{2}$/.test(offset)) offset += ":00";
  const millis = Date.parse(`${match[1]}T${match[2]}${offset}`);
  if (Number.isNaN(millis)) throw new Error(`not a timestamp: ${text}`);
  return BigInt(millis) * 1000n + BigInt((match[3] ?? "").padEnd(6, "0"));
}

function fromText(column: ColumnSchema, text: string | null): Semantic {
  if (text === null) return null;
  switch (column.type.kind) {
    case "int":
    case "bigint":
      if (!/^-?\d+$/.test(text)) throw new Error(`${column.name}: not an integer: ${text}`);
      return column.type.kind === "int" ? Number(text) : BigInt(text);
    case "text":
      return text;
    case "decimal":
      return unscaled(text, column.type.scale);
    case "timestamp":
    case "timestamptz":
      return micros(text);
  }
}

/** What the source rows mean, by the same rules (the input contract). */
export function expected(table: TableSchema, rows: readonly Row[]): SemanticRow[] {
  return rows.map((row) => {
    const out: SemanticRow = {};
    for (const column of table.columns) {
      const value = row[column.name]!;
      if (value === null) out[column.name] = null;
      else if (column.type.kind === "decimal") out[column.name] = BigInt(value);
      else if (column.type.kind === "bigint") out[column.name] = BigInt(value);
      else if (column.type.kind === "timestamp" || column.type.kind === "timestamptz") {
        out[column.name] = micros(value as string);
      } else out[column.name] = value;
    }
    return out;
  });
}

// ---------------------------------------------------------------------------
// CSV through csv-parse: quoted empty fields are "", unquoted empty ones NULL.

export function readCsv(table: TableSchema, bytes: Uint8Array): SemanticRow[] {
  const records: Array<Array<string | null>> = parseCsv(new TextDecoder().decode(bytes), {
    cast: (value: string, context: { quoting: boolean }) =>
      value === "" && !context.quoting ? null : value,
    relax_column_count: false,
  });
  const [header, ...body] = records;
  if (JSON.stringify(header) !== JSON.stringify(table.columns.map((c) => c.name))) {
    throw new Error(`unexpected CSV header ${JSON.stringify(header)}`);
  }
  return body.map((fields) =>
    Object.fromEntries(table.columns.map((c, i) => [c.name, fromText(c, fields[i] ?? null)]))
  );
}

// ---------------------------------------------------------------------------
// JSON Lines through JSON.parse.

export function readJsonl(table: TableSchema, bytes: Uint8Array): SemanticRow[] {
  const text = new TextDecoder().decode(bytes);
  if (text !== "" && !text.endsWith("\n")) throw new Error("JSON Lines file without final LF");
  return text.split("\n").filter((line) => line !== "").map((line) => {
    const object = JSON.parse(line) as Record<string, string | number | null>;
    if (JSON.stringify(Object.keys(object)) !== JSON.stringify(table.columns.map((c) => c.name))) {
      throw new Error(`unexpected keys ${Object.keys(object)}`);
    }
    return Object.fromEntries(table.columns.map((column) => {
      const value = object[column.name] ?? null;
      if (column.type.kind === "int" || column.type.kind === "bigint") {
        if (value !== null && typeof value !== "number") {
          throw new Error(`${column.name}: ${value}`);
        }
        return [column.name, value];
      }
      if (value !== null && typeof value !== "string") throw new Error(`${column.name}: ${value}`);
      return [column.name, fromText(column, value)];
    }));
  });
}

// ---------------------------------------------------------------------------
// Parquet through parquet-wasm (Rust's arrow-rs parquet reader) into Arrow.

export interface ArrowColumnType {
  name: string;
  type: string;
  nullable: boolean;
}

/** Arrow's view of the file's columns, e.g. `Decimal[10e+2]`, `Timestamp<MICROSECOND>`. */
export function parquetArrowSchema(bytes: Uint8Array): ArrowColumnType[] {
  const table = tableFromIPC(parquetWasm.readParquet(bytes).intoIPCStream());
  return table.schema.fields.map((f) => ({
    name: f.name,
    type: `${f.type}${"timezone" in f.type && f.type.timezone ? ` tz=${f.type.timezone}` : ""}`,
    nullable: f.nullable,
  }));
}

function arrowValue(column: ColumnSchema, vector: Vector, i: number): Semantic {
  if (!vector.isValid(i)) return null;
  const kind = column.type.kind;
  if (kind === "decimal") {
    // 128-bit little-endian two's complement, as four 32-bit words.
    const words = vector.get(i) as Uint32Array;
    let value = 0n;
    for (let w = 3; w >= 0; w--) value = (value << 32n) | BigInt(words[w]!);
    return BigInt.asIntN(128, value);
  }
  if (kind === "timestamp" || kind === "timestamptz") {
    // The raw INT64 microseconds, not Arrow's float milliseconds.
    let offset = i;
    for (const chunk of vector.data) {
      if (offset < chunk.length) return (chunk.values as BigInt64Array)[offset]!;
      offset -= chunk.length;
    }
    throw new Error("row out of range");
  }
  const value = vector.get(i);
  return kind === "bigint" ? BigInt(value) : value;
}

export function readParquetArrow(table: TableSchema, bytes: Uint8Array): SemanticRow[] {
  const arrow = tableFromIPC(parquetWasm.readParquet(bytes).intoIPCStream());
  const vectors = table.columns.map((c) => arrow.getChild(c.name)!);
  return Array.from(
    { length: arrow.numRows },
    (_, i) =>
      Object.fromEntries(table.columns.map((c, j) => [c.name, arrowValue(c, vectors[j]!, i)])),
  );
}

// ---------------------------------------------------------------------------
// Parquet through hyparquet (JavaScript), raw microseconds, and its metadata.

export function parquetSchemaElements(bytes: Uint8Array) {
  return parquetMetadata(bytes.slice().buffer).schema;
}

export function parquetRowGroups(bytes: Uint8Array): number[] {
  return parquetMetadata(bytes.slice().buffer).row_groups.map((g) => Number(g.num_rows));
}

export async function readParquetHyparquet(
  table: TableSchema,
  bytes: Uint8Array,
): Promise<SemanticRow[]> {
  const rows = await parquetReadObjects({
    file: bytes.slice().buffer,
    parsers: {
      timestampFromMicroseconds: (value: bigint) => value,
    } as never,
  }) as Array<Record<string, unknown>>;
  return rows.map((row) =>
    Object.fromEntries(table.columns.map((column) => {
      const value = row[column.name] ?? null;
      if (value === null) return [column.name, null];
      if (column.type.kind === "decimal") {
        // hyparquet scales decimals into floats; exact for money's range.
        return [column.name, BigInt(Math.round((value as number) * 10 ** column.type.scale))];
      }
      if (column.type.kind === "bigint") return [column.name, BigInt(value as number)];
      return [column.name, value as Semantic];
    }))
  );
}

// ---------------------------------------------------------------------------
// CSV through PostgreSQL's own COPY: the server when TEST_DATABASE_URL is set,
// else PostgreSQL in WebAssembly (PGlite).

function ddlType(column: ColumnSchema): string {
  const type = column.type;
  switch (type.kind) {
    case "int":
      return "integer";
    case "bigint":
      return "bigint";
    case "text":
      return "text";
    case "decimal":
      return `numeric(${type.precision},${type.scale})`;
    case "timestamp":
      return "timestamp without time zone";
    case "timestamptz":
      return "timestamp with time zone";
  }
}

function createTable(table: TableSchema): string {
  const columns = table.columns.map((c) =>
    `"${c.name}" ${ddlType(c)}${c.nullable ? "" : " NOT NULL"}`
  );
  return `CREATE TABLE "${table.name}" (${columns.join(", ")})`;
}

/** PostgreSQL renders each value as text; epoch microseconds for timestamps. */
function selectAsText(table: TableSchema): string {
  const columns = table.columns.map((c) => {
    const kind = c.type.kind;
    const expression = kind === "timestamp"
      ? `(extract(epoch from "${c.name}" AT TIME ZONE 'UTC') * 1000000)::bigint::text`
      : kind === "timestamptz"
      ? `(extract(epoch from "${c.name}") * 1000000)::bigint::text`
      : `"${c.name}"::text`;
    return `${expression} AS "${c.name}"`;
  });
  // Qualified, so the order is the column's, not its text alias's.
  const order = table.primaryKey.map((k) => `t."${k}"`).join(", ");
  return `SELECT ${columns.join(", ")} FROM "${table.name}" t ORDER BY ${order}`;
}

function fromPostgres(table: TableSchema, rows: Array<Record<string, string | null>>) {
  return rows.map((row) =>
    Object.fromEntries(table.columns.map((column) => {
      const text = row[column.name] ?? null;
      if (
        text !== null && (column.type.kind === "timestamp" || column.type.kind === "timestamptz")
      ) {
        return [column.name, BigInt(text)];
      }
      return [column.name, fromText(column, text)];
    }))
  );
}

export interface PostgresReader {
  kind: "server" | "pglite";
  /** Loads CSV files into a new table with COPY … (FORMAT csv, HEADER) and reads it back. */
  loadCsv(table: TableSchema, files: Uint8Array[]): Promise<SemanticRow[]>;
  close(): Promise<void>;
}

export async function postgresReader(serverUrl: string | undefined): Promise<PostgresReader> {
  const copy = (table: TableSchema) =>
    `COPY "${table.name}" FROM STDIN WITH (FORMAT csv, HEADER true)`;
  if (serverUrl) {
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    const name = `chinook_sim_export_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const sql = postgres(url.href, { max: 1, onnotice: () => {} });
    return {
      kind: "server",
      async loadCsv(table, files) {
        await sql.unsafe(createTable(table));
        for (const bytes of files) {
          const stream = await sql.unsafe(copy(table)).writable();
          await new Promise<void>((resolve, reject) => {
            stream.on("error", reject);
            stream.on("finish", resolve);
            stream.end(bytes);
          });
        }
        return fromPostgres(table, await sql.unsafe(selectAsText(table)));
      },
      async close() {
        await sql.end();
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const db = await PGlite.create();
  return {
    kind: "pglite",
    async loadCsv(table, files) {
      await db.exec(createTable(table));
      for (const bytes of files) {
        await db.query(copy(table).replace("STDIN", "'/dev/blob'"), [], {
          blob: new Blob([bytes.slice()]),
        });
      }
      const result = await db.query<Record<string, string | null>>(selectAsText(table));
      return fromPostgres(table, result.rows);
    },
    close: () => db.close(),
  };
}
