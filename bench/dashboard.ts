/// <reference lib="dom" />
/**
 * deno task bench:dashboard [--invoices N] [--years Y] [--database URL]: the
 * dashboard on a big store. Builds a store of Y years (default 3) and about N
 * invoices (default 100,000) with `setup` + `backfill` (the demand model
 * scaled by a --model file) in a fresh database of the local server, or uses
 * the store at --database; writes `report --html`, opens it in headless
 * Chromium and reports the page size, the time to the first complete drawing
 * and the time of each filter change (to the next painted frame). Target: a
 * filter change under 200 ms; reported (PASS/MISS), not enforced. Baseline,
 * measured in the same run: PostgreSQL answering one of those filters (a
 * country's revenue and invoices per month) on the same store.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { ADMIN_URL, CHINOOK, out, ROOT, urlOf } from "./common.ts";
import { dashboardVersion } from "../lib/db/dashboard_data.ts";
import { addDays, daysBetween } from "../lib/sim/calendar.ts";
import { DEFAULT_MODEL, expectedInvoices } from "../lib/sim/demand.ts";
import { launchChromium } from "../tests/browser.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    invoices: { type: "string", default: "100000" },
    years: { type: "string", default: "3" },
    database: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const INVOICES = Number(values.invoices);
const YEARS = Number(values.years);
const LAST_DAY = "2026-05-31";
const FIRST_DAY = addDays(LAST_DAY, -Math.round(YEARS * 365.25) + 1);
const decoder = new TextDecoder();

async function cli(databaseUrl: string, args: string[]) {
  const started = performance.now();
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "-P", `${ROOT}main.ts`, ...args],
    env: { DATABASE_URL: databaseUrl, NO_COLOR: "1", SIM_TIMEZONE: "UTC", LOG_LEVEL: "warning" },
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  if (!result.success) {
    throw new Error(`chinook-sim ${args.join(" ")} failed: ${decoder.decode(result.stderr)}`);
  }
  return (performance.now() - started) / 1000;
}

/** The default model with its volume scaled so the range holds about INVOICES invoices. */
function scaledModel(): Record<string, number> {
  let expected = 0;
  for (let d = 0; d <= daysBetween(FIRST_DAY, LAST_DAY); d++) {
    expected += expectedInvoices(DEFAULT_MODEL, addDays(FIRST_DAY, d));
  }
  return { baseInvoicesPerDay: DEFAULT_MODEL.baseInvoicesPerDay * INVOICES / expected };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const admin = postgres(ADMIN_URL, { onnotice: () => {}, max: 1 });
const name = `chinook_sim_bench_dash_${crypto.randomUUID().slice(0, 8)}`;
const databaseUrl = values.database ?? urlOf(name);
const tmp = await Deno.makeTempDir({ prefix: "chinook-sim-bench-dashboard-" });
try {
  if (values.database === undefined) {
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await Deno.writeTextFile(`${tmp}/model.json`, JSON.stringify(scaledModel()));
    await cli(databaseUrl, [
      "setup",
      "--chinook-sql",
      CHINOOK,
      "--history-end",
      addDays(FIRST_DAY, -1),
      // The store is the backfill's days: about --invoices of them, no model-made history.
      "--history-years",
      "0",
    ]);
    const seconds = await cli(databaseUrl, [
      "backfill",
      "--from",
      FIRST_DAY,
      "--to",
      LAST_DAY,
      "--model",
      `${tmp}/model.json`,
      "--messiness",
      "low",
      "--seed",
      "2018",
      "--manifest-dir",
      "none",
    ]);
    out(`store built: ${FIRST_DAY} to ${LAST_DAY} by backfill in ${seconds.toFixed(0)} s`);
  }
  const sql = postgres(databaseUrl, { onnotice: () => {}, max: 1 });
  const [store] = await sql<{ invoices: number; lines: number; first: string; last: string }[]>`
    SELECT (SELECT count(*) FROM "Invoice")::int AS invoices,
           (SELECT count(*) FROM "InvoiceLine")::int AS lines,
           (SELECT min(sim_date)::text FROM chinook_sim.ledger) AS first,
           (SELECT max(sim_date)::text FROM chinook_sim.ledger) AS last`;
  const [top] = await sql<{ country: string }[]>`
    SELECT "BillingCountry" AS country FROM "Invoice" GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`;
  const baselineMs: number[] = [];
  for (let k = 0; k < 5; k++) {
    const started = performance.now();
    await sql`
      SELECT date_trunc('month', i."InvoiceDate") AS month, sum(l."UnitPrice" * l."Quantity"),
             count(DISTINCT i."InvoiceId")
        FROM "Invoice" i JOIN "InvoiceLine" l USING ("InvoiceId")
       WHERE i."BillingCountry" = ${top!.country} AND i."Total" > 0 GROUP BY 1`;
    baselineMs.push(performance.now() - started);
  }
  // What a served page asks every few seconds: has the database changed?
  const pollMs: number[] = [];
  for (let k = 0; k < 20; k++) {
    const started = performance.now();
    await dashboardVersion(sql);
    pollMs.push(performance.now() - started);
  }
  await sql.end();

  const file = `${tmp}/dashboard.html`;
  const generateSeconds = await cli(databaseUrl, ["report", "--html", file]);
  const pageBytes = (await Deno.stat(file)).size;

  const browser = await launchChromium(`${tmp}/profile`);
  try {
    const page = await browser.newPage();
    const started = performance.now();
    await page.goto(`file://${file}`);
    await page.waitForFunction(() => document.body.dataset.ready === "true", null, {
      timeout: 120_000,
    });
    const loadMs = performance.now() - started;
    const timings = await page.evaluate(() =>
      (globalThis as unknown as { dashboard: { timings: Record<string, number> } }).dashboard
        .timings
    );
    const firstGenre = await page.$eval("#f-genre option:nth-child(2)", (o) => o.textContent);
    const firstRep = await page.$eval("#f-rep option:nth-child(2)", (o) => o.textContent);
    /** One filter change, timed in the page from the change to the next painted frame. */
    const change = (selector: string, value: string | boolean) =>
      page.evaluate(async ([selector, value]) => {
        const input = document.querySelector(selector as string) as HTMLInputElement;
        const started = performance.now();
        if (typeof value === "boolean") input.checked = value;
        else input.value = value as string;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        return performance.now() - started;
      }, [selector, value] as const);
    const steps: Array<[string, string, string | boolean]> = [
      [`country ${top!.country}`, "#f-country", top!.country],
      [`genre ${firstGenre}`, "#f-genre", firstGenre ?? ""],
      [`sales rep ${firstRep}`, "#f-rep", firstRep ?? ""],
      ["no dimension filter", "#f-country", ""],
      ["granularity: day (every day)", "#f-granularity", "day"],
      ["granularity: auto", "#f-granularity", "auto"],
      ["date range: last 90 days", "#f-from", addDays(store!.last, -89)],
      ["date range: all simulated days", "#f-from", store!.first],
      ["show cancelled invoices", "#f-cancelled", true],
      ["hide cancelled invoices", "#f-cancelled", false],
    ];
    const measured = new Map<string, number[]>();
    for (let round = 0; round < 3; round++) {
      for (const [label, selector, value] of steps) {
        const ms = await change(selector, value);
        measured.set(label, [...(measured.get(label) ?? []), ms]);
        if (label.startsWith("sales rep")) await change("#f-genre", "");
        if (label === "no dimension filter") await change("#f-rep", "");
      }
    }
    const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
    out(
      `dashboard bench: ${store!.invoices.toLocaleString("en-US")} invoices, ${
        store!.lines.toLocaleString("en-US")
      } lines, ${store!.first} to ${store!.last}`,
    );
    out(`report --html              ${generateSeconds.toFixed(2)} s (process start included)`);
    out(`page size                  ${(pageBytes / 1e6).toFixed(2)} MB`);
    out(
      `first drawing              ${Math.round(timings.readyAtMs!)} ms after navigation (decode ${
        Math.round(timings.decodeMs!)
      } ms, compute + draw ${Math.round(timings.firstRenderMs!)} ms); page ready seen ${
        Math.round(loadMs)
      } ms after goto`,
    );
    let worst = 0;
    for (const [label, times] of measured) {
      worst = Math.max(worst, ...times);
      out(
        `filter: ${label.padEnd(36)} median ${Math.round(median(times))} ms, max ${
          Math.round(Math.max(...times))
        } ms`,
      );
    }
    out(
      `slowest filter change      ${Math.round(worst)} ms   target < 200 ms  ${
        verdict(worst < 200)
      }`,
    );
    out(
      `baseline: PostgreSQL, one country's revenue and invoices per month: median ${
        Math.round(median(baselineMs))
      } ms`,
    );
    out(`report --serve change poll: median ${median(pollMs).toFixed(1)} ms`);
    out(JSON.stringify({
      invoices: store!.invoices,
      lines: store!.lines,
      pageBytes,
      generateSeconds: Number(generateSeconds.toFixed(2)),
      readyAtMs: Math.round(timings.readyAtMs!),
      decodeMs: Math.round(timings.decodeMs!),
      firstRenderMs: Math.round(timings.firstRenderMs!),
      filterMedianMs: Object.fromEntries(
        [...measured].map(([label, times]) => [label, Math.round(median(times))]),
      ),
      slowestFilterMs: Math.round(worst),
      baselineSqlMs: Math.round(median(baselineMs)),
      versionPollMs: Number(median(pollMs).toFixed(1)),
    }));
  } finally {
    await browser.close();
  }
} finally {
  if (values.database === undefined && !values.keep) {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } else if (values.database === undefined) out(`kept: ${databaseUrl}`);
  await admin.end();
  await Deno.remove(tmp, { recursive: true });
}
