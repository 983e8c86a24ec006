/**
 * audit: a correct reference load passes; each classic mistake fails the
 * check that names it. The loads (tests/warehouse_loads.ts) run after each
 * simulated day, with messiness, cancellations and customer changes, into
 * schemas of the chinook-sim database itself (so this runs embedded too).
 */
import assert from "node:assert/strict";
import { cli, fingerprint, freshDatabase, setupDatabase } from "./harness.ts";
import { ok } from "./ledger_helpers.ts";
import {
  CREATE_TABLES,
  DATE_WATERMARK,
  IGNORES_CANCELLATIONS,
  REFERENCE,
  SCD1_OVERWRITE,
  withVariables,
} from "./warehouse_loads.ts";

const HISTORY_END = "2026-03-01";
const MESSY = ["--messiness", "high", "--late-rate", "0.1", "--updates", "6", "--deletes", "6"];
const DAYS: Array<{ day: string; args: string[] }> = [
  { day: "2026-03-02", args: ["--seed", "31", ...MESSY, "--customer-changes", "4"] },
  { day: "2026-03-03", args: ["--seed", "32", ...MESSY, "--new-customers", "2"] },
  { day: "2026-03-04", args: ["--seed", "33", ...MESSY, "--customer-changes", "3"] },
];

const LOADS: Record<string, { sql: string; failing: string[] }> = {
  reference: { sql: REFERENCE, failing: [] },
  watermark: {
    sql: DATE_WATERMARK,
    failing: ["fact_sales row count", "fact_sales lines", "fact_sales values", "revenue per day"],
  },
  nocancel: {
    sql: IGNORES_CANCELLATIONS,
    failing: ["fact_sales row count", "fact_sales lines", "revenue per day"],
  },
  scd1: { sql: SCD1_OVERWRITE, failing: ["dim_customer versions match the changes"] },
};

interface Check {
  name: string;
  ok: boolean;
  examples: string[];
}

Deno.test("audit: the reference load passes; each mistake fails its check", async (t) => {
  const db = await freshDatabase();
  try {
    await setupDatabase(db, ["--history-end", HISTORY_END]);
    const loadAll = (day: string) =>
      db.query(async (sql) => {
        for (const [schema, load] of Object.entries(LOADS)) {
          await sql.unsafe(withVariables(CREATE_TABLES + load.sql, { day, schema }));
        }
      });
    await loadAll(HISTORY_END);
    for (const { day, args } of DAYS) {
      await ok(db, ["simulate", "--date", day, ...args, "--manifest-dir", "none"]);
      await loadAll(day);
    }
    const asOf = DAYS.at(-1)!.day;
    const before = await db.query(fingerprint);
    for (const [schema, load] of Object.entries(LOADS)) {
      await t.step(schema, async () => {
        const r = await cli(["audit", "--as-of", asOf, "--schema", schema, "--json"], {
          env: db.env,
        });
        const result = JSON.parse(r.stdout);
        const failing = (result.checks as Check[]).filter((c) => !c.ok).map((c) => c.name);
        assert.deepEqual(failing, load.failing, JSON.stringify(result.checks, null, 1));
        assert.equal(r.code, load.failing.length === 0 ? 0 : 1);
        assert.equal(result.ok, load.failing.length === 0);
      });
    }
    await t.step("text: one line per check and a verdict", async () => {
      const r = await cli(["audit", "--as-of", asOf, "--schema", "scd1"], { env: db.env });
      assert.equal(r.code, 1);
      const lines = r.stdout.trim().split("\n");
      assert.equal(lines.length, 11);
      assert.match(
        lines.find((l) => l.startsWith("dim_customer versions"))!,
        /FAIL .*customer \d+/,
      );
      assert.match(lines.at(-1)!, /^1 of 10 checks FAILED: scd1 differs/);
    });
    await t.step("an earlier day: the reference was loaded later, so it differs", async () => {
      const r = await cli(["audit", "--as-of", DAYS[0]!.day, "--schema", "reference"], {
        env: db.env,
      });
      assert.equal(r.code, 1);
    });
    await t.step("a schema without the contract's tables", async () => {
      const r = await cli(["audit", "--as-of", asOf, "--schema", "nothing_here", "--json"], {
        env: db.env,
      });
      assert.equal(r.code, 1);
      const result = JSON.parse(r.stdout);
      assert.ok((result.checks as Check[]).every((c) => !c.ok));
    });
    assert.equal(await db.query(fingerprint), before, "audit writes nothing");
  } finally {
    await db.drop();
  }
});
