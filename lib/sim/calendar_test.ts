import assert from "node:assert/strict";
import {
  addDays,
  checkTimeZone,
  clockChangeOn,
  dayToEpochDays,
  describeDays,
  existingSecond,
  parseDay,
  wallClockInstant,
  weekday,
  yesterdayIn,
  zoneOffsetSeconds,
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

Deno.test("clock changes: skipped and repeated hours in DST zones", async (t) => {
  const cases: Array<[string, string, ReturnType<typeof clockChangeOn>]> = [
    ["Europe/Paris", "2026-03-29", { kind: "skipped", from: 2 * 3600, to: 3 * 3600 }],
    ["Europe/Paris", "2026-10-25", { kind: "repeated", from: 2 * 3600, to: 3 * 3600 }],
    ["America/New_York", "2026-03-08", { kind: "skipped", from: 2 * 3600, to: 3 * 3600 }],
    ["America/New_York", "2026-11-01", { kind: "repeated", from: 3600, to: 2 * 3600 }],
    ["Australia/Lord_Howe", "2026-10-04", { kind: "skipped", from: 2 * 3600, to: 2.5 * 3600 }],
    ["America/Havana", "2026-03-08", { kind: "skipped", from: 0, to: 3600 }],
    ["Europe/Paris", "2026-03-28", null],
    ["Europe/Paris", "2026-03-30", null],
    ["UTC", "2026-03-29", null],
    ["Asia/Tokyo", "2026-03-29", null],
  ];
  for (const [zone, day, expected] of cases) {
    await t.step(`${zone} ${day}`, () => assert.deepEqual(clockChangeOn(zone, day), expected));
  }
});

Deno.test("existingSecond: no wall-clock time in a skipped hour, every other kept", async (t) => {
  const cases: Array<[string, string, number, number]> = [
    ["Europe/Paris", "2026-03-29", 2 * 3600, 3 * 3600],
    ["Europe/Paris", "2026-03-29", 2 * 3600 + 1799, 3 * 3600 + 1799],
    ["Europe/Paris", "2026-03-29", 3 * 3600, 3 * 3600],
    ["Europe/Paris", "2026-03-29", 2 * 3600 - 1, 2 * 3600 - 1],
    ["Europe/Paris", "2026-10-25", 2 * 3600 + 5, 2 * 3600 + 5],
    ["America/New_York", "2026-03-08", 2 * 3600 + 60, 3 * 3600 + 60],
    ["America/Havana", "2026-03-08", 10, 3610],
    ["UTC", "2026-03-29", 2 * 3600 + 5, 2 * 3600 + 5],
  ];
  for (const [zone, day, second, expected] of cases) {
    await t.step(`${zone} ${day} ${second}`, () => {
      assert.equal(existingSecond(zone, day, second), expected);
    });
  }
  await t.step("every second of the change days round-trips through an instant", () => {
    for (
      const [zone, day] of [["Europe/Paris", "2026-03-29"], ["America/New_York", "2026-03-08"]]
    ) {
      for (let s = 0; s < 86_400; s += 61) {
        const kept = existingSecond(zone!, day!, s);
        const instant = wallClockInstant(zone!, day!, kept);
        const offset = zoneOffsetSeconds(zone!, instant);
        assert.equal(instant + offset, dayToEpochDays(day!) * 86_400 + kept, `${zone} ${s}`);
      }
    }
  });
});

Deno.test("wallClockInstant: a repeated time is its first instant", () => {
  // 2026-10-25 02:30 in Paris: first at 00:30 UTC (summer time), again at 01:30 UTC.
  assert.equal(
    wallClockInstant("Europe/Paris", "2026-10-25", 2.5 * 3600),
    Date.parse("2026-10-25T00:30:00Z") / 1000,
  );
  assert.equal(
    wallClockInstant("America/New_York", "2026-11-01", 1.5 * 3600),
    Date.parse("2026-11-01T05:30:00Z") / 1000,
  );
  assert.equal(
    wallClockInstant("UTC", "2026-11-01", 1.5 * 3600),
    Date.parse("2026-11-01T01:30:00Z") / 1000,
  );
});
