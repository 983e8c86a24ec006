/**
 * The demand model: how many sales a day brings, at what hours, from which
 * customers, for which tracks. Pure and parameterised; the defaults are
 * documented in the README.
 */
import { daysBetween, FIRST_YEAR, LAST_YEAR, parseDay, weekday } from "./calendar.ts";
import { AliasTable, firstUint32Of, Rng } from "./rng.ts";

export interface DemandModel {
  /** Mean invoices on an average day at the anchor date. */
  baseInvoicesPerDay: number;
  /** Multipliers Sunday … Saturday. */
  weekdayFactors: number[];
  /** Multipliers January … December (December peak). */
  monthFactors: number[];
  /** Yearly growth of volume, compounded daily from the anchor date. */
  annualGrowth: number;
  growthAnchor: string;
  /** Relative weight of each hour 0 … 23 of the day. */
  hourWeights: number[];
  /** Share of baskets with 1, 2, 3, 4, 5 tracks. */
  basketSizeWeights: number[];
  /** Zipf exponent of track popularity. */
  trackZipf: number;
  /** Expected updates and cancellations per new invoice. */
  updatesPerInvoice: number;
  cancellationsPerInvoice: number;
  /** Share of a day's invoices bought by customers who sign up that day (their first purchase). */
  newCustomerShare: number;
  /** Share of customers who are loyal, and how many times as often they buy. */
  loyalShare: number;
  loyalFactor: number;
  /** Days after a purchase by which a customer is about two-thirds ready to buy again. */
  repeatDays: number;
  /** Mean days without a purchase after which a customer has lapsed (churn). */
  churnDays: number;
  /** Expected customer profile changes (address, email) per day. */
  customerChangesPerDay: number;
  /**
   * The history's first days sell this many invoices a day: a little above Chinook's own pace
   * (≈7 a month, 0.23 a day) because Chinook's baskets are larger, so that neither the invoice
   * count nor the revenue steps much where the model's days follow Chinook's invoices.
   */
  launchInvoicesPerDay: number;
  /** Years over which the history grows from the launch pace to the base curve's. */
  rampYears: number;
  /**
   * Share of baskets with 1 … 5 tracks on the history's first day, fading to basketSizeWeights
   * over the ramp: Chinook's own invoices average 5.4 tracks, so the first buyers buy more each.
   */
  launchBasketSizeWeights: number[];
  /** Recency of update/cancel targets: half-life in days within the window. */
  changeHalfLifeDays: number;
}

export const DEFAULT_MODEL: DemandModel = {
  baseInvoicesPerDay: 100,
  weekdayFactors: [1.2, 0.85, 0.9, 0.9, 0.95, 1.1, 1.3],
  monthFactors: [0.9, 0.85, 0.9, 0.95, 1.0, 0.95, 0.9, 0.9, 1.0, 1.05, 1.2, 1.45],
  annualGrowth: 0.12,
  growthAnchor: "2025-01-01",
  hourWeights: [
    0.6,
    0.35,
    0.2,
    0.15,
    0.15,
    0.25,
    0.6,
    1.2,
    2.0,
    2.6,
    3.0,
    3.6,
    5.2,
    4.9,
    3.4,
    3.1,
    3.2,
    3.6,
    4.4,
    5.4,
    6.0,
    5.6,
    3.6,
    1.5,
  ],
  basketSizeWeights: [0.42, 0.3, 0.14, 0.09, 0.05],
  trackZipf: 0.9,
  updatesPerInvoice: 0.05,
  cancellationsPerInvoice: 0.02,
  newCustomerShare: 0.2,
  loyalShare: 0.1,
  loyalFactor: 10,
  repeatDays: 14,
  churnDays: 150,
  customerChangesPerDay: 0.3,
  launchInvoicesPerDay: 0.3,
  rampYears: 2,
  launchBasketSizeWeights: [0.05, 0.1, 0.15, 0.25, 0.45],
  changeHalfLifeDays: 10,
};

/**
 * Each number's range (each element's, for a list): wide enough for any
 * store worth simulating, narrow enough that no value overflows or runs for
 * hours. Documented in the README.
 */
