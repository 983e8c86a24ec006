import {
  COMMON_FLAGS,
  COMMON_HELP,
  parseDayFlag,
  parseFlags,
  readJsonFlag,
  rejectPositionals,
} from "../cli/flags.ts";
import { prepare, withDatabase } from "../cli/context.ts";
import { checkManifest, type CheckResult, runChecks } from "../db/checks.ts";
import { ledgerBounds, ledgerDayCount, requireInstalled } from "../db/ledger.ts";
import { UsageError } from "../cli/errors.ts";
import { writeOut } from "../cli/output.ts";
import type { Manifest } from "../sim/manifest.ts";

export const summary = "Prove the simulated data is right (exit 1 when a check fails)";

export const help = `chinook-sim verify: ${summary}

Usage: chinook-sim verify [--date DAY | --from DAY --to DAY] [--manifest FILE] [--json]

Checks the simulated days (default: every day in the ledger): totals equal
the sum of their lines, no duplicate track on an invoice, foreign keys,
timestamps inside their day, no simulated invoice outside the ledger's days,
ledger counts equal the tables, sequences above the maxima, history before
the first simulated day. With --manifest, also checks the database against a
day's change manifest (the ground truth for a pipeline's output).
Exit code 1 when any check fails: usable as a CI gate.

Options:
  --date DAY            Check one day
  --from DAY, --to DAY  Check a range of days
  --manifest FILE       Check the database against a manifest file
${COMMON_HELP}`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags("verify", args, {
    ...COMMON_FLAGS,
    date: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    manifest: { type: "string" },
  });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  rejectPositionals("verify", positionals);
  if (values.date !== undefined && (values.from !== undefined || values.to !== undefined)) {
    throw new UsageError("Give either --date or --from/--to, not both");
  }
  const date = values.date === undefined ? undefined : parseDayFlag("--date", values.date);
  let from = date ?? (values.from === undefined ? undefined : parseDayFlag("--from", values.from));
  let to = date ?? (values.to === undefined ? undefined : parseDayFlag("--to", values.to));
  if (from && to && to < from) {
    throw new UsageError(`--from ${from} is after --to ${to}: swap them`);
  }
  const manifest = values.manifest === undefined ? undefined : await readManifest(values.manifest);
  const context = await prepare(values);
  const result = await withDatabase(context, async (db) => {
    await requireInstalled(db);
    const bounds = await ledgerBounds(db.sql);
    from ??= bounds.first ?? "1970-01-01";
    to ??= bounds.last ?? "1970-01-01";
    const count = await ledgerDayCount(db.sql, from, to);
    const checks = await runChecks(db.sql, from, to);
    if (manifest) checks.push(...await checkManifest(db.sql, manifest));
    return { days: { from, to, count }, checks };
  });
  const ok = result.checks.every((c) => c.ok);
  if (context.json) writeOut(JSON.stringify({ ...result, ok }));
  else writeOut(renderChecks(result.days, result.checks, ok));
  return ok ? 0 : 1;
}

async function readManifest(path: string): Promise<Manifest> {
  const parsed = await readJsonFlag("--manifest", path) as Manifest | null;
  if (parsed?.format !== "chinook-sim/manifest@1") {
    throw new UsageError(
      `Cannot use --manifest "${path}": not a chinook-sim manifest (format chinook-sim/manifest@1)`,
    );
  }
  return parsed;
}

function renderChecks(
  days: { from: string; to: string; count: number },
  checks: CheckResult[],
  ok: boolean,
): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) =>
    `${c.name.padEnd(width)}  ${c.ok ? "ok  " : "FAIL"}  ${String(c.offending).padStart(7)}  ${
      c.examples.length > 0 ? `e.g. ${c.examples.join(", ")}` : c.description
    }`
  );
  const failed = checks.filter((c) => !c.ok).length;
  return [
    `${"check".padEnd(width)}  result  offending`,
    ...lines,
    ok
      ? `All ${checks.length} checks passed for ${days.count} days (${days.from} to ${days.to}).`
      : `${failed} of ${checks.length} checks FAILED for ${days.count} days (${days.from} to ${days.to}).`,
  ].join("\n");
}
