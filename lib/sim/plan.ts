/**
 * The day plan: everything one simulated day writes, built from a snapshot
 * of the database and a seeded generator. Pure: same inputs, same plan.
 *
 * Rows are columnar (typed arrays) so a day of a million invoices stays
 * small in memory. Ids are contiguous from the snapshot's next ids, and the
 * day's invoices are numbered in time order, as a real till would.
 */
import { addDays, clockChangeOn, existingSecond } from "./calendar.ts";
import type { DayVolume, DemandModel } from "./demand.ts";
import {
  customerWeights,
  drawVolume,
  TimeOfDay,
  VOLUME_LIMITS,
  weightedSampleWithoutReplacement,
  zipfWeights,
} from "./demand.ts";
import { emailFor, type Names, randomPerson, randomPlace, relocation } from "./people/mod.ts";
import type { Person } from "./people/types.ts";
import { AliasTable, dayRng, type Rng } from "./rng.ts";
import { type Messiness, NO_MESS } from "./messiness.ts";
import { Signups } from "./signups.ts";

export { type Messiness, MESSINESS_LEVELS, NO_MESS } from "./messiness.ts";

export const MAX_BASKET = 5;

/** What the plan needs to know about the database before the day. */
export interface Snapshot {
  customerIds: Int32Array;
  trackIds: Int32Array;
  trackPriceCents: Int32Array;
  supportRepIds: number[];
  /**
   * Days from each customer's latest invoice to the simulated day (-1: none yet). Absent: every
   * customer as if they last bought `repeatDays` ago.
   */
  customerAgeDays?: Int32Array;
  /**
   * Each customer's latest invoice up to the day, by CustomerId (recency.ts): what the day's own
   * invoices are merged into for the days after it. The plan itself reads `customerAgeDays`.
   */
  customerLatest?: Int32Array;
  /**
   * Each customer's name and home, for moves and new emails that fit them (by index; only the
   * day's change targets are needed, see planCustomerChangeTargets). Absent: unknown.
   */
  customerProfiles?: CustomerProfile[];
  /** Invoices that may be updated or cancelled: not cancelled, inside the window. */
  recentInvoiceIds: Int32Array;
  /** Days from each recent invoice to the simulated day (0 = the day itself). */
  recentAgeDays: Int32Array;
  nextInvoiceId: number;
  nextInvoiceLineId: number;
  nextCustomerId: number;
}

/** What a move or an email change keeps of a customer: where they live, their name. */
export interface CustomerProfile {
  firstName: string;
  lastName: string;
  country: string;
  city: string;
}

/** A count given by the user, or "auto" for the demand model's. */
export type Count = number | "auto";

export interface Requested {
  inserts: Count;
  updates: Count;
  deletes: Count;
  newCustomers: Count;
  customerChanges: Count;
}

export const AUTO_COUNTS: Requested = {
  inserts: "auto",
  updates: "auto",
  deletes: "auto",
  newCustomers: "auto",
  customerChanges: "auto",
};

export interface NewCustomer extends Person {
  id: number;
  supportRepId: number | null;
}

export type CustomerChange =
  | {
    customerId: number;
    kind: "address";
    address: string;
    city: string;
    state: string | null;
    country: string;
    postalCode: string;
    /** The landline moves with the home: its area code is the new city's. */
    phone: string;
    /** A fax number in the new city, for a customer who has a fax. */
    fax: string;
  }
  | { customerId: number; kind: "email"; email: string };

/** A new column per invoice or per line must also be sliced by live mode (`slicePlan`, live.ts). */
export interface DayPlan {
  day: string;
  seed: string;
  /** The counts asked for, with "auto" resolved by the demand model. */
  requested: DayVolume;
  /** Made when written (signups.ts): the plan holds their ids only. */
  newCustomers: Signups;
  customerChanges: CustomerChange[];
  firstInvoiceId: number;
  invoiceCustomerIds: Int32Array;
  invoiceSeconds: Int32Array;
  /** Days before the simulated day an invoice is dated (late arrivals); 0 for most. */
  invoiceDaysEarly: Int32Array;
  /** For a duplicate submission, the id of the invoice it copies; 0 otherwise. */
  invoiceDuplicateOf: Int32Array;
  invoiceTotalCents: Int32Array;
  /** Invoice i owns lines lineStart[i] … lineStart[i+1]-1. */
  lineStart: Int32Array;
  firstLineId: number;
  lineTrackIds: Int32Array;
  linePriceCents: Int32Array;
  updateTargets: Int32Array;
  cancelTargets: Int32Array;
  /** Invoices of earlier days whose first line's quantity goes up by one. */
  editTargets: Int32Array;
  /** Duplicate submissions, cancelled on the same day (besides cancelTargets). */
  duplicateIds: Int32Array;
  /** Requested but not possible: too few eligible invoices or customers. */
  shortfall: { updates: number; deletes: number; customerChanges: number };
  revenueCents: number;
}

