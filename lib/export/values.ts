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

const OFFSET = /^(?:Z|([+-])(\d{2})(?::?(\d{2}))?)$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) +
    dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

interface WallClock {
  /** `YYYY-MM-DD HH:MM:SS` as given (space separator). */
  readonly text: string;
  /** Fraction digits as given (0 to 6). */
  readonly fraction: string;
  /** Seconds since 1970-01-01 00:00:00 of the wall-clock time. */
  readonly seconds: number;
  /** What follows: an offset, or nothing. */
  readonly rest: string;
}

/** The number written by `length` digits at `from`, or -1 if they are not all digits. */
function digitsAt(text: string, from: number, length: number): number {
  let value = 0;
  for (let i = from; i < from + length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Parsed by hand: this runs for every timestamp of every row. */
function parseWallClock(column: ColumnSchema, value: Value): WallClock {
  if (typeof value !== "string") throw invalid(column, value, "expected timestamp text");
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  const separator = value[10];
  if (
    value[4] !== "-" || value[7] !== "-" || (separator !== " " && separator !== "T") ||
    value[13] !== ":" || value[16] !== ":" ||
    Math.min(year, month, day, hour, minute, second) < 0
  ) {
    throw invalid(column, value, "expected YYYY-MM-DD HH:MM:SS[.ffffff]");
  }
  let end = 19;
  if (value[19] === ".") {
    while (end < 25 && digitsAt(value, end + 1, 1) >= 0) end++;
    if (end === 19) throw invalid(column, value, "expected digits after the decimal point");
  }
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  // Refused, not rolled over: 02-30, 24:00, 10:60 are not times.
  if (
    year < 1 || monthDays === undefined || day < 1 || day > monthDays || hour > 23 ||
    minute > 59 || second > 59
  ) {
    throw invalid(column, value, "not a valid date and time");
  }
  return {
    text: separator === "T" ? `${value.slice(0, 10)} ${value.slice(11, 19)}` : value.slice(0, 19),
    fraction: end > 19 ? value.slice(20, end + 1) : "",
    seconds: daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second,
    rest: value.slice(end + (end > 19 ? 1 : 0)),
  };
}

/** Exact microseconds: a double holds them only within about 285 years of 1970. */
function microsOf(seconds: number, fraction: string): bigint {
  const micros = seconds * 1_000_000 + Number(fraction.padEnd(6, "0"));
  return Number.isSafeInteger(micros)
    ? BigInt(micros)
    : BigInt(seconds) * 1_000_000n + BigInt(fraction.padEnd(6, "0"));
}

/** `.5` for "500000", nothing for "" or "000". */
function fractionText(fraction: string): string {
  const digits = fraction.replace(/0+$/, "");
  return digits === "" ? "" : `.${digits}`;
}

/** The offset in minutes east of UTC (0 for Z). */
function offsetMinutes(column: ColumnSchema, value: Value, rest: string): number {
  const match = OFFSET.exec(rest);
  if (!match) throw invalid(column, value, "expected an offset such as +00, +05:30 or Z");
  if (match[1] === undefined) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? "0");
  return match[1] === "-" ? -minutes : minutes;
}

/** Microseconds since 1970-01-01 00:00:00 of a wall-clock time, as if it were UTC. */
export function timestampMicros(column: ColumnSchema, value: Value): bigint {
  const clock = parseWallClock(column, value);
  if (clock.rest !== "") {
    throw invalid(column, value, "a timestamp without time zone has no offset");
  }
  return microsOf(clock.seconds, clock.fraction);
}

/** Microseconds since the epoch (UTC) of a time with an offset. */
export function timestamptzMicros(column: ColumnSchema, value: Value): bigint {
  const clock = parseWallClock(column, value);
  const minutes = offsetMinutes(column, value, clock.rest);
  return microsOf(clock.seconds - minutes * 60, clock.fraction);
}

/** Checked and printed as PostgreSQL does, without arithmetic: the text is already the time. */
function timestampText(column: ColumnSchema, value: Value): string {
  const clock = parseWallClock(column, value);
  if (clock.rest !== "") {
    throw invalid(column, value, "a timestamp without time zone has no offset");
  }
  return clock.text + fractionText(clock.fraction);
}

function timestamptzText(column: ColumnSchema, value: Value): string {
  const clock = parseWallClock(column, value);
  const minutes = offsetMinutes(column, value, clock.rest);
  if (minutes === 0) return `${clock.text}${fractionText(clock.fraction)}+00`;
  return formatTimestamptz(microsOf(clock.seconds - minutes * 60, clock.fraction));
}

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