export const MODEL_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  baseInvoicesPerDay: [0, 100_000],
  weekdayFactors: [0, 10],
  monthFactors: [0, 10],
  annualGrowth: [0, 1],
  hourWeights: [0, 1000],
  basketSizeWeights: [0, 1000],
  trackZipf: [0, 5],
  updatesPerInvoice: [0, 0.5],
  cancellationsPerInvoice: [0, 0.5],
  newCustomerShare: [0, 1],
  loyalShare: [0, 1],
  loyalFactor: [1, 1000],
  repeatDays: [0.1, 3650],
  churnDays: [1, 36500],
  customerChangesPerDay: [0, 10_000],
  launchInvoicesPerDay: [0, 100_000],
  rampYears: [0.1, 50],
  launchBasketSizeWeights: [0, 1000],
  changeHalfLifeDays: [0.1, 3650],
};
/** The days the growth may be anchored on. */
export const ANCHOR_RANGE = [`${FIRST_YEAR}-01-01`, `${LAST_YEAR}-12-31`] as const;

/** The most a day's drawn volume may ask for: the caps of the count flags (--inserts …). */
export const VOLUME_LIMITS = {
  inserts: 2_000_000,
  updates: 1_000_000,
  deletes: 1_000_000,
  newCustomers: 100_000,
  customerChanges: 100_000,
} as const;

/** One bad parameter of a model: its key (to find its line in the file) and what is wrong. */
export interface ModelProblem {
  key: string;
  message: string;
}

/** A model whose parameters are out of range, or whose volumes on a day are past the caps. */
export class ModelRangeError extends RangeError {
  override name = "ModelRangeError";
  constructor(message: string, readonly problems: ModelProblem[] = []) {
    super(message);
  }
}

const show = (value: unknown) => {
  // A number as written (1e309 reads as Infinity, which JSON would print as null).
  const text = typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value);
  return text.length > 30 ? `${text.slice(0, 30)}…` : text;
};
const range = ([min, max]: readonly [number, number]) =>
  `from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}`;

/** Validates a (partial) model from a config file and merges it over the defaults. */
export function resolveModel(partial: Record<string, unknown>): DemandModel {
  const model: DemandModel = structuredClone(DEFAULT_MODEL);
  const problems: ModelProblem[] = [];
  const set = (key: string, value: unknown) => {
    (model as unknown as Record<string, unknown>)[key] = value;
  };
  for (const [key, value] of Object.entries(partial)) {
    // Own keys only: "constructor", "__proto__" and "toString" are not parameters.
    if (!Object.hasOwn(DEFAULT_MODEL, key)) {
      problems.push({ key, message: `unknown key "${key}"` });
      continue;
    }
    const current = (DEFAULT_MODEL as unknown as Record<string, unknown>)[key];
    const bounds = MODEL_RANGES[key];
    const inRange = (v: unknown) =>
      typeof v === "number" && Number.isFinite(v) && bounds !== undefined && v >= bounds[0] &&
      v <= bounds[1];
    if (Array.isArray(current)) {
      const ok = Array.isArray(value) && value.length === current.length && value.every(inRange) &&
        value.some((v) => v > 0);
      if (!ok) {
        problems.push({
          key,
          message: `"${key}" must be ${current.length} non-negative numbers, each ${
            range(bounds!)
          }, not all 0 (not ${show(value)})`,
        });
      } else set(key, value);
    } else if (typeof current === "number") {
      if (!inRange(value)) {
        problems.push({
          key,
          message: `"${key}" must be a number ${range(bounds!)} (not ${show(value)})`,
        });
      } else set(key, value);
    } else {
      let day: string | undefined;
      try {
        day = typeof value === "string" ? parseDay(value) : undefined;
      } catch {
        day = undefined;
      }
      if (day === undefined || day < ANCHOR_RANGE[0] || day > ANCHOR_RANGE[1]) {
        problems.push({
          key,
          message: `"${key}" must be a date YYYY-MM-DD from ${ANCHOR_RANGE[0]} to ${
            ANCHOR_RANGE[1]
          } (not ${show(value)})`,
        });
      } else set(key, day);
    }
  }
  if (problems.length > 0) {
    throw new ModelRangeError(problems.map((p) => p.message).join("; "), problems);
  }
  return model;
}

