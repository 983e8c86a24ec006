/**
 * The store's history, made by the same demand model as the simulated days: day after day, the
 * day plan of `plan.ts` with the customers' state carried over (who bought when, who signed
 * up). Volume grows from the launch pace (Chinook's own, about 7 invoices a month) to the model's
 * curve over `rampYears`, so that Chinook's original invoices, the history and the simulated
 * days join without a step. History days are sales and sign-ups only: no updates, cancellations
 * or profile changes. Pure: the same seed, model and starting state give the same rows.
 */
import {
  addDays,
  daysBetween,
  daysInRange,
  dayToEpochDays,
  existingSecond,
  wallClock,
  weekday,
} from "./calendar.ts";
import { type DemandModel, expectedInvoices, TimeOfDay } from "./demand.ts";
import type { Names } from "./people/mod.ts";
import { buildDayPlan, type NewCustomer, NO_MESS } from "./plan.ts";
import { agesOn, emptyRecency, mergeDay, mergeLatest } from "./recency.ts";
import { dayRng, Rng } from "./rng.ts";

/** Below this many expected invoices a day, counts follow the curve closely (see historyCounts). */
export const SMOOTH_BELOW = 20;

/** The ramp of a history from `from`: it reaches the model's curve `rampYears` later (or at `to`). */
export interface Ramp {
  from: string;
  /** The first day on the model's own curve. */
  end: string;
}

export function historyRamp(model: DemandModel, from: string, to: string): Ramp {
  const years = Math.round(model.rampYears * 365.25);
  const end = addDays(from, years);
  return { from, end: end < to ? end : addDays(to, 1) };
}

/** How far `day` is into the ramp: 0 on its first day, 1 from its end on. */
export function rampProgress(ramp: Ramp, day: string): number {
  if (day >= ramp.end) return 1;
  const span = daysBetween(ramp.from, ramp.end);
  return span > 0 ? Math.max(0, daysBetween(ramp.from, day) / span) : 1;
}

/** The model of a history day: baskets fade from the launch's to the model's over the ramp. */
export function historyModel(model: DemandModel, ramp: Ramp, day: string): DemandModel {
  const x = rampProgress(ramp, day);
  if (x >= 1) return model;
  return {
    ...model,
    basketSizeWeights: model.basketSizeWeights.map((w, i) =>
      (1 - x) * (model.launchBasketSizeWeights[i] ?? 0) + x * w
    ),
  };
}

/** The model's level on `day` without weekday and month factors (its growth trend). */
function trend(model: DemandModel, day: string): number {
  return model.baseInvoicesPerDay *
    Math.pow(1 + model.annualGrowth, daysBetween(model.growthAnchor, day) / 365.25);
}

/**
 * Expected invoices on a history day: the model's curve times a ramp that grows exponentially
 * (a constant factor a month, the smallest possible step) from the launch pace to 1. The
 * weekday and month factors fade in over the ramp too: Chinook's own invoices have no seasons,
 * and a season on a few invoices a month would be a step.
 */
export function historyExpected(model: DemandModel, ramp: Ramp, day: string): number {
  const expected = expectedInvoices(model, day);
  if (day >= ramp.end) return expected;
  const x = rampProgress(ramp, day);
  const start = Math.min(1, model.launchInvoicesPerDay / Math.max(1e-9, trend(model, ramp.end)));
  const season = (model.weekdayFactors[weekday(day)] ?? 1) *
    (model.monthFactors[Number(day.slice(5, 7)) - 1] ?? 1);
  const flat = season > 0 ? expected / season : 0;
  return flat * Math.pow(season, x) * Math.pow(start, 1 - x);
}

/**
 * Invoices per history day. While the store is small (under SMOOTH_BELOW a day) the counts are a
 * systematic sample of the curve (the running total rounded at a seeded offset), so thin months
 * are not noise: a month of 7 expected invoices gets 6 to 8, not 2 or 14. Above it, Poisson noise
 * around the curve as on the simulated days.
 */
