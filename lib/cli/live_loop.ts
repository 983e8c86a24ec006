/**
 * live's loop: the simulated clock (the store's real one, or a faster one)
 * and what happens at each tick: commit what fell due, finish a day at its
 * end and go on with the next, stop at --until or when asked. The clock,
 * the commit and the waiting are given, so the loop is tested with a fake
 * clock (live_loop_test.ts).
 */
import type { SliceResult } from "../db/live.ts";
import { addDays, todayIn } from "../sim/calendar.ts";
import { DAY_SECONDS, secondOfDayIn } from "../sim/live.ts";

/** The simulated clock. */
export interface SimClock {
  /** The simulated day and second (fractional) now. */
  now(): { day: string; second: number };
  /** The day ended at DAY_SECONDS: the clock goes on with the next day from its midnight. */
  nextDay(): void;
  /** The day needs no writing (in the ledger already): the next day's midnight is now. */
  skipDay(): void;
  /** Simulated seconds per real second. */
  speed: number;
  /** Whether the clock follows the wall clock (the day changes by itself). */
  real: boolean;
}

export function realClock(zone: string, wall: () => Date = () => new Date()): SimClock {
  return {
    now: () => {
      const at = wall();
      return {
        day: todayIn(zone, at),
        second: secondOfDayIn(zone, at) + (at.getTime() % 1000) / 1000,
      };
    },
    nextDay: () => {},
    skipDay: () => {},
    speed: 1,
    real: true,
  };
}

export function fastClock(
  startDay: string,
  startSecond: number,
  speed: number,
  elapsedMs: () => number = () => performance.now(),
): SimClock {
  let day = startDay;
  let from = startSecond;
  let started = elapsedMs();
  return {
    now: () => ({ day, second: from + ((elapsedMs() - started) / 1000) * speed }),
    nextDay: () => {
      // The next day starts when this one ended on the simulated clock.
      started += ((DAY_SECONDS - from) / speed) * 1000;
      from = 0;
      day = addDays(day, 1);
    },
    skipDay: () => {
      started = elapsedMs();
      from = 0;
      day = addDays(day, 1);
    },
    speed,
    real: false,
  };
}

export interface LoopDeps {
  clock: SimClock;
  /** Commits what is due in `day` at second `upTo` (DAY_SECONDS: the day's end). */
  commit(day: string, upTo: number): Promise<SliceResult>;
  /** Waits `ms` (or less, when a stop is asked). */
  sleep(ms: number): Promise<void>;
  stopRequested(): boolean;
  /** Real milliseconds, for the interval and the lag. */
  elapsedMs(): number;
  /** After each slice: `lagMs` from its oldest change falling due to its commit. */
  onSlice(result: SliceResult, lagMs: number | null, elapsedMs: number): void;
  /** After a day's last slice (the day is in the ledger now): a failure to report, or null. */
  onDayEnd(result: SliceResult): Promise<string | null>;
  onStoppedAt(day: string, second: number): void;
}

export interface LoopOptions {
  intervalMs: number;
  /** Second of the day to stop at (the day stays open). */
  until?: number;
  once: boolean;
}

/** Runs until stopped, --until, --once's day end, or a failure after a commit (returned). */
export async function runLiveLoop(deps: LoopDeps, options: LoopOptions): Promise<string | null> {
  const { clock } = deps;
  let day = clock.now().day;
  while (!deps.stopRequested()) {
    const tick = deps.elapsedMs();
    const now = clock.now();
    const dayOver = now.day !== day;
    let upTo = dayOver ? DAY_SECONDS : Math.min(now.second, DAY_SECONDS);
    const stopping = options.until !== undefined && !dayOver && upTo >= options.until;
    if (stopping) upTo = options.until!;
    const result = await deps.commit(day, Math.floor(upTo));
    const simulatedNow = dayOver ? DAY_SECONDS : Math.min(now.second, DAY_SECONDS);
    const lag = result.firstAt === null
      ? null
      : ((simulatedNow - result.firstAt) / clock.speed) * 1000 + (deps.elapsedMs() - tick);
    deps.onSlice(result, lag, deps.elapsedMs() - tick);
    if (result.status === "in-ledger") {
      // Nothing to write for this day: the next one (a faster clock jumps to it).
      if (options.once) return null;
      if (!clock.real) clock.skipDay();
      if (!clock.real || dayOver) {
        day = clock.now().day;
        continue;
      }
    } else if (upTo >= DAY_SECONDS) {
      const failure = await deps.onDayEnd(result);
      if (failure !== null) return failure;
      if (options.once || stopping) return null;
      if (!clock.real) clock.nextDay();
      day = clock.now().day;
      continue;
    } else if (stopping) {
      deps.onStoppedAt(day, options.until!);
      return null;
    }
    await deps.sleep(options.intervalMs - (deps.elapsedMs() - tick));
  }
  return null;
}
