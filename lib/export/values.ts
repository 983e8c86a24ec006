/**
 * Checks each value against its column and renders it in the fixed forms every
 * format shares: exact decimal text from unscaled integers, timestamps as
 * PostgreSQL prints them (UTC for timestamptz), epoch microseconds for binary
 * formats. A value that does not fit its column is an error, never a guess.
 */
import type { ColumnSchema, TableSchema, Value } from "./types.ts";

function describe(value: unknown): string {
  if (typeof value === "string") return value.length > 40 ? `${value.slice(0, 40)}…` : value;
  if (typeof value === "bigint") return `${value}n`;
  return String(value);
}

function typeName(column: ColumnSchema): string {
  const type = column.type;
  return type.kind === "decimal" ? `decimal(${type.precision},${type.scale})` : type.kind;
}

function invalid(column: ColumnSchema, value: unknown, why: string): RangeError {
  return new RangeError(
    `Cannot export "${describe(value)}" as ${column.name} (${
      typeName(column)
    }): ${why}; pass values as the export input contract describes (lib/export/types.ts)`,
  );
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The value of a row's column; a missing key is an error (it hides typos), null is NULL. */
export function cell(
  table: TableSchema,
  column: ColumnSchema,
  row: Readonly<Record<string, Value>>,
) {
  const value = row[column.name];
  if (value === undefined) {
    throw new TypeError(
      `Cannot export a ${table.name} row: it has no "${column.name}" value; give every column (null for NULL)`,
    );
  }
  if (value === null && !column.nullable) throw invalid(column, value, "the column is NOT NULL");
  return value;
}

export function intValue(column: ColumnSchema, value: Value): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw invalid(column, value, "expected an integer number");
  }
  if (value < INT32_MIN || value > INT32_MAX) throw invalid(column, value, "outside int4's range");
  return value;
}

export function bigintValue(column: ColumnSchema, value: Value): bigint {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw invalid(column, value, "not a safe integer");
    return BigInt(value);
  }
  if (typeof value !== "bigint") throw invalid(column, value, "expected an integer");
  if (value < INT64_MIN || value > INT64_MAX) throw invalid(column, value, "outside int8's range");
  return value;
}

export function textValue(column: ColumnSchema, value: Value): string {
  if (typeof value !== "string") throw invalid(column, value, "expected a string");
  if (!value.isWellFormed()) throw invalid(column, value, "not well-formed Unicode");
  if (value.includes("\0")) throw invalid(column, value, "contains a NUL character");
  return value;
}

/**
 * The unscaled integer of a decimal column (cents for money), range-checked
 * against its precision; a number when it is one (the usual, fast case).
 */
export function decimalValue(column: ColumnSchema, value: Value): number | bigint {
  const type = column.type;
  if (type.kind !== "decimal") throw new TypeError(`${column.name} is not a decimal column`);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw invalid(
        column,
        value,
        "expected the unscaled integer (cents for money), e.g. 199 for 1.99",
      );
    }
    // 10^p is exact as a double up to p = 22, and safe integers stay below 10^16.
    if (type.precision < 16 && Math.abs(value) >= 10 ** type.precision) {
      throw invalid(column, value, `more than ${type.precision} digits`);
    }
    return value;
  }
  if (typeof value !== "bigint") {
    throw invalid(
      column,
      value,
      "expected the unscaled integer (cents for money), e.g. 199 for 1.99",
    );
  }
  const limit = 10n ** BigInt(type.precision);
  if (value <= -limit || value >= limit) {
    throw invalid(column, value, `more than ${type.precision} digits`);
  }
  return value;
}

