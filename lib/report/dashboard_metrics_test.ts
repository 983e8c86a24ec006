/**
 * The page's numbers (dashboard_metrics.js) against a plain row-by-row
 * reference, on a small random store encoded exactly as the page gets it.
 */
import assert from "node:assert/strict";
import { addDays, daysBetween } from "../sim/calendar.ts";
import { Rng } from "../sim/rng.ts";
import {
  type DashboardFacts,
  encodeFacts,
  EVENT_OPS,
  INVOICE_FLAGS,
  unsignedColumn,
} from "./dashboard_facts.ts";
import {
  autoUnit,
  bucketStart,
  compute,
  dayNumber,
  dayText,
  decodeFacts,
  freshness,
} from "./dashboard_metrics.js";

const BASE = "2025-12-20";
const SIMULATED_FROM = "2026-01-01";
const LAST = "2026-03-10";

interface Line {
  track: number;
  cents: number;
}
interface Invoice {
  day: string;
  hour: number;
  country: number;
  rep: number;
  customer: number;
  cancelled: boolean;
  lateDays: number;
  history: boolean;
  lines: Line[];
}
interface Event {
  day: string;
  op: (typeof EVENT_OPS)[number];
  invoice: number | null;
}
interface LedgerRow {
  day: string;
  inserts: number;
  revenueCents: number;
  updates: number;
  deletes: number;
  newCustomers: number;
  late: number;
  edits: number;
  duplicates: number;
}

