/**
 * The day plan: everything one simulated day writes, built from a snapshot
 * of the database and a seeded generator. Pure: same inputs, same plan.
 *
 * Rows are columnar (typed arrays) so a day of a million invoices stays
 * small in memory. Ids are contiguous from the snapshot's next ids, and the
 * day's invoices are numbered in time order, as a real till would.
 */
import type { DayVolume, DemandModel } from "./demand.ts";
import { drawVolume, TimeOfDay, weightedSampleWithoutReplacement, zipfWeights } from "./demand.ts";
import { emailFor, type Person, randomPerson, relocation } from "./people.ts";
import { AliasTable, dayRng, type Rng } from "./rng.ts";

export const MAX_BASKET = 5;

/** What the plan needs to know about the database before the day. */
export interface Snapshot {
  customerIds: Int32Array;
  trackIds: Int32Array;
  trackPriceCents: Int32Array;
  supportRepIds: number[];
  /** Invoices that may be updated or cancelled: not cancelled, inside the window. */
  recentInvoiceIds: Int32Array;
  /** Days from each recent invoice to the simulated day (0 = the day itself). */
  recentAgeDays: Int32Array;
  nextInvoiceId: number;
  nextInvoiceLineId: number;
  nextCustomerId: number;
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
  }
  | { customerId: number; kind: "email"; email: string };

export interface DayPlan {
  day: string;
  seed: string;
  /** The counts asked for, with "auto" resolved by the demand model. */
  requested: DayVolume;
  newCustomers: NewCustomer[];
  customerChanges: CustomerChange[];
  firstInvoiceId: number;
  invoiceCustomerIds: Int32Array;
  invoiceSeconds: Int32Array;
  invoiceTotalCents: Int32Array;
  /** Invoice i owns lines lineStart[i] … lineStart[i+1]-1. */
  lineStart: Int32Array;
  firstLineId: number;
  lineTrackIds: Int32Array;
  linePriceCents: Int32Array;
  updateTargets: Int32Array;
  cancelTargets: Int32Array;
  /** Requested but not possible: too few eligible invoices or customers. */
  shortfall: { updates: number; deletes: number; customerChanges: number };
  revenueCents: number;
}

function resolve(count: Count, auto: number): number {
  return count === "auto" ? auto : count;
}

/** Track popularity: Zipf over a fixed hashed order, stable across days and seeds. */
export function trackPopularity(snapshot: Snapshot, model: DemandModel): AliasTable {
  return new AliasTable(zipfWeights(snapshot.trackIds, model.trackZipf, "track"));
}

/** Distinct tracks for one basket, by popularity, avoiding `exclude`. */
function pickTracks(
  rng: Rng,
  popularity: AliasTable,
  size: number,
  exclude: Set<number>,
): number[] {
  const chosen: number[] = [];
  const limit = Math.min(size, popularity.size - exclude.size);
  let attempts = 0;
  while (chosen.length < limit) {
    const index = attempts++ < 64 * size ? popularity.sample(rng) : rng.int(0, popularity.size - 1);
    if (!exclude.has(index) && !chosen.includes(index)) chosen.push(index);
  }
  return chosen;
}

