/**
 * The change manifest of one committed day: the ground truth a CDC or
 * incremental-load pipeline can be tested against. Pure data.
 */
export interface Manifest {
  format: "chinook-sim/manifest@1";
  day: string;
  /** The run's number among the day's runs (1, then 2 for a --force rerun, …). */
  run: number;
  /** The run's id in chinook_sim.run (absent in manifests of the first release). */
  runId: number;
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
  /** Late and messy changes (all empty unless asked for). */
  messiness: { lateRate: number; editRate: number; duplicateRate: number };
  late: Array<{ invoiceId: number; invoiceDate: string }>;
  edited: Array<{ invoiceId: number; lineId: number; newTotal: string }>;
  duplicates: Array<{ invoiceId: number; duplicateOf: number; deletedLineIds: number[] }>;
}

export interface ManifestInput {
  day: string;
  nextDay: string;
  run: number;
  runId: number;
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
  messiness: Manifest["messiness"];
  late: Manifest["late"];
  edited: Manifest["edited"];
  duplicates: Manifest["duplicates"];
}

export function buildManifest(input: ManifestInput): Manifest {
  const range = (first: number, n: number) => (n > 0 ? { first, last: first + n - 1 } : null);
  const removedLines = [...input.removed, ...input.duplicates]
    .reduce((n, r) => n + r.deletedLineIds.length, 0);
  const hard = input.deleteMode === "hard";
  const removedInvoices = input.removed.length + input.duplicates.length;
  return {
    format: "chinook-sim/manifest@1",
    day: input.day,
    run: input.run,
    runId: input.runId,
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
        update: input.updated.length + input.edited.length + (hard ? 0 : removedInvoices),
        delete: hard ? removedInvoices : 0,
      },
      InvoiceLine: {
        insert: input.lines + input.updated.length,
        update: input.edited.length,
        delete: removedLines,
      },
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
    messiness: input.messiness,
    late: input.late,
    edited: input.edited,
    duplicates: input.duplicates,
  };
}
