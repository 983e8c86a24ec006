/**
 * The pure parts of `deno task bench`: its command line, medians, the result
 * table, and the resident memory of a process tree from a `ps` listing. No I/O.
 */

export const SECTIONS = [
  "bigday",
  "smallday",
  "embedded",
  "backfill",
  "scaling",
  "exports",
] as const;
export type Section = typeof SECTIONS[number];

export interface BenchArgs {
  invoices: number;
  runs: number;
  only: Section[];
  embedded: boolean;
  /** Invoices per day of the scaling table, smallest first. */
  scale: number[];
}

export const DEFAULT_SCALE = [1_000, 10_000, 100_000, 1_000_000];
const MAX_INVOICES = 2_000_000; // simulate's own cap on a day's inserts
const MAX_RUNS = 20;

export const USAGE =
  "usage: deno task bench [--invoices N] [--runs N] [--only SECTION,…] [--embedded on|off] [--scale N,…]";

/** A command line that cannot be run: one line for the user, exit 2. */
export class UsageError extends Error {}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = /^\d{1,9}$/.test(text.replaceAll("_", "")) ? Number(text.replaceAll("_", "")) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(
      `--${flag} ${JSON.stringify(text)}: expected a whole number from ${min} to ${
        max.toLocaleString("en-US")
      }`,
    );
  }
  return n;
}

/** `--flag value` or `--flag=value`; anything else is a usage error. */
export function parseBenchArgs(args: readonly string[]): BenchArgs {
  const result: BenchArgs = {
    invoices: 1_000_000,
    runs: 1,
    only: [...SECTIONS],
    embedded: true,
    scale: [...DEFAULT_SCALE],
  };
  const seen = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--([a-z]+)(?:=(.*))?$/s.exec(arg);
    if (!match) throw new UsageError(`unexpected argument ${JSON.stringify(arg)}; ${USAGE}`);
    const flag = match[1]!;
    if (!["invoices", "runs", "only", "embedded", "scale"].includes(flag)) {
      throw new UsageError(`unknown option --${flag}; ${USAGE}`);
    }
    if (seen.has(flag)) throw new UsageError(`--${flag} given twice`);
    seen.add(flag);
    let value = match[2];
    if (value === undefined) {
      value = args[++i];
      if (value === undefined) throw new UsageError(`--${flag} needs a value; ${USAGE}`);
    }
    if (value.length > 200) throw new UsageError(`--${flag}: value longer than 200 characters`);
    switch (flag) {
      case "invoices":
        result.invoices = wholeNumber(flag, value, 1, MAX_INVOICES);
        break;
      case "runs":
        result.runs = wholeNumber(flag, value, 1, MAX_RUNS);
        break;
      case "only": {
        const names = value.split(",").map((s) => s.trim());
        const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
        if (unknown.length > 0 || names.length === 0) {
          throw new UsageError(
            `--only ${JSON.stringify(value)}: expected a comma-separated list of ${
              SECTIONS.join(", ")
            }`,
          );
        }
        // In the bench's own order, once each.
        result.only = SECTIONS.filter((s) => names.includes(s));
        break;
      }
      case "embedded":
        if (value !== "on" && value !== "off") {
          throw new UsageError(`--embedded ${JSON.stringify(value)}: expected on or off`);
        }
        result.embedded = value === "on";
        break;
      case "scale": {
        const sizes = value.split(",").map((s) => wholeNumber(flag, s.trim(), 1, MAX_INVOICES));
        if (sizes.length > 8) throw new UsageError("--scale: at most 8 day sizes");
        result.scale = [...new Set(sizes)].sort((a, b) => a - b);
        break;
      }
    }
  }
  return result;
}

/** The median (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * A measured figure. Its ratio to the baseline is above 1 when it does better
 * than the baseline: baseline ÷ value for times and memory, value ÷ baseline
 * for rates (`higherIsBetter`). A check is either on the value itself
 * (`value <= limit`) or on that ratio (`ratio >= limit`).
 */
export interface Figure {
  key: string;
  label: string;
  value: number;
  unit: string;
  /** A rate (rows/s, days/s): more is better. */
  higherIsBetter?: boolean;
  baseline?: number;
  baselineLabel?: string;
  /** In the JSON line only: a section's own table shows it already. */
  hidden?: boolean;
  /** Shown in the JSON line only (e.g. the largest single process of a peak). */
  detail?: Record<string, number>;
  /** Set by medianFigures: the median of the runs' ratios (else baseline / value). */
  ratio?: number;
  check?: { on: "value" | "ratio"; op: "<=" | ">=" | "<"; limit: number };
}