function resolve(count: Count, auto: number): number {
  return count === "auto" ? auto : count;
}

/** Track popularity: Zipf over a fixed hashed order, stable across days and seeds. */
export function trackPopularity(snapshot: Snapshot, model: DemandModel): AliasTable {
  // Kept per catalogue array: the history plans a thousand days on the same catalogue.
  const key = `${model.trackZipf}`;
  let byZipf = popularityCache.get(snapshot.trackIds);
  if (byZipf === undefined) popularityCache.set(snapshot.trackIds, byZipf = new Map());
  let table = byZipf.get(key);
  if (table === undefined) {
    table = new AliasTable(zipfWeights(snapshot.trackIds, model.trackZipf, "track"));
    byZipf.set(key, table);
  }
  return table;
}

const popularityCache = new WeakMap<Int32Array, Map<string, AliasTable>>();

/** Distinct tracks for one basket, by popularity, avoiding `exclude`. */
function pickTracks(
  rng: Rng,
  popularity: AliasTable,
  size: number,
  exclude: Set<number>,
): number[] {
  const chosen = new Int32Array(size);
  return Array.from(chosen.subarray(0, pickTracksInto(rng, popularity, size, exclude, chosen)));
}

/**
 * pickTracks into `chosen` (from index 0), returning how many: a day's baskets reuse one small
 * array instead of making one each (a million on a 1M-invoice day).
 */
function pickTracksInto(
  rng: Rng,
  popularity: AliasTable,
  size: number,
  exclude: Set<number>,
  chosen: Int32Array,
): number {
  const limit = Math.min(size, popularity.size - exclude.size);
  let count = 0;
  let attempts = 0;
  while (count < limit) {
    const index = attempts++ < 64 * size ? popularity.sample(rng) : rng.int(0, popularity.size - 1);
    if (exclude.has(index)) continue;
    let seen = false;
    for (let j = 0; j < count && !seen; j++) seen = chosen[j] === index;
    if (!seen) chosen[count++] = index;
  }
  return count;
}

/** What fixes a day's counts: its date, seed, the counts asked for and the model. */
interface DayInput {
  day: string;
  seed: string;
  requested: Requested;
  model: DemandModel;
}

/** The counts of a day: those given, the others drawn by the model (dayStart). */
export function dayCounts(input: DayInput): DayVolume {
  return dayStart(input).requested;
}

/**
 * The day's root stream after its counts are drawn (its first fork), and the counts. An automatic
 * count follows the model, scaled to --inserts when that is given, and is held to the cap its flag
 * has (VOLUME_LIMITS): at 1,000,000 invoices the model's sign-ups would be 181,818, which no
 * --new-customers may ask for.
 */
function dayStart(input: DayInput): { root: Rng; requested: DayVolume } {
  const { day, model } = input;
  const root = dayRng(input.seed, day);
  const volumeRng = root.fork("volume");
  const drawn = drawVolume(model, day, volumeRng);
  const inserts = resolve(input.requested.inserts, drawn.inserts);
  const scale = drawn.inserts > 0 ? inserts / Math.max(1, drawn.inserts) : 0;
  const requested: DayVolume = {
    inserts,
    updates: resolve(
      input.requested.updates,
      Math.min(
        VOLUME_LIMITS.updates,
        input.requested.inserts === "auto" ? drawn.updates : Math.round(drawn.updates * scale),
      ),
    ),
    deletes: resolve(
      input.requested.deletes,
      Math.min(
        VOLUME_LIMITS.deletes,
        input.requested.inserts === "auto" ? drawn.deletes : Math.round(drawn.deletes * scale),
      ),
    ),
    newCustomers: Math.min(
      inserts,
      resolve(
        input.requested.newCustomers,
        Math.min(
          VOLUME_LIMITS.newCustomers,
          input.requested.inserts === "auto"
            ? drawn.newCustomers
            : Math.round(drawn.newCustomers * scale),
        ),
      ),
    ),
    customerChanges: resolve(input.requested.customerChanges, drawn.customerChanges),
  };
  return { root, requested };
}

