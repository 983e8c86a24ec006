/**
 * The flags that shape a simulated day, shared by simulate, backfill and
 * catch-up, and the one place they turn into DayOptions.
 */
import { parseChoice, parseWholeNumber, readJsonFlag } from "./flags.ts";
import type { Context } from "./context.ts";
import { TOOL_VERSION } from "./context.ts";
import type { DayOptions, DayResult, DeleteMode } from "../sim/day_types.ts";
import { UsageError } from "./errors.ts";
import { DEFAULT_MODEL, type DemandModel, resolveModel } from "../sim/demand.ts";
import { formatCents } from "../sim/money.ts";
import { type Count, type Messiness, MESSINESS_LEVELS, type Requested } from "../sim/plan.ts";

export const DAY_FLAGS = {
  tz: { type: "string" },
  seed: { type: "string" },
  "window-days": { type: "string" },
  "delete-mode": { type: "string" },
  model: { type: "string" },
  "chinook-sql": { type: "string" },
  "manifest-dir": { type: "string" },
  "dry-run": { type: "boolean" },
  force: { type: "boolean" },
  messiness: { type: "string" },
  "late-rate": { type: "string" },
  "edit-rate": { type: "string" },
  "duplicate-rate": { type: "string" },
} as const;

export const COUNT_FLAGS = {
  inserts: { type: "string" },
  updates: { type: "string" },
  deletes: { type: "string" },
  "new-customers": { type: "string" },
  "customer-changes": { type: "string" },
} as const;

export const DAY_HELP = `Day options:
  --seed N              Seed for reproducible days (env SIM_SEED; default: drawn and
                        recorded in the ledger)
  --tz ZONE             Time zone of the store's days (env SIM_TIMEZONE; default: system)
  --window-days N       Updates and cancellations hit invoices of the last N days (default 90)
  --delete-mode MODE    cancel (default: lines removed, Total 0) or hard (rows removed)
  --model FILE          JSON file overriding demand model parameters (see README)
  --chinook-sql FILE    Chinook to load when an empty embedded database is set up
  --manifest-dir DIR    Where each committed day's change manifest (JSON) is written
                        (default ./manifests; "none": in the ledger only)
  --messiness LEVEL     Late and messy changes: none (default), low, medium, high
  --late-rate R         Share of new invoices dated 1-7 days earlier (late-arriving)
  --edit-rate R         Quantity edits to invoices of earlier days, per new invoice
  --duplicate-rate R    Share of invoices submitted twice, the copy cancelled minutes later
  --dry-run             Build and report the day without writing anything
  --force               Simulate a day again although the ledger has it`;

export const COUNT_HELP = `Counts (each a whole number or "auto" for the demand model):
  --inserts N           New invoices
  --updates N           Invoices that get one more track
  --deletes N           Invoices cancelled (or removed with --delete-mode hard)
  --new-customers N     Customers who sign up (and buy) on the day
  --customer-changes N  Customers who change address or email
  Without count flags, counts are read from stdin as "INSERTS UPDATES DELETES"
  when it is a pipe or file, asked for on a terminal, and otherwise "auto".`;

export const LIMITS = {
  inserts: 2_000_000,
  updates: 1_000_000,
  deletes: 1_000_000,
  "new-customers": 100_000,
  "customer-changes": 100_000,
} as const;

export function parseCount(flag: keyof typeof LIMITS, text: string | undefined): Count {
  if (text === undefined || text.trim() === "auto") return "auto";
  return parseWholeNumber(`--${flag}`, text, { min: 0, max: LIMITS[flag] });
}

export interface CountValues {
  inserts?: string;
  updates?: string;
  deletes?: string;
  "new-customers"?: string;
  "customer-changes"?: string;
}

export function countsFromFlags(values: CountValues): Requested {
  return {
    inserts: parseCount("inserts", values.inserts),
    updates: parseCount("updates", values.updates),
    deletes: parseCount("deletes", values.deletes),
    newCustomers: parseCount("new-customers", values["new-customers"]),
    customerChanges: parseCount("customer-changes", values["customer-changes"]),
  };
}

export function anyCountFlag(values: CountValues): boolean {
  return Object.keys(COUNT_FLAGS).some((k) => values[k as keyof CountValues] !== undefined);
}

/** The original tool's stdin format: "INSERTS UPDATES DELETES". */
export function countsFromText(text: string, source: string): Requested {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 3 || fields.some((f) => !/^[0-9]+$/.test(f))) {
    const shown = text.trim().length > 40 ? text.trim().slice(0, 40) + "…" : text.trim();
    throw new UsageError(
      `Cannot parse the counts from ${source} "${shown}": expected three whole numbers "INSERTS UPDATES DELETES"`,
    );
  }
  const [inserts, updates, deletes] = fields as [string, string, string];
  return {
    inserts: parseCount("inserts", inserts),
    updates: parseCount("updates", updates),
    deletes: parseCount("deletes", deletes),
    newCustomers: "auto",
    customerChanges: "auto",
  };
}

