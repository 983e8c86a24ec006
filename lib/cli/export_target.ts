/**
 * --export of a command that writes days, and the check of an export root
 * before anything is written: apart from export_days.ts, whose writers
 * (Parquet) a command loads only when it exports.
 */
import { dirname } from "node:path";
import type { EventFormat } from "../export/formats.ts";
import type { LandingFormat } from "../export/types.ts";
import { UsageError } from "./errors.ts";
import { existingPath, probeWritable } from "./paths.ts";

/** What to export and where. */
export interface ExportTarget {
  /** The export root. */
  readonly dir: string;
  readonly format: LandingFormat;
  readonly events: EventFormat | null;
  /** The flag that named the directory, for messages (--out, --export). */
  readonly flag: string;
  readonly recordsPerPart?: number;
}

/**
 * Before anything is written (and before a day's transaction): the export
 * root, or the nearest of its parents that exists, must be a directory that
 * takes files.
 */
export async function checkExportDir(
  dir: string,
  flag: string,
  options: { dryRun?: boolean } = {},
): Promise<void> {
  if (dir.trim() === "") {
    throw new UsageError(`Cannot export to ${flag} "": give a directory, e.g. ${flag} landing`);
  }
  for (let path = dir;; path = dirname(path)) {
    const info = await existingPath(path, flag);
    if (info) {
      if (!info.isDirectory) {
        throw new UsageError(
          `Cannot export to ${flag} "${dir}": ${
            path === dir ? "it is" : `"${path}" is`
          } a file, not a directory; give a directory`,
        );
      }
      // A dry run writes nothing, not even a probe.
      if (!options.dryRun) await probeWritable(path, flag, dir);
      return;
    }
    if (dirname(path) === path) return;
  }
}

/**
 * The --export of a command that writes days: null without it. --events and
 * --export-format mean nothing without --export: refused, not ignored.
 */
export function exportTargetFrom(settings: {
  export?: string;
  "export-format"?: LandingFormat;
  events?: EventFormat;
}): ExportTarget | null {
  if (settings.export === undefined) {
    if (settings.events !== undefined || settings["export-format"] !== undefined) {
      const flag = settings.events !== undefined ? "--events" : "--export-format";
      throw new UsageError(
        `Cannot use ${flag} without --export DIR: add --export DIR to export each committed day`,
      );
    }
    return null;
  }
  return {
    dir: settings.export,
    format: settings["export-format"] ?? "parquet",
    events: settings.events ?? null,
    flag: "--export",
  };
}
