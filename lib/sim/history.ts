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
  const span = daysBetween(ramp.from, ramp.end);
  const x = span > 0 ? daysBetween(ramp.from, day) / span : 1;
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
}

/** Every history day from `from` to `to` planned in turn, the customers' state carried over. */
export function planHistory(input: {
  seed: string;
  model: DemandModel;
  from: string;
  to: string;
  timeZone: string;
  names: Names;
  start: HistoryStart;
}): HistoryRows {
  const { seed, model, from, to, start } = input;
  const counts = historyCounts(model, seed, from, to);
  const customerIds: number[] = Array.from(start.customerIds);
  const latest: number[] = start.customerLatest.map((d) => (d === "" ? -1 : dayToEpochDays(d)));
  const indexOf = new Map<number, number>();
  customerIds.forEach((id, i) => indexOf.set(id, i));
  const newCustomers: NewCustomer[] = [];
  const invoiceCustomers: number[] = [];
  const invoiceDates: string[] = [];
  const totals: number[] = [];
  const lineInvoices: number[] = [];
  const lineTracks: number[] = [];
  const linePrices: number[] = [];
  let revenueCents = 0;
  let nextInvoiceId = start.nextInvoiceId;
  let nextLineId = start.nextInvoiceLineId;
  let nextCustomerId = start.nextCustomerId;
  const noInvoices = new Int32Array();
  daysInRange(from, to).forEach((day, d) => {
    const inserts = counts[d]!;
    if (inserts === 0) return;
    const today = dayToEpochDays(day);
    const signUps = Math.min(
      inserts,
      customerIds.length === 0
        ? inserts
        : dayRng(seed, day).fork("history-signups").poisson(inserts * model.newCustomerShare),
    );
    const plan = buildDayPlan({
      day,
      seed,
      requested: { inserts, updates: 0, deletes: 0, newCustomers: signUps, customerChanges: 0 },
      model,
      snapshot: {
        customerIds: Int32Array.from(customerIds),
        customerAgeDays: Int32Array.from(latest, (l) => (l < 0 ? -1 : today - l)),
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
    for (const customer of plan.newCustomers) {
      newCustomers.push(customer);
      indexOf.set(customer.id, customerIds.length);
      customerIds.push(customer.id);
      latest.push(today);
    }
    const count = plan.invoiceCustomerIds.length;
    for (let i = 0; i < count; i++) {
      const customer = plan.invoiceCustomerIds[i]!;
      invoiceCustomers.push(customer);
      latest[indexOf.get(customer)!] = today;
      invoiceDates.push(wallClock(day, plan.invoiceSeconds[i]!));
      totals.push(plan.invoiceTotalCents[i]!);
      for (let l = plan.lineStart[i]!; l < plan.lineStart[i + 1]!; l++) {
        lineInvoices.push(plan.firstInvoiceId + i);
        lineTracks.push(plan.lineTrackIds[l]!);
        linePrices.push(plan.linePriceCents[l]!);
      }
    }
    revenueCents += plan.revenueCents;
    nextInvoiceId += count;
    nextLineId += plan.lineTrackIds.length;
    nextCustomerId += plan.newCustomers.length;
  });
  return {
    from,
    to,
    newCustomers,
    firstInvoiceId: start.nextInvoiceId,
    invoiceCustomerIds: Int32Array.from(invoiceCustomers),
    invoiceDates,
    invoiceTotalCents: Int32Array.from(totals),
    firstLineId: start.nextInvoiceLineId,
    lineInvoiceIds: Int32Array.from(lineInvoices),
    lineTrackIds: Int32Array.from(lineTracks),
    linePriceCents: Int32Array.from(linePrices),
    revenueCents,
  };
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
