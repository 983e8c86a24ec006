/**
 * The store looks real on a user's first charts, measured by SQL on real generated data: the
 * default history (3 years) plus 60 simulated days, in a DST zone. Monthly invoices and revenue
 * never step by more than a factor of 2 between consecutive months (history to simulated days
 * included); over every 30 days the top customer has at most 15 invoices, distinct buyers are at
 * least a quarter of the invoices, the median buyer has 1–2 and first-time buyers a steady share;
 * every customer the simulator made is valid by the per-country format table; no invoice at a
 * wall-clock time the zone skipped.
 */
import assert from "node:assert/strict";
import { realismFigures } from "../lib/db/realism.ts";
import { addDays } from "../lib/sim/calendar.ts";
import { freshDatabase, setupDatabase } from "./harness.ts";
import { ok } from "./ledger_helpers.ts";

/** The documented bounds (README, "The demand model"): consecutive months within these factors. */
export const MAX_MONTH_STEP = 2;
/** Revenue: 3 where the model's days follow Chinook's invoices (whose baskets are ≈2.6× larger). */
export const MAX_REVENUE_STEP = 3;

const HISTORY_END = "2026-08-31";
const LAST_DAY = addDays(HISTORY_END, 60);
const ZONE = "Europe/Paris";

Deno.test("a believable store: 3 years of history and 60 simulated days", async (t) => {
  const db = await freshDatabase();
  try {
    await setupDatabase(db, [
      "--history-end",
      HISTORY_END,
      "--history-years",
      "3",
      "--seed",
      "7",
      "--tz",
      ZONE,
    ]);
    await ok(db, [
      "backfill",
      "--from",
      addDays(HISTORY_END, 1),
      "--to",
      LAST_DAY,
      "--seed",
      "7",
      "--tz",
      ZONE,
      "--manifest-dir",
      "none",
    ]);
    const figures = await db.query(async (sql) => {
      const [meta] = await sql`SELECT value FROM chinook_sim.meta WHERE key = 'history'`;
      return await realismFigures(sql, {
        lastDay: LAST_DAY,
        windows: 10,
        stepDays: 10,
        firstCustomerId: meta!.value.generated.firstCustomerId as number,
        timeZone: ZONE,
      });
    });

    await t.step("consecutive months: invoices within a factor of 2, revenue within 3", () => {
      assert.ok(figures.maxMonthStep !== null);
      assert.ok(
        figures.maxMonthStep.ratio <= MAX_MONTH_STEP,
        `step ${JSON.stringify(figures.maxMonthStep)}`,
      );
      const m = figures.months;
      for (let i = 2; i < m.length - 1; i++) {
        const [a, b] = [Number(m[i - 1]!.revenue), Number(m[i]!.revenue)];
        assert.ok(
          Math.max(a, b) / Math.min(a, b) <= MAX_REVENUE_STEP,
          `revenue ${m[i - 1]!.month} ${a} → ${m[i]!.month} ${b}`,
        );
      }
      assert.ok(m.length > 36, `${m.length} months: Chinook's, then the model's`);
    });

    await t.step("customers over every 30 days", () => {
      const shares = figures.windows.map((w) => w.firstTimeShare);
      for (const w of figures.windows) {
        const what = JSON.stringify(w);
        assert.ok(w.invoices > 2000, what);
        assert.ok(w.top <= 15, `top customer: ${what}`);
        assert.ok(w.buyers >= w.invoices / 4, `distinct buyers: ${what}`);
        assert.ok(w.median >= 1 && w.median <= 2, `median buyer: ${what}`);
        assert.ok(w.firstTimeShare >= 0.1 && w.firstTimeShare <= 0.35, `first-timers: ${what}`);
      }
      assert.ok(Math.max(...shares) / Math.min(...shares) < 1.5, `stable: ${shares}`);
    });

    await t.step("every customer the simulator made is valid for their country", () => {
      assert.ok(figures.people.checked > 5000, `${figures.people.checked} checked`);
      assert.deepEqual(figures.people.examples, []);
      assert.equal(figures.people.invalid, 0);
    });

    await t.step("no invoice at a wall-clock time that does not exist in the zone", () => {
      assert.equal(figures.nonexistentTimes.invoices, 0);
    });
  } finally {
    await db.drop();
  }
});

Deno.test("no invoice in New York's skipped hour (spring forward 2026-03-08)", async () => {
  const db = await freshDatabase();
  try {
    await setupDatabase(db, ["--history-end", "2026-03-01", "--history-years", "0"]);
    await ok(db, [
      "backfill",
      "--from",
      "2026-03-07",
      "--to",
      "2026-03-09",
      "--inserts",
      "3000",
      "--messiness",
      "high",
      "--tz",
      "America/New_York",
      "--manifest-dir",
      "none",
    ]);
    const [row] = await db.query((sql) =>
      sql<{ skipped: number; early: number }[]>`
        SELECT count(*) FILTER (WHERE ("InvoiceDate" AT TIME ZONE 'America/New_York')
                                       AT TIME ZONE 'America/New_York' <> "InvoiceDate")::int AS skipped,
               count(*) FILTER (WHERE "InvoiceDate" >= '2026-03-08 01:00'
                                  AND "InvoiceDate" < '2026-03-08 02:00')::int AS early
          FROM public."Invoice"`
    );
    assert.equal(row!.skipped, 0);
    assert.ok(row!.early > 0, "the hour before the change still sells");
  } finally {
    await db.drop();
  }
});
