/** live's loop on a fake clock: slices as time passes, day ends, the next day, --until, --once. */
import assert from "node:assert/strict";
import type { SliceResult } from "../db/live.ts";
import { addDays } from "../sim/calendar.ts";
import { DAY_SECONDS } from "../sim/live.ts";
import { fastClock, type LoopOptions, realClock, runLiveLoop, type SimClock } from "./live_loop.ts";

const DAY = "2026-03-09";
/** Each day's changes fall due at these seconds. */
const DUE = [60, 3600, 43_200, 86_399];

/** A store in memory: the calls made, and the loop's result, with time passing only by sleeping. */
async function drive(
  makeClock: (elapsed: () => number) => SimClock,
  options: Partial<LoopOptions> & { stopAfter?: number; inLedger?: string[] } = {},
) {
  let t = 0;
  const calls: Array<[string, number]> = [];
  const ended: string[] = [];
  const stoppedAt: Array<[string, number]> = [];
  const position = new Map<string, number>();
  const commit = (day: string, upTo: number): Promise<SliceResult> => {
    calls.push([day, upTo]);
    const from = position.get(day) ?? 0;
    const to = DUE.filter((s) => s <= upTo).length;
    position.set(day, Math.max(from, to));
    const inLedger = options.inLedger?.includes(day) ?? false;
    return Promise.resolve({
      status: inLedger
        ? "in-ledger"
        : to > from || upTo >= DAY_SECONDS
        ? "committed"
        : "nothing-due",
      day,
      runId: 1,
      from,
      to,
      total: DUE.length,
      clock: upTo,
      firstAt: to > from ? DUE[from]! : null,
      counts: {
        signup: 0,
        customer_change: 0,
        invoice: to - from,
        update: 0,
        cancel: 0,
        duplicate: 0,
        edit: 0,
      },
      events: to - from,
      clickEvents: 0,
      finished: !inLedger && upTo >= DAY_SECONDS
        ? { manifest: {} as never, done: {} as never, revenue: "0.00" }
        : null,
      started: from === 0 && !inLedger,
    });
  };
  const lags: number[] = [];
  const clock = makeClock(() => t);
  const failure = await runLiveLoop({
    clock,
    commit,
    sleep: (ms) => {
      t += Math.max(0, ms);
      return Promise.resolve();
    },
    stopRequested: () => options.stopAfter !== undefined && calls.length >= options.stopAfter,
    elapsedMs: () => t,
    onSlice: (_result, lag) => {
      if (lag !== null) lags.push(lag);
    },
    onDayEnd: (result) => {
      ended.push(result.day);
      return Promise.resolve(null);
    },
    onStoppedAt: (day, second) => stoppedAt.push([day, second]),
  }, { intervalMs: 1000, once: false, ...options });
  return { calls, ended, stoppedAt, failure, lags };
}

Deno.test("live loop: a faster clock", async (t) => {
  await t.step("--once: slices every interval, then the day's end, once", async () => {
    const r = await drive((elapsed) => fastClock(DAY, 0, 3600, elapsed), { once: true });
    assert.equal(r.calls.length, 25, "24 simulated hours, one each second, and the end");
    assert.deepEqual(r.calls[1], [DAY, 3600]);
    assert.deepEqual(r.calls.at(-1), [DAY, DAY_SECONDS]);
    assert.ok(r.calls.every(([, s], i) => i === 0 || s >= r.calls[i - 1]![1]));
    assert.deepEqual(r.ended, [DAY]);
    assert.ok(r.lags.every((lag) => lag <= 2000), `lag within 2 intervals: ${r.lags}`);
  });
  await t.step("without --once: the next day from its midnight", async () => {
    const r = await drive((elapsed) => fastClock(DAY, 0, 3600, elapsed), { stopAfter: 27 });
    assert.deepEqual(r.ended, [DAY]);
    assert.deepEqual(r.calls.slice(24), [[DAY, DAY_SECONDS], [addDays(DAY, 1), 0], [
      addDays(DAY, 1),
      3600,
    ]]);
  });
  await t.step("resumed from where the day stopped", async () => {
    const r = await drive((elapsed) => fastClock(DAY, 43_200, 3600, elapsed), { once: true });
    assert.deepEqual(r.calls[0], [DAY, 43_200]);
    assert.equal(r.calls.length, 13);
  });
  await t.step("--until: stops there, the day open", async () => {
    const r = await drive((elapsed) => fastClock(DAY, 0, 3600, elapsed), { until: 18 * 3600 });
    assert.deepEqual(r.calls.at(-1), [DAY, 18 * 3600]);
    assert.deepEqual(r.stoppedAt, [[DAY, 18 * 3600]]);
    assert.deepEqual(r.ended, []);
  });
  await t.step("--until 24:00: the day's end, finished", async () => {
    const r = await drive((elapsed) => fastClock(DAY, 0, 3600, elapsed), { until: DAY_SECONDS });
    assert.deepEqual(r.calls.at(-1), [DAY, DAY_SECONDS]);
    assert.deepEqual(r.ended, [DAY]);
  });
  await t.step("a day in the ledger already: on with the next at once", async () => {
    const r = await drive((elapsed) => fastClock(DAY, 0, 3600, elapsed), {
      inLedger: [DAY],
      stopAfter: 3,
    });
    assert.deepEqual(r.calls, [[DAY, 0], [addDays(DAY, 1), 0], [addDays(DAY, 1), 3600]]);
  });
});

Deno.test("live loop: the store's clock crosses midnight", async () => {
  const start = Date.parse(`${DAY}T23:59:57.500Z`);
  const r = await drive((elapsed) => realClock("UTC", () => new Date(start + elapsed())), {
    stopAfter: 6,
  });
  assert.deepEqual(r.calls, [
    [DAY, 86_397],
    [DAY, 86_398],
    [DAY, 86_399],
    [DAY, DAY_SECONDS],
    [addDays(DAY, 1), 0],
    [addDays(DAY, 1), 1],
  ]);
  assert.deepEqual(r.ended, [DAY]);
});
