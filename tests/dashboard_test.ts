/// <reference lib="dom" />
/**
 * The dashboard (`report --html`, `report --serve`) in a real headless
 * Chromium driven by Playwright: its numbers against SQL computed here, its
 * layout at 1280 and 420 px, zoom, granularity, and the live page following
 * a newly simulated day. Screenshots land in DASHBOARD_SCREENSHOTS when set.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import type { BrowserContext, Page } from "playwright-core";
import { dashboardVersion } from "../lib/db/dashboard_data.ts";
import { HAS_CHROMIUM, launchChromium } from "./browser.ts";
import {
  buildChartLibrary,
  CHART_LIBRARY_PATH,
  nodeModulesReader,
} from "../lib/report/dashboard_vendor.ts";
import {
  cli,
  freshDatabase,
  readUntil,
  ROOT,
  serverTest,
  setupDatabase,
  spawnCli,
  type Sql,
  type TestDatabase,
  textReader,
} from "./harness.ts";

const SKIP = HAS_CHROMIUM ? "" : " [skipped: no /usr/bin/chromium; apt-get install chromium]";

const FIRST = "2026-06-01";
const LAST = "2026-06-21";
const SEED = "18";

/** History to May, then 20 days (the last six with hard deletes), then one `simulate --json` day. */
async function buildStore(db: TestDatabase) {
  await setupDatabase(db, ["--history-end", "2026-05-31"]);
  const common = ["--seed", SEED, "--messiness", "high", "--manifest-dir", "none"];
  for (
    const args of [
      ["backfill", "--from", FIRST, "--to", "2026-06-14", ...common],
      [
        "backfill",
        "--from",
        "2026-06-15",
        "--to",
        "2026-06-20",
        "--delete-mode",
        "hard",
        ...common,
      ],
    ]
  ) {
    const r = await cli(args, { env: db.env });
    assert.equal(r.code, 0, r.stderr);
  }
  const day = await cli(["simulate", "--date", LAST, "--json", ...common], { env: db.env });
  assert.equal(day.code, 0, day.stderr);
  return JSON.parse(day.stdout) as {
    revenue: string;
    done: { inserts: number; updates: number; deletes: number; late: number };
  };
}

const cents = (text: string) => Math.round(Number(text) * 100);

interface Expected {
  revenueCents: number;
  invoices: number;
  averageSaleCents: number | null;
  newCustomers: number;
  returningCustomers: number;
  bookedInvoices: number;
  cancellations: number;
  updates: number;
  late: number;
}

/**
 * The KPIs of a period, straight from the tables, the change log and the
 * ledger; with a country: events and booked invoices through their invoice.
 */
