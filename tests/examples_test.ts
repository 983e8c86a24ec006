/**
 * examples/: the three incremental patterns run with psql over several
 * simulated days with messiness, cancellations and customer changes, then a
 * day of hard deletes; audit shows which pattern misses what: the date
 * watermark misses late and changed invoices every day, the updated_at
 * cursor misses only hard deletes, log-based CDC misses nothing.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { cli, freshDatabase, ON_SERVER, ROOT, SERVER_URL, setupDatabase } from "./harness.ts";
import { ok } from "./ledger_helpers.ts";

const HISTORY_END = "2026-03-01";
const MESSY = ["--messiness", "high", "--late-rate", "0.1", "--updates", "6", "--deletes", "6"];
const DAYS: Array<{ day: string; args: string[]; hard?: boolean }> = [
  { day: "2026-03-02", args: ["--seed", "41", ...MESSY, "--customer-changes", "3"] },
  { day: "2026-03-03", args: ["--seed", "42", ...MESSY, "--new-customers", "2"] },
  { day: "2026-03-04", args: ["--seed", "43", ...MESSY, "--customer-changes", "4"] },
  {
    day: "2026-03-05",
    args: ["--seed", "44", ...MESSY, "--delete-mode", "hard", "--customer-changes", "2"],
    hard: true,
  },
];

function hasPsql(): boolean {
  try {
    return new Deno.Command("psql", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

async function walLevel(): Promise<string | null> {
  if (!ON_SERVER) return null;
  const sql = postgres(SERVER_URL!, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ wal_level: string }[]>`SHOW wal_level`;
    return row?.wal_level ?? null;
  } finally {
    await sql.end();
  }
}

const PSQL = hasPsql();
const LOGICAL = (await walLevel()) === "logical";

function skipReason(): string | null {
  if (!ON_SERVER) return "needs TEST_DATABASE_URL (a PostgreSQL server)";
  if (!PSQL) return "needs psql";
  return null;
}

async function psql(url: string, file: string, variables: Record<string, string>) {
  const args = [url, "-q", "-X", "-v", "ON_ERROR_STOP=1", "-f", `${ROOT}examples/${file}`];
  for (const [k, v] of Object.entries(variables)) args.push("-v", `${k}=${v}`);
  const out = await new Deno.Command("psql", { args, stdout: "piped", stderr: "piped" }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.ok(out.success, `psql -f examples/${file}: ${stderr}`);
}

interface Check {
  name: string;
  ok: boolean;
}

const reason = skipReason();
Deno.test({
  name: reason
    ? `examples: which pattern misses what [skipped: ${reason}]`
    : `examples: which pattern misses what${
      LOGICAL ? "" : " [CDC skipped: the server's wal_level is not logical]"
    }`,
  ignore: reason !== null,
  fn: async (t) => {
    const db = await freshDatabase();
    const url = db.env.DATABASE_URL!;
    const slot = `${new URL(url).pathname.slice(1)}_cdc`;
    const patterns: Array<{ schema: string; file: string; start?: string }> = [
      { schema: "dw_watermark", file: "1_date_watermark.sql" },
      { schema: "dw_cursor", file: "2_updated_at_cursor.sql" },
      ...(LOGICAL
        ? [{ schema: "dw_cdc", file: "3_logical_cdc.sql", start: "3_logical_cdc_start.sql" }]
        : []),
    ];
    try {
      await setupDatabase(db, ["--history-end", HISTORY_END, "--cdc"]);
      for (const p of patterns) {
        await psql(url, p.start ?? p.file, { schema: p.schema, day: HISTORY_END, slot });
      }
      const failing: Record<string, string[][]> = {};
      for (const { day, args } of DAYS) {
        await ok(db, ["simulate", "--date", day, ...args, "--manifest-dir", "none"]);
        for (const p of patterns) {
          await psql(url, p.file, { schema: p.schema, day, slot });
          const r = await cli(["audit", "--as-of", day, "--schema", p.schema, "--json"], {
            env: db.env,
          });
          const checks = JSON.parse(r.stdout).checks as Check[];
          const names = checks.filter((c) => !c.ok).map((c) => c.name);
          assert.equal(r.code, names.length === 0 ? 0 : 1);
          (failing[p.schema] ??= []).push(names);
        }
      }
      await t.step("the date watermark misses late and changed invoices every day", () => {
        for (const names of failing.dw_watermark!) {
          assert.ok(
            names.includes("fact_sales lines") && names.includes("revenue per day"),
            `${names}`,
          );
          assert.ok(!names.some((n) => n.startsWith("dim_customer")), `${names}`);
        }
      });
      await t.step("the updated_at cursor passes until rows are deleted", () => {
        const hard = DAYS.findIndex((d) => d.hard);
        failing.dw_cursor!.slice(0, hard).forEach((names) => assert.deepEqual(names, []));
        for (const names of failing.dw_cursor!.slice(hard)) {
          assert.ok(names.includes("fact_sales lines"), `${names}`);
        }
      });
      await t.step({
        name: "log-based CDC misses nothing",
        ignore: !LOGICAL,
        fn: () => {
          for (const names of failing.dw_cdc!) assert.deepEqual(names, []);
        },
      });
    } finally {
      if (LOGICAL) {
        // A forgotten slot keeps the server's WAL forever.
        const admin = postgres(url, { max: 1, onnotice: () => {} });
        try {
          await admin`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ${slot}`;
        } finally {
          await admin.end();
        }
      }
      await db.drop();
    }
  },
});