/** Which of `customers` change their address or email: as many as asked, each at most once. */
function changeTargets(changeRng: Rng, count: number, customers: number): number[] {
  return weightedSampleWithoutReplacement(
    changeRng,
    new Float64Array(customers).fill(1),
    Math.min(count, customers),
  );
}

/**
 * The customers whose address or email change on the day (indexes into the snapshot's
 * customers), as buildDayPlan picks them: a caller reads the profiles of these only.
 */
export function planCustomerChangeTargets(input: DayInput & { customerCount: number }): number[] {
  const { root, requested } = dayStart(input);
  root.fork("customers");
  return changeTargets(
    root.fork("customer-changes"),
    requested.customerChanges,
    input.customerCount,
  );
}

export function buildDayPlan(
  input: DayInput & {
    snapshot: Snapshot;
    messiness?: Messiness;
    /** The store's zone: no invoice gets a wall-clock time its clocks skipped. Default UTC. */
    timeZone?: string;
    /** The name library (`await loadNames()`), needed when the day has sign-ups or changes. */
    names?: Names;
  },
): DayPlan {
  const { day, seed, model, snapshot } = input;
  const mess = input.messiness ?? NO_MESS;
  const { root, requested } = dayStart(input);
  const { inserts } = requested;
  if (snapshot.trackIds.length === 0 && inserts > 0) {
    throw new RangeError("The catalogue has no tracks to sell");
  }
  if (snapshot.customerIds.length === 0 && inserts > requested.newCustomers) {
    throw new RangeError("The store has no customers to sell to");
  }

  const names = (): Names => {
    if (input.names === undefined) {
      throw new Error("The day makes people: load the name library first (loadNames)");
    }
    return input.names;
  };

  // New customers sign up, each with a support rep, and buy on the day: made when written (the
  // name library is asked for now, so that its absence is found before any write).
  if (requested.newCustomers > 0) names();
  const newCustomers = Signups.drawn(
    root.forkKey("customers"),
    requested.newCustomers,
    snapshot.nextCustomerId,
    snapshot.supportRepIds,
    names,
  );

  // Some existing customers move or change their email (slowly changing dimensions).
  const changeRng = root.fork("customer-changes");
  const customerChanges: CustomerChange[] = changeTargets(
    changeRng,
    requested.customerChanges,
    snapshot.customerIds.length,
  ).map((index) => {
    const customerId = snapshot.customerIds[index]!;
    const profile = snapshot.customerProfiles?.[index];
    if (changeRng.bernoulli(0.6)) {
      const home = relocation(changeRng, profile);
      const fax = randomPlace(changeRng, home.country, home.city).phone;
      return { customerId, kind: "address", ...home, fax };
    }
    const name = profile ?? randomPerson(changeRng, names(), customerId);
    return {
      customerId,
      kind: "email",
      email: emailFor(changeRng, name.firstName, name.lastName, customerId, profile?.country),
    };
  });

  // Invoices: who buys (loyal customers more), when (hour-of-day curve), what (popular tracks more).
  const salesRng = root.fork("sales");
  // Returning buyers: the loyal minority more often, nobody again right after a purchase, and
  // customers lapse after months without one. The day's sign-ups make their first purchase.
  const returning = snapshot.customerIds.length > 0
    ? new AliasTable(customerWeights(model, snapshot.customerIds, snapshot.customerAgeDays))
    : null;
  const clock = new TimeOfDay(model);
  const basketSizes = new AliasTable(model.basketSizeWeights);
  const popularity = snapshot.trackIds.length > 0 ? trackPopularity(snapshot, model) : null;

  const buyers = new Int32Array(inserts);
  const seconds = new Int32Array(inserts);
  for (let i = 0; i < inserts; i++) {
    buyers[i] = i < newCustomers.count
      ? newCustomers.idAt(i)
      : snapshot.customerIds[returning!.sample(salesRng)]!;
    seconds[i] = clock.sample(salesRng);
  }
  // Messiness draws from its own stream: without it, plans are unchanged.
  const messRng = root.fork("messiness");
  const daysEarly = new Int32Array(inserts);
  const lateCount = mess.lateRate > 0
    ? Math.min(inserts, messRng.poisson(inserts * mess.lateRate))
    : 0;
  // Without a draw to make, no weights (a million invoices: 8 MB each): the sample is empty.
  const evenly = (count: number) =>
    count > 0
      ? weightedSampleWithoutReplacement(messRng, new Float64Array(inserts).fill(1), count)
      : [];
  for (const i of evenly(lateCount)) {
    daysEarly[i] = messRng.int(1, 7);
  }
  const duplicateCount = mess.duplicateRate > 0
    ? Math.min(inserts, messRng.poisson(inserts * mess.duplicateRate))
    : 0;
  const originals = evenly(duplicateCount);
  // Submissions: the invoices, then duplicates a few minutes after their original.
  const total = inserts + originals.length;
  const copyOf = new Int32Array(total).fill(-1);
  // Without duplicates the columns are the invoices' own (a million invoices: 12 MB not copied).
  const grown = (column: Int32Array) => {
    if (total === inserts) return column;
    const all = new Int32Array(total);
    all.set(column);
    return all;
  };
  const allBuyers = grown(buyers);
  const allSeconds = grown(seconds);
  const allDaysEarly = grown(daysEarly);
  originals.forEach((original, k) => {
    const i = inserts + k;
    copyOf[i] = original;
    allBuyers[i] = buyers[original]!;
    allSeconds[i] = Math.min(86_399, seconds[original]! + messRng.int(30, 600));
    allDaysEarly[i] = daysEarly[original]!;
  });
  // Times in a skipped hour (a spring-forward night) move on by the gap, as clocks do.
  const zone = input.timeZone ?? "UTC";
  const changeDays = new Set<number>();
  for (let early = 0; early <= 7; early++) {
    if (clockChangeOn(zone, addDays(day, -early)) !== null) changeDays.add(early);
  }
  if (changeDays.size > 0) {
    for (let i = 0; i < total; i++) {
      if (!changeDays.has(allDaysEarly[i]!)) continue;
      allSeconds[i] = existingSecond(zone, addDays(day, -allDaysEarly[i]!), allSeconds[i]!);
    }
  }
  // Number invoices in time order (stable for equal seconds).
  const order = stableOrderByKey(allSeconds);
  const positionOf = new Int32Array(total);
  for (let to = 0; to < total; to++) positionOf[order[to]!] = to;
  const invoiceCustomerIds = new Int32Array(total);
  const invoiceSeconds = new Int32Array(total);
  const invoiceDaysEarly = new Int32Array(total);
  const invoiceDuplicateOf = new Int32Array(total);
  for (let to = 0; to < total; to++) {
    const from = order[to]!;
    invoiceCustomerIds[to] = allBuyers[from]!;
    invoiceSeconds[to] = allSeconds[from]!;
    invoiceDaysEarly[to] = allDaysEarly[from]!;
    if (copyOf[from]! >= 0) {
      invoiceDuplicateOf[to] = snapshot.nextInvoiceId + positionOf[copyOf[from]!]!;
    }
  }

  const lineStart = new Int32Array(total + 1);
  // Room for the baskets' expected size and a little more, grown if they come out bigger (room
  // for two lines an invoice grew a million-invoice day's two columns to 32 MB each).
  let lineTrackIds = new Int32Array(Math.max(16, Math.ceil(total * meanBasket(model) * 1.02)));
  let linePriceCents = new Int32Array(lineTrackIds.length);
  const invoiceTotalCents = new Int32Array(total);
  let lineCount = 0;
  let revenueCents = 0;
  const none = new Set<number>();
  let basket = new Int32Array(MAX_BASKET);
  const grow = (needed: number) => {
    if (lineCount + needed <= lineTrackIds.length) return;
    const grownTracks = new Int32Array(lineTrackIds.length * 2);
    grownTracks.set(lineTrackIds);
    lineTrackIds = grownTracks;
    const grownPrices = new Int32Array(linePriceCents.length * 2);
    grownPrices.set(linePriceCents);
    linePriceCents = grownPrices;
  };
  for (let i = 0; i < total; i++) {
    lineStart[i] = lineCount;
    const duplicateOf = invoiceDuplicateOf[i]!;
    if (duplicateOf > 0) {
      // The same basket again: the original comes earlier in time, so it is built already.
      const original = duplicateOf - snapshot.nextInvoiceId;
      const from = lineStart[original]!;
      const size = lineStart[original + 1]! - from;
      grow(size);
      lineTrackIds.copyWithin(lineCount, from, from + size);
      linePriceCents.copyWithin(lineCount, from, from + size);
      lineCount += size;
      // Not revenue: the duplicate is cancelled the same day.
      invoiceTotalCents[i] = invoiceTotalCents[original]!;
      continue;
    }
    const size = basketSizes.sample(salesRng) + 1;
    grow(size);
    if (basket.length < size) basket = new Int32Array(size);
    const picked = pickTracksInto(salesRng, popularity!, size, none, basket);
    let sum = 0;
    for (let k = 0; k < picked; k++) {
      const trackIndex = basket[k]!;
      const price = snapshot.trackPriceCents[trackIndex]!;
      lineTrackIds[lineCount] = snapshot.trackIds[trackIndex]!;
      linePriceCents[lineCount] = price;
      sum += price;
      lineCount++;
    }
    invoiceTotalCents[i] = sum;
    revenueCents += sum;
  }
  lineStart[total] = lineCount;

  // Updates and cancellations: recent invoices far more often than old ones.
  const targetRng = root.fork("targets");
  const recent = snapshot.recentInvoiceIds.length;
  const eligibleIds = new Int32Array(recent + total);
  eligibleIds.set(snapshot.recentInvoiceIds);
  const weights = new Float64Array(eligibleIds.length);
  snapshot.recentAgeDays.forEach((age, i) => {
    weights[i] = Math.pow(0.5, age / model.changeHalfLifeDays);
  });
  for (let i = 0; i < total; i++) {
    eligibleIds[recent + i] = snapshot.nextInvoiceId + i;
    // Duplicates are cancelled anyway; late arrivals count by their own date.
    weights[recent + i] = invoiceDuplicateOf[i]! > 0
      ? 0
      : Math.pow(0.5, invoiceDaysEarly[i]! / model.changeHalfLifeDays);
  }
  const updateIndexes = weightedSampleWithoutReplacement(targetRng, weights, requested.updates);
  for (const i of updateIndexes) weights[i] = 0;
  const cancelIndexes = weightedSampleWithoutReplacement(targetRng, weights, requested.deletes);
  for (const i of cancelIndexes) weights[i] = 0;
  // Edits touch earlier days only.
  const editCount = mess.editRate > 0 ? messRng.poisson(inserts * mess.editRate) : 0;
  const editIndexes = editCount > 0
    ? weightedSampleWithoutReplacement(
      messRng,
      weights.map((w, i) => (i < recent && snapshot.recentAgeDays[i]! >= 1 ? w : 0)),
      editCount,
    )
    : [];

  return {
    day,
    seed,
    requested,
    newCustomers,
    customerChanges,
    firstInvoiceId: snapshot.nextInvoiceId,
    invoiceCustomerIds,
    invoiceSeconds,
    invoiceDaysEarly,
    invoiceDuplicateOf,
    invoiceTotalCents,
    lineStart,
    firstLineId: snapshot.nextInvoiceLineId,
    lineTrackIds: fitted(lineTrackIds, lineCount),
    linePriceCents: fitted(linePriceCents, lineCount),
    updateTargets: Int32Array.from(updateIndexes, (i) => eligibleIds[i]!),
    cancelTargets: Int32Array.from(cancelIndexes, (i) => eligibleIds[i]!),
    editTargets: Int32Array.from(editIndexes, (i) => eligibleIds[i]!),
    duplicateIds: idsWhere(invoiceDuplicateOf, snapshot.nextInvoiceId),
    shortfall: {
      updates: requested.updates - updateIndexes.length,
      deletes: requested.deletes - cancelIndexes.length,
      customerChanges: requested.customerChanges - customerChanges.length,
    },
    revenueCents,
  };
}

