/** The pure clickstream: consistent with the day's invoices, shaped by the model, reproducible. */
import assert from "node:assert/strict";
import { addDays } from "../calendar.ts";
import { DEFAULT_MODEL } from "../demand.ts";
import { AUTO_COUNTS, buildDayPlan, MESSINESS_LEVELS, type Snapshot } from "../plan.ts";
import { buildClickstream, type ClickInput, type Clickstream, timestampAt } from "./generate.ts";
import { checkClickModel, type ClickModel, DEFAULT_CLICK_MODEL } from "./model.ts";
import { planReviews, reviewDay } from "./reviews.ts";
import { loadNames } from "../people/mod.ts";

const names = await loadNames();

const TRACKS = 3503;

function snapshot(): Snapshot {
  return {
    customerIds: Int32Array.from({ length: 59 }, (_, i) => i + 1),
    trackIds: Int32Array.from({ length: TRACKS }, (_, i) => i + 1),
    trackPriceCents: Int32Array.from({ length: TRACKS }, () => 99),
    supportRepIds: [3, 4, 5],
    recentInvoiceIds: Int32Array.from({ length: 500 }, (_, i) => 1000 + i),
    recentAgeDays: Int32Array.from({ length: 500 }, (_, i) => i % 90),
    nextInvoiceId: 5000,
    nextInvoiceLineId: 20000,
    nextCustomerId: 60,
  };
}

function input(
  options: { day?: string; seed?: string; inserts?: number; mess?: boolean; model?: ClickModel } =
    {},
): ClickInput {
  const day = options.day ?? "2026-03-10";
  const seed = options.seed ?? "1";
  const snap = snapshot();
  const plan = buildDayPlan({
    day,
    seed,
    requested: { ...AUTO_COUNTS, inserts: options.inserts ?? 300 },
    model: DEFAULT_MODEL,
    snapshot: snap,
    messiness: options.mess ? MESSINESS_LEVELS.high : undefined,
    names,
  });
  const customerIds = [...snap.customerIds, ...plan.newCustomers.ids()];
  return {
    day,
    seed,
    model: options.model ?? DEFAULT_CLICK_MODEL,
    hourWeights: DEFAULT_MODEL.hourWeights,
    trackZipf: DEFAULT_MODEL.trackZipf,
    catalogue: {
      trackIds: snap.trackIds,
      albumIds: Int32Array.from({ length: TRACKS }, (_, i) => 1 + Math.floor(i / 10)),
      artistIds: Int32Array.from({ length: TRACKS }, (_, i) => 1 + Math.floor(i / 30)),
      artistNames: Array.from({ length: TRACKS }, (_, i) => `Artist ${Math.floor(i / 30)}`),
    },
    customers: {
      ids: Int32Array.from(customerIds),
      countries: customerIds.map((id) => (id % 2 ? "Brazil" : "Norway")),
    },
    invoices: plan,
    firstSessionId: 1,
    firstEventId: 1,
  };
}