export function historyCounts(
  model: DemandModel,
  seed: string,
  from: string,
  to: string,
): number[] {
  const ramp = historyRamp(model, from, to);
  const offset = new Rng(`${seed}/history-counts`).next();
  let total = 0;
  return daysInRange(from, to).map((day) => {
    const expected = historyExpected(model, ramp, day);
    const before = total;
    total += expected;
    if (expected < SMOOTH_BELOW) return Math.floor(total + offset) - Math.floor(before + offset);
    return dayRng(seed, day).fork("history-volume").poisson(expected);
  });
}

/** The most invoices a history may have: its rows are planned in memory before they are loaded. */
export const MAX_HISTORY_INVOICES = 5_000_000;

/** Invoices the model expects from `from` to `to`, before noise. */
export function expectedHistoryInvoices(model: DemandModel, from: string, to: string): number {
  const ramp = historyRamp(model, from, to);
  return daysInRange(from, to).reduce((sum, day) => sum + historyExpected(model, ramp, day), 0);
}

/** The store before the history: its customers, catalogue and next ids. */
export interface HistoryStart {
  customerIds: Int32Array;
  /** Day of each customer's latest invoice ("" for none). */
  customerLatest: string[];
  trackIds: Int32Array;
  trackPriceCents: Int32Array;
  supportRepIds: number[];
  nextInvoiceId: number;
  nextInvoiceLineId: number;
  nextCustomerId: number;
}

/** The history's rows, columnar; invoices and lines with contiguous ids in time order. */
export interface HistoryRows {
  from: string;
  to: string;
  newCustomers: NewCustomer[];
  firstInvoiceId: number;
  invoiceCustomerIds: Int32Array;
  /** "YYYY-MM-DD HH:MM:SS" wall clock, existing in the store's zone. */
  invoiceDates: string[];
  invoiceTotalCents: Int32Array;
  firstLineId: number;
  lineInvoiceIds: Int32Array;
  lineTrackIds: Int32Array;
  linePriceCents: Int32Array;
  revenueCents: number;
  /** On the last slice: each customer's latest invoice as of `to` (recency.ts). */
  latest?: Int32Array;
}

/** What planHistory needs: the days, the model and the store before them. */
export interface HistoryInput {
  seed: string;
  model: DemandModel;
  from: string;
  to: string;
  timeZone: string;
  names: Names;
  start: HistoryStart;
}

/** Every history day from `from` to `to` planned in turn, the customers' state carried over. */
export function planHistory(input: HistoryInput): HistoryRows {
  const slices = [...historySlices(input, Infinity)];
  return slices[0] ?? emptyRows(input.from, input.to, input.start);
}

/**
 * The same rows as planHistory, in slices of whole days of about `invoices` invoices each (the
 * last may be smaller), in order: a slice can be loaded and dropped before the next is planned,
 * so that memory holds one slice, not the whole history. Each slice's `from` and `to` are its own
 * days; its ids continue the previous slice's.
 */
