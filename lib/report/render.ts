/** Renders ReportData as terminal text, CSV, JSON and a self-contained HTML page. Pure. */
import { formatCents } from "../sim/money.ts";
import { kpis, type ReportData } from "./model.ts";

/** 123456 → "1,234.56". */
export function money(cents: number): string {
  const [whole, fraction] = formatCents(cents).split(".") as [string, string];
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${fraction}`;
}

const count = (n: number) => n.toLocaleString("en-US");

function table(headers: string[], rows: string[][], rightAligned: boolean[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(
      "  ",
    ).trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
}

export function renderText(data: ReportData, options: { color: boolean; width?: number }): string {
  const bold = (s: string) => (options.color ? `\x1b[1m${s}\x1b[0m` : s);
  const cyan = (s: string) => (options.color ? `\x1b[36m${s}\x1b[0m` : s);
  const k = kpis(data);
  const out: string[] = [
    bold(`Chinook store, ${data.from} to ${data.to}`),
    `Revenue ${money(k.revenueCents)} · ${count(k.invoices)} invoices · average sale ${
      k.averageSaleCents === null ? "-" : money(k.averageSaleCents)
    } · ${count(k.updates)} updated · ${count(k.cancellations)} cancelled · ${
      count(k.newCustomers)
    } new customers`,
    "",
    ...table(
      ["day", "invoices", "lines", "revenue", "avg sale", "updates", "cancelled", "new customers"],
      data.days.map((d) => [
        d.day,
        count(d.invoices),
        count(d.lines),
        money(d.revenueCents),
        d.invoices > 0
          ? money(Math.floor((2 * d.revenueCents + d.invoices) / (2 * d.invoices)))
          : "-",
        count(d.updates),
        count(d.cancellations),
        count(d.newCustomers),
      ]),
      [false, true, true, true, true, true, true, true],
    ),
    "",
    bold(`Invoices by hour of day, ${data.hourOfDay.day}`),
  ];
  const peak = Math.max(1, ...data.hourOfDay.invoices);
  const barWidth = Math.max(10, Math.min(50, (options.width ?? 80) - 16));
  data.hourOfDay.invoices.forEach((n, hour) => {
    const bar = "█".repeat(Math.round((n / peak) * barWidth));
    out.push(`${String(hour).padStart(2, "0")}  ${cyan(bar)}${bar ? " " : ""}${n}`);
  });
  const tops: Array<[string, string[], string[][]]> = [
    [
      "Top genres",
      ["genre", "revenue", "lines"],
      data.topGenres.map((g) => [g.name, money(g.revenueCents), count(g.lines)]),
    ],
    [
      "Top countries",
      ["country", "revenue", "invoices"],
      data.topCountries.map((c) => [c.name, money(c.revenueCents), count(c.invoices)]),
    ],
  ];
  for (const [title, headers, rows] of tops) {
    out.push("", bold(title), ...table(headers, rows, [false, true, true]));
  }
  return out.join("\n");
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function renderCsv(data: ReportData): string {
  const rows = [[
    "day",
    "invoices",
    "lines",
    "revenue",
    "average_sale",
    "updates",
    "cancellations",
    "new_customers",
  ]];
  for (const d of data.days) {
    rows.push([
      d.day,
      String(d.invoices),
      String(d.lines),
      formatCents(d.revenueCents),
      d.invoices > 0
        ? formatCents(Math.floor((2 * d.revenueCents + d.invoices) / (2 * d.invoices)))
        : "",
      String(d.updates),
      String(d.cancellations),
      String(d.newCustomers),
    ]);
  }
  return rows.map((r) => r.map(csvField).join(",")).join("\n");
}

export function renderJson(data: ReportData): string {
  const k = kpis(data);
  const withMoney = <T extends { revenueCents: number }>(x: T) => ({
    ...x,
    revenue: formatCents(x.revenueCents),
  });
  return JSON.stringify({
    from: data.from,
    to: data.to,
    generatedAt: data.generatedAt,
    kpis: {
      ...k,
      revenue: formatCents(k.revenueCents),
      averageSale: k.averageSaleCents === null ? null : formatCents(k.averageSaleCents),
    },
    days: data.days.map(withMoney),
    hourOfDay: data.hourOfDay,
    topGenres: data.topGenres.map(withMoney),
    topCountries: data.topCountries.map(withMoney),
  });
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll(
    '"',
    "&quot;",
  )
    .replaceAll("'", "&#39;");
}

const W = 720;
const H = 240;
const PAD = { left: 56, right: 12, top: 12, bottom: 36 };

/** Every nth label so at most ~12 show. */
function labelEvery(n: number): number {
  return Math.max(1, Math.ceil(n / 12));
}

function axisY(max: number, format: (v: number) => string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = PAD.top + (H - PAD.top - PAD.bottom) * (1 - f);
    return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" class="grid"/>` +
      `<text x="${PAD.left - 6}" y="${y + 4}" class="tick" text-anchor="end">${
        escapeHtml(format(max * f))
      }</text>`;
  });
  return ticks.join("");
}

/** The x-axis labels, thinned to at most ~12, at positions `x(i)`. */
function xLabels(labels: string[], x: (i: number) => number): string {
  const every = labelEvery(labels.length);
  return labels.map((label, i) =>
    i % every === 0
      ? `<text x="${x(i).toFixed(1)}" y="${H - 12}" class="tick" text-anchor="middle">${
        escapeHtml(label)
      }</text>`
      : ""
  ).join("");
}

/** A chart's plot area and opening tag with its y axis; the charts differ in what they draw. */
function chartFrame(name: string, values: number[], format: (v: number) => string) {
  const max = Math.max(1, ...values);
  return {
    max,
    plotW: W - PAD.left - PAD.right,
    plotH: H - PAD.top - PAD.bottom,
    open: `<svg data-chart="${name}" viewBox="0 0 ${W} ${H}" role="img">${axisY(max, format)}`,
  };
}

/** A data point's tooltip. */
function tooltip(label: string, value: string): string {
  return `<title>${escapeHtml(label)}: ${escapeHtml(value)}</title>`;
}

/** A chart of `values` (one per label), its axis and tooltips formatted by `format`. */
type Chart = (
  name: string,
  labels: string[],
  values: number[],
  format: (v: number) => string,
) => string;

const lineChart: Chart = (name, labels, values, format) => {
  const { max, plotW, plotH, open } = chartFrame(name, values, format);
  const x = (i: number) =>
    PAD.left + (values.length === 1 ? plotW / 2 : (plotW * i) / (values.length - 1));
  const y = (v: number) => PAD.top + plotH * (1 - v / max);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const area = `M${x(0).toFixed(1)},${y(0)} L${points.replaceAll(" ", " L")} L${
    x(values.length - 1).toFixed(1)
  },${y(0)} Z`;
  return open +
    `<path d="${area}" class="area"/><polyline points="${points}" class="line"/>` +
    values.map((v, i) =>
      `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" class="dot">${
        tooltip(labels[i]!, format(v))
      }</circle>`
    ).join("") +
    xLabels(labels, x) + `</svg>`;
};

const barChart: Chart = (name, labels, values, format) => {
  const { max, plotW, plotH, open } = chartFrame(name, values, format);
  const slot = plotW / Math.max(1, values.length);
  return open +
    values.map((v, i) => {
      const h = (plotH * v) / max;
      return `<rect x="${(PAD.left + slot * i + slot * 0.15).toFixed(1)}" y="${
        (PAD.top + plotH - h).toFixed(1)
      }" width="${(slot * 0.7).toFixed(1)}" height="${h.toFixed(1)}" class="bar">${
        tooltip(labels[i]!, format(v))
      }</rect>`;
    }).join("") +
    xLabels(labels, (i) => PAD.left + slot * (i + 0.5)) + `</svg>`;
};

function horizontalBars(name: string, items: Array<{ label: string; value: number }>): string {
  const rowH = 26;
  const height = Math.max(rowH, items.length * rowH) + 8;
  const max = Math.max(1, ...items.map((i) => i.value));
  // Drawn half-width (two charts side by side): a narrower canvas keeps the text legible.
  const width = 440;
  const labelW = 130;
  const barW = width - labelW - 80;
  const rows = items.map((item, i) => {
    const w = (barW * item.value) / max;
    const y = 4 + i * rowH;
    return `<text x="${labelW - 8}" y="${y + 17}" class="label" text-anchor="end">${
      escapeHtml(item.label)
    }</text>` +
      `<rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${
        rowH - 8
      }" rx="3" class="bar">` +
      `<title>${escapeHtml(item.label)}: ${money(item.value)}</title></rect>` +
      `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 17}" class="tick">${
        money(item.value)
      }</text>`;
  }).join("");
  const empty = items.length === 0
    ? `<text x="${W / 2}" y="18" class="tick" text-anchor="middle">No sales</text>`
    : "";
  return `<svg data-chart="${name}" viewBox="0 0 ${W} ${height}" role="img">${rows}${empty}</svg>`;
}

export function renderHtml(data: ReportData): string {
  const k = kpis(data);
  const days = data.days.map((d) => d.day.slice(5));
  const card = (kpi: string, label: string, value: string) =>
    `<div class="card"><div class="label">${label}</div><div class="value" data-kpi="${kpi}">${value}</div></div>`;
  const section = (title: string, chart: string) =>
    `<section><h2>${escapeHtml(title)}</h2>${chart}</section>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chinook store report ${escapeHtml(data.from)} to ${escapeHtml(data.to)}</title>
<style>
  body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2937; background: #f6f7fb; margin: 0; }
  main { max-width: 980px; margin: 0 auto; padding: 28px 20px 48px; }
  h1 { font-size: 24px; margin: 0 0 4px; } .sub { color: #6b7280; margin: 0 0 22px; }
  .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 12px; margin-bottom: 18px; }
  .card, section { background: #fff; border-radius: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  .card { padding: 14px 16px; } .card .label { color: #6b7280; font-size: 13px; }
  .card .value { font-size: 24px; font-weight: 650; margin-top: 2px; }
  section { padding: 14px 16px 8px; margin-bottom: 16px; } h2 { font-size: 16px; margin: 0 0 8px; }
  svg { width: 100%; height: auto; display: block; }
  .grid { stroke: #e5e7eb; } .tick { fill: #6b7280; font-size: 11px; } .label { fill: #374151; font-size: 12px; }
  .line { fill: none; stroke: #4f46e5; stroke-width: 2.5; } .area { fill: #4f46e5; opacity: .08; }
  .dot { fill: #4f46e5; } .bar { fill: #6366f1; } .bar:hover, .dot:hover { fill: #f59e0b; }
  .two { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; } @media (max-width: 760px) { .two { grid-template-columns: 1fr; } }
  footer { color: #9ca3af; font-size: 12px; }
</style>
</head>
<body>
<main>
<h1>Chinook store report</h1>
<p class="sub">${escapeHtml(data.from)} to ${escapeHtml(data.to)} · ${data.days.length} days</p>
<div class="cards">
${card("revenue", "Revenue", money(k.revenueCents))}
${card("invoices", "Invoices", count(k.invoices))}
${
    card(
      "average-sale",
      "Average sale",
      k.averageSaleCents === null ? "-" : money(k.averageSaleCents),
    )
  }
${card("new-customers", "New customers", count(k.newCustomers))}
</div>
${
    section(
      "Daily revenue",
      lineChart(
        "daily-revenue",
        days,
        data.days.map((d) => d.revenueCents),
        money,
      ),
    )
  }
${
    section(
      "Daily invoices",
      barChart(
        "daily-invoices",
        days,
        data.days.map((d) => d.invoices),
        (v) => count(Math.round(v)),
      ),
    )
  }
${
    section(
      `Invoices by hour of day, ${data.hourOfDay.day}`,
      barChart(
        "hour-of-day",
        data.hourOfDay.invoices.map((_, h) => String(h).padStart(2, "0")),
        data.hourOfDay.invoices,
        (v) => count(Math.round(v)),
      ),
    )
  }
<div class="two">
${
    section(
      "Revenue by genre",
      horizontalBars(
        "genres",
        data.topGenres.map((g) => ({ label: g.name, value: g.revenueCents })),
      ),
    )
  }
${
    section(
      "Revenue by country",
      horizontalBars(
        "countries",
        data.topCountries.map((c) => ({ label: c.name, value: c.revenueCents })),
      ),
    )
  }
</div>
<footer>Generated by chinook-sim at ${escapeHtml(data.generatedAt)}</footer>
</main>
</body>
</html>
`;
}
