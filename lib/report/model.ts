/** What `report` shows: money in integer cents. */
export interface ReportData {
  from: string;
  to: string;
  generatedAt: string;
  days: Array<{
    day: string;
    invoices: number;
    lines: number;
    revenueCents: number;
    updates: number;
    cancellations: number;
    newCustomers: number;
  }>;
  /** For the last day of the range: invoices per hour 0 … 23. */
  hourOfDay: { day: string; invoices: number[] };
  topGenres: Array<{ name: string; revenueCents: number; lines: number }>;
  topCountries: Array<{ name: string; revenueCents: number; invoices: number }>;
  /** The store's invoices and revenue per month, from its first month to the range's last. */
  months?: Array<{ month: string; invoices: number; revenueCents: number }>;
  /** Who bought in the 30 days to the range's last day. */
  customerActivity?: CustomerActivity;
}

export interface CustomerActivity {
  from: string;
  to: string;
  invoices: number;
  /** Distinct customers who bought. */
  buyers: number;
  /** The most invoices of one customer. */
  top: number;
  /** Invoices of the median customer who bought. */
  median: number;
  /** Share of the invoices that were a customer's first ever. */
  firstTimeShare: number;
}

export interface Kpis {
  revenueCents: number;
  invoices: number;
  /** Rounded half up from integer cents; null without invoices. */
  averageSaleCents: number | null;
  updates: number;
  cancellations: number;
  newCustomers: number;
}

export function kpis(data: ReportData): Kpis {
  const sum = (pick: (d: ReportData["days"][number]) => number) =>
    data.days.reduce((a, d) => a + pick(d), 0);
  const revenueCents = sum((d) => d.revenueCents);
  const invoices = sum((d) => d.invoices);
  return {
    revenueCents,
    invoices,
    averageSaleCents: invoices > 0
      ? Math.floor((2 * revenueCents + invoices) / (2 * invoices))
      : null,
    updates: sum((d) => d.updates),
    cancellations: sum((d) => d.cancellations),
    newCustomers: sum((d) => d.newCustomers),
  };
}