async function expectedKpis(
  sql: Sql,
  range: { from: string; to: string; country?: string },
): Promise<Expected> {
  const { from, to } = range;
  const country = range.country ?? null;
  const [sales] = await sql<{ revenue: string | null; invoices: number; average: string | null }[]>`
    SELECT sum(l."UnitPrice" * l."Quantity")::text AS revenue,
           count(DISTINCT i."InvoiceId")::int AS invoices,
           round(sum(l."UnitPrice" * l."Quantity") / count(DISTINCT i."InvoiceId"), 2)::text AS average
      FROM public."Invoice" i JOIN public."InvoiceLine" l ON l."InvoiceId" = i."InvoiceId"
     WHERE i."InvoiceDate" >= ${from}::date AND i."InvoiceDate" < ${to}::date + 1
       AND i."Total" > 0 AND (${country}::text IS NULL OR i."BillingCountry" = ${country})`;
  const [totals] = await sql<{ total: string | null }[]>`
    SELECT sum("Total")::text AS total FROM public."Invoice"
     WHERE "InvoiceDate" >= ${from}::date AND "InvoiceDate" < ${to}::date + 1 AND "Total" > 0
       AND (${country}::text IS NULL OR "BillingCountry" = ${country})`;
  assert.equal(sales!.revenue, totals!.total, "Total is the sum of the lines");
  const [customers] = await sql<{ fresh: number; returning: number }[]>`
    WITH first AS (
      SELECT "CustomerId", min("InvoiceDate"::date) AS day FROM public."Invoice"
       WHERE "Total" > 0 GROUP BY 1
    ), buyers AS (
      SELECT DISTINCT "CustomerId" FROM public."Invoice"
       WHERE "InvoiceDate" >= ${from}::date AND "InvoiceDate" < ${to}::date + 1 AND "Total" > 0
         AND (${country}::text IS NULL OR "BillingCountry" = ${country})
    )
    SELECT count(*) FILTER (WHERE f.day >= ${from}::date)::int AS fresh,
           count(*) FILTER (WHERE f.day < ${from}::date)::int AS returning
      FROM buyers b JOIN first f USING ("CustomerId")`;
  let booked: { invoices: number; cancellations: number; updates: number; late: number };
  if (country === null) {
    const [ledger] = await sql<typeof booked[]>`
      SELECT coalesce(sum(inserts), 0)::int AS invoices, coalesce(sum(deletes), 0)::int AS cancellations,
             coalesce(sum(updates), 0)::int AS updates, coalesce(sum(late), 0)::int AS late
        FROM chinook_sim.ledger WHERE sim_date BETWEEN ${from}::date AND ${to}::date`;
    booked = ledger!;
  } else {
    const [invoices] = await sql<{ n: number }[]>`
      WITH arrived AS (
        SELECT invoice_id, min(sim_date) AS day FROM chinook_sim.day_event
         WHERE operation = 'invoice_late' GROUP BY 1
      )
      SELECT count(*)::int AS n FROM public."Invoice" i LEFT JOIN arrived a ON a.invoice_id = i."InvoiceId"
       WHERE i."InvoiceId" >= (SELECT min(first_invoice_id) FROM chinook_sim.ledger)
         AND coalesce(a.day, i."InvoiceDate"::date) BETWEEN ${from}::date AND ${to}::date
         AND i."BillingCountry" = ${country}`;
    const [events] = await sql<Omit<typeof booked, "invoices">[]>`
      SELECT count(*) FILTER (WHERE c.operation IN ('invoice_cancel', 'invoice_delete'))::int AS cancellations,
             count(*) FILTER (WHERE c.operation = 'invoice_update')::int AS updates,
             count(*) FILTER (WHERE c.operation = 'invoice_late')::int AS late
        FROM chinook_sim.day_event c JOIN public."Invoice" i ON i."InvoiceId" = c.invoice_id
       WHERE c.sim_date BETWEEN ${from}::date AND ${to}::date AND i."BillingCountry" = ${country}`;
    booked = { invoices: invoices!.n, ...events! };
  }
  return {
    revenueCents: sales!.revenue === null ? 0 : cents(sales!.revenue),
    invoices: sales!.invoices,
    averageSaleCents: sales!.average === null ? null : cents(sales!.average),
    newCustomers: customers!.fresh,
    returningCustomers: customers!.returning,
    bookedInvoices: booked.invoices,
    cancellations: booked.cancellations,
    updates: booked.updates,
    late: booked.late,
  };
}

function money(centsValue: number): string {
  const whole = Math.floor(centsValue / 100).toLocaleString("en-US");
  return `$${whole}.${String(centsValue % 100).padStart(2, "0")}`;
}

const percent = (part: number, whole: number) =>
  whole > 0 ? `${(part / whole * 100).toFixed(1)}%` : "–";

interface Card {
  value: string;
  raw: string;
  delta: string;
  note: string;
}

async function cards(page: Page): Promise<Record<string, Card>> {
  return await page.$$eval(".kpi", (nodes) =>
    Object.fromEntries(nodes.map((n) => [
      n.getAttribute("data-kpi"),
      {
        value: n.querySelector(".kpi-value")!.textContent,
        raw: n.querySelector(".kpi-value")!.getAttribute("data-value"),
        delta: n.querySelector(".kpi-delta")!.textContent,
        note: n.querySelector(".kpi-note")!.textContent,
      },
    ])));
}