export interface DayFlagValues {
  messiness?: string;
  "late-rate"?: string;
  "edit-rate"?: string;
  "duplicate-rate"?: string;
  seed?: string;
  "window-days"?: string;
  "delete-mode"?: string;
  model?: string;
  "dry-run"?: boolean;
  force?: boolean;
}

/** Reads --model: a JSON object of demand model parameters. */
export async function readModel(path: string | undefined): Promise<DemandModel> {
  if (path === undefined) return DEFAULT_MODEL;
  const parsed = await readJsonFlag("--model", path);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(
      `Cannot use --model "${path}": expected a JSON object of model parameters`,
    );
  }
  try {
    return resolveModel(parsed as Record<string, unknown>);
  } catch (error) {
    throw new UsageError(`Cannot use --model "${path}": ${(error as Error).message}`);
  }
}

export function resolveSeed(flag: string | undefined, context: Context): string {
  const [name, text] = flag !== undefined ? ["--seed", flag] : ["SIM_SEED", context.env.SIM_SEED];
  if (text === undefined || text.trim() === "") {
    return String(crypto.getRandomValues(new Uint32Array(1))[0]);
  }
  return String(parseWholeNumber(name, text, { min: 0, max: Number.MAX_SAFE_INTEGER }));
}

/** Everything but the day and the counts, validated. */
export async function baseDayOptions(
  values: DayFlagValues,
  context: Context,
  timeZone: string,
): Promise<Omit<DayOptions, "day" | "requested">> {
  return {
    seed: resolveSeed(values.seed, context),
    model: await readModel(values.model),
    windowDays: values["window-days"] === undefined
      ? 90
      : parseWholeNumber("--window-days", values["window-days"], { min: 1, max: 3650 }),
    deleteMode: values["delete-mode"] === undefined
      ? "cancel"
      : parseChoice<DeleteMode>("--delete-mode", values["delete-mode"], ["cancel", "hard"]),
    force: values.force ?? false,
    dryRun: values["dry-run"] ?? false,
    timeZone,
    toolVersion: TOOL_VERSION,
    lockTimeoutMs: context.lockTimeoutMs,
    messiness: messinessFromFlags(values),
  };
}

/** A rate from 0 to 1 as a plain decimal ("0.05"). */
export function parseRate(flag: string, text: string): number {
  if (!/^(0(\.[0-9]+)?|1(\.0+)?|\.[0-9]+)$/.test(text.trim())) {
    throw new UsageError(
      `Cannot parse ${flag} "${text}": expected a decimal from 0 to 1, such as 0.05`,
    );
  }
  return Number(text.trim());
}

/** --messiness sets the defaults; each rate flag overrides its own. */
export function messinessFromFlags(values: DayFlagValues): Messiness {
  const level = values.messiness === undefined
    ? "none"
    : parseChoice("--messiness", values.messiness, ["none", "low", "medium", "high"] as const);
  const base = MESSINESS_LEVELS[level];
  return {
    lateRate: values["late-rate"] === undefined
      ? base.lateRate
      : parseRate("--late-rate", values["late-rate"]),
    editRate: values["edit-rate"] === undefined
      ? base.editRate
      : parseRate("--edit-rate", values["edit-rate"]),
    duplicateRate: values["duplicate-rate"] === undefined
      ? base.duplicateRate
      : parseRate("--duplicate-rate", values["duplicate-rate"]),
  };
}

/** The result as a plain JSON-ready object (money as decimal strings). */
export function dayResultJson(result: DayResult) {
  return {
    day: result.day,
    status: result.status,
    seed: result.seed,
    requested: result.requested,
    done: result.done,
    shortfall: result.shortfall,
    revenue: formatCents(result.revenueCents),
    averageSale: result.done.inserts > 0
      ? formatCents(Math.round(result.revenueCents / result.done.inserts))
      : null,
    firstInvoiceId: result.firstInvoiceId,
    lastInvoiceId: result.lastInvoiceId,
    updatedTotals: result.updatedTotals,
    elapsedMs: result.elapsedMs,
  };
}

export function dayResultText(result: DayResult): string {
  if (result.status === "skipped") {
    return `${result.day} is already simulated (see the ledger); nothing written. Use --force to add another run.`;
  }
  const d = result.done;
  const average = d.inserts > 0 ? formatCents(Math.round(result.revenueCents / d.inserts)) : "-";
  const prefix = result.status === "dry-run" ? "Dry run, nothing written: " : "";
  return `${prefix}${result.day}: ${d.inserts} invoices (${d.lines} lines), revenue ${
    formatCents(result.revenueCents)
  }, average sale ${average}; ${d.updates} updated, ${d.deletes} cancelled; ` +
    `${d.newCustomers} new customers, ${d.customerChanges} customer changes; seed ${result.seed}; ` +
    `${(result.elapsedMs / 1000).toFixed(2)} s`;
}
