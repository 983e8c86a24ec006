/** verify: set-based checks of the simulated days; exit 1 when one fails (a CI gate). */
import { type Context, defineCommand } from "../cli/command.ts";
import { ExitCode, UsageError } from "../cli/errors.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { readManifest } from "../cli/inputs.ts";
import { writeOut } from "../cli/output.ts";
import { checkManifest, type CheckResult, runChecks } from "../db/checks.ts";
import { withDatabase } from "../db/connect.ts";
import { ledgerBounds, ledgerDayCount, requireInstalled } from "../db/ledger.ts";

type Flag = "date" | "from" | "to" | "manifest" | "allow-empty" | CommonFlag;

/** The range when neither the flags nor the ledger give one. */
const NO_DAY = "1970-01-01";

export interface VerifyInput {
  flags: FlagValues<Flag>;
  /** The days to check; unset ends: the ledger's first or last day. */
  from?: string;
  to?: string;
}

export function parse(args: string[]): VerifyInput {
  const flags = parseFlags(command.name, command.flags, args);
  const { date } = flags;
  if (date && (flags.from !== undefined || flags.to !== undefined)) {
    throw new UsageError("Give either --date or --from/--to, not both");
  }
  const from = date ?? flags.from ?? undefined;
  const to = date ?? flags.to ?? undefined;
  if (from && to && to < from) {
    throw new UsageError(`--from ${from} is after --to ${to}: swap them`);
  }
  return { flags, from, to };
}

export async function run(input: VerifyInput, { settings }: Context<Flag>): Promise<number> {
  const manifest = settings.manifest === undefined
    ? undefined
    : await readManifest(settings.manifest);
  const result = await withDatabase(settings.target, async (db) => {
    await requireInstalled(db);
    const bounds = await ledgerBounds(db.sql);
    const from = input.from ?? bounds.first ?? NO_DAY;
    const to = input.to ?? bounds.last ?? NO_DAY;
    const count = await ledgerDayCount(db.sql, from, to);
    // Nothing to check is no pass: a CI gate must not pass on nothing.
    if (count === 0 && !settings["allow-empty"]) {
      return { days: { from, to, count }, checks: [], empty: true };
    }
    const checks = await runChecks(db.sql, from, to);
    if (manifest) checks.push(...await checkManifest(db.sql, manifest));
    return { days: { from, to, count }, checks, empty: false };
  });
  const ok = !result.empty && result.checks.every((c) => c.ok);
  if (settings.json) writeOut(JSON.stringify({ ...result, ok }));
  else if (result.empty) writeOut(renderEmpty(result.days, rangeText(result.days)));
  else writeOut(renderChecks(result.days, result.checks, ok));
  return ok ? ExitCode.ok : ExitCode.failure;
}

function rangeText(days: { from: string; to: string }): string {
  return days.from === days.to ? days.from : `${days.from} to ${days.to}`;
}

function renderEmpty(days: { from: string; to: string }, range: string): string {
  return days.from === NO_DAY
    ? 'No day has been simulated yet: nothing was checked. Simulate a day first ("chinook-sim simulate"), or pass --allow-empty.'
    : `No simulated day in ${range}: nothing was checked. Check days that were simulated, or pass --allow-empty.`;
}

export const command = defineCommand<Flag, VerifyInput>({
  name: "verify",
  summary: "Prove the simulated data is right (exit 1 when a check fails)",
  usage: ["chinook-sim verify [--date DAY | --from DAY --to DAY] [--manifest FILE] [--json]"],
  description: `
Checks the simulated days (--date for one, --from/--to for a range; default:
every day in the ledger): totals equal the sum of their lines, no duplicate
track on an invoice, foreign keys, timestamps inside their day, no simulated
invoice outside the ledger's days, ledger counts equal the tables, sequences
above the maxima, history before the first simulated day. With --manifest,
also checks the database against a day's change manifest (the ground truth
for a pipeline's output), its rows as they were after that run, whatever later
days changed. Exit code 1 when any check fails, and when there is
no simulated day to check (unless --allow-empty): usable as a CI gate.`,
  groups: [{ title: "Options", flags: ["date", "from", "to", "manifest", "allow-empty"] }],
  parse,
  run,
});

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
  const range = days.from === NO_DAY ? "no simulated day" : rangeText(days);
  return [
    `${"check".padEnd(width)}  result  offending`,
    ...lines,
    ok
      ? `All ${checks.length} checks passed for ${days.count} days (${range}).`
      : `${failed} of ${checks.length} checks FAILED for ${days.count} days (${range}).`,
  ].join("\n");
}
