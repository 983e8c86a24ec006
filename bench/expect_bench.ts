/**
 * deno task bench:expect [--days N] [--database URL]: the answer key and the
 * audit on a store of N simulated days (default 365, the demand model's
 * volume, messiness medium). Times `expect` as of the last day (nothing to
 * undo) and as of the first (every later run undone from before-images), and
 * `audit` of a warehouse loaded once with plain SQL at the end. Reported,
 * not enforced.
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { ADMIN_URL, CHINOOK, out, ROOT, urlOf } from "./common.ts";
import { addDays } from "../lib/sim/calendar.ts";
import { CREATE_TABLES, REFERENCE, withVariables } from "../tests/warehouse_loads.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { days: { type: "string", default: "365" }, database: { type: "string" } },
});
const DAYS = Number(values.days);
const LAST_DAY = "2026-05-31";
const FIRST_DAY = addDays(LAST_DAY, -DAYS + 1);
const decoder = new TextDecoder();

async function cli(databaseUrl: string, args: string[]) {
  const started = performance.now();
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "-P", `${ROOT}main.ts`, ...args],
    env: { DATABASE_URL: databaseUrl, NO_COLOR: "1", SIM_TIMEZONE: "UTC", LOG_LEVEL: "warning" },
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  if (result.code > 1) {
    throw new Error(`chinook-sim ${args.join(" ")} failed: ${decoder.decode(result.stderr)}`);
  }
  return { seconds: (performance.now() - started) / 1000, stdout: decoder.decode(result.stdout) };
}

const admin = postgres(ADMIN_URL, { onnotice: () => {}, max: 1 });
const name = `chinook_sim_bench_expect_${crypto.randomUUID().slice(0, 8)}`;
const databaseUrl = values.database ?? urlOf(name);
const tmp = await Deno.makeTempDir({ prefix: "chinook-sim-bench-expect-" });
try {
  if (values.database === undefined) {
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await cli(databaseUrl, [
      ...["setup", "--chinook-sql", CHINOOK, "--history-end", addDays(FIRST_DAY, -1)],
    ]);
    const backfill = await cli(databaseUrl, [
      ...["backfill", "--from", FIRST_DAY, "--to", LAST_DAY, "--seed", "7"],
      ...["--messiness", "medium", "--manifest-dir", "none"],
    ]);
    out(`backfill of ${DAYS} days: ${backfill.seconds.toFixed(1)} s`);
  }
  const db = postgres(databaseUrl, { onnotice: () => {}, max: 1 });
  const [size] = await db`
    SELECT (SELECT count(*) FROM public."Invoice")::int AS invoices,
           (SELECT count(*) FROM public."InvoiceLine")::int AS lines,
           (SELECT count(*) FROM chinook_sim.change)::int AS changes`;
  out(`store: ${size!.invoices} invoices, ${size!.lines} lines, ${size!.changes} change rows`);
  for (const asOf of [LAST_DAY, FIRST_DAY]) {
    const r = await cli(databaseUrl, [
      ...["expect", "--from", FIRST_DAY, "--to", asOf, "--as-of", asOf, "--out", tmp, "--json"],
    ]);
    const files = JSON.parse(r.stdout).files as Array<{ file: string; rows: number }>;
    out(
      `expect --as-of ${asOf}: ${r.seconds.toFixed(2)} s (${
        files.map((f) => `${f.file} ${f.rows}`).join(", ")
      })`,
    );
  }
  await db.unsafe(withVariables(CREATE_TABLES + REFERENCE, { day: LAST_DAY, schema: "bench" }));
  await db.end();
  const audit = await cli(databaseUrl, [
    "audit",
    "--as-of",
    LAST_DAY,
    "--schema",
    "bench",
    "--json",
  ]);
  const failed = JSON.parse(audit.stdout).checks.filter((c: { ok: boolean }) => !c.ok)
    .map((c: { name: string }) => c.name);
  out(
    `audit --as-of ${LAST_DAY}: ${audit.seconds.toFixed(2)} s (loaded once at the end, so only ` +
      `customer versions may differ: ${failed.length > 0 ? failed.join(", ") : "none"})`,
  );
} finally {
  await Deno.remove(tmp, { recursive: true });
  if (values.database === undefined) {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  await admin.end();
}
