/**
 * The change manifest of one committed day: the ground truth a CDC or
 * incremental-load pipeline can be tested against. Pure data.
 */
export interface Manifest {
  format: "chinook-sim/manifest@1";
  day: string;
  run: number;
  seed: string;
  toolVersion: string;
  /** Wall-clock window of the day's invoices (InvoiceDate has no zone). */
  window: { from: string; to: string; timeZone: string };
  deleteMode: "cancel" | "hard";
  counts: Record<
    "Invoice" | "InvoiceLine" | "Customer",
    { insert: number; update: number; delete: number }
  >;
  inserted: {
    /** Contiguous: every id from first to last. */
    invoiceIds: { first: number; last: number } | null;
    invoiceLineIds: { first: number; last: number } | null;
    customerIds: number[];
  };
  updated: Array<{ invoiceId: number; newTotal: string; addedLineId: number }>;
  cancelled: Array<{ invoiceId: number; deletedLineIds: number[] }>;
  deleted: Array<{ invoiceId: number; deletedLineIds: number[] }>;
  customersChanged: Array<{ customerId: number; change: "address" | "email" }>;
}

export interface ManifestInput {
  day: string;
  nextDay: string;
  run: number;
  seed: string;
  toolVersion: string;
  timeZone: string;
  deleteMode: "cancel" | "hard";
  firstInvoiceId: number;
  invoices: number;
  firstLineId: number;
  lines: number;
  customerIds: number[];
  updated: Array<{ invoiceId: number; newTotal: string; addedLineId: number }>;
  removed: Array<{ invoiceId: number; deletedLineIds: number[] }>;
  customersChanged: Array<{ customerId: number; change: "address" | "email" }>;
}

export function buildManifest(input: ManifestInput): Manifest {
  const range = (first: number, n: number) => (n > 0 ? { first, last: first + n - 1 } : null);
  const removedLines = input.removed.reduce((n, r) => n + r.deletedLineIds.length, 0);
  const hard = input.deleteMode === "hard";
  return {
    format: "chinook-sim/manifest@1",
    day: input.day,
    run: input.run,
    seed: input.seed,
    toolVersion: input.toolVersion,
    window: {
      from: `${input.day} 00:00:00`,
      to: `${input.nextDay} 00:00:00`,
      timeZone: input.timeZone,
    },
    deleteMode: input.deleteMode,
    counts: {
      Invoice: {
        insert: input.invoices,
        update: input.updated.length + (hard ? 0 : input.removed.length),
        delete: hard ? input.removed.length : 0,
      },
      InvoiceLine: { insert: input.lines + input.updated.length, update: 0, delete: removedLines },
      Customer: {
        insert: input.customerIds.length,
        update: input.customersChanged.length,
        delete: 0,
      },
    },
    inserted: {
      invoiceIds: range(input.firstInvoiceId, input.invoices),
      invoiceLineIds: range(input.firstLineId, input.lines + input.updated.length),
      customerIds: input.customerIds,
    },
    updated: input.updated,
    cancelled: hard ? [] : input.removed,
    deleted: hard ? input.removed : [],
    customersChanged: input.customersChanged,
  };
}
