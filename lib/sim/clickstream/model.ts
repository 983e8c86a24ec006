/**
 * The clickstream model: traffic mix, conversion, abandonment and review
 * rates. The numbers live in model.json (data, not code); this module gives
 * them a type and checks them.
 */
import data from "./model.json" with { type: "json" };

export type Weights = Readonly<Record<string, number>>;

export interface ClickModel {
  /** Share of sessions that end in a purchase (buying sessions / all sessions). */
  conversionRate: number;
  /** How far a day's conversion may stray from conversionRate (relative), on days of 50+ invoices. */
  conversionTolerance: number;
  /** Share of the sessions that do not buy that are of a logged-in customer. */
  loggedInShare: number;
  /** Zipf exponent of which customers browse logged in (a stable hashed order, as for tracks). */
  loggedInCustomerZipf: number;
  /** Share of the sessions that do not buy that see one page only. */
  bounceRate: number;
  meanBrowseViews: number;
  maxBrowseViews: number;
  /** Chance that a session searches. */
  searchRate: number;
  /** Share of the sessions that do not buy that add to the cart anyway (abandoned carts). */
  cartAddRate: number;
  /** Share of abandoned carts that got as far as the checkout. */
  checkoutAbandonRate: number;
  /** Chance a session puts a track in the cart and takes it out again. */
  removeFromCartRate: number;
  /** Upper bound of a day's sessions (the sessions that buy always count). */
  maxSessionsPerDay: number;
  secondsBetweenEvents: { min: number; max: number };
  /** The purchase event comes this long before the invoice's time. */
  secondsPurchaseBeforeInvoice: { min: number; max: number };
  pageWeights: Weights;
  devices: Weights;
  /** Browser mix per device. */
  browsers: Readonly<Record<string, Weights>>;
  referrers: Weights;
  /** Countries of visitors who are not logged in (customers browse from their own country). */
  visitorCountries: Weights;
  /** Share of bought lines whose buyer reviews the track later. */
  reviewRate: number;
  /** A review comes 1 … reviewMaxDelayDays days after the purchase. */
  reviewMaxDelayDays: number;
  /** Share of ratings 1 … 5 stars. */
  ratingWeights: number[];
}

export const PAGE_TYPES = ["home", "artist", "album", "track"] as const;

function positiveWeights(name: string, weights: unknown, problems: string[]): void {
  const values = weights && typeof weights === "object" ? Object.values(weights) : [];
  const ok = values.length > 0 &&
    values.every((v) => typeof v === "number" && Number.isFinite(v) && v >= 0) &&
    values.some((v) => (v as number) > 0);
  if (!ok) problems.push(`"${name}" must be non-negative weights, not all 0`);
}

/** Checks a model; the problems, or none. */
export function checkClickModel(model: ClickModel): string[] {
  const problems: string[] = [];
  const share = (name: keyof ClickModel) => {
    const v = model[name];
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
      problems.push(`"${name}" must be from 0 to 1`);
    }
  };
  for (
    const name of [
      "loggedInShare",
      "bounceRate",
      "searchRate",
      "cartAddRate",
      "checkoutAbandonRate",
      "removeFromCartRate",
      "reviewRate",
      "conversionTolerance",
    ] as const
  ) share(name);
  if (!(model.loggedInCustomerZipf >= 0 && model.loggedInCustomerZipf <= 5)) {
    problems.push(`"loggedInCustomerZipf" must be from 0 to 5`);
  }
  if (!(model.conversionRate > 0 && model.conversionRate <= 1)) {
    problems.push(`"conversionRate" must be above 0 and at most 1`);
  }
  if (model.cartAddRate > 1 - model.bounceRate) {
    problems.push(`"cartAddRate" cannot exceed the sessions that do not bounce (1 - bounceRate)`);
  }
  const whole = (name: keyof ClickModel, min: number, max: number) => {
    const v = model[name];
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
      problems.push(`"${name}" must be a whole number from ${min} to ${max}`);
    }
  };
  whole("maxBrowseViews", 1, 1000);
  whole("maxSessionsPerDay", 1, 10_000_000);
  whole("reviewMaxDelayDays", 1, 365);
  if (!(model.meanBrowseViews >= 1 && model.meanBrowseViews <= model.maxBrowseViews)) {
    problems.push(`"meanBrowseViews" must be from 1 to maxBrowseViews`);
  }
  for (const name of ["secondsBetweenEvents", "secondsPurchaseBeforeInvoice"] as const) {
    const { min, max } = model[name];
    if (
      !(Number.isInteger(min) && Number.isInteger(max) && min >= 1 && max >= min && max <= 3600)
    ) {
      problems.push(`"${name}" must be whole seconds with 1 <= min <= max <= 3600`);
    }
  }
  for (const name of ["pageWeights", "devices", "referrers", "visitorCountries"] as const) {
    positiveWeights(name, model[name], problems);
  }
  for (const page of PAGE_TYPES) {
    if (!(page in model.pageWeights)) problems.push(`"pageWeights" needs "${page}"`);
  }
  for (const device of Object.keys(model.devices)) {
    positiveWeights(`browsers.${device}`, model.browsers[device], problems);
  }
  if (model.ratingWeights.length !== 5) problems.push(`"ratingWeights" must be 5 weights`);
  else positiveWeights("ratingWeights", model.ratingWeights, problems);
  return problems;
}

/** The model of model.json. */
export const DEFAULT_CLICK_MODEL: ClickModel = data as ClickModel;