/** One added line per updated invoice: a popular track not yet on it. */
export interface AddedLines {
  firstLineId: number;
  invoiceIds: Int32Array;
  trackIds: Int32Array;
  priceCents: Int32Array;
}

/**
 * Second phase of the plan, once the targets' current tracks are known
 * (they may be the day's own new invoices). Pure and seeded like the rest.
 */
export function planAddedLines(
  input: {
    day: string;
    seed: string;
    model: DemandModel;
    snapshot: Snapshot;
    firstLineId: number;
    targets: Array<{ invoiceId: number; trackIds: number[] }>;
  },
): AddedLines {
  const rng = dayRng(input.seed, input.day).fork("added-lines");
  const popularity = trackPopularity(input.snapshot, input.model);
  const indexOfTrack = new Map<number, number>();
  input.snapshot.trackIds.forEach((id, index) => indexOfTrack.set(id, index));
  const targets = input.targets.filter((t) => t.trackIds.length < input.snapshot.trackIds.length);
  const invoiceIds = new Int32Array(targets.length);
  const trackIds = new Int32Array(targets.length);
  const priceCents = new Int32Array(targets.length);
  targets.forEach((target, i) => {
    const exclude = new Set(target.trackIds.map((id) => indexOfTrack.get(id) ?? -1));
    exclude.delete(-1);
    const [trackIndex] = pickTracks(rng, popularity, 1, exclude);
    invoiceIds[i] = target.invoiceId;
    trackIds[i] = input.snapshot.trackIds[trackIndex!]!;
    priceCents[i] = input.snapshot.trackPriceCents[trackIndex!]!;
  });
  return { firstLineId: input.firstLineId, invoiceIds, trackIds, priceCents };
}