/** 199, scale 2 → "1.99"; -5 → "-0.05"; 0 → "0.00". Exact for any size. */
export function formatDecimal(unscaled: number | bigint, scale: number): string {
  const negative = unscaled < 0;
  const digits = String(negative ? -unscaled : unscaled).padStart(scale + 1, "0");
  const body = scale === 0
    ? digits
    : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${body}` : body;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/;
const OFFSET = /^(?:Z|([+-])(\d{2})(?::?(\d{2}))?)$/;

function parseWallClock(column: ColumnSchema, value: Value): { micros: bigint; rest: string } {
  if (typeof value !== "string") throw invalid(column, value, "expected timestamp text");
  const match = TIMESTAMP.exec(value);
  if (!match) throw invalid(column, value, "expected YYYY-MM-DD HH:MM:SS[.ffffff]");
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as number[];
  // setUTCFullYear, unlike Date.UTC, keeps years 1–99 as they are.
  const check = new Date(0);
  check.setUTCFullYear(year!, month! - 1, day!);
  check.setUTCHours(hour!, minute!, second!, 0);
  // An overflow (02-30, 24:00) rolls over to another day: refused, not shifted.
  if (
    year! < 1 || check.getUTCFullYear() !== year || check.getUTCMonth() !== month! - 1 ||
    check.getUTCDate() !== day || check.getUTCHours() !== hour || minute! > 59 || second! > 59
  ) {
    throw invalid(column, value, "not a valid date and time");
  }
  // A bigint: microseconds beyond ±285 years from 1970 no longer fit a double exactly.
  const fraction = BigInt((match[7] ?? "").padEnd(6, "0"));
  return {
    micros: BigInt(check.getTime()) * 1000n + fraction,
    rest: value.slice(match[0].length),
  };
}

/**
 * Remembers results per input text, up to a bound: a day's rows repeat the
 * same few thousand timestamps, and parsing and printing them is most of the
 * cost of a row.
 */
function remembered<T>(compute: (column: ColumnSchema, value: Value) => T) {
  const cache = new Map<Value, T>();
  return (column: ColumnSchema, value: Value): T => {
    let result = cache.get(value);
    if (result === undefined) {
      result = compute(column, value);
      if (cache.size >= 65_536) cache.clear();
      cache.set(value, result);
    }
    return result;
  };
}

/** Microseconds since 1970-01-01 00:00:00 of a wall-clock time, as if it were UTC. */
export const timestampMicros = remembered((column, value): bigint => {
  const { micros, rest } = parseWallClock(column, value);
  if (rest !== "") throw invalid(column, value, "a timestamp without time zone has no offset");
  return micros;
});

/** Microseconds since the epoch (UTC) of a time with an offset. */
export const timestamptzMicros = remembered((column, value): bigint => {
  const { micros, rest } = parseWallClock(column, value);
  const match = OFFSET.exec(rest);
  if (!match) throw invalid(column, value, "expected an offset such as +00, +05:30 or Z");
  if (match[1] === undefined) return micros;
  const minutes = BigInt(Number(match[2]) * 60 + Number(match[3] ?? "0"));
  return micros - (match[1] === "-" ? -minutes : minutes) * 60_000_000n;
});

const timestampText = remembered((column, value) =>
  formatTimestamp(timestampMicros(column, value))
);
const timestamptzText = remembered((column, value) =>
  formatTimestamptz(timestamptzMicros(column, value))
);

/** Floor division by 10^6: whole seconds and the microseconds past them (never negative). */
function splitMicros(micros: bigint): { iso: string; fraction: string } {
  const rest = ((micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  const seconds = (micros - rest) / 1_000_000n;
  const iso = new Date(Number(seconds) * 1000).toISOString();
  const fraction = rest === 0n ? "" : `.${String(rest).padStart(6, "0").replace(/0+$/, "")}`;
  return { iso, fraction };
}

/** As PostgreSQL prints a timestamp: `2013-12-22 14:05:09`, `…09.5` (fraction only when there is one). */
export function formatTimestamp(micros: bigint): string {
  const { iso, fraction } = splitMicros(micros);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction}`;
}

/** As PostgreSQL prints a timestamptz with TimeZone=UTC: `2013-12-22 14:05:09+00`. */
export function formatTimestamptz(micros: bigint): string {
  return `${formatTimestamp(micros)}+00`;
}

/** ISO 8601 in UTC, as Debezium's ZonedTimestamp: `2013-12-22T14:05:09Z`. */
export function formatIsoUtc(micros: bigint): string {
  const { iso, fraction } = splitMicros(micros);
  return `${iso.slice(0, 19)}${fraction}Z`;
}

/**
 * The canonical text of a value (CSV and flat files; JSON Lines quotes it where
 * needed), or null for NULL. Checks the value against its column.
 */
export function textOf(column: ColumnSchema, value: Value): string | null {
  if (value === null) return null;
  switch (column.type.kind) {
    case "int":
      return String(intValue(column, value));
    case "bigint":
      return bigintValue(column, value).toString();
    case "text":
      return textValue(column, value);
    case "decimal":
      return formatDecimal(decimalValue(column, value), column.type.scale);
    case "timestamp":
      return timestampText(column, value);
    case "timestamptz":
      return timestamptzText(column, value);
  }
}
