/** A very large day keeps every integrity property (chunked writes, contiguous ids). */
import assert from "node:assert/strict";
import { cli, ON_SERVER, withSetUpDatabase } from "./harness.ts";
import { assertDayIntegrity } from "./integrity.ts";

// The embedded database is far slower: a smaller day still spans several write chunks.
const INVOICES = ON_SERVER ? 200_000 : 60_000;

Deno.test(`a day of ${INVOICES.toLocaleString("en-US")} invoices keeps every integrity property`, async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    const r = await cli(
      `simulate --date 2026-03-09 --inserts ${INVOICES} --updates 2000 --deletes 1000 --json`.split(
        " ",
      ),
      { env: db.env },
    );
    assert.equal(r.code, 0, r.stderr);
    const summary = JSON.parse(r.stdout);
    await db.query(async (sql) => {
      await assertDayIntegrity(sql, "2026-03-09");
      const [ids] = await sql`
        SELECT count(*)::int AS n, max("InvoiceId") - min("InvoiceId") + 1 AS span, min("InvoiceId") AS first
          FROM public."Invoice" WHERE "InvoiceDate" >= '2026-03-09'`;
      assert.equal(ids!.n, INVOICES);
      assert.equal(Number(ids!.span), INVOICES, "ids contiguous");
      assert.equal(ids!.first, summary.firstInvoiceId);
      const [ledger] =
        await sql`SELECT inserts, updates, deletes FROM chinook_sim.ledger WHERE sim_date = '2026-03-09'`;
      assert.deepEqual(ledger, { inserts: INVOICES, updates: 2000, deletes: 1000 });
    });
    const verify = await cli(["verify", "--json"], { env: db.env });
    assert.equal(verify.code, 0, verify.stdout);
  });
});