/** Ids (first + index) of the invoices whose entry is non-zero. */
/**
 * The first `count` items of a column filled up to there: a view when the room left unused is
 * small (no second copy of a day's lines), a copy of those items otherwise.
 */
function fitted(column: Int32Array, count: number): Int32Array {
  return column.length - count <= column.length / 16
    ? column.subarray(0, count)
    : column.slice(0, count);
}

/** The expected number of tracks in a basket of the model. */
function meanBasket(model: DemandModel): number {
  let total = 0;
  let weighted = 0;
  model.basketSizeWeights.forEach((w, i) => {
    total += w;
    weighted += w * (i + 1);
  });
  return total > 0 ? weighted / total : 1;
}

function idsWhere(values: Int32Array, firstId: number): Int32Array {
  const ids: number[] = [];
  values.forEach((value, i) => {
    if (value !== 0) ids.push(firstId + i);
  });
  return Int32Array.from(ids);
}

/**
 * The indexes of `keys` in ascending order of key, equal keys in index order: a counting sort
 * when the keys span a small range (a day's seconds), as the comparison sort it replaces ordered
 * them (which took 40% of a million-invoice day's plan).
 */
export function stableOrderByKey(keys: Int32Array): Int32Array {
  const n = keys.length;
  const order = new Int32Array(n);
  if (n === 0) return order;
  let min = keys[0]!;
  let max = min;
  for (let i = 1; i < n; i++) {
    const key = keys[i]!;
    if (key < min) min = key;
    else if (key > max) max = key;
  }
  const span = max - min + 1;
  if (span > Math.max(1 << 20, 4 * n)) {
    const sorted = Array.from({ length: n }, (_, i) => i).sort((a, b) =>
      keys[a]! - keys[b]! || a - b
    );
    order.set(sorted);
    return order;
  }
  // next[k]: where the next index with key min + k goes.
  const next = new Int32Array(span + 1);
  for (let i = 0; i < n; i++) next[keys[i]! - min + 1]!++;
  for (let k = 1; k <= span; k++) next[k]! += next[k - 1]!;
  for (let i = 0; i < n; i++) order[next[keys[i]! - min]!++] = i;
  return order;
}
