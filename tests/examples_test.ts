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
      // What each warehouse holds of the late invoices (those with lines now: some were
      // cancelled since) and of the hard-deleted ones.
      const held = await db.query(async (sql) => {
        const [late] = await sql<{ ids: number[] }[]>`
          SELECT coalesce(array_agg((l.value->>'invoiceId')::int), '{}') AS ids
            FROM chinook_sim.run r, jsonb_array_elements(r.manifest->'late') l
           WHERE r.state = 'committed'
             AND EXISTS (SELECT 1 FROM public."InvoiceLine" x
                          WHERE x."InvoiceId" = (l.value->>'invoiceId')::int)`;
        const [deleted] = await sql<{ ids: number[] }[]>`
          SELECT coalesce(array_agg(row_id), '{}') AS ids FROM chinook_sim.change
           WHERE table_name = 'Invoice' AND op = 'delete'`;
        const count = async (schema: string, ids: number[]) => {
          const [row] = await sql<{ n: number }[]>`
            SELECT count(DISTINCT invoice_id)::int AS n FROM ${sql(schema)}.fact_sales
             WHERE invoice_id = ANY(${ids}::int[])`;
          return row!.n;
        };
        const result: Record<string, { late: number; deleted: number }> = {};
        for (const p of patterns) {
          result[p.schema] = {
            late: await count(p.schema, late!.ids),
            deleted: await count(p.schema, deleted!.ids),
          };
        }
        return { late: late!.ids.length, deleted: deleted!.ids.length, result };
      });
      assert.ok(held.late > 0 && held.deleted > 0, "the days had late invoices and hard deletes");
      assert.equal(held.result.dw_watermark!.late, 0, "the watermark: no late invoice at all");
      assert.ok(held.result.dw_watermark!.deleted > 0, "nor any delete");
      // (A copy submitted and deleted on the same day was never loaded: not every delete shows.)
      assert.equal(held.result.dw_cursor!.late, held.late, "the cursor: every late invoice");
      assert.ok(held.result.dw_cursor!.deleted > 0, "but hard-deleted invoices stay");
      if (LOGICAL) {
        assert.deepEqual(held.result.dw_cdc, { late: held.late, deleted: 0 }, "CDC: exactly right");
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
