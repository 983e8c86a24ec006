/** Renders ReportData as terminal text, CSV and JSON (the HTML dashboard: dashboard_page.ts). Pure. */
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
  if (data.months !== undefined && data.months.length > 0) {
    out.push(
      "",
      bold("Invoices per month (the last 13; report --json has every month)"),
      ...table(
        ["month", "invoices", "revenue"],
        data.months.slice(-13).map((m) => [m.month, count(m.invoices), money(m.revenueCents)]),
        [false, true, true],
      ),
    );
  }
  const c = data.customerActivity;
  if (c !== undefined) {
    out.push(
      "",
      bold(`Customers, ${c.from} to ${c.to}`),
      `${count(c.invoices)} invoices by ${count(c.buyers)} customers: the top one ${
        count(c.top)
      }, the median ${count(c.median)}; ${(c.firstTimeShare * 100).toFixed(1)}% first purchases`,
    );
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
    months: data.months?.map(withMoney),
    customerActivity: data.customerActivity,
  });
}