export function* historySlices(input: HistoryInput, invoices: number): Generator<HistoryRows> {
  const { seed, model, from, to, start } = input;
  const counts = historyCounts(model, seed, from, to);
  const ramp = historyRamp(model, from, to);
  const customerIds: number[] = Array.from(start.customerIds);
  // The customers' latest invoices, kept as the days after the history keep them (recency.ts).
  const known = start.customerLatest.flatMap((d, i) => d === "" ? [] : [i]);
  let latest = mergeLatest(
    emptyRecency(0),
    known.map((i) => start.customerIds[i]!),
    known.map((i) => dayToEpochDays(start.customerLatest[i]!)),
  );
  let nextInvoiceId = start.nextInvoiceId;
  let nextLineId = start.nextInvoiceLineId;
  let nextCustomerId = start.nextCustomerId;
  const noInvoices = new Int32Array();
  const days = daysInRange(from, to);
  let slice = new SliceBuilder(days[0] ?? from, nextInvoiceId, nextLineId);
  for (const [d, day] of days.entries()) {
    const inserts = counts[d]!;
    if (inserts > 0) {
      const signUps = Math.min(
        inserts,
        customerIds.length === 0
          ? inserts
          : dayRng(seed, day).fork("history-signups").poisson(inserts * model.newCustomerShare),
      );
      const ids = Int32Array.from(customerIds);
      const plan = buildDayPlan({
        day,
        seed,
        requested: { inserts, updates: 0, deletes: 0, newCustomers: signUps, customerChanges: 0 },
        model: historyModel(model, ramp, day),
        snapshot: {
          customerIds: ids,
          customerAgeDays: agesOn(latest, ids, day),
          trackIds: start.trackIds,
          trackPriceCents: start.trackPriceCents,
          supportRepIds: start.supportRepIds,
          recentInvoiceIds: noInvoices,
          recentAgeDays: noInvoices,
          nextInvoiceId,
          nextInvoiceLineId: nextLineId,
          nextCustomerId,
        },
        messiness: NO_MESS,
        timeZone: input.timeZone,
        names: input.names,
      });
      for (const customer of plan.newCustomers.range()) {
        slice.newCustomers.push(customer);
        customerIds.push(customer.id);
      }
      latest = mergeDay(latest, plan);
      const count = plan.invoiceCustomerIds.length;
      for (let i = 0; i < count; i++) {
        const customer = plan.invoiceCustomerIds[i]!;
        slice.invoiceCustomers.push(customer);
        slice.invoiceDates.push(wallClock(day, plan.invoiceSeconds[i]!));
        slice.totals.push(plan.invoiceTotalCents[i]!);
        for (let l = plan.lineStart[i]!; l < plan.lineStart[i + 1]!; l++) {
          slice.lineInvoices.push(plan.firstInvoiceId + i);
          slice.lineTracks.push(plan.lineTrackIds[l]!);
          slice.linePrices.push(plan.linePriceCents[l]!);
        }
      }
      slice.revenueCents += plan.revenueCents;
      nextInvoiceId += count;
      nextLineId += plan.lineTrackIds.length;
      nextCustomerId += plan.newCustomers.count;
    }
    if (slice.invoiceCustomers.length >= invoices && d < days.length - 1) {
      yield slice.rows(day);
      slice = new SliceBuilder(days[d + 1]!, nextInvoiceId, nextLineId);
    }
  }
  // The last slice carries the recency as of the history's last day, for the days after it.
  yield { ...slice.rows(to), latest: latest.slice() };
}

function emptyRows(from: string, to: string, start: HistoryStart): HistoryRows {
  return new SliceBuilder(from, start.nextInvoiceId, start.nextInvoiceLineId).rows(to);
}

/** The rows of a slice as they are planned. */
class SliceBuilder {
  newCustomers: NewCustomer[] = [];
  invoiceCustomers: number[] = [];
  invoiceDates: string[] = [];
  totals: number[] = [];
  lineInvoices: number[] = [];
  lineTracks: number[] = [];
  linePrices: number[] = [];
  revenueCents = 0;

  constructor(
    readonly from: string,
    readonly firstInvoiceId: number,
    readonly firstLineId: number,
  ) {}

  rows(to: string): HistoryRows {
    return {
      from: this.from,
      to,
      newCustomers: this.newCustomers,
      firstInvoiceId: this.firstInvoiceId,
      invoiceCustomerIds: Int32Array.from(this.invoiceCustomers),
      invoiceDates: this.invoiceDates,
      invoiceTotalCents: Int32Array.from(this.totals),
      firstLineId: this.firstLineId,
      lineInvoiceIds: Int32Array.from(this.lineInvoices),
      lineTrackIds: Int32Array.from(this.lineTracks),
      linePriceCents: Int32Array.from(this.linePrices),
      revenueCents: this.revenueCents,
    };
  }
}

/**
 * Times of day for Chinook's own invoices (all at midnight in the sample): a second from the hour
 * curve per invoice, seeded by its id, that exists in the store's zone.
 */
export function originalSeconds(
  model: DemandModel,
  seed: string,
  timeZone: string,
  invoices: ReadonlyArray<{ id: number; day: string }>,
): number[] {
  const clock = new TimeOfDay(model);
  return invoices.map(({ id, day }) =>
    existingSecond(timeZone, day, clock.sample(new Rng(`${seed}/original-time/${id}`)))
  );
}