/** The consistency every day must have with its invoices. */
function assertConsistent(input: ClickInput, click: Clickstream): void {
  const { invoices } = input;
  const sessions = new Map(click.sessions.map((s) => [s.id, s]));
  const purchases = click.events.filter((e) => e.type === "purchase");
  assert.equal(purchases.length, invoices.invoiceCustomerIds.length, "one purchase per invoice");
  const seen = new Set<number>();
  for (const p of purchases) {
    const i = p.invoiceId! - invoices.firstInvoiceId;
    assert.ok(
      i >= 0 && i < invoices.invoiceCustomerIds.length,
      `invoice ${p.invoiceId} is the day's`,
    );
    assert.ok(!seen.has(p.invoiceId!), `one purchase for invoice ${p.invoiceId}`);
    seen.add(p.invoiceId!);
    const invoiceMs = (invoices.invoiceSeconds[i]! - invoices.invoiceDaysEarly[i]! * 86_400) * 1000;
    assert.ok(p.atMs < invoiceMs, `purchase of ${p.invoiceId} before the invoice`);
    assert.equal(sessions.get(p.sessionId)!.customerId, invoices.invoiceCustomerIds[i]);
  }
  // Ids dense and in time order; each event inside its session.
  click.sessions.forEach((s, k) => {
    assert.equal(s.id, input.firstSessionId + k);
    assert.ok(s.startMs <= s.endMs);
    if (k > 0) assert.ok(click.sessions[k - 1]!.startMs <= s.startMs);
  });
  click.events.forEach((e, k) => {
    assert.equal(e.id, input.firstEventId + k);
    if (k > 0) assert.ok(click.events[k - 1]!.atMs <= e.atMs);
    const s = sessions.get(e.sessionId)!;
    assert.ok(e.atMs >= s.startMs && e.atMs <= s.endMs);
  });
  // A session's purchases are counted on it.
  const purchasesOf = new Map<number, number>();
  for (const p of purchases) purchasesOf.set(p.sessionId, (purchasesOf.get(p.sessionId) ?? 0) + 1);
  for (const s of click.sessions) assert.equal(s.purchases, purchasesOf.get(s.id) ?? 0);
}

Deno.test("one purchase per invoice, before it, in a session of its customer", async (t) => {
  for (
    const [name, options] of [
      ["a default day", {}],
      ["a busy day", { inserts: 3000 }],
      ["late, duplicate and edited invoices", { mess: true, inserts: 2000 }],
      ["a day without sales", { inserts: 0 }],
    ] as const
  ) {
    await t.step(name, () => {
      const i = input(options);
      assertConsistent(i, buildClickstream(i));
    });
  }
});

Deno.test("a day the clocks skip an hour: no event in it, purchases still before their invoices", () => {
  const skipped = { fromMs: 2 * 3_600_000, toMs: 3 * 3_600_000 };
  const i = { ...input({ inserts: 3000 }), skipped };
  const click = buildClickstream(i);
  assertConsistent(i, click);
  const inGap = (ms: number) => ms >= skipped.fromMs && ms < skipped.toMs;
  assert.equal(click.events.filter((e) => inGap(e.atMs)).length, 0);
  assert.ok(click.events.some((e) => e.atMs >= skipped.toMs && e.atMs < skipped.toMs + 600_000));
  // Without the change the same day has events in that hour.
  assert.ok(buildClickstream(input({ inserts: 3000 })).events.some((e) => inGap(e.atMs)));
});

Deno.test("conversion within the model's tolerance; most sessions do not buy; carts abandoned", () => {
  for (const day of ["2026-03-10", "2026-03-11", "2026-07-04"]) {
    const click = buildClickstream(input({ day, inserts: 400 }));
    const buying = click.sessions.filter((s) => s.purchases > 0).length;
    const rate = buying / click.sessions.length;
    const target = DEFAULT_CLICK_MODEL.conversionRate;
    assert.ok(
      Math.abs(rate - target) <= target * DEFAULT_CLICK_MODEL.conversionTolerance,
      `conversion ${rate} vs ${target}`,
    );
    const buyingIds = new Set(click.sessions.filter((s) => s.purchases > 0).map((s) => s.id));
    const abandoned = new Set(
      click.events.filter((e) => e.type === "add_to_cart" && !buyingIds.has(e.sessionId))
        .map((e) => e.sessionId),
    );
    assert.ok(abandoned.size > buying, `abandoned carts ${abandoned.size}, buying ${buying}`);
    const types = new Set(click.events.map((e) => e.type));
    for (const type of ["search", "remove_from_cart", "begin_checkout"] as const) {
      assert.ok(types.has(type), type);
    }
    assert.ok(click.sessions.some((s) => s.customerId === null), "visitors");
    assert.ok(
      click.sessions.some((s) => s.customerId !== null && s.purchases === 0),
      "customers browsing",
    );
  }
});

