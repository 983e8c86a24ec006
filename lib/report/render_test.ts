import assert from "node:assert/strict";
import { kpis, type ReportData } from "./model.ts";
import { money, renderCsv, renderJson, renderText } from "./render.ts";

function sample(invoices = 3): ReportData {
  return {
    from: "2026-06-01",
    to: "2026-06-02",
    generatedAt: "2026-06-03T00:00:00.000Z",
    days: [
      {
        day: "2026-06-01",
        invoices,
        lines: 5,
        revenueCents: invoices ? 10 : 0,
        updates: 1,
        cancellations: 0,
        newCustomers: 1,
      },
      {
        day: "2026-06-02",
        invoices,
        lines: 4,
        revenueCents: invoices ? 20 : 0,
        updates: 0,
        cancellations: 1,
        newCustomers: 0,
      },
    ],
    hourOfDay: {
      day: "2026-06-02",
      invoices: Array.from({ length: 24 }, (_, h) => (invoices ? h % 5 : 0)),
    },
    topGenres: invoices ? [{ name: 'Rock & <Roll> "x"', revenueCents: 123456, lines: 9 }] : [],
    topCountries: invoices ? [{ name: "Brazil", revenueCents: 99, invoices: 1 }] : [],
  };
}

Deno.test("KPIs in exact cents (0.1 + 0.2 would drift as floats)", () => {
  const k = kpis(sample());
  assert.equal(k.revenueCents, 30);
  assert.equal(money(k.revenueCents), "0.30");
  assert.equal(k.averageSaleCents, 5, "30 cents / 6 invoices");
  assert.equal(money(123456789), "1,234,567.89");
});

Deno.test("text: aligned, no escape codes without colour", () => {
  const plain = renderText(sample(), { color: false });
  assert.ok(!plain.includes("\x1b["));
  assert.ok(renderText(sample(), { color: true }).includes("\x1b["));
  assert.match(plain, /^2026-06-01\s+3\s+5\s+0\.10\s+0\.03/m);
});

Deno.test("CSV parses back", () => {
  const rows = renderCsv(sample()).split("\n").map((r) => r.split(","));
  assert.deepEqual(rows[0]!.slice(0, 4), ["day", "invoices", "lines", "revenue"]);
  assert.deepEqual(rows[2]!.slice(0, 4), ["2026-06-02", "3", "4", "0.20"]);
  assert.equal(JSON.parse(renderJson(sample())).kpis.revenue, "0.30");
});
