/** export: committed days as landing files (and change events), for data pipelines. */
import { type Context, defineCommand } from "../cli/command.ts";
import { UsageError } from "../cli/errors.ts";
import { checkExportDir, type DaysExported, exportDays } from "../cli/export_days.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { logger, writeOut } from "../cli/output.ts";
import { withDatabase } from "../db/connect.ts";
import { requireInstalled } from "../db/ledger.ts";
import { daysBetween } from "../sim/calendar.ts";
import type { LandingFormat } from "../export/types.ts";

type Flag = "from" | "to" | "out" | "format" | "snapshot" | "events" | CommonFlag;

/** At most this many days in one call (ten years, as backfill). */
export const MAX_EXPORT_DAYS = 3660;

export interface ExportInput {
  flags: FlagValues<Flag>;
  from: string;
  to: string;
  out: string;
}

export function parse(args: string[]): ExportInput {
  const flags = parseFlags(command.name, command.flags, args);
  const { from, to, out } = flags;
  if (!from || !to) {
    throw new UsageError('export needs --from DAY and --to DAY: see "chinook-sim export --help"');
  }
  if (to < from) throw new UsageError(`--from ${from} is after --to ${to}: swap them`);
  if (daysBetween(from, to) + 1 > MAX_EXPORT_DAYS) {
    throw new UsageError(
      `Cannot export ${daysBetween(from, to) + 1} days: at most ${MAX_EXPORT_DAYS} in one call`,
    );
  }
  if (flags.format === "json") {
    throw new UsageError(
      'Cannot export as --format "json": landing files are csv, jsonl (JSON Lines) or parquet',
    );
  }
  if (out === undefined || out === null) {
    throw new UsageError("export needs --out DIR: the directory to write the files to");
  }
  if (out.trim() === "") {
    throw new UsageError('Cannot export to --out "": give a directory, e.g. --out landing');
  }
  return { flags, from, to, out };
}

export async function run(input: ExportInput, { settings }: Context<Flag>): Promise<number> {
  await checkExportDir(input.out, "--out");
  const target = {
    dir: input.out,
    format: settings.format as LandingFormat,
    events: settings.events ?? null,
    flag: "--out",
  };
  const log = logger("export");
  const exported = await withDatabase(settings.target, async (db) => {
    await requireInstalled(db);
    return await exportDays(db, target, {
      from: input.from,
      to: input.to,
      snapshot: settings.snapshot ?? false,
    }, (result) => {
      log.info("{day}: {files} files, manifest {manifest}", {
        day: result.manifest.day,
        files: result.manifest.files.length,
        manifest: result.manifestPath,
      });
    });
  });
  writeOut(render(input, exported, settings.json ?? false));
  return 0;
}

function render(input: ExportInput, exported: DaysExported, json: boolean): string {
  const all = [...(exported.snapshot ? [exported.snapshot] : []), ...exported.days];
  if (json) {
    return JSON.stringify({
      out: input.out,
      from: input.from,
      to: input.to,
      snapshot: exported.snapshot
        ? { manifest: exported.snapshot.manifestPath, ...exported.snapshot.manifest }
        : null,
      days: exported.days.map((d) => ({ manifest: d.manifestPath, ...d.manifest })),
    });
  }
  const lines = all.map((result) => {
    const m = result.manifest;
    const records = m.files.reduce((sum, f) => sum + f.records, 0);
    const bytes = m.files.reduce((sum, f) => sum + f.bytes, 0);
    return `${m.kind === "snapshot" ? "snapshot " : ""}${m.day}  ${m.files.length} files  ${
      records.toLocaleString("en-US")
    } records  ${bytes.toLocaleString("en-US")} bytes  ${result.manifestPath}`;
  });
  const days = exported.days.length;
  return [
    ...lines,
    `Exported ${days} day${days === 1 ? "" : "s"} to ${input.out}.`,
  ].join("\n");
}

export const command = defineCommand<Flag, ExportInput>({
  name: "export",
  summary: "Write committed days as landing files and change events",
  usage: [
    "chinook-sim export --from DAY --to DAY --out DIR [--format csv|jsonl|parquet]",
    "       [--events debezium|cdc-flat] [--snapshot]",
  ],
  description: `
Writes, per committed day, the day's new and changed rows of Invoice,
InvoiceLine and Customer (each row as the change left it, with _op I/U/D,
_sequence and _committed_at) under Hive-style partitions
DIR/<table>/dt=YYYY-MM-DD/part-NNNNN.<ext>, and a manifest naming every file
(path, records, bytes, sha256) in DIR/_manifests/<day>.<format>.json.

--events adds the day's change events in commit order: debezium (one JSON
line per changed row in Debezium's envelope, DIR/events/debezium) or cdc-flat
(TPC-DI style files with CDC_FLAG and CDC_DSN, DIR/events/cdc-flat/<table>).
--snapshot adds a full extract of every Chinook table as it was after the last
run of --to (DIR/snapshot/<table>/dt=<--to>).

Exporting a day again gives the same files, byte for byte; each partition is
replaced whole, so readers never see half an export. Days that are not
committed are refused before anything is written. Reads only.`,
  groups: [{
    title: "Options",
    flags: ["from", "to", "out", "format", "events", "snapshot"],
  }],
  defaults: { format: "parquet" },
  parse,
  run,
});
