/**
 * The shapes shared by everything that runs a simulated day: its options,
 * what its writes did, and its result. Types only.
 */
import type { DayVolume, DemandModel } from "./demand.ts";
import type { Manifest } from "./manifest.ts";
import type { Messiness, Requested } from "./plan.ts";

/** cancel: lines removed, Total 0, the invoice kept; hard: invoice and lines removed. */
export type DeleteMode = "cancel" | "hard";

export interface DayOptions {
  day: string;
  seed: string;
  requested: Requested;
  model: DemandModel;
  windowDays: number;
  deleteMode: DeleteMode;
  force: boolean;
  dryRun: boolean;
  timeZone: string;
  toolVersion: string;
  lockTimeoutMs: number;
  messiness: Messiness;
}

/** An invoice that got one more line; its new Total as the database computed it. */
export interface UpdatedInvoice {
  invoiceId: number;
  total: string;
  addedLineId: number;
}

/** A cancelled (or hard-deleted) invoice and the lines that went with it. */
export interface RemovedInvoice {
  invoiceId: number;
  deletedLineIds: number[];
}

/** An invoice of an earlier day whose first line's quantity went up. */
export interface EditedInvoice {
  invoiceId: number;
  lineId: number;
  newTotal: string;
}

/** What the day's writes did, as the database reported it. */
export interface DayWrites {
  /** Lines of the new invoices. */
  lines: number;
  updated: UpdatedInvoice[];
  removed: RemovedInvoice[];
  duplicates: RemovedInvoice[];
  edited: EditedInvoice[];
}

export interface DayDone {
  inserts: number;
  updates: number;
  deletes: number;
  newCustomers: number;
  customerChanges: number;
  lines: number;
  late: number;
  edits: number;
  duplicates: number;
}

/** What a day wrote to the web shop's clickstream (chinook_web, setup --web). */
export interface WebCounts {
  sessions: number;
  events: number;
  purchases: number;
  reviews: number;
}

export interface DayResult {
  status: "written" | "skipped" | "dry-run";
  day: string;
  seed: string;
  /** The run's id and its number among the day's runs (a dry run: what they would be). */
  runId: number | null;
  runNumber: number | null;
  requested: DayVolume | null;
  done: DayDone;
  shortfall: { updates: number; deletes: number; customerChanges: number };
  revenueCents: number;
  firstInvoiceId: number | null;
  lastInvoiceId: number | null;
  updatedTotals: Array<{ invoiceId: number; total: string }>;
  /** The change manifest of a written (or dry-run) day. */
  manifest: Manifest | null;
  /** A skipped day: the manifests of its committed runs (to write any file that is missing). */
  recordedManifests: Manifest[];
  /** Present when chinook_web is installed and the day was written (or planned). */
  web?: WebCounts;
  elapsedMs: number;
}

/** What a run of several days did; stopped early when interrupted or when something failed. */
export interface DaysOutcome {
  results: DayResult[];
  interrupted: boolean;
  /** What failed after a commit (what was committed, what was not done), or null. */
  failure: string | null;
  elapsedMs: number;
}