/** Expected invoices on `day` before noise: base × weekday × month × growth. */
export function expectedInvoices(model: DemandModel, day: string): number {
  const month = Number(day.slice(5, 7)) - 1;
  const years = daysBetween(model.growthAnchor, day) / 365.25;
  return model.baseInvoicesPerDay *
    (model.weekdayFactors[weekday(day)] ?? 1) *
    (model.monthFactors[month] ?? 1) *
    Math.pow(1 + model.annualGrowth, years);
}

export interface DayVolume {
  inserts: number;
  updates: number;
  deletes: number;
  newCustomers: number;
  customerChanges: number;
}

/** The day's counts drawn around the model's expectation (Poisson noise). */
export function drawVolume(model: DemandModel, day: string, rng: Rng): DayVolume {
  const expected = expectedInvoices(model, day);
  checkVolume(model, day, expected);
  const inserts = rng.poisson(expected);
  return {
    inserts,
    updates: rng.poisson(inserts * model.updatesPerInvoice),
    deletes: rng.poisson(inserts * model.cancellationsPerInvoice),
    // Sign-ups follow the volume: a steady share of the day's buyers are first-timers.
    newCustomers: Math.min(inserts, rng.poisson(inserts * model.newCustomerShare)),
    customerChanges: rng.poisson(model.customerChangesPerDay),
  };
}

/**
 * The model's expectations on `day` stay within the count caps (growth
 * compounds: a model valid today can ask for billions in a century): past
 * them the day is refused, not drawn.
 */
function checkVolume(model: DemandModel, day: string, expected: number): void {
  const expectations: Array<[keyof typeof VOLUME_LIMITS, number, string]> = [
    ["inserts", expected, "invoices"],
    ["updates", expected * model.updatesPerInvoice, "updates"],
    ["deletes", expected * model.cancellationsPerInvoice, "cancellations"],
    ["newCustomers", expected * model.newCustomerShare, "new customers"],
    ["customerChanges", model.customerChangesPerDay, "customer changes"],
  ];
  for (const [name, value, label] of expectations) {
    const limit = VOLUME_LIMITS[name];
    // Poisson noise adds a few standard deviations at most.
    if (!(value + 6 * Math.sqrt(value) <= limit)) {
      throw new ModelRangeError(
        `Cannot simulate ${day}: the demand model expects ${
          Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "too many"
        } ${label} that day, past the cap of ${
          limit.toLocaleString("en-US")
        }; lower baseInvoicesPerDay, the factors or annualGrowth in --model`,
      );
    }
  }
}

/** Whether a customer belongs to the loyal minority: a stable hash of the id, the same every day. */
export function isLoyal(model: DemandModel, customerId: number): boolean {
  let draw = loyalDraws.get(customerId);
  if (draw === undefined) {
    draw = loyalDraw(customerId) / 4294967296;
    loyalDraws.set(customerId, draw);
  }
  return draw < model.loyalShare;
}

/** Each customer's loyalty draw, kept: the history asks for every customer on every day. */
const loyalDraws = new Map<number, number>();
const loyalDraw = firstUint32Of("loyal/");

/**
 * How likely each existing customer is to buy on the day, relative to the others: loyal
 * customers `loyalFactor` times as often; right after a purchase a customer rarely buys again
 * (readiness 1 - e^(-days/repeatDays)), and after months without one they lapse
 * (e^(-days/churnDays)). `ageDays[i]`: days since customer i's latest invoice (-1: none yet,
 * read as a customer who has just signed up).
 */
export function customerWeights(
  model: DemandModel,
  customerIds: ArrayLike<number>,
  ageDays?: ArrayLike<number>,
): Float64Array {
  const weights = new Float64Array(customerIds.length);
  for (let i = 0; i < customerIds.length; i++) {
    const age = Math.max(0, ageDays?.[i] ?? model.repeatDays);
    const ready = 1 - Math.exp(-(age + 0.5) / model.repeatDays);
    const active = Math.exp(-age / model.churnDays);
    weights[i] = (isLoyal(model, customerIds[i]!) ? model.loyalFactor : 1) * ready * active;
  }
  return weights;
}

/** A second of the day following the hour-of-day curve. */
export class TimeOfDay {
  readonly #hours: AliasTable;
  constructor(model: DemandModel) {
    this.#hours = new AliasTable(model.hourWeights);
  }
  sample(rng: Rng): number {
    return this.#hours.sample(rng) * 3600 + Math.floor(rng.next() * 3600);
  }
}

