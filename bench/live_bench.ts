/**
 * deno task bench:live [--inserts N] [--minutes M]: live mode on a fresh
 * database of the local server (BENCH_DATABASE_URL). Two measurements:
 *
 * - lag at --speed 60 --interval 1: the simulated clock jumps to 20:00 (the
 *   evening peak), then M simulated minutes (default 60: one real minute) run
 *   at speed 60; for each commit, the time from its oldest change falling
 *   due to the commit. Target: under 2 intervals (2,000 ms).
 * - commits per second sustained at --interval 0.05 and --speed 3600 over
 *   three simulated hours of the peak, with the mean time of a slice (its
 *   transaction), which bounds the rate a shorter interval could reach.
 *
 * A day of N invoices (default 20,000). Reported, not enforced: this
 * machine is shared and noisy.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { ADMIN_URL, CHINOOK, out, ROOT, urlOf } from "./common.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    inserts: { type: "string", default: "20000" },
    minutes: { type: "string", default: "60" },
  },
});
const INSERTS = Number(values.inserts);
const MINUTES = Number(values.minutes);
if (!Number.isSafeInteger(INSERTS) || INSERTS < 1 || !Number.isSafeInteger(MINUTES)) {
  throw new RangeError(`Cannot bench ${values.inserts} invoices, ${values.minutes} minutes`);
}
const DAY = "2026-03-09";

async function cli(args: string[], url: string): Promise<string> {
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--config", `${ROOT}deno.json`, "-P", `${ROOT}main.ts`, ...args],
    env: { DATABASE_URL: url, SIM_TIMEZONE: "UTC", NO_COLOR: "1", LOG_LEVEL: "warning" },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(result.stdout);
  if (!result.success) {
    throw new Error(`${args.join(" ")}: ${new TextDecoder().decode(result.stderr)}`);
  }
  return text;
}

interface Commit {
  committedAt: string;
  lagMs: number | null;
  elapsedMs: number;
  events: number;
}

function commitsOf(text: string): Commit[] {
  return text.trim().split("\n").filter((l) => l.includes('"type":"commit"')).map((l) =>
    JSON.parse(l)
  );
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const name = `chinook_sim_bench_live_${Date.now()}`;
const admin = postgres(ADMIN_URL, { onnotice: () => {} });
await admin.unsafe(`CREATE DATABASE ${name}`);
const url = urlOf(name);
try {
  await cli(["setup", "--chinook-sql", CHINOOK, "--history-end", "2026-03-08"], url);
  const counts = ["--seed", "7", "--inserts", String(INSERTS), "--messiness", "medium"];
  const common = ["live", "--date", DAY, "--json", "--manifest-dir", "none", ...counts];
  await cli([...common, "--speed", "86400", "--interval", "0.05", "--until", "20:00"], url);

  const end = 20 * 60 + MINUTES;
  const until = `${String(Math.floor(end / 60)).padStart(2, "0")}:${
    String(end % 60).padStart(2, "0")
  }`;
  const lagged = commitsOf(
    await cli([...common, "--speed", "60", "--interval", "1", "--until", until], url),
  );
  const lags = lagged.flatMap((c) => (c.lagMs === null ? [] : [c.lagMs]));
  out(
    `live lag at --speed 60 --interval 1 (20:00 to ${until}, ${
      INSERTS.toLocaleString("en-US")
    } invoices a day): ${lagged.length} commits, ${
      lagged.reduce((n, c) => n + c.events, 0)
    } row changes; lag p50 ${percentile(lags, 50)} ms, p95 ${percentile(lags, 95)} ms, max ${
      Math.max(0, ...lags)
    } ms (target: under 2,000 ms)`,
  );

  const endFast = Math.min(24 * 60, end + 180);
  const untilFast = `${String(Math.floor(endFast / 60)).padStart(2, "0")}:${
    String(endFast % 60).padStart(2, "0")
  }`;
  const started = performance.now();
  const fast = commitsOf(
    await cli([...common, "--speed", "3600", "--interval", "0.05", "--until", untilFast], url),
  );
  const seconds = (performance.now() - started) / 1000;
  const span = fast.length > 1
    ? (Date.parse(fast.at(-1)!.committedAt) - Date.parse(fast[0]!.committedAt)) / 1000
    : 0;
  const sustained = span > 0 ? (fast.length - 1) / span : 0;
  const mean = fast.reduce((n, c) => n + c.elapsedMs, 0) / Math.max(1, fast.length);
  out(
    `live commits at --speed 3600 --interval 0.05 (${until} to ${untilFast}): ${fast.length} commits in ${
      seconds.toFixed(1)
    } s including start-up; sustained ${sustained.toFixed(1)} commits/s; a slice takes ${
      mean.toFixed(1)
    } ms on average (p95 ${percentile(fast.map((c) => c.elapsedMs), 95)} ms)`,
  );
  const verify = await cli(["verify", "--allow-empty"], url).catch((e) => String(e));
  out(`verify after the partial day: ${verify.trim().split("\n").at(-1)}`);
} finally {
  await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
