/**
 * The store's clickstream for one day: web sessions and their events, built
 * from the day's plan (its invoices: customer, time, tracks) and the seed.
 * Every invoice gets exactly one `purchase` event, in a session of its
 * customer, shortly before the invoice's time; around the sessions that buy
 * come many that do not (the model's conversion rate), some of them with an
 * abandoned cart. Pure, and seeded from its own stream: building it (or not)
 * changes nothing in the plan.
 */
import { zipfWeights } from "../demand.ts";
import type { DayPlan } from "../plan.ts";
import { AliasTable, Rng } from "../rng.ts";
import { type ClickModel, PAGE_TYPES, type Weights } from "./model.ts";

export const EVENT_TYPES = [
  "page_view",
  "search",
  "add_to_cart",
  "remove_from_cart",
  "begin_checkout",
  "purchase",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type PageType = "home" | "artist" | "album" | "track" | "search" | "cart" | "checkout";

/** What the clickstream needs to know of the catalogue: per track (ascending ids), its album and artist. */
export interface WebCatalogue {
  trackIds: Int32Array;
  /** 0: none. */
  albumIds: Int32Array;
  /** 0: none. */
  artistIds: Int32Array;
  /** The artist's name ("" when none): what a visitor searches for. */
  artistNames: string[];
}

/** Every customer (new ones of the day included) and their country. */
export interface WebCustomers {
  ids: Int32Array;
  countries: Array<string | null>;
}

export type DayInvoices = Pick<
  DayPlan,
  | "firstInvoiceId"
  | "invoiceCustomerIds"
  | "invoiceSeconds"
  | "invoiceDaysEarly"
  | "invoiceDuplicateOf"
  | "lineStart"
  | "lineTrackIds"
>;

export interface ClickInput {
  day: string;
  seed: string;
  model: ClickModel;
  /** From the demand model: when people are awake and shopping, and who and what is popular. */
  hourWeights: number[];
  trackZipf: number;
  catalogue: WebCatalogue;
  customers: WebCustomers;
  invoices: DayInvoices;
  firstSessionId: number;
  firstEventId: number;
  /**
   * The wall-clock hour the store's clocks skip on this day (spring forward), in milliseconds
   * from midnight; absent on most days. No event gets a time in it.
   */
  skipped?: { fromMs: number; toMs: number };
}

export interface WebSession {
  id: number;
  visitorId: string;
  customerId: number | null;
  /** Milliseconds from the day's midnight (negative: the day before, e.g. a late-arriving invoice). */
  startMs: number;
  endMs: number;
  device: string;
  browser: string;
  referrer: string;
  country: string;
  landingPage: PageType;
  /** Purchase events in the session. */
  purchases: number;
}

export interface WebEvent {
  id: number;
  sessionId: number;
  atMs: number;
  type: EventType;
  page: PageType;
  trackId: number | null;
  albumId: number | null;
  artistId: number | null;
  query: string | null;
  invoiceId: number | null;
}

export interface Clickstream {
  day: string;
  /** In time order, ids ascending. */
  sessions: WebSession[];
  /** In time order, ids ascending. */
  events: WebEvent[];
}

/** The clickstream's own stream: independent of every stream of the plan. */
export function clickRng(seed: string, day: string): Rng {
  return new Rng(`chinook-sim/${seed}/${day}/clickstream`);
}

/** A fixed-weights sampler over named choices. */
class Choice {
  readonly #names: string[];
  readonly #table: AliasTable;
  constructor(weights: Weights) {
    this.#names = Object.keys(weights);
    this.#table = new AliasTable(Object.values(weights));
  }
  sample(rng: Rng): string {
    return this.#names[this.#table.sample(rng)]!;
  }
}

type Draft = Omit<WebEvent, "id" | "sessionId" | "atMs">;

interface SessionDraft {
  customerId: number | null;
  events: Draft[];
  purchases: number;
}

function hex(rng: Rng): string {
  return rng.nextUint32().toString(16).padStart(8, "0") + rng.nextUint32().toString(16).padStart(
    8,
    "0",
  );
}

/** A customer's visitor id: the same on every day (the store's cookie of a logged-in customer). */
export function customerVisitorId(customerId: number): string {
  return hex(new Rng(`visitor/${customerId}`));
}

export function buildClickstream(input: ClickInput): Clickstream {
  const { model, catalogue, invoices } = input;
  const root = clickRng(input.seed, input.day);
  const buyRng = root.fork("buying");
  const browseRng = root.fork("browsing");
  const attrRng = root.fork("attributes");

  const trackCount = catalogue.trackIds.length;
  const popularity = trackCount > 0
    ? new AliasTable(zipfWeights(catalogue.trackIds, input.trackZipf, "track"))
    : null;
  const indexOfTrack = new Map<number, number>();
  catalogue.trackIds.forEach((id, index) => indexOfTrack.set(id, index));
  const hours = new AliasTable(input.hourWeights);
  const pages = new Choice(Object.fromEntries(PAGE_TYPES.map((p) => [p, model.pageWeights[p]!])));
  const gapMs = (rng: Rng) =>
    rng.int(model.secondsBetweenEvents.min, model.secondsBetweenEvents.max) * 1000 +
    rng.int(0, 999);

  /** A page view of a track, its album or its artist (popular tracks more), or the home page. */
  const browse = (rng: Rng, page: string, trackIndex?: number): Draft => {
    if (page === "home" || popularity === null) return view("home", null, null, null);
    const t = trackIndex ?? popularity.sample(rng);
    const album = catalogue.albumIds[t]! || null;
    const artist = catalogue.artistIds[t]! || null;
    if (page === "artist" && artist) return view("artist", null, null, artist);
    if (page === "album" && album) return view("album", null, album, artist);
    return view("track", catalogue.trackIds[t]!, album, artist);
  };
  const search = (rng: Rng, trackIndex: number): Draft[] => {
    const name = catalogue.artistNames[trackIndex] ?? "";
    if (!name) return [];
    // People type part of the name, in lower case.
    const typed = name.toLowerCase().slice(0, Math.max(3, rng.int(3, name.length)));
    return [
      { ...view("search", null, null, null), type: "search", query: typed },
      browse(rng, "artist", trackIndex),
    ];
  };
  const inCart = (type: EventType, view: Draft): Draft => ({ ...view, type, page: "track" });

  // Sessions are laid out in elapsed time, then read on the store's clocks: across a skipped
  // hour, a purchase 20 s before a 03:00:10 invoice happened at 01:59:50.
  const gap = input.skipped ? input.skipped.toMs - input.skipped.fromMs : 0;
  const elapsed = (wall: number) =>
    gap > 0 && wall >= input.skipped!.fromMs ? Math.max(input.skipped!.fromMs, wall - gap) : wall;
  const clock = (at: number) => gap > 0 && at >= input.skipped!.fromMs ? at + gap : at;

  const drafts: SessionDraft[] = [];
  /** Each event's time (elapsed time from midnight), parallel to the draft's events. */
  const times: number[][] = [];

  // Sessions that buy: one per invoice (a duplicate submission is the same session again).
  const count = invoices.invoiceCustomerIds.length;
  const sessionOf = new Int32Array(count);
  const purchaseMs = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const invoiceId = invoices.firstInvoiceId + i;
    const invoiceMs = elapsed(
      (invoices.invoiceSeconds[i]! - invoices.invoiceDaysEarly[i]! * 86_400) * 1000,
    );
    const duplicateOf = invoices.invoiceDuplicateOf[i]!;
    if (duplicateOf > 0) {
      // Submitted twice: the checkout again, then the second purchase, before the copy's time.
      const original = duplicateOf - invoices.firstInvoiceId;
      const s = sessionOf[original]!;
      sessionOf[i] = s;
      const at = invoiceMs - buyRng.int(1000, 5000);
      purchaseMs[i] = at;
      const checkoutAt = Math.max(purchaseMs[original]! + 1000, at - buyRng.int(2000, 10_000));
      drafts[s]!.events.push(
        { ...view("checkout", null, null, null), type: "begin_checkout" },
        { ...view("checkout", null, null, null), type: "purchase", invoiceId },
      );
      drafts[s]!.purchases++;
      times[s]!.push(checkoutAt, at);
      continue;
    }
    const events: Draft[] = [browse(buyRng, pages.sample(buyRng))];
    const basket: number[] = [];
    for (let l = invoices.lineStart[i]!; l < invoices.lineStart[i + 1]!; l++) {
      const t = indexOfTrack.get(invoices.lineTrackIds[l]!);
      if (t !== undefined) basket.push(t);
    }
    if (basket.length > 0 && buyRng.bernoulli(model.searchRate)) {
      events.push(...search(buyRng, basket[0]!));
    }
    for (const t of basket) {
      const seen = browse(buyRng, "track", t);
      events.push(seen, inCart("add_to_cart", seen));
    }
    if (popularity && buyRng.bernoulli(model.removeFromCartRate)) {
      const t = popularity.sample(buyRng);
      if (!basket.includes(t)) {
        const seen = browse(buyRng, "track", t);
        events.push(seen, inCart("add_to_cart", seen), inCart("remove_from_cart", seen));
      }
    }
    events.push(
      view("cart", null, null, null),
      { ...view("checkout", null, null, null), type: "begin_checkout" },
      { ...view("checkout", null, null, null), type: "purchase", invoiceId },
    );
    // Laid out forwards, then moved so that the purchase lands just before the invoice.
    const offsets = layOut(events.length, buyRng, gapMs);
    const at = invoiceMs -
      buyRng.int(
        model.secondsPurchaseBeforeInvoice.min * 1000,
        model.secondsPurchaseBeforeInvoice.max * 1000,
      );
    const shift = at - offsets[offsets.length - 1]!;
    sessionOf[i] = drafts.length;
    purchaseMs[i] = at;
    drafts.push({ customerId: invoices.invoiceCustomerIds[i]!, events, purchases: 1 });
    times.push(offsets.map((o) => o + shift));
  }

  // Sessions that do not buy: as many as the conversion rate implies, within the bound.
  const buying = drafts.length;
  const expected = buying * (1 - model.conversionRate) / model.conversionRate;
  const others = Math.min(
    browseRng.poisson(expected),
    Math.max(0, model.maxSessionsPerDay - buying),
  );
  const loyalty = input.customers.ids.length > 0
    ? new AliasTable(zipfWeights(input.customers.ids, model.loggedInCustomerZipf, "customer"))
    : null;
  const continueBrowsing = (model.meanBrowseViews - 1) / model.meanBrowseViews;
  const cartShare = model.bounceRate < 1 ? model.cartAddRate / (1 - model.bounceRate) : 0;
  for (let k = 0; k < others; k++) {
    const rng = browseRng;
    const start = elapsed(
      (hours.sample(rng) * 3600 + rng.int(0, 3599)) * 1000 + rng.int(0, 999),
    );
    const customerId = loyalty && rng.bernoulli(model.loggedInShare)
      ? input.customers.ids[loyalty.sample(rng)]!
      : null;
    const events: Draft[] = [browse(rng, pages.sample(rng))];
    if (!rng.bernoulli(model.bounceRate)) {
      let views = 1;
      while (views < model.maxBrowseViews && rng.bernoulli(continueBrowsing)) views++;
      const viewed: number[] = [];
      for (let v = 1; v < views; v++) {
        if (popularity && rng.bernoulli(model.searchRate / views)) {
          events.push(...search(rng, popularity.sample(rng)));
        }
        const t = popularity?.sample(rng);
        const page = pages.sample(rng);
        if (t !== undefined && page === "track") viewed.push(t);
        events.push(browse(rng, page, t));
      }
      if (popularity && rng.bernoulli(cartShare)) {
        // An abandoned cart: tracks added (one maybe taken out again), perhaps the checkout begun.
        const adds = 1 + Math.min(2, Math.floor(-Math.log(1 - rng.next()) / 1.2));
        for (let a = 0; a < adds; a++) {
          const seen = browse(rng, "track", viewed[a] ?? popularity.sample(rng));
          events.push(seen, inCart("add_to_cart", seen));
          if (rng.bernoulli(model.removeFromCartRate)) {
            events.push(inCart("remove_from_cart", seen));
          }
        }
        events.push(view("cart", null, null, null));
        if (rng.bernoulli(model.checkoutAbandonRate)) {
          events.push({ ...view("checkout", null, null, null), type: "begin_checkout" });
        }
      }
    }
    drafts.push({ customerId, events, purchases: 0 });
    times.push(layOut(events.length, rng, gapMs).map((o) => o + start));
  }

  // Session attributes, in draft order.
  const devices = new Choice(model.devices);
  const browsers = new Map(
    Object.entries(model.browsers).map(([device, weights]) => [device, new Choice(weights)]),
  );
  const referrers = new Choice(model.referrers);
  const countries = new Choice(model.visitorCountries);
  const countryOf = new Map<number, string | null>();
  input.customers.ids.forEach((id, i) => countryOf.set(id, input.customers.countries[i] ?? null));

  const order = drafts.map((_, i) => i).sort((a, b) => times[a]![0]! - times[b]![0]! || a - b);
  const sessions: WebSession[] = new Array(drafts.length);
  const sessionIdOf = new Int32Array(drafts.length);
  const attributes = drafts.map((draft) => {
    const device = devices.sample(attrRng);
    return {
      device,
      browser: browsers.get(device)?.sample(attrRng) ?? "other",
      referrer: referrers.sample(attrRng),
      country: (draft.customerId !== null ? countryOf.get(draft.customerId) : null) ??
        countries.sample(attrRng),
      visitorId: draft.customerId !== null ? customerVisitorId(draft.customerId) : hex(attrRng),
    };
  });
  order.forEach((d, position) => {
    const draft = drafts[d]!;
    const at = times[d]!;
    const id = input.firstSessionId + position;
    sessionIdOf[d] = id;
    sessions[position] = {
      id,
      ...attributes[d]!,
      customerId: draft.customerId,
      startMs: clock(at[0]!),
      endMs: clock(Math.max(...at)),
      landingPage: draft.events[0]!.page,
      purchases: draft.purchases,
    };
  });

  // Events in time order (a session's own order for equal times), ids ascending.
  const refs: Array<[number, number]> = [];
  drafts.forEach((draft, d) => draft.events.forEach((_, e) => refs.push([d, e])));
  refs.sort((a, b) =>
    times[a[0]]![a[1]]! - times[b[0]]![b[1]]! || sessionIdOf[a[0]]! - sessionIdOf[b[0]]! ||
    a[1] - b[1]
  );
  const events = refs.map(([d, e], position): WebEvent => ({
    id: input.firstEventId + position,
    sessionId: sessionIdOf[d]!,
    atMs: clock(times[d]![e]!),
    ...drafts[d]!.events[e]!,
  }));
  return { day: input.day, sessions, events };
}

function view(
  page: PageType,
  trackId: number | null,
  albumId: number | null,
  artistId: number | null,
): Draft {
  return { type: "page_view", page, trackId, albumId, artistId, query: null, invoiceId: null };
}

/** Offsets of `n` events from the session's start (0), each a gap after the one before. */
function layOut(n: number, rng: Rng, gapMs: (rng: Rng) => number): number[] {
  const offsets = [0];
  for (let i = 1; i < n; i++) offsets.push(offsets[i - 1]! + gapMs(rng));
  return offsets;
}

/** `2026-11-23 14:05:09.123` for a number of milliseconds from the day's midnight. */
export function timestampAt(day: string, ms: number): string {
  const iso = new Date(Date.parse(`${day}T00:00:00Z`) + ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}
