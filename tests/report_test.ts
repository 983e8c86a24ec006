/** report: its numbers are the database's (the HTML dashboard: dashboard_test.ts). */
import assert from "node:assert/strict";
import { cli, freshDatabase, setupDatabase, type TestDatabase } from "./harness.ts";

async function seededStore(): Promise<TestDatabase> {
  const db = await freshDatabase();
  await setupDatabase(db, ["--history-end", "2026-05-31"]);
  const r = await cli(["backfill", "--from", "2026-06-01", "--to", "2026-06-03", "--seed", "21"], {
    env: db.env,
  });
  assert.equal(r.code, 0, r.stderr);
  return db;
}

async function expectedTotals(db: TestDatabase) {
  return await db.query(async (sql) => {
    const days = await sql<{ day: string; invoices: number; revenue: string }[]>`
      SELECT "InvoiceDate"::date::text AS day, count(*)::int AS invoices, sum("Total")::text AS revenue
        FROM public."Invoice" WHERE "InvoiceDate" >= '2026-06-01' AND "Total" > 0 GROUP BY 1 ORDER BY 1`;
    return { days };
  });
}

Deno.test("report on a seeded store", async (t) => {
  const db = await seededStore();
  try {
    const expected = await expectedTotals(db);
    await t.step("--json and --csv carry the database's numbers", async () => {
      const json = await cli(["report", "--from", "2026-06-01", "--to", "2026-06-03", "--json"], {
        env: db.env,
      });
      assert.equal(json.code, 0, json.stderr);
      const data = JSON.parse(json.stdout);
      const text = JSON.stringify(data);
      for (const d of expected.days) {
        assert.ok(text.includes(d.day), `day ${d.day} in the report`);
        assert.ok(
          text.includes(`"${d.revenue}"`) || text.includes(d.revenue),
          `revenue ${d.revenue} of ${d.day}`,
        );
      }
      const csv = await cli(["report", "--from", "2026-06-01", "--to", "2026-06-03", "--csv"], {
        env: db.env,
      });
      assert.equal(csv.code, 0, csv.stderr);
      const rows = csv.stdout.trim().split("\n");
      assert.equal(rows.length, 4, "a header and one row per day");
      for (const [i, d] of expected.days.entries()) {
        const fields = rows[i + 1]!.split(",");
        assert.equal(fields[0], d.day);
        assert.ok(fields.includes(String(d.invoices)), `invoices ${d.invoices} in ${rows[i + 1]}`);
        assert.ok(fields.includes(d.revenue), `revenue ${d.revenue} in ${rows[i + 1]}`);
      }
      const plain = await cli(["report", "--from", "2026-06-01", "--to", "2026-06-03"], {
        env: db.env,
      });
      assert.equal(plain.code, 0, plain.stderr);
      assert.ok(!plain.stdout.includes("\x1b["), "NO_COLOR: no escape codes");
      assert.match(plain.stdout, /2026-06-03/);
      assert.match(plain.stdout, /█/, "the hour-of-day bars");
      const last = await cli(["report", "--last"], { env: db.env });
      assert.equal(last.code, 0, last.stderr);
      assert.match(last.stdout, /Last simulated day: 2026-06-03/);
    });
  } finally {
    await db.drop();
  }
});