/** Runs `change` and waits until the page has drawn once more. */
async function redraw(page: Page, change: () => Promise<unknown>): Promise<void> {
  const before = await page.evaluate(() =>
    (globalThis as unknown as { dashboard: { timings: { renders: number } } }).dashboard.timings
      .renders
  );
  await change();
  await page.waitForFunction(
    (n) =>
      (globalThis as unknown as { dashboard: { timings: { renders: number } } }).dashboard.timings
        .renders > n,
    before,
  );
}

/** Types the dates as a person would (the page mends a from > to on the way). */
async function setRange(page: Page, from: string, to: string): Promise<void> {
  if (await page.inputValue("#f-from") !== from) {
    await redraw(page, () => page.fill("#f-from", from));
  }
  if (await page.inputValue("#f-to") !== to) await redraw(page, () => page.fill("#f-to", to));
  assert.equal(await page.inputValue("#f-from"), from);
  assert.equal(await page.inputValue("#f-to"), to);
}

async function resize(page: Page, width: number): Promise<void> {
  if (page.viewportSize()?.width === width) return;
  await redraw(page, () => page.setViewportSize({ width, height: 900 }));
}

function assertCards(
  shown: Record<string, Card>,
  expected: Expected,
  label: string,
): void {
  assert.equal(shown.revenue!.value, money(expected.revenueCents), `${label}: revenue`);
  assert.equal(shown.revenue!.raw, String(expected.revenueCents), `${label}: revenue in cents`);
  assert.equal(shown.invoices!.value, expected.invoices.toLocaleString("en-US"), label);
  assert.equal(
    shown["average-sale"]!.value,
    expected.averageSaleCents === null ? "–" : money(expected.averageSaleCents),
    `${label}: average sale`,
  );
  assert.equal(shown["new-customers"]!.raw, String(expected.newCustomers), `${label}: new`);
  assert.equal(shown["returning-customers"]!.raw, String(expected.returningCustomers), label);
  assert.equal(
    shown["cancellation-rate"]!.value,
    percent(expected.cancellations, expected.bookedInvoices),
    `${label}: cancellation rate`,
  );
  assert.ok(
    shown["cancellation-rate"]!.note.startsWith(
      `${expected.cancellations.toLocaleString("en-US")} of ${
        expected.bookedInvoices.toLocaleString("en-US")
      } booked`,
    ),
    `${label}: ${shown["cancellation-rate"]!.note}`,
  );
  assert.equal(
    shown["update-rate"]!.value,
    percent(expected.updates, expected.bookedInvoices),
    `${label}: update rate`,
  );
  assert.equal(
    shown["late-share"]!.value,
    percent(expected.late, expected.bookedInvoices),
    `${label}: late share`,
  );
}

/**
 * Every tick label, legend entry, bar label and KPI text: inside its card,
 * not clipped, not overlapping its neighbours, at least 11 px; no sideways
 * scrolling. Returns what is wrong.
 */