export function buildDayPlan(
  input: {
    day: string;
    seed: string;
    requested: Requested;
    model: DemandModel;
    snapshot: Snapshot;
  },
): DayPlan {
  const { day, seed, model, snapshot } = input;
  const root = dayRng(seed, day);
  const volumeRng = root.fork("volume");
  const drawn = drawVolume(model, day, volumeRng);
  const inserts = resolve(input.requested.inserts, drawn.inserts);
  const scale = drawn.inserts > 0 ? inserts / Math.max(1, drawn.inserts) : 0;
  const requested: DayVolume = {
    inserts,
    updates: resolve(
      input.requested.updates,
      input.requested.inserts === "auto" ? drawn.updates : Math.round(drawn.updates * scale),
    ),
    deletes: resolve(
      input.requested.deletes,
      input.requested.inserts === "auto" ? drawn.deletes : Math.round(drawn.deletes * scale),
    ),
    newCustomers: Math.min(inserts, resolve(input.requested.newCustomers, drawn.newCustomers)),
    customerChanges: resolve(input.requested.customerChanges, drawn.customerChanges),
  };
  if (snapshot.trackIds.length === 0 && inserts > 0) {
    throw new RangeError("The catalogue has no tracks to sell");
  }
  if (snapshot.customerIds.length === 0 && inserts > requested.newCustomers) {
    throw new RangeError("The store has no customers to sell to");
  }

  // New customers sign up, each with a support rep, and buy on the day.
  const customerRng = root.fork("customers");
  const newCustomers: NewCustomer[] = [];
  for (let i = 0; i < requested.newCustomers; i++) {
    const id = snapshot.nextCustomerId + i;
    newCustomers.push({
      id,
      ...randomPerson(customerRng, id),
      supportRepId: snapshot.supportRepIds.length > 0
        ? customerRng.pick(snapshot.supportRepIds)
        : null,
    });
  }

  // Some existing customers move or change their email (slowly changing dimensions).
  const changeRng = root.fork("customer-changes");
  const changeCount = Math.min(requested.customerChanges, snapshot.customerIds.length);
  const customerChanges: CustomerChange[] = weightedSampleWithoutReplacement(
    changeRng,
    new Float64Array(snapshot.customerIds.length).fill(1),
    changeCount,
  ).map((index) => {
    const customerId = snapshot.customerIds[index]!;
    if (changeRng.bernoulli(0.6)) return { customerId, kind: "address", ...relocation(changeRng) };
    const person = randomPerson(changeRng, customerId);
    return {
      customerId,
      kind: "email",
      email: emailFor(changeRng, person.firstName, person.lastName, customerId),
    };
  });

  // Invoices: who buys (loyal customers more), when (hour-of-day curve), what (popular tracks more).
  const salesRng = root.fork("sales");
  const allCustomerIds = new Int32Array(snapshot.customerIds.length + newCustomers.length);
  allCustomerIds.set(snapshot.customerIds);
  newCustomers.forEach((c, i) => (allCustomerIds[snapshot.customerIds.length + i] = c.id));
  const loyalty = allCustomerIds.length > 0
    ? new AliasTable(zipfWeights(allCustomerIds, model.customerZipf, "customer"))
    : null;
  const clock = new TimeOfDay(model);
  const basketSizes = new AliasTable(model.basketSizeWeights);
  const popularity = snapshot.trackIds.length > 0 ? trackPopularity(snapshot, model) : null;

  const buyers = new Int32Array(inserts);
  const seconds = new Int32Array(inserts);
  for (let i = 0; i < inserts; i++) {
    buyers[i] = i < newCustomers.length
      ? newCustomers[i]!.id
      : allCustomerIds[loyalty!.sample(salesRng)]!;
    seconds[i] = clock.sample(salesRng);
  }
  // Number invoices in time order (stable for equal seconds).
  const order = Array.from({ length: inserts }, (_, i) => i).sort((a, b) =>
    seconds[a]! - seconds[b]! || a - b
  );
  const invoiceCustomerIds = new Int32Array(inserts);
  const invoiceSeconds = new Int32Array(inserts);
  order.forEach((from, to) => {
    invoiceCustomerIds[to] = buyers[from]!;
    invoiceSeconds[to] = seconds[from]!;
  });

  const lineStart = new Int32Array(inserts + 1);
  let lineTrackIds = new Int32Array(Math.max(16, inserts * 2));
  let linePriceCents = new Int32Array(lineTrackIds.length);
  const invoiceTotalCents = new Int32Array(inserts);
  let lineCount = 0;
  let revenueCents = 0;
  const none = new Set<number>();
  for (let i = 0; i < inserts; i++) {
    lineStart[i] = lineCount;
    const size = basketSizes.sample(salesRng) + 1;
    if (lineCount + size > lineTrackIds.length) {
      const grownTracks = new Int32Array(lineTrackIds.length * 2);
      grownTracks.set(lineTrackIds);
      lineTrackIds = grownTracks;
      const grownPrices = new Int32Array(linePriceCents.length * 2);
      grownPrices.set(linePriceCents);
      linePriceCents = grownPrices;
    }
    let total = 0;
    for (const trackIndex of pickTracks(salesRng, popularity!, size, none)) {
      const price = snapshot.trackPriceCents[trackIndex]!;
      lineTrackIds[lineCount] = snapshot.trackIds[trackIndex]!;
      linePriceCents[lineCount] = price;
      total += price;
      lineCount++;
    }
    invoiceTotalCents[i] = total;
    revenueCents += total;
  }
  lineStart[inserts] = lineCount;

  // Updates and cancellations: recent invoices far more often than old ones.
  const targetRng = root.fork("targets");
  const eligibleIds = new Int32Array(snapshot.recentInvoiceIds.length + inserts);
  eligibleIds.set(snapshot.recentInvoiceIds);
  const weights = new Float64Array(eligibleIds.length);
  snapshot.recentAgeDays.forEach((
    age,
    i,
  ) => (weights[i] = Math.pow(0.5, age / model.changeHalfLifeDays)));
  for (let i = 0; i < inserts; i++) {
    eligibleIds[snapshot.recentInvoiceIds.length + i] = snapshot.nextInvoiceId + i;
    weights[snapshot.recentInvoiceIds.length + i] = 1;
  }
  const updateIndexes = weightedSampleWithoutReplacement(targetRng, weights, requested.updates);
  for (const i of updateIndexes) weights[i] = 0;
  const cancelIndexes = weightedSampleWithoutReplacement(targetRng, weights, requested.deletes);

  return {
    day,
    seed,
    requested,
    newCustomers,
    customerChanges,
    firstInvoiceId: snapshot.nextInvoiceId,
    invoiceCustomerIds,
    invoiceSeconds,
    invoiceTotalCents,
    lineStart,
    firstLineId: snapshot.nextInvoiceLineId,
    lineTrackIds: lineTrackIds.slice(0, lineCount),
    linePriceCents: linePriceCents.slice(0, lineCount),
    updateTargets: Int32Array.from(updateIndexes, (i) => eligibleIds[i]!),
    cancelTargets: Int32Array.from(cancelIndexes, (i) => eligibleIds[i]!),
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
