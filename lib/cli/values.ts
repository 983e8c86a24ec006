/**
 * Checks and conversions of the values given on the command line or in the
 * environment. Pure. Bad input becomes a UsageError with one line naming
 * the flag (or variable), the value and what is expected.
 */
import { checkTimeZone, parseDay } from "../sim/calendar.ts";
import { VOLUME_LIMITS } from "../sim/demand.ts";
import type { Count } from "../sim/plan.ts";
import { UsageError } from "./errors.ts";
import { redactSecrets } from "./redact.ts";

/** A whole number in ASCII digits within [min, max]. */
export function parseWholeNumber(
  name: string,
  text: string,
  range: { min: number; max: number },
): number {
  const trimmed = text.trim();
  if (!/^[0-9]+$/.test(trimmed)) {
    throw new UsageError(`Cannot parse ${name} "${text}": expected a whole number`);
  }
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new UsageError(
      `Cannot use ${name} "${text}": expected a whole number from ${range.min} to ${
        range.max.toLocaleString("en-US")
      }`,
    );
  }
  return value;
}

/** A calendar day, YYYY-MM-DD. */
export function parseDayValue(name: string, text: string): string {
  try {
    return parseDay(text.trim());
  } catch (error) {
    throw new UsageError(`Cannot parse ${name} "${text}": ${(error as Error).message}`);
  }
}

/** An IANA time zone. */
export function parseTimeZone(name: string, text: string): string {
  try {
    return checkTimeZone(text.trim());
  } catch (error) {
    throw new UsageError(`Cannot use ${name} "${text}": ${(error as Error).message}`);
  }
}

export function parseChoice<const T extends string>(
  name: string,
  text: string,
  choices: readonly T[],
): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`Cannot use ${name} "${text}": expected one of ${choices.join(", ")}`);
}

/** A rate from 0 to 1 as a plain decimal ("0.05"). */
export function parseRate(name: string, text: string): number {
  if (!/^(0(\.[0-9]+)?|1(\.0+)?|\.[0-9]+)$/.test(text.trim())) {
    throw new UsageError(
      `Cannot parse ${name} "${text}": expected a decimal from 0 to 1, such as 0.05`,
    );
  }
  return Number(text.trim());
}

/** Years of history: a plain decimal from 0 to 20 ("2.5"). */
export function parseYears(name: string, text: string): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^[0-9]{1,2}(\.[0-9]{1,2})?$/.test(trimmed) || value > 20) {
    throw new UsageError(
      `Cannot use ${name} "${text}": expected years from 0 to 20, such as 3 or 2.5`,
    );
  }
  return value;
}

/** A seed: a whole number; empty means "draw one". */
export function parseSeed(name: string, text: string): string | null {
  if (text.trim() === "") return null;
  return String(parseWholeNumber(name, text, { min: 0, max: Number.MAX_SAFE_INTEGER }));
}

/** The most of each count one day may ask for: bounds memory and the database's ids. */
export const COUNT_LIMITS = {
  inserts: VOLUME_LIMITS.inserts,
  updates: VOLUME_LIMITS.updates,
  deletes: VOLUME_LIMITS.deletes,
  "new-customers": VOLUME_LIMITS.newCustomers,
  "customer-changes": VOLUME_LIMITS.customerChanges,
} as const;

export type CountFlag = keyof typeof COUNT_LIMITS;

/** A count flag's value: a whole number within its limit, or "auto" for the demand model's. */
export function parseCount(flag: CountFlag, text: string): Count {
  if (text.trim() === "auto") return "auto";
  return parseWholeNumber(`--${flag}`, text, { min: 0, max: COUNT_LIMITS[flag] });
}

/** Seconds as a plain decimal ("5", "0.5") within [min, max]. */
export function parseSeconds(
  name: string,
  text: string,
  range: { min: number; max: number },
): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^[0-9]{1,6}(\.[0-9]{1,3})?$/.test(trimmed) || value < range.min || value > range.max) {
    throw new UsageError(
      `Cannot use ${name} "${text}": expected seconds from ${range.min} to ${range.max}, such as 5 or 0.5`,
    );
  }
  return value;
}

/** A time of day, HH:MM (24:00: the day's end), as its second of the day. */
export function parseTimeOfDay(name: string, text: string): number {
  const match = /^([0-9]{2}):([0-9]{2})$/.exec(text.trim());
  const seconds = match ? Number(match[1]) * 3600 + Number(match[2]) * 60 : NaN;
  if (!match || Number(match[2]) > 59 || !(seconds > 0 && seconds <= 86_400)) {
    throw new UsageError(
      `Cannot use ${name} "${text}": expected a time of day HH:MM from 00:01 to 24:00, such as 18:30`,
    );
  }
  return seconds;
}

/** A PostgreSQL URL (postgres:// or postgresql://, with a host); the message never shows its password. */
export function parseWarehouseUrl(name: string, text: string): string {
  const shown = redactSecrets(text);
  if (text.length > 2048) {
    throw new UsageError(
      `Cannot use ${name} "${shown.slice(0, 40)}…": longer than 2048 characters`,
    );
  }
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UsageError(
      `Cannot parse ${name} "${shown}": expected a URL, postgres://USER:PASSWORD@HOST:PORT/DB`,
    );
  }
  if ((url.protocol !== "postgres:" && url.protocol !== "postgresql:") || !url.hostname) {
    throw new UsageError(
      `Cannot use ${name} "${shown}": expected postgres://USER:PASSWORD@HOST:PORT/DB`,
    );
  }
  return url.href;
}

/** A schema name: a plain lower-case SQL identifier (it is quoted when used). */
export function parseSchemaName(name: string, text: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(text)) {
    throw new UsageError(
      `Cannot use ${name} "${
        text.slice(0, 80)
      }": expected a lower-case identifier (letters, digits, _), such as warehouse`,
    );
  }
  return text;
}
