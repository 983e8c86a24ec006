/**
 * The flags that shape a simulated day, shared by simulate, backfill and
 * catch-up, and the one place their settings turn into DayOptions. Pure.
 */
import type { DemandModel } from "../sim/demand.ts";
import type { DayOptions } from "../sim/day_types.ts";
import { type Messiness, MESSINESS_LEVELS, type Requested } from "../sim/plan.ts";
import { TOOL_VERSION } from "./command.ts";
import { UsageError } from "./errors.ts";
import type { FlagValues } from "./flags.ts";
import type { Settings } from "./settings.ts";
import { parseCount } from "./values.ts";

export const COUNT_FLAGS = [
  "inserts",
  "updates",
  "deletes",
  "new-customers",
  "customer-changes",
] as const;

/** What shapes a day's plan and its record: every command that writes days takes them. */
export const PLAN_FLAGS = [
  "seed",
  "tz",
  "window-days",
  "delete-mode",
  "model",
  "chinook-sql",
  "history-years",
  "manifest-dir",
  "messiness",
  "late-rate",
  "edit-rate",
  "duplicate-rate",
] as const;

export const DAY_FLAGS = [...PLAN_FLAGS, "dry-run", "force"] as const;

/** Exporting each committed day (as the export command does). */
export const EXPORT_FLAGS = ["export", "export-format", "events"] as const;

export const COUNTS_GROUP = {
  title: 'Counts (each a whole number, or "auto" for the demand model: the default)',
  flags: COUNT_FLAGS,
};
export const DAY_GROUP = { title: "Day options", flags: DAY_FLAGS };
export const EXPORT_GROUP = { title: "Export each committed day", flags: EXPORT_FLAGS };

export type DayFlag =
  | (typeof DAY_FLAGS)[number]
  | (typeof COUNT_FLAGS)[number]
  | (typeof EXPORT_FLAGS)[number];

/** A day after yesterday is not over yet: refused unless --allow-future. */
export function refuseFutureDay(
  day: string,
  context: { flag: string; yesterday: string; timeZone: string; allowFuture: boolean },
): void {
  if (day <= context.yesterday || context.allowFuture) return;
  throw new UsageError(
    `Cannot simulate ${day} (${context.flag}): it is after yesterday (${context.yesterday} in ${context.timeZone}), not over yet; pick an earlier day, or add --allow-future to write it anyway`,
  );
}

/** Whether any count was given on the command line. */
export function anyCountFlag(flags: FlagValues<DayFlag>): boolean {
  return COUNT_FLAGS.some((name) => flags[name] !== undefined);
}

/** The counts as resolved: each flag's value, "auto" when not given. */
export function countsFrom(settings: Settings<DayFlag>): Requested {
  return {
    inserts: settings.inserts,
    updates: settings.updates,
    deletes: settings.deletes,
    newCustomers: settings["new-customers"],
    customerChanges: settings["customer-changes"],
  };
}

/** The original tool's stdin format: three whole numbers. */
export const STDIN_COUNTS = "INSERTS UPDATES DELETES";

/** Counts in the original tool's stdin format (STDIN_COUNTS). */
export function countsFromText(text: string, source: string): Requested {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 3 || fields.some((f) => !/^[0-9]+$/.test(f))) {
    const shown = text.trim().length > 40 ? text.trim().slice(0, 40) + "…" : text.trim();
    throw new UsageError(
      `Cannot parse the counts from ${source} "${shown}": expected three whole numbers "${STDIN_COUNTS}"`,
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

/** --messiness sets the rates; each rate flag overrides its own. */
export function messinessFrom(settings: Settings<DayFlag>): Messiness {
  const base = MESSINESS_LEVELS[settings.messiness];
  return {
    lateRate: settings["late-rate"] ?? base.lateRate,
    editRate: settings["edit-rate"] ?? base.editRate,
    duplicateRate: settings["duplicate-rate"] ?? base.duplicateRate,
  };
}

/** Everything but the day and the counts. */
export function baseDayOptions(
  settings: Settings<DayFlag>,
  model: DemandModel,
): Omit<DayOptions, "day" | "requested"> {
  return {
    seed: settings.seed,
    model,
    windowDays: settings["window-days"],
    deleteMode: settings["delete-mode"],
    force: settings.force ?? false,
    dryRun: settings["dry-run"] ?? false,
    timeZone: settings.tz,
    toolVersion: TOOL_VERSION,
    lockTimeoutMs: settings.lockTimeoutMs,
    messiness: messinessFrom(settings),
  };
}