const names = {
  countries: ["Brazil", "Canada", "France"],
  reps: ["Jane Peacock", "Margaret Park"],
  genres: ["Rock", "Jazz", "Metal"],
  artists: ["AC/DC", "Miles Davis", "Iron Maiden", "Queen"],
  tracks: ["T0", "T1", "T2", "T3", "T4", "T5"],
  customers: ["Ana", "Bob", "Cleo", "Dan", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jon", "Kim", "Lea"],
};
const trackGenre = [0, 0, 1, 2, 2, 0];
const trackArtist = [0, 3, 1, 2, 2, 3];

function randomStore(seed: string) {
  const rng = new Rng(seed);
  const invoices: Invoice[] = [];
  for (let d = 0; d <= daysBetween(BASE, LAST); d++) {
    const day = addDays(BASE, d);
    for (let k = rng.int(0, 4); k > 0; k--) {
      const history = day < SIMULATED_FROM;
      const cancelled = !history && rng.bernoulli(0.1);
      invoices.push({
        day,
        hour: rng.int(0, 23),
        country: rng.int(0, 2),
        rep: rng.int(0, 1),
        // New customers keep arriving: customer k buys from about day 6k on.
        customer: rng.int(0, Math.min(11, Math.floor(d / 6))),
        cancelled,
        lateDays: !history && rng.bernoulli(0.1) ? rng.int(1, 3) : 0,
        history,
        lines: cancelled ? [] : Array.from({ length: rng.int(1, 3) }, () => ({
          track: rng.int(0, 5),
          cents: rng.pick([99, 199, 198]),
        })),
      });
    }
  }
  invoices.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const events: Event[] = [];
  const ledger: LedgerRow[] = [];
  for (let d = 0; d <= daysBetween(SIMULATED_FROM, LAST); d++) {
    const day = addDays(SIMULATED_FROM, d);
    for (let k = rng.int(0, 3); k > 0; k--) {
      const op = rng.pick(EVENT_OPS);
      // Some events point at invoices that are gone (hard deletes).
      events.push({
        day,
        op,
        invoice: rng.bernoulli(0.15) ? null : rng.int(0, invoices.length - 1),
      });
    }
    ledger.push({
      day,
      inserts: rng.int(0, 9),
      revenueCents: rng.int(0, 5000),
      updates: rng.int(0, 2),
      deletes: rng.int(0, 2),
      newCustomers: rng.int(0, 1),
      late: rng.int(0, 1),
      edits: rng.int(0, 1),
      duplicates: rng.int(0, 1),
    });
  }
  events.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return { invoices, events, ledger };
}

function toFacts(store: ReturnType<typeof randomStore>): DashboardFacts {
  const { invoices, events, ledger } = store;
  const num = (day: string) => daysBetween(BASE, day);
  const lines = invoices.flatMap((i) => i.lines);
  return {
    generatedAt: "2026-03-11T08:00:00.000Z",
    currency: "USD",
    baseDay: BASE,
    lastDay: LAST,
    initialRange: { from: SIMULATED_FROM, to: LAST },
    timeZone: "UTC",
    deleteMode: "cancel",
    lastHistoryDay: "2025-12-31",
    lastRunAt: "2026-03-11T07:00:00.000Z",
    dictionaries: names,
    invoices: {
      day: unsignedColumn(invoices.map((i) => num(i.day))),
      hour: unsignedColumn(invoices.map((i) => i.hour)),
      country: unsignedColumn(invoices.map((i) => i.country)),
      rep: unsignedColumn(invoices.map((i) => i.rep)),
      customer: unsignedColumn(invoices.map((i) => i.customer)),
      flags: unsignedColumn(
        invoices.map((i) =>
          (i.cancelled ? INVOICE_FLAGS.cancelled : 0) + (i.lateDays > 0 ? INVOICE_FLAGS.late : 0) +
          (i.history ? INVOICE_FLAGS.history : 0)
        ),
      ),
      lateDays: unsignedColumn(invoices.map((i) => i.lateDays)),
      lineCount: unsignedColumn(invoices.map((i) => i.lines.length)),
    },
    lines: {
      track: unsignedColumn(lines.map((l) => l.track)),
      cents: unsignedColumn(lines.map((l) => l.cents)),
    },
    tracks: { genre: unsignedColumn(trackGenre), artist: unsignedColumn(trackArtist) },
    events: {
      day: unsignedColumn(events.map((e) => num(e.day))),
      op: unsignedColumn(events.map((e) => EVENT_OPS.indexOf(e.op))),
      invoice: unsignedColumn(events.map((e) => e.invoice === null ? 0 : e.invoice + 1)),
    },
    ledger: {
      day: unsignedColumn(ledger.map((r) => num(r.day))),
      runs: unsignedColumn(ledger.map(() => 1)),
      inserts: unsignedColumn(ledger.map((r) => r.inserts)),
      lines: unsignedColumn(ledger.map(() => 0)),
      revenueCents: Float64Array.from(ledger, (r) => r.revenueCents),
      updates: unsignedColumn(ledger.map((r) => r.updates)),
      deletes: unsignedColumn(ledger.map((r) => r.deletes)),
      newCustomers: unsignedColumn(ledger.map((r) => r.newCustomers)),
      customerChanges: unsignedColumn(ledger.map(() => 0)),
      late: unsignedColumn(ledger.map((r) => r.late)),
      edits: unsignedColumn(ledger.map((r) => r.edits)),
      duplicates: unsignedColumn(ledger.map((r) => r.duplicates)),
    },
  };
}

interface Filter {
  from: string;
  to: string;
  country: number;
  genre: number;
  rep: number;
  showCancelled: boolean;
}

/** The definitions of dashboard_metrics.js, restated over plain rows. */
function reference(store: ReturnType<typeof randomStore>, f: Filter) {
  const days = daysBetween(f.from, f.to) + 1;
  const prevFrom = addDays(f.from, -days);
  const prevTo = addDays(f.from, -1);
  const dims = (i: Invoice) =>
    (f.country < 0 || i.country === f.country) && (f.rep < 0 || i.rep === f.rep);
  const genreLines = (i: Invoice) =>
    i.lines.filter((l) => f.genre < 0 || trackGenre[l.track] === f.genre);
  const firstPurchase = new Map<number, string>();
  for (const i of store.invoices) {
    if (!i.cancelled && !firstPurchase.has(i.customer)) firstPurchase.set(i.customer, i.day);
  }
  const period = (from: string, to: string) => {
    const counted = store.invoices.filter((i) =>
      i.day >= from && i.day <= to && (!i.cancelled || f.showCancelled) && dims(i) &&
      (f.genre < 0 || genreLines(i).length > 0)
    );
    const customers = new Set(counted.map((i) => i.customer));
    const newCustomers = [...customers].filter((c) => (firstPurchase.get(c) ?? "9999") >= from);
    const dimension = f.country >= 0 || f.rep >= 0 || f.genre >= 0;
    const attributable = (e: Event) => {
      if (!dimension) return true;
      if (e.invoice === null) return false;
      const i = store.invoices[e.invoice]!;
      return dims(i) && (f.genre < 0 || genreLines(i).length > 0);
    };
    const events = store.events.filter((e) => e.day >= from && e.day <= to && attributable(e));
    const count = (...ops: string[]) => events.filter((e) => ops.includes(e.op)).length;
    const ledger = store.ledger.filter((r) => r.day >= from && r.day <= to);
    const sum = (pick: (r: LedgerRow) => number) => ledger.reduce((a, r) => a + pick(r), 0);
    const bookedInvoices = dimension
      ? store.invoices.filter((i) => {
        const booked = addDays(i.day, i.lateDays);
        return !i.history && booked >= from && booked <= to && dims(i) &&
          (f.genre < 0 || genreLines(i).length > 0);
      }).length
      : sum((r) => r.inserts);
    const revenueCents = counted.reduce(
      (a, i) => a + genreLines(i).reduce((b, l) => b + l.cents, 0),
      0,
    );
    return {
      revenueCents,
      invoices: counted.length,
      newCustomers: newCustomers.length,
      returningCustomers: customers.size - newCustomers.length,
      bookedInvoices,
      bookedRevenueCents: dimension ? null : sum((r) => r.revenueCents),
      signUps: dimension ? 0 : sum((r) => r.newCustomers),
      updates: count("invoice_update"),
      cancellations: count("invoice_cancel", "invoice_delete"),
      late: count("invoice_late"),
      edits: count("invoice_edit"),
      duplicates: count("invoice_duplicate"),
    };
  };
  return { current: period(f.from, f.to), previous: period(prevFrom, prevTo) };
}

const PICK = [
  "revenueCents",
  "invoices",
  "newCustomers",
  "returningCustomers",
  "bookedInvoices",
  "bookedRevenueCents",
  "signUps",
  "updates",
  "cancellations",
  "late",
  "edits",
  "duplicates",
] as const;

function picked(p: Record<string, unknown>) {
  return Object.fromEntries(PICK.map((k) => [k, p[k]]));
}

Deno.test("the page's numbers equal a row-by-row reference for every kind of filter", async (t) => {
  const store = randomStore("dashboard-metrics");
  const facts = await decodeFacts(await encodeFacts(toFacts(store)));
  const all = { country: -1, genre: -1, rep: -1, showCancelled: false };
  const cases: Array<[string, Filter]> = [
    ["the simulated period, no filter", { ...all, from: SIMULATED_FROM, to: LAST }],
    ["two weeks", { ...all, from: "2026-02-01", to: "2026-02-14" }],
    ["one day", { ...all, from: "2026-01-31", to: "2026-01-31" }],
    ["a country", { ...all, country: 1, from: "2026-01-10", to: "2026-02-20" }],
    ["a genre", { ...all, genre: 2, from: "2026-01-10", to: "2026-02-20" }],
    ["a rep and cancelled shown", {
      ...all,
      rep: 0,
      showCancelled: true,
      from: "2026-01-05",
      to: "2026-03-10",
    }],
    ["everything at once", {
      country: 2,
      genre: 0,
      rep: 1,
      showCancelled: true,
      from: "2026-01-01",
      to: "2026-03-01",
    }],
    ["a period reaching into the history", { ...all, from: "2025-12-25", to: "2026-01-04" }],
  ];
  const rng = new Rng("filters");
  for (let k = 0; k < 40; k++) {
    const a = addDays(BASE, rng.int(0, daysBetween(BASE, LAST)));
    const b = addDays(BASE, rng.int(0, daysBetween(BASE, LAST)));
    cases.push([`random filter ${k}`, {
      from: a < b ? a : b,
      to: a < b ? b : a,
      country: rng.int(-1, 2),
      genre: rng.bernoulli(0.5) ? -1 : rng.int(0, 2),
      rep: rng.int(-1, 1),
      showCancelled: rng.bernoulli(0.5),
    }]);
  }
  for (const [name, filter] of cases) {
    await t.step(name, () => {
      const view = compute(facts, {
        ...filter,
        from: dayNumber(facts, filter.from),
        to: dayNumber(facts, filter.to),
        granularity: "auto",
      });
      const expected = reference(store, filter);
      assert.deepEqual(picked(view.current), expected.current);
      assert.deepEqual(picked(view.previous), expected.previous);
      const bucketRevenue = view.buckets.reduce((a, b) => a + b.revenueCents, 0);
      assert.equal(bucketRevenue, expected.current.revenueCents, "the buckets add up");
      const bucketCancels = view.buckets.reduce((a, b) => a + b.cancellations, 0);
      assert.equal(bucketCancels, expected.current.cancellations);
      const hours = view.hours.invoices.reduce((a, b) => a + b, 0);
      assert.equal(hours, expected.current.invoices, "the hours add up");
      const genres = view.top.genres.reduce((a, g) => a + g.cents!, 0);
      assert.equal(genres, expected.current.revenueCents, "three genres: all in the top 10");
      assert.equal(
        view.current.averageSaleCents,
        expected.current.invoices === 0 ? null : Math.floor(
          (2 * expected.current.revenueCents + expected.current.invoices) /
            (2 * expected.current.invoices),
        ),
      );
      if (filter.genre >= 0) assert.equal(view.current.cancellationRate, null);
    });
  }
});

Deno.test("buckets: days, Monday weeks and calendar months, automatic by length", async () => {
  const facts = await decodeFacts(await encodeFacts(toFacts(randomStore("buckets"))));
  assert.equal(autoUnit(92), "day");
  assert.equal(autoUnit(93), "week");
  assert.equal(autoUnit(731), "week");
  assert.equal(autoUnit(732), "month");
  const monday = dayNumber(facts, "2026-01-05");
  for (let d = 0; d < 7; d++) assert.equal(bucketStart(facts, monday + d, "week"), monday);
  assert.equal(
    dayText(facts, bucketStart(facts, dayNumber(facts, "2026-02-28"), "month")),
    "2026-02-01",
  );
  const view = compute(facts, {
    from: dayNumber(facts, "2026-01-15"),
    to: dayNumber(facts, "2026-03-02"),
    country: -1,
    genre: -1,
    rep: -1,
    showCancelled: false,
    granularity: "month",
  });
  assert.deepEqual(
    view.buckets.map((b) => [dayText(facts, b.from), dayText(facts, b.to)]),
    [["2026-01-15", "2026-01-31"], ["2026-02-01", "2026-02-28"], ["2026-03-01", "2026-03-02"]],
    "clipped to the period",
  );
});

Deno.test("freshness: the simulated days and the newest run", async () => {
  const facts = await decodeFacts(await encodeFacts(toFacts(randomStore("fresh"))));
  const fresh = freshness(facts);
  assert.equal(fresh.firstDay, SIMULATED_FROM);
  assert.equal(fresh.lastDay, LAST);
  assert.equal(fresh.missingDays, 0);
  assert.equal(fresh.simulatedDays, daysBetween(SIMULATED_FROM, LAST) + 1);
  assert.equal(fresh.lastRunAt, "2026-03-11T07:00:00.000Z");
});

Deno.test("facts: a column longer than its table, or a negative value, is refused", async () => {
  assert.throws(() => unsignedColumn([1, -1]), RangeError);
  assert.throws(() => unsignedColumn([2 ** 33]), RangeError);
  const facts = toFacts(randomStore("bad"));
  facts.invoices.hour = unsignedColumn([1, 2]);
  await assert.rejects(() => encodeFacts(facts), RangeError);
});
