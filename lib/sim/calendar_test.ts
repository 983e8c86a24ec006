import assert from "node:assert/strict";
import {
  addDays,
  checkTimeZone,
  describeDays,
  parseDay,
  weekday,
  yesterdayIn,
} from "./calendar.ts";
import { formatCents, toCents } from "./money.ts";

Deno.test("parseDay accepts real days only", () => {
  assert.equal(parseDay("2024-02-29"), "2024-02-29");
  for (const bad of ["2026-02-30", "2026-13-01", "20261101", "", "2026-1-1", "２０２６-01-01"]) {
    assert.throws(() => parseDay(bad), RangeError, bad);
  }
});

Deno.test("calendar arithmetic across months, years and leap days", () => {
  assert.equal(addDays("2024-02-28", 1), "2024-02-29");
  assert.equal(addDays("2025-12-31", 1), "2026-01-01");
  assert.equal(addDays("2026-03-01", -1), "2026-02-28");
  assert.equal(weekday("2026-11-24"), 2, "a Tuesday");
});

Deno.test("yesterday depends on the time zone", () => {
  const instant = new Date("2026-11-24T02:00:00Z");
  assert.equal(yesterdayIn("UTC", instant), "2026-11-23");
  assert.equal(yesterdayIn("America/New_York", instant), "2026-11-22");
  assert.equal(yesterdayIn("Asia/Tokyo", instant), "2026-11-23");
  assert.throws(() => checkTimeZone("Mars/Phobos"), RangeError);
});

Deno.test("money in cents: exact, no float drift", () => {
  assert.equal(toCents("0.99"), 99);
  assert.equal(toCents(1.99), 199);
  assert.equal(formatCents(123456), "1234.56");
  let cents = 0;
  for (let i = 0; i < 1_000_000; i++) cents += toCents("0.99");
  assert.equal(formatCents(cents), "990000.00");
});

Deno.test("describeDays: consecutive days as ranges", () => {
  assert.equal(describeDays([]), "");
  assert.equal(describeDays(["2026-07-01"]), "2026-07-01");
  assert.equal(
    describeDays(["2026-06-30", "2026-07-01", "2026-07-02", "2026-07-09", "2026-07-11"]),
    "2026-06-30 to 2026-07-02, 2026-07-09, 2026-07-11",
  );
});