Deno.test("popular tracks are viewed more", () => {
  const click = buildClickstream(input({ inserts: 1000 }));
  const views = new Map<number, number>();
  for (const e of click.events) {
    if (e.type === "page_view" && e.trackId !== null) {
      views.set(e.trackId, (views.get(e.trackId) ?? 0) + 1);
    }
  }
  const counts = [...views.values()].sort((a, b) => b - a);
  const total = counts.reduce((a, b) => a + b, 0);
  const top = counts.slice(0, Math.ceil(TRACKS * 0.05)).reduce((a, b) => a + b, 0);
  assert.ok(top / total > 0.3, `top 5% of tracks get ${top / total} of the views`);
});

Deno.test("same seed, same clickstream; another seed, another; bounded by maxSessionsPerDay", () => {
  assert.deepEqual(buildClickstream(input()), buildClickstream(input()));
  assert.notDeepEqual(
    buildClickstream(input({ seed: "2" })).events.map((e) => e.atMs),
    buildClickstream(input()).events.map((e) => e.atMs),
  );
  const small = { ...DEFAULT_CLICK_MODEL, maxSessionsPerDay: 500 };
  const bounded = buildClickstream(input({ inserts: 300, model: small }));
  assert.equal(bounded.sessions.length, 500);
  // The sessions that buy are never cut.
  const tiny = buildClickstream(input({ inserts: 300, model: { ...small, maxSessionsPerDay: 1 } }));
  assert.equal(tiny.events.filter((e) => e.type === "purchase").length, 300);
});

Deno.test("reviews: a fixed share of lines, days later, each line once", () => {
  const model = DEFAULT_CLICK_MODEL;
  const lines = Array.from({ length: 20_000 }, (_, i) => ({
    lineId: 1 + i,
    customerId: 1 + (i % 59),
    trackId: 1 + (i % TRACKS),
    boughtOn: "2026-03-01",
  }));
  const due = lines.map((l) => reviewDay(l, model));
  const share = due.filter((d) => d !== null).length / lines.length;
  assert.ok(Math.abs(share - model.reviewRate) < 0.01, `review share ${share}`);
  for (const d of due) {
    if (d) assert.ok(d > "2026-03-01" && d <= addDays("2026-03-01", model.reviewMaxDelayDays));
  }
  let total = 0;
  for (let k = 1; k <= model.reviewMaxDelayDays; k++) {
    const day = addDays("2026-03-01", k);
    const reviews = planReviews({
      day,
      seed: "1",
      model,
      hourWeights: DEFAULT_MODEL.hourWeights,
      lines,
      firstReviewId: 1,
    });
    assert.deepEqual(
      reviews,
      planReviews({
        day,
        seed: "1",
        model,
        hourWeights: DEFAULT_MODEL.hourWeights,
        lines,
        firstReviewId: 1,
      }),
    );
    for (const r of reviews) assert.ok(r.rating >= 1 && r.rating <= 5);
    total += reviews.length;
  }
  assert.equal(total, due.filter((d) => d !== null).length, "every due line reviewed exactly once");
});

Deno.test("the model file is valid; bad models are described", () => {
  assert.deepEqual(checkClickModel(DEFAULT_CLICK_MODEL), []);
  assert.ok(checkClickModel({ ...DEFAULT_CLICK_MODEL, conversionRate: 0 }).length > 0);
  assert.ok(checkClickModel({ ...DEFAULT_CLICK_MODEL, devices: {} }).length > 0);
});

Deno.test("timestamps: milliseconds from the day's midnight, the day before when negative", () => {
  assert.equal(timestampAt("2026-03-10", 0), "2026-03-10 00:00:00.000");
  assert.equal(timestampAt("2026-03-10", 52_509_123), "2026-03-10 14:35:09.123");
  assert.equal(timestampAt("2026-03-10", -1), "2026-03-09 23:59:59.999");
});