async function layoutProblems(page: Page): Promise<string[]> {
  const { problems, checked } = await page.evaluate(() => {
    const problems: string[] = [];
    let checked = 0;
    const overlap = (a: DOMRect, b: DOMRect) =>
      a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 &&
      b.top < a.bottom - 0.5;
    const inside = (a: DOMRect, box: DOMRect) =>
      a.left >= box.left - 0.5 && a.right <= box.right + 0.5 && a.top >= box.top - 0.5 &&
      a.bottom <= box.bottom + 0.5;
    const describe = (e: Element) => `"${(e.textContent ?? "").trim().slice(0, 40)}"`;
    const checkGroup = (texts: Element[], box: DOMRect, where: string) => {
      checked += texts.length;
      const rects = texts.map((t) => t.getBoundingClientRect());
      texts.forEach((t, i) => {
        const size = parseFloat(getComputedStyle(t).fontSize);
        if (size < 11) problems.push(`${where}: ${describe(t)} is ${size}px`);
        if (!inside(rects[i]!, box)) problems.push(`${where}: ${describe(t)} is clipped`);
        for (let j = i + 1; j < texts.length; j++) {
          if (overlap(rects[i]!, rects[j]!)) {
            problems.push(`${where}: ${describe(t)} overlaps ${describe(texts[j]!)}`);
          }
        }
      });
    };
    for (const section of document.querySelectorAll("[data-chart]")) {
      const name = section.getAttribute("data-chart");
      const box = section.getBoundingClientRect();
      const svg = section.querySelector(".plot svg:not([class$='swatch'])");
      if (!svg) {
        problems.push(`${name}: no chart`);
        continue;
      }
      for (const group of section.querySelectorAll('g[aria-label$="tick label"]')) {
        checkGroup(
          [...group.querySelectorAll("text")],
          box,
          `${name} ${group.getAttribute("aria-label")}`,
        );
      }
      for (const group of section.querySelectorAll('g[aria-label="text"]')) {
        checkGroup([...group.querySelectorAll("text")], box, `${name} labels`);
      }
      // Names and amounts share a row: no name may run into an amount.
      const labels = [...section.querySelectorAll('g[aria-label="text"] text')];
      checkGroup(labels, box, `${name} names and amounts`);
      const legend = [...section.querySelectorAll("[class$='-swatch']")];
      checkGroup(legend, box, `${name} legend`);
      checkGroup(
        [...section.querySelectorAll("h2, .hint, .legend-line > span")],
        box,
        `${name} titles`,
      );
    }
    const kpis = [...document.querySelectorAll(".kpi")];
    for (const card of kpis) {
      const box = card.getBoundingClientRect();
      const texts = [...card.querySelectorAll(".kpi-label, .kpi-value, .kpi-delta, .kpi-note")];
      for (const t of texts) {
        if (t.scrollWidth > t.clientWidth + 1) problems.push(`KPI ${describe(t)} is cut off`);
      }
      checkGroup(texts, box, `KPI ${card.getAttribute("data-kpi")}`);
    }
    checkGroup(kpis, document.body.getBoundingClientRect(), "KPI cards");
    const page = document.documentElement;
    if (page.scrollWidth > page.clientWidth) {
      problems.push(`the page scrolls sideways: ${page.scrollWidth} > ${page.clientWidth}`);
    }
    return { problems, checked };
  });
  // Nine charts' ticks and labels, eight KPI cards: far more than this.
  assert.ok(checked > 200, `only ${checked} texts found: the selectors no longer match the page`);
  return problems;
}

async function screenshot(page: Page, name: string, dir: string): Promise<void> {
  const keep = Deno.env.get("DASHBOARD_SCREENSHOTS");
  const path = `${keep ?? dir}/${name}.png`;
  if (keep) await Deno.mkdir(keep, { recursive: true });
  await page.screenshot({ path, fullPage: true });
  const size = (await Deno.stat(path)).size;
  assert.ok(size > 30_000, `${name}: a screenshot with content (${size} bytes)`);
}

