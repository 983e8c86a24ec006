/**
 * deno task bench:clickstream [--runs N]: how long a day's clickstream
 * takes. Pure generation (median and worst of N runs) for the default day,
 * a December Saturday, and a day at the session bound; then, when a
 * PostgreSQL server is reachable (BENCH_DATABASE_URL, default the local one),
 * `simulate` of the same default day on two fresh databases, with and
 * without `setup --web`, so the difference is the clickstream's cost
 * end to end. Target (reported, not enforced): the default day's
 * clickstream well under a second.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { buildClickstream } from "../lib/sim/clickstream/generate.ts";
import { DEFAULT_CLICK_MODEL } from "../lib/sim/clickstream/model.ts";
import { DEFAULT_MODEL } from "../lib/sim/demand.ts";
import { loadNames } from "../lib/sim/people/mod.ts";
import { AUTO_COUNTS, buildDayPlan, type Count, type Snapshot } from "../lib/sim/plan.ts";
import { ADMIN_URL, CHINOOK, out, ROOT, urlOf } from "./common.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { runs: { type: "string", default: "20" } },
});
const RUNS = Number(values.runs);
if (!Number.isSafeInteger(RUNS) || RUNS < 1) {
  throw new RangeError(`Cannot bench ${values.runs} runs: expected a positive integer`);
}

/** The Chinook sample's sizes: 59 customers, 3,503 tracks. */
const SNAPSHOT: Snapshot = {
  customerIds: Int32Array.from({ length: 59 }, (_, i) => i + 1),
  trackIds: Int32Array.from({ length: 3503 }, (_, i) => i + 1),
  trackPriceCents: Int32Array.from({ length: 3503 }, () => 99),
  supportRepIds: [3, 4, 5],
  recentInvoiceIds: new Int32Array(),
  recentAgeDays: new Int32Array(),
  nextInvoiceId: 1,
  nextInvoiceLineId: 1,
  nextCustomerId: 60,
};

const NAMES = await loadNames();

function timePure(name: string, day: string, inserts: Count): void {
  const plan = buildDayPlan({
    day,
    seed: "1",
    requested: { ...AUTO_COUNTS, inserts },
    model: DEFAULT_MODEL,
    snapshot: SNAPSHOT,
    names: NAMES,
  });
  const input = {
    day,
    seed: "1",
    model: DEFAULT_CLICK_MODEL,
    hourWeights: DEFAULT_MODEL.hourWeights,
    trackZipf: DEFAULT_MODEL.trackZipf,
    catalogue: {
      trackIds: SNAPSHOT.trackIds,
      albumIds: Int32Array.from({ length: 3503 }, (_, i) => 1 + Math.floor(i / 10)),
      artistIds: Int32Array.from({ length: 3503 }, (_, i) => 1 + Math.floor(i / 30)),
      artistNames: Array.from({ length: 3503 }, (_, i) => `Artist ${Math.floor(i / 30)}`),
    },
    customers: { ids: SNAPSHOT.customerIds, countries: Array(59).fill("USA") },
    invoices: plan,
    firstSessionId: 1,
    firstEventId: 1,
  };
  const times: number[] = [];
  let sessions = 0;
  let events = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const click = buildClickstream(input);
    times.push(performance.now() - started);
    sessions = click.sessions.length;
    events = click.events.length;
  }
  times.sort((a, b) => a - b);
  out(
    `pure  ${name.padEnd(28)} ${plan.invoiceCustomerIds.length} invoices → ${sessions} sessions, ` +
      `${events} events: median ${times[Math.floor(RUNS / 2)]!.toFixed(1)} ms, ` +
      `worst ${times[RUNS - 1]!.toFixed(1)} ms (${RUNS} runs)`,
  );
}

async function cli(args: string[], env: Record<string, string>): Promise<string> {
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--config", `${ROOT}deno.json`, "-P", `${ROOT}main.ts`, ...args],
    env: { ...env, NO_COLOR: "1", LOG_LEVEL: "warning" },
    cwd: await Deno.makeTempDir(),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  if (!result.success) throw new Error(`${args.join(" ")}: ${text.decode(result.stderr)}`);
  return text.decode(result.stdout);
}

/** simulate of the default day on a fresh database, with or without --web: its elapsedMs. */
async function timeDay(web: boolean): Promise<{ ms: number; events: number }> {
  const name = `chinook_sim_bench_click_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(ADMIN_URL, { onnotice: () => {}, max: 1 });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  try {
    const env = { DATABASE_URL: urlOf(name) };
    await cli(["setup", "--chinook-sql", CHINOOK, "--history-end", "2026-06-30"], env);
    if (web) await cli(["setup", "--web"], env);
    const result = JSON.parse(
      await cli(
        ["simulate", "--date", "2026-07-01", "--seed", "1", "--json", "--manifest-dir", "none"],
        env,
      ),
    );
    return { ms: result.elapsedMs, events: result.web?.events ?? 0 };
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

timePure("default day (2026-03-10)", "2026-03-10", "auto");
timePure("December Saturday", "2026-12-19", "auto");
timePure("at the session bound", "2026-03-10", 6000);

try {
  const without = await timeDay(false);
  const withWeb = await timeDay(true);
  out(
    `db    simulate 2026-07-01 (seed 1): ${without.ms} ms without --web, ${withWeb.ms} ms with ` +
      `(${withWeb.events} events): the clickstream adds ${withWeb.ms - without.ms} ms`,
  );
} catch (error) {
  out(`db    skipped: ${(error as Error).message.split("\n")[0]}`);
}
