/**
 * deno task realism [--days N] [--seed N] [--tz ZONE] [--json]: how believable the store looks.
 * Sets up two fresh databases on the local server (BENCH_DATABASE_URL), one with the real
 * Chinook sample (CHINOOK_SQL) and one with the synthetic catalogue, each with the default
 * history, simulates N days (default 60) after it, and prints the figures of issue 14 computed by
 * SQL (lib/db/realism.ts): the monthly series and its largest step, customer activity over
 * 30-day windows, invalid people, invoices at skipped wall-clock times; and the time setup took
 * to make and load the history.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { type RealismFigures, realismFigures } from "../lib/db/realism.ts";
import { addDays, yesterdayIn } from "../lib/sim/calendar.ts";
import { ADMIN_URL, CHINOOK, out, ROOT, urlOf } from "./common.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    days: { type: "string", default: "60" },
    seed: { type: "string", default: "7" },
    tz: { type: "string", default: "Europe/Paris" },
    json: { type: "boolean", default: false },
  },
});
const DAYS = Number(values.days);
const ZONE = values.tz!;
const LAST_DAY = yesterdayIn(ZONE, new Date());
const HISTORY_END = addDays(LAST_DAY, -DAYS);
const decoder = new TextDecoder();

async function cli(database: string, args: string[]): Promise<{ seconds: number; stdout: string }> {
  const started = performance.now();
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "-P", `${ROOT}main.ts`, ...args],
    env: { DATABASE_URL: urlOf(database), NO_COLOR: "1", LOG_LEVEL: "warning" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) {
    throw new Error(`chinook-sim ${args.join(" ")} failed: ${decoder.decode(result.stderr)}`);
  }
  return { seconds: (performance.now() - started) / 1000, stdout: decoder.decode(result.stdout) };
}

interface StoreReport {
  catalogue: string;
  setupSeconds: number;
  history: { from: string; to: string; invoices: number; lines: number; customers: number };
  historySeconds: number;
  simulatedDays: number;
  simulateSeconds: number;
  figures: RealismFigures;
}

async function measure(catalogue: string): Promise<StoreReport> {
  const name = `chinook_sim_realism_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(ADMIN_URL, { onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  try {
    const common = ["--seed", values.seed!, "--tz", ZONE];
    const setup = await cli(name, [
      "setup",
      "--chinook-sql",
      catalogue,
      "--history-end",
      HISTORY_END,
      "--json",
      ...common,
    ]);
    const generated = JSON.parse(setup.stdout).history.generated;
    const days = await cli(name, [
      "backfill",
      "--from",
      addDays(HISTORY_END, 1),
      "--to",
      LAST_DAY,
      "--manifest-dir",
      "none",
      ...common,
    ]);
    const sql = postgres(urlOf(name), { onnotice: () => {} });
    try {
      const figures = await realismFigures(sql, {
        lastDay: LAST_DAY,
        windows: Math.max(1, Math.floor((DAYS + 30) / 10)),
        stepDays: 10,
        firstCustomerId: generated.firstCustomerId,
        timeZone: ZONE,
      });
      return {
        catalogue: catalogue === "synthetic" ? "synthetic" : "real sample",
        setupSeconds: Number(setup.seconds.toFixed(1)),
        history: generated,
        historySeconds: Number((generated.elapsedMs / 1000).toFixed(1)),
        simulatedDays: DAYS,
        simulateSeconds: Number(days.seconds.toFixed(1)),
        figures,
      };
    } finally {
      await sql.end();
    }
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

function render(report: StoreReport): void {
  const f = report.figures;
  out(
    `\n${report.catalogue}: history ${report.history.from} to ${report.history.to}, then ${report.simulatedDays} simulated days to ${LAST_DAY} (${ZONE})`,
  );
  out(
    `  history: ${report.history.invoices} invoices, ${report.history.lines} lines, ` +
      `${report.history.customers} customers made and loaded in ${report.historySeconds} s ` +
      `(setup ${report.setupSeconds} s); ${report.simulatedDays} days in ${report.simulateSeconds} s`,
  );
  const step = f.maxMonthStep;
  out(
    `  months: ${f.months.length}; largest step between consecutive months ${
      step ? `${step.ratio}× (${step.from} → ${step.to})` : "-"
    }  target ≤ 2  ${step && step.ratio <= 2 ? "PASS" : "MISS"}`,
  );
  const revenue = f.maxRevenueStep;
  out(
    `  revenue: largest step ${
      revenue ? `${revenue.ratio}× (${revenue.from} → ${revenue.to})` : "-"
    }  target ≤ 3  ${revenue && revenue.ratio <= 3 ? "PASS" : "MISS"}`,
  );
  out(
    `  invoices per month, last 15: ${
      f.months.slice(-15).map((m) => `${m.month} ${m.invoices}`).join(", ")
    }`,
  );
  out("  30-day window          invoices  buyers  top  median  first-time");
  let pass = true;
  for (const w of f.windows) {
    const ok = w.top <= 15 && w.buyers * 4 >= w.invoices && w.median >= 1 && w.median <= 2;
    pass &&= ok;
    out(
      `  ${w.from} to ${w.to.slice(5)}  ${String(w.invoices).padStart(8)}  ${
        String(w.buyers).padStart(6)
      }  ${String(w.top).padStart(3)}  ${String(w.median).padStart(6)}  ${
        (w.firstTimeShare * 100).toFixed(1).padStart(9)
      }%`,
    );
  }
  out(`  targets: top ≤ 15, buyers ≥ invoices/4, median 1–2  ${pass ? "PASS" : "MISS"}`);
  out(
    `  people made: ${f.people.checked}, invalid by the format table: ${f.people.invalid}` +
      (f.people.examples.length > 0 ? ` (${f.people.examples.join("; ")})` : ""),
  );
  out(`  invoices at skipped wall-clock times in ${ZONE}: ${f.nonexistentTimes.invoices}`);
}

const reports = [await measure(CHINOOK), await measure("synthetic")];
if (values.json) out(JSON.stringify({ lastDay: LAST_DAY, timeZone: ZONE, stores: reports }));
else reports.forEach(render);
