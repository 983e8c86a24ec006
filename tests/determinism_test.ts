/** Same seed, same day, same starting database ⇒ identical rows. */
import assert from "node:assert/strict";
import { cli, freshDatabase, setupDatabase, type Sql, type TestDatabase } from "./harness.ts";

async function contentHash(sql: Sql): Promise<Record<string, string>> {
  const [row] = await sql`
    SELECT
      (SELECT md5(string_agg(i::text, '|' ORDER BY "InvoiceId")) FROM public."Invoice" i) AS invoices,
      (SELECT md5(string_agg(l::text, '|' ORDER BY "InvoiceLineId")) FROM public."InvoiceLine" l) AS lines,
      (SELECT md5(string_agg(c::text, '|' ORDER BY "CustomerId")) FROM public."Customer" c) AS customers,
      (SELECT md5(string_agg(concat_ws(',', sim_date, seed, inserts, updates, deletes, new_customers,
                                       customer_changes, lines, revenue, first_invoice_id, last_invoice_id), '|'
                             ORDER BY sim_date)) FROM chinook_sim.ledger) AS ledger`;
  return row as Record<string, string>;
}

async function simulateTwoDays(db: TestDatabase, seed: string): Promise<void> {
  await setupDatabase(db, ["--history-end", "2026-06-30"]);
  for (const day of ["2026-07-02", "2026-07-01"]) {
    const r = await cli(
      `simulate --date ${day} --seed ${seed} --updates 12 --deletes 4`.split(" "),
      {
        env: db.env,
      },
    );
    assert.equal(r.code, 0, r.stderr);
  }
}

Deno.test("two fresh databases, same seed and days: identical table contents", async () => {
  const a = await freshDatabase();
  const b = await freshDatabase();
  const c = await freshDatabase();
  try {
    await simulateTwoDays(a, "2024");
    await simulateTwoDays(b, "2024");
    await simulateTwoDays(c, "2025");
    const [ha, hb, hc] = [
      await a.query(contentHash),
      await b.query(contentHash),
      await c.query(contentHash),
    ];
    assert.deepEqual(ha, hb);
    assert.notEqual(ha.invoices, hc.invoices, "another seed gives other rows");
  } finally {
    await Promise.all([a.drop(), b.drop(), c.drop()]);
  }
});