/**
 * A stable, seed-independent rank for an id (so popularity does not change
 * from day to day or run to run): ids ordered by a fixed hash.
 */
export function stableOrder(ids: ArrayLike<number>, salt: string): number[] {
  const n = ids.length;
  if (n <= INDEX_SLOTS) {
    // Hash then index packed in one exact float64 (below 2^53), sorted as numbers: the same
    // order as sorting the pairs, without an array per id.
    const packed = new Float64Array(n);
    const rank = firstUint32Of(`${salt}/`);
    for (let i = 0; i < n; i++) packed[i] = rank(ids[i]!) * INDEX_SLOTS + i;
    packed.sort();
    return Array.from(packed, (p) => p % INDEX_SLOTS);
  }
  const keyed: Array<[number, number]> = [];
  const rank = firstUint32Of(`${salt}/`);
  for (let i = 0; i < n; i++) keyed.push([rank(ids[i]!), i]);
  keyed.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return keyed.map(([, index]) => index);
}

/** 2^21: a 32-bit hash times this plus an index below it stays an exact integer. */
const INDEX_SLOTS = 2_097_152;

/** Zipf weights from ranks: item i, of rank rankOf[i] (0 = the favourite), gets 1 / (rank + 1)^s. */
export function zipfByRank(rankOf: ArrayLike<number>, exponent: number): Float64Array {
  const weights = new Float64Array(rankOf.length);
  for (let i = 0; i < rankOf.length; i++) weights[i] = 1 / Math.pow(rankOf[i]! + 1, exponent);
  return weights;
}

/** Zipf weights over items in a stable hashed order (the same every day, whatever the seed). */
export function zipfWeights(ids: ArrayLike<number>, exponent: number, salt: string): Float64Array {
  const rankOf = new Int32Array(ids.length);
  stableOrder(ids, salt).forEach((index, rank) => (rankOf[index] = rank));
  return zipfByRank(rankOf, exponent);
}

/**
 * k distinct indices drawn with probability proportional to `weights`
 * (Efraimidis–Spirakis keys), in ascending index order.
 */
export function weightedSampleWithoutReplacement(
  rng: Rng,
  weights: ArrayLike<number>,
  k: number,
): number[] {
  const n = weights.length;
  if (k <= 0 || n === 0) return [];
  // Keep the k largest keys in a min-heap, the worst on top: O(n log k), not a sort of all n
  // (the window can hold a million invoices). Ties go to the smaller index, so the set kept is
  // the same whatever the heap's order. Typed arrays and no closures: every eligible invoice of
  // every day passes here.
  const size = Math.min(k, n);
  const heapKey = new Float64Array(size);
  const heapIndex = new Int32Array(size);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i] as number;
    const u = rng.next();
    if (!(w > 0)) continue;
    const key = Math.log(1 - u) / w;
    let at: number;
    if (count < size) {
      // Sift up from the end while the parent is better than the new entry.
      at = count++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        const pk = heapKey[parent]!;
        const pi = heapIndex[parent]!;
        if (!(key < pk || (key === pk && i > pi))) break;
        heapKey[at] = pk;
        heapIndex[at] = pi;
        at = parent;
      }
    } else if (heapKey[0]! < key || (heapKey[0] === key && heapIndex[0]! > i)) {
      // Better than the worst kept: it takes the top's place, sifting down past worse children.
      at = 0;
      for (;;) {
        const left = 2 * at + 1;
        if (left >= count) break;
        const right = left + 1;
        let child = left;
        if (
          right < count &&
          (heapKey[right]! < heapKey[left]! ||
            (heapKey[right] === heapKey[left] && heapIndex[right]! > heapIndex[left]!))
        ) child = right;
        const ck = heapKey[child]!;
        const ci = heapIndex[child]!;
        if (!(ck < key || (ck === key && ci > i))) break;
        heapKey[at] = ck;
        heapIndex[at] = ci;
        at = child;
      }
    } else continue;
    heapKey[at] = key;
    heapIndex[at] = i;
  }
  return Array.from(heapIndex.subarray(0, count)).sort((a, b) => a - b);
}