Deno.test({
  name:
    `dashboard: report --html in headless Chromium: KPIs equal SQL, zoom, granularity, layout${SKIP}`,
  ignore: !HAS_CHROMIUM,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const db = await freshDatabase();
    const dir = await Deno.makeTempDir({ prefix: "chinook-sim-dashboard-" });
    let browser: BrowserContext | undefined;
    try {
      const simulated = await buildStore(db);
      const file = `${dir}/dashboard.html`;
      const r = await cli(["report", "--html", file, "--from", FIRST, "--to", LAST], {
        env: db.env,
      });
      assert.equal(r.code, 0, r.stderr);
      const html = await Deno.readTextFile(file);
      assert.doesNotMatch(html, /(src|href)=["']?https?:/i, "no network resources");
      const json = await cli(["report", "--from", FIRST, "--to", LAST, "--json"], { env: db.env });
      assert.equal(json.code, 0, json.stderr);
      const reported = JSON.parse(json.stdout).kpis;
      const { topCountry, whole, filtered, previous, oneDay } = await db.query(async (sql) => {
        const [top] = await sql<{ country: string }[]>`
          SELECT "BillingCountry" AS country FROM public."Invoice"
           WHERE "InvoiceDate" >= '2026-06-05' AND "InvoiceDate" < '2026-06-19' AND "Total" > 0
           GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`;
        return {
          topCountry: top!.country,
          whole: await expectedKpis(sql, { from: FIRST, to: LAST }),
          filtered: await expectedKpis(sql, {
            from: "2026-06-05",
            to: "2026-06-18",
            country: top!.country,
          }),
          previous: await expectedKpis(sql, {
            from: "2026-05-22",
            to: "2026-06-04",
            country: top!.country,
          }),
          oneDay: await expectedKpis(sql, { from: LAST, to: LAST }),
        };
      });

      browser = await launchChromium(`${dir}/profile`);
      const outside: string[] = [];
      await browser.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file:")) return route.continue();
        outside.push(url);
        return route.abort();
      });
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`file://${file}`);
      await page.waitForFunction(() => document.body.dataset.ready === "true");

      await t.step("the whole range: current equals SQL and report --json", async () => {
        const shown = await cards(page);
        assertCards(shown, whole, "whole range");
        assert.equal(shown.revenue!.value.replace(/[$,]/g, ""), reported.revenue);
        assert.equal(shown.invoices!.raw, String(reported.invoices));
        assert.equal(shown["average-sale"]!.value.replace(/[$,]/g, ""), reported.averageSale);
      });

      await t.step("one simulated day: as booked equals simulate --json", async () => {
        await setRange(page, LAST, LAST);
        const shown = await cards(page);
        assertCards(shown, oneDay, "one day");
        assert.equal(shown.revenue!.note, `As booked: ${money(cents(simulated.revenue))}`);
        assert.equal(
          shown.invoices!.note,
          `As booked: ${simulated.done.inserts.toLocaleString("en-US")}`,
        );
        assert.match(
          shown["cancellation-rate"]!.note,
          new RegExp(`^${simulated.done.deletes} of `),
        );
        assert.match(shown["update-rate"]!.note, new RegExp(`^${simulated.done.updates} updated`));
        assert.match(shown["late-share"]!.note, new RegExp(`^${simulated.done.late} arrived`));
      });

      await t.step("a country and a date range: every KPI equals SQL", async () => {
        await redraw(page, () => page.selectOption("#f-country", topCountry));
        await setRange(page, "2026-06-05", "2026-06-18");
        const shown = await cards(page);
        assertCards(shown, filtered, `${topCountry}, 5–18 June`);
        assert.ok(
          shown.revenue!.delta.endsWith(`vs ${money(previous.revenueCents)}`),
          `against the previous 14 days: ${shown.revenue!.delta}`,
        );
        assert.ok(shown.invoices!.delta.endsWith(`vs ${previous.invoices}`));
        assert.match(shown.revenue!.note, /whole store only/, "booked revenue is not filtered");
      });

      await t.step("granularity: day, week, month, and automatic", async () => {
        const unit = () =>
          page.evaluate(() => {
            const v = (globalThis as unknown as {
              dashboard: { view: { unit: string; buckets: { from: number }[] } };
            }).dashboard.view;
            return { unit: v.unit, buckets: v.buckets.length };
          });
        assert.deepEqual(await unit(), { unit: "day", buckets: 14 }, "auto: days for 14 days");
        await redraw(page, () => page.selectOption("#f-granularity", "week"));
        // 5–18 June 2026 touches the weeks of 1, 8 and 15 June.
        assert.deepEqual(await unit(), { unit: "week", buckets: 3 });
        const bars = await page.$$eval(
          '[data-chart="invoices"] g[aria-label="rect"] rect',
          (r) => r.length,
        );
        assert.equal(bars, 3, "one bar per week");
        await redraw(page, () => page.selectOption("#f-granularity", "month"));
        assert.deepEqual(await unit(), { unit: "month", buckets: 1 });
        await redraw(page, () => page.selectOption("#f-granularity", "auto"));
        await redraw(page, () => page.click('[data-preset="all"]'));
        const all = await unit();
        assert.equal(all.unit, "month", "automatic: months for years of history");
        const ticks = await page.$$eval(
          '[data-chart="revenue"] g[aria-label="x-axis tick label"] text',
          (texts) => texts.map((t) => t.textContent ?? ""),
        );
        assert.ok(ticks.some((t) => /20\d\d/.test(t)), `years on the time axis: ${ticks}`);
      });

      await t.step("zoom: dragging across the revenue chart narrows the range", async () => {
        await redraw(page, () => page.selectOption("#f-country", ""));
        await setRange(page, FIRST, LAST);
        const box = (await page.locator('[data-chart="revenue"] .plot svg').boundingBox())!;
        await redraw(page, async () => {
          await page.mouse.move(box.x + box.width * 0.35, box.y + box.height / 2);
          await page.mouse.down();
          await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
          await page.mouse.up();
        });
        const from = await page.inputValue("#f-from");
        const to = await page.inputValue("#f-to");
        assert.ok(from > FIRST && to < LAST && from <= to, `zoomed to ${from} … ${to}`);
        assert.ok(await page.isVisible("#f-zoom-out"));
        await redraw(page, () => page.click("#f-zoom-out"));
        assert.equal(await page.inputValue("#f-from"), FIRST);
        assert.equal(await page.inputValue("#f-to"), LAST);
      });

      await t.step("a tooltip names the bucket and both figures", async () => {
        const box = (await page.locator('[data-chart="revenue"] .plot svg').boundingBox())!;
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        const tip = page.locator('[data-chart="revenue"] g[aria-label="tip"]');
        await tip.waitFor();
        const text = await tip.textContent();
        assert.match(text ?? "", /Jun 2026[\s\S]*Current: \$[\d,]+\.\d\d[\s\S]*As booked: \$/);
      });

      await t.step("layout at 1280 px and 420 px: nothing clipped or overlapping", async () => {
        await page.mouse.move(0, 0);
        for (const width of [1280, 420]) {
          await resize(page, width);
          assert.deepEqual(await layoutProblems(page), [], `at ${width} px`);
          await screenshot(page, `dashboard-${width}`, dir);
          // A long range: month ticks and wide amounts.
          await redraw(page, () => page.click('[data-preset="all"]'));
          assert.deepEqual(await layoutProblems(page), [], `at ${width} px, all days`);
          await screenshot(page, `dashboard-${width}-all`, dir);
          await setRange(page, FIRST, LAST);
        }
      });

      await t.step("the layout check finds cut-off, overlapping and small text", async () => {
        await page.addStyleTag({
          content:
            ".kpi-value { font-size: 64px !important } .plot svg { font-size: 9px !important }",
        });
        const problems = (await layoutProblems(page)).join("\n");
        assert.match(problems, /KPI "\$[\d,.]+" is cut off/);
        assert.match(problems, /is 9px/);
        await page.reload();
        await page.waitForFunction(() => document.body.dataset.ready === "true");
        assert.deepEqual(await layoutProblems(page), []);
      });
      assert.deepEqual(errors, [], "no script errors");
      assert.deepEqual(outside, [], "nothing fetched from outside the file");

      if (db.kind === "server") {
        await t.step("a read-only database: the dashboard still reads it", async () => {
          const url = new URL(db.env.DATABASE_URL!);
          await db.query((sql) =>
            sql.unsafe(
              `ALTER DATABASE "${url.pathname.slice(1)}" SET default_transaction_read_only = on`,
            )
          );
          const again = await cli(["report", "--html", `${dir}/again.html`], { env: db.env });
          assert.equal(again.code, 0, again.stderr);
          assert.match(await Deno.readTextFile(`${dir}/again.html`), /id="dashboard-facts"/);
        });
      }
    } finally {
      await browser?.close();
      await db.drop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** `report --serve` as a child process; resolves once it printed its JSON line. */
async function startServe(env: Record<string, string>) {
  const child = spawnCli(["report", "--serve", "--port", "0", "--json"], { env });
  const reader = textReader(child.stdout);
  const line = await readUntil(reader, "\n");
  if (!line.includes("\n")) {
    const stderr = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
    throw new Error(`report --serve did not start: ${stderr}`);
  }
  const { url, databaseUrl } = JSON.parse(line) as { url: string; databaseUrl: string | null };
  return {
    url,
    databaseUrl,
    async stop(): Promise<{ code: number; stderr: string }> {
      child.kill("SIGTERM");
      await reader.cancel();
      const status = await child.status;
      const stderr = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
      return { code: status.code, stderr };
    },
  };
}

Deno.test({
  name: `dashboard: report --serve answers, refuses writes, and shows a newly simulated day${SKIP}`,
  ignore: !HAS_CHROMIUM,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const db = await freshDatabase();
    const dir = await Deno.makeTempDir({ prefix: "chinook-sim-dashboard-serve-" });
    let browser: BrowserContext | undefined;
    let server: Awaited<ReturnType<typeof startServe>> | undefined;
    try {
      await setupDatabase(db, ["--history-end", "2026-05-31"]);
      const first = await cli(["backfill", "--from", FIRST, "--to", "2026-06-03", "--seed", SEED], {
        env: db.env,
      });
      assert.equal(first.code, 0, first.stderr);
      server = await startServe(db.env);
      // With the embedded database the server holds it, and serves it for other commands.
      const writeEnv = server.databaseUrl ? { DATABASE_URL: server.databaseUrl } : db.env;
      assert.equal(server.databaseUrl === null, db.kind === "server");
      const page200 = await fetch(server.url);
      assert.equal(page200.status, 200);
      assert.match(await page200.text(), /id="dashboard-facts"/);
      const post = await fetch(server.url, { method: "POST", body: "x" });
      assert.equal(post.status, 405);
      await post.body?.cancel();
      const missing = await fetch(new URL("nothing", server.url));
      assert.equal(missing.status, 404);
      await missing.body?.cancel();

      browser = await launchChromium(`${dir}/profile`);
      const page = await browser.newPage();
      await page.goto(server.url);
      await page.waitForFunction(() => document.body.dataset.ready === "true");
      const lastDay = () => page.textContent('[data-fresh="last-simulated-day"]');
      assert.equal(await lastDay(), "3 Jun 2026");
      assert.equal(await page.inputValue("#f-to"), "2026-06-03");

      const next = await cli(
        ["simulate", "--date", "2026-06-04", "--seed", SEED, "--manifest-dir", "none"],
        { env: writeEnv },
      );
      assert.equal(next.code, 0, next.stderr);
      await redraw(page, () => page.click("#f-refresh"));
      await page.waitForFunction(() =>
        document.querySelector('[data-fresh="last-simulated-day"]')?.textContent === "4 Jun 2026"
      );
      assert.equal(
        await page.inputValue("#f-to"),
        "2026-06-04",
        "the range follows the newest day",
      );
      const sql = postgres(server.databaseUrl ?? db.env.DATABASE_URL!, {
        onnotice: () => {},
        max: 1,
      });
      try {
        const expected = await expectedKpis(sql, { from: FIRST, to: "2026-06-04" });
        assertCards(await cards(page), expected, "after the new day");
      } finally {
        await sql.end();
      }
      const stopped = await server.stop();
      server = undefined;
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.match(stopped.stderr, /Stopping the dashboard/);
    } finally {
      await server?.stop();
      await browser?.close();
      await db.drop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("dashboard: the served page's version moves with every run, and only then", async () => {
  const db = await freshDatabase();
  try {
    await setupDatabase(db, ["--history-end", "2026-05-31"]);
    const version = () => db.query(dashboardVersion);
    const simulate = async (...args: string[]) => {
      const r = await cli(["simulate", "--date", FIRST, "--seed", SEED, ...args], {
        env: db.env,
      });
      assert.equal(r.code, 0, r.stderr);
    };
    const [before, again] = await db.query(async (sql) => [
      await dashboardVersion(sql),
      await dashboardVersion(sql),
    ]);
    assert.equal(again, before, "nothing written, the same version");
    await simulate("--dry-run");
    assert.equal(await version(), before, "a dry run changes nothing");
    await simulate();
    const day = await version();
    assert.notEqual(day, before, "a simulated day");
    // Only updates of existing invoices: no new row in any Chinook table.
    const counts = ["--inserts", "0", "--deletes", "0", "--new-customers", "0"];
    await simulate("--force", ...counts, "--customer-changes", "0", "--updates", "2");
    const [updates, changes] = await db.query(async (sql) =>
      [
        await dashboardVersion(sql),
        (await sql<{ n: number; top: string }[]>`
        SELECT count(*)::int AS n, max(change_id)::text AS top FROM chinook_sim.change`)[0]!,
      ] as const
    );
    assert.notEqual(updates, day, "a run that only updates");
    assert.ok(changes.n > 0, "the runs recorded changes");
    assert.ok(updates.includes(`/${changes.top}/`), `the change log's key: ${updates}`);
  } finally {
    await db.drop();
  }
});

serverTest(
  "dashboard: report --html killed (SIGKILL) at any moment leaves the old page or the new one",
  "2026-05-31",
  async (db) => {
    const dir = await Deno.makeTempDir({ prefix: "chinook-sim-dashboard-kill-" });
    try {
      const run = async (args: string[]) => {
        const r = await cli(args, { env: db.env });
        assert.equal(r.code, 0, r.stderr);
      };
      const page = `${dir}/dashboard.html`;
      await run(["backfill", "--from", FIRST, "--to", "2026-06-03", "--seed", SEED]);
      await run(["report", "--html", page]);
      const old = await Deno.readTextFile(page);
      await run(["simulate", "--date", "2026-06-04", "--seed", SEED, "--manifest-dir", "none"]);
      // How long one run takes here, to spread the kills over its whole life.
      const started = performance.now();
      await run(["report", "--html", `${dir}/timed.html`]);
      const whole = performance.now() - started;
      await Deno.remove(`${dir}/timed.html`);
      const isNew = (text: string) =>
        text.endsWith("</html>\n") && text.includes('"lastDay":"2026-06-04"');
      let killed = 0;
      for (const fraction of [0.1, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1, 1.05]) {
        const child = spawnCli(["report", "--html", page], { env: db.env });
        await new Promise((resolve) => setTimeout(resolve, whole * fraction));
        try {
          child.kill("SIGKILL");
        } catch {
          // It had finished.
        }
        const status = await child.output();
        if (status.signal === "SIGKILL") killed++;
        const text = await Deno.readTextFile(page);
        assert.ok(text === old || isNew(text), `after a kill at ${fraction}: a whole page`);
        const others = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) =>
          n !== "dashboard.html" && n !== "dashboard.html.tmp"
        );
        assert.deepEqual(others, [], "nothing else written");
      }
      assert.ok(killed > 0, "some runs were killed before they finished");
      await run(["report", "--html", page]);
      assert.ok(isNew(await Deno.readTextFile(page)), "the next run writes the new page");
      assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["dashboard.html"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
  "kill -9 faults run on the server (as tests/reliability_test.ts)",
);

Deno.test("dashboard: the embedded chart library is exactly the pinned npm packages", async () => {
  const built = await buildChartLibrary(nodeModulesReader(new URL(".", `file://${ROOT}`)));
  const committed = await Deno.readTextFile(CHART_LIBRARY_PATH);
  assert.ok(committed === built, 'run "deno task vendor-charts" after changing a pin');
});
