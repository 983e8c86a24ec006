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

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in seconds (east positive). */
export function zoneOffsetSeconds(zone: string, epochSeconds: number): number {
  let format = offsetFormats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    offsetFormats.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(epochSeconds * 1000))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const local = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  ) / 1000;
  return local - epochSeconds;
}

/**
 * A change of the zone's offset that touches `day`'s wall clock: `from` ≤ second of day < `to`.
 * `skipped`: those wall-clock times do not exist (clocks went forward); `repeated`: they happen
 * twice (clocks went back).
 */
export interface ClockChange {
  kind: "skipped" | "repeated";
  from: number;
  to: number;
}

const clockChanges = new Map<string, ClockChange | null>();

/**
 * The clock change on `day` in `zone`, or null (most days). Found from the offsets a day before
 * and after (a zone changes its offset at most once in three days) and a binary search for the
 * instant of the change. Cached per zone and day.
 */
export function clockChangeOn(zone: string, day: string): ClockChange | null {
  const key = `${zone}/${day}`;
  const cached = clockChanges.get(key);
  if (cached !== undefined) return cached;
  const midnight = dayToEpochDays(day) * 86_400; // the day's start as if it were UTC
  let low = midnight - 86_400 - 14 * 3600;
  let high = midnight + 2 * 86_400 + 14 * 3600;
  const before = zoneOffsetSeconds(zone, low);
  const after = zoneOffsetSeconds(zone, high);
  let change: ClockChange | null = null;
  if (before !== after) {
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (zoneOffsetSeconds(zone, mid) === before) low = mid;
      else high = mid;
    }
    // At instant `high` the offset becomes `after`: wall clocks jump from high+before to high+after.
    const a = high + Math.min(before, after) - midnight;
    const b = high + Math.max(before, after) - midnight;
    const from = Math.max(0, a);
    const to = Math.min(86_400, b);
    if (from < to) change = { kind: after > before ? "skipped" : "repeated", from, to };
  }
  clockChanges.set(key, change);
  return change;
}

/**
 * A second of `day` whose wall-clock time exists in `zone`: a second in a skipped hour moves
 * forward by the gap (02:30 on a spring-forward night becomes 03:30, as clocks do), or, when that
 * would leave the day, to the last second before the gap. Repeated (ambiguous) times are kept:
 * they exist, and as a zone-less wall clock they mean the first of the two instants (see
 * `wallClockInstant`).
 */
export function existingSecond(zone: string, day: string, secondOfDay: number): number {
  const change = clockChangeOn(zone, day);
  if (change === null || change.kind !== "skipped") return secondOfDay;
  if (secondOfDay < change.from || secondOfDay >= change.to) return secondOfDay;
  const moved = secondOfDay + (change.to - change.from);
  return moved < 86_400 ? moved : change.from - 1;
}

/**
 * The instant (epoch seconds) of a wall-clock second of `day` in `zone`. A repeated time is the
 * earlier instant (the first pass through the hour); a skipped one is read with the offset before
 * the change, as `existingSecond` would move it.
 */
export function wallClockInstant(zone: string, day: string, secondOfDay: number): number {
  const local = dayToEpochDays(day) * 86_400 + secondOfDay;
  const candidates = [
    zoneOffsetSeconds(zone, local - 86_400),
    zoneOffsetSeconds(zone, local + 86_400),
  ].sort((a, b) => b - a); // the larger offset first: the earlier instant
  for (const offset of candidates) {
    if (zoneOffsetSeconds(zone, local - offset) === offset) return local - offset;
  }
  return local - candidates[1]!;
}