export function ratioOf(f: Figure): number | undefined {
  if (f.ratio !== undefined) return f.ratio;
  if (f.baseline === undefined) return undefined;
  return f.higherIsBetter ? f.value / f.baseline : f.baseline / f.value;
}

/** PASS, MISS, or "" when the figure has no target. */
export function verdict(f: Figure): "PASS" | "MISS" | "" {
  if (!f.check) return "";
  const x = f.check.on === "ratio" ? ratioOf(f) : f.value;
  if (x === undefined || !Number.isFinite(x)) return "MISS";
  const { op, limit } = f.check;
  const ok = op === "<=" ? x <= limit : op === ">=" ? x >= limit : x < limit;
  return ok ? "PASS" : "MISS";
}

/** A number as the table shows it: 3 significant digits at most, thousands separated. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return "–";
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return n.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function withUnit(n: number, unit: string): string {
  return unit ? `${formatNumber(n)} ${unit}` : formatNumber(n);
}

/** The `ratio/target` column: the ratio (when there is a baseline) and the target. */
function targetText(f: Figure): string {
  const ratio = ratioOf(f);
  const parts: string[] = [];
  if (ratio !== undefined) parts.push(`${ratio.toFixed(2)}×`);
  if (f.check) {
    const op = f.check.op === "<=" ? "≤" : f.check.op === ">=" ? "≥" : "<";
    parts.push(
      f.check.on === "ratio"
        ? `(target ${op} ${f.check.limit.toFixed(1)}×)`
        : `(target ${op} ${f.check.limit} ${f.unit})`,
    );
  }
  return parts.join(" ");
}

export const HEADER = ["figure", "value", "baseline", "ratio/target", ""];

/** One table row: figure, value, baseline, ratio/target, PASS|MISS. */
export function figureRow(f: Figure): string[] {
  const baseline = f.baseline === undefined
    ? ""
    : `${withUnit(f.baseline, f.unit)}${f.baselineLabel ? ` (${f.baselineLabel})` : ""}`;
  return [f.label, withUnit(f.value, f.unit), baseline, targetText(f), verdict(f)];
}

/** Columns padded to their widest cell (numbers right-aligned), two spaces apart. */
export function formatTable(rows: readonly (readonly string[])[], rightAligned: number[] = [1]) {
  const width = (s: string) => [...s].length;
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 0, width(cell)));
  }
  return rows.map((row) =>
    row.map((cell, i) => {
      const pad = " ".repeat(widths[i]! - width(cell));
      return rightAligned.includes(i) ? pad + cell : cell + pad;
    }).join("  ").trimEnd()
  );
}

/**
 * The median of each figure over runs (by key, in the first run's order): of
 * its values, its baselines, and of its ratios, each run's against its own
 * baseline.
 */
export function medianFigures(runs: readonly (readonly Figure[])[]): Figure[] {
  const first = runs[0] ?? [];
  return first.map((f) => {
    const same = runs.map((r) => r.find((g) => g.key === f.key)).filter((g) => g !== undefined);
    const value = median(same.map((g) => g.value));
    const baselines = same.map((g) => g.baseline).filter((b) => b !== undefined);
    const ratios = same.map(ratioOf).filter((r) => r !== undefined);
    return {
      ...f,
      value,
      baseline: baselines.length > 0 ? median(baselines) : undefined,
      ratio: ratios.length > 0 ? median(ratios) : undefined,
    };
  });
}

/**
 * The resident memory (KiB) of `root` and every process below it, from
 * `ps -e -o pid=,ppid=,rss=`: the launcher's child deno counts too. Also the
 * largest single process, to compare with a one-process figure.
 */
export function treeRssKb(psOutput: string, root: number): { totalKb: number; largestKb: number } {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const line of psOutput.split("\n")) {
    const [pid, ppid, kb] = line.trim().split(/\s+/).map(Number);
    if (pid === undefined || ppid === undefined || kb === undefined || !Number.isFinite(kb)) {
      continue;
    }
    rss.set(pid, kb);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  let totalKb = 0;
  let largestKb = 0;
  const todo = [root];
  const seen = new Set<number>();
  while (todo.length > 0) {
    const pid = todo.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const kb = rss.get(pid) ?? 0;
    totalKb += kb;
    largestKb = Math.max(largestKb, kb);
    todo.push(...(children.get(pid) ?? []));
  }
  return { totalKb, largestKb };
}
