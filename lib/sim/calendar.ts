/**
 * Calendar days as "YYYY-MM-DD" strings and wall-clock timestamps as
 * "YYYY-MM-DD HH:MM:SS" (Chinook's InvoiceDate has no zone). Pure.
 */
const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The years a day may be in (any --date, --from, --to, growthAnchor). */
export const FIRST_YEAR = 1970;
export const LAST_YEAR = 2199;

/** Parses a calendar day, or throws a RangeError naming what is wrong. */
export function parseDay(text: string): string {
  const match = ISO_DAY.exec(text);
  if (!match) throw new RangeError("expected a date as YYYY-MM-DD");
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  // The year first: Date.UTC maps years 0-99 to 1900-1999, and past 2199 nothing is
  // meaningful (timestamps, growth and windows would overflow far later, unclearly).
  if (y < FIRST_YEAR || y > LAST_YEAR) {
    throw new RangeError(`expected a year from ${FIRST_YEAR} to ${LAST_YEAR}`);
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    throw new RangeError("no such day in the calendar");
  }
  return text;
}

export function dayToEpochDays(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

export function epochDaysToDay(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return epochDaysToDay(dayToEpochDays(day) + n);
}

/** Days from `a` to `b` (b - a). */
export function daysBetween(a: string, b: string): number {
  return dayToEpochDays(b) - dayToEpochDays(a);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: string): number {
  return (dayToEpochDays(day) + 4) % 7;
}

/** 1 … 366. */
export function dayOfYear(day: string): number {
  return daysBetween(`${day.slice(0, 4)}-01-01`, day) + 1;
}

/** Throws a RangeError when `zone` is not an IANA time zone this runtime knows. */
export function checkTimeZone(zone: string): string {
  if (zone.trim() === "") throw new RangeError("expected an IANA time zone such as Europe/Paris");
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    throw new RangeError("unknown time zone: expected an IANA name such as Europe/Paris or UTC");
  }
  return zone;
}

/** The calendar day in `zone` at instant `now`. */
export function todayIn(zone: string, now: Date): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** D-1: the default simulated day. */
export function yesterdayIn(zone: string, now: Date): string {
  return addDays(todayIn(zone, now), -1);
}

/** "YYYY-MM-DD HH:MM:SS" for a second of the day. */
export function wallClock(day: string, secondOfDay: number): string {
  const h = Math.floor(secondOfDay / 3600);
  const m = Math.floor((secondOfDay % 3600) / 60);
  const s = secondOfDay % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${day} ${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** Every day from `from` to `to`, both included. */
export function daysInRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = dayToEpochDays(from); d <= dayToEpochDays(to); d++) out.push(epochDaysToDay(d));
  return out;
}

/** Days (sorted) as text, consecutive ones as ranges: "2026-07-01 to 2026-07-05, 2026-07-09". */
export function describeDays(days: readonly string[]): string {
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= days.length; i++) {
    if (i < days.length && daysBetween(days[i - 1]!, days[i]!) === 1) continue;
    parts.push(i - 1 > start ? `${days[start]} to ${days[i - 1]}` : days[start]!);
    start = i;
  }
  return parts.join(", ");
}
