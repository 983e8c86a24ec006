/**
 * Reviews: some customers rate a track they bought, days later. Whether a
 * bought line is ever reviewed, and after how many days, is a fixed function
 * of the line's id (like track popularity: the same whatever the seed or the
 * order days are simulated in), so the day that writes a review needs only
 * the lines bought in the days before it. The rating and the time of day
 * come from the reviewing day's seed.
 */
import { addDays } from "../calendar.ts";
import { AliasTable, Rng } from "../rng.ts";
import type { ClickModel } from "./model.ts";

/** A line bought before the day, that its buyer might review. */
export interface BoughtLine {
  lineId: number;
  customerId: number;
  trackId: number;
  /** The day of the invoice (YYYY-MM-DD). */
  boughtOn: string;
}

export interface WebReview {
  id: number;
  lineId: number;
  customerId: number;
  trackId: number;
  rating: number;
  /** Milliseconds from the day's midnight. */
  atMs: number;
}

/** The day a line is reviewed on, or null when its buyer never reviews it. */
export function reviewDay(
  line: { lineId: number; boughtOn: string },
  model: Pick<ClickModel, "reviewRate" | "reviewMaxDelayDays">,
): string | null {
  const rng = new Rng(`review/${line.lineId}`);
  if (!rng.bernoulli(model.reviewRate)) return null;
  return addDays(line.boughtOn, 1 + Math.floor(rng.next() * model.reviewMaxDelayDays));
}

/** The reviews written on `day`: of the lines due that day (not reviewed yet), by line id. */
export function planReviews(input: {
  day: string;
  seed: string;
  model: ClickModel;
  hourWeights: number[];
  lines: readonly BoughtLine[];
  firstReviewId: number;
  /** The wall-clock hour the clocks skip on the day, if they do: no review is dated in it. */
  skipped?: { fromMs: number; toMs: number };
}): WebReview[] {
  const rng = new Rng(`chinook-sim/${input.seed}/${input.day}/reviews`);
  const hours = new AliasTable(input.hourWeights);
  const ratings = new AliasTable(input.model.ratingWeights);
  const due = input.lines.filter((line) => reviewDay(line, input.model) === input.day)
    .sort((a, b) => a.lineId - b.lineId);
  const drawn = due.map((line) => ({
    line,
    rating: ratings.sample(rng) + 1,
    atMs: clockTime(
      (hours.sample(rng) * 3600 + rng.int(0, 3599)) * 1000 + rng.int(0, 999),
      input.skipped,
    ),
  }));
  // Ids in time order, like every other id of the day.
  drawn.sort((a, b) => a.atMs - b.atMs || a.line.lineId - b.line.lineId);
  return drawn.map(({ line, rating, atMs }, i) => ({
    id: input.firstReviewId + i,
    lineId: line.lineId,
    customerId: line.customerId,
    trackId: line.trackId,
    rating,
    atMs,
  }));
}

/** A time in a skipped hour moves forward by the gap, as clocks do. */
function clockTime(ms: number, skipped?: { fromMs: number; toMs: number }): number {
  return skipped && ms >= skipped.fromMs && ms < skipped.toMs
    ? ms + (skipped.toMs - skipped.fromMs)
    : ms;
}
