/** The change manifest equals what the day did to the database. */
import assert from "node:assert/strict";
import type { Manifest } from "../lib/sim/manifest.ts";
import { cli, freshDatabase, setupDatabase } from "./harness.ts";

for (const mode of ["cancel", "hard"] as const) {
  Deno.test(`manifest (${mode} deletes) matches the database and the ledger; none for a rolled-back day`, async () => {
    const db = await freshDatabase();
    const dir = await Deno.makeTempDir({ prefix: "chinook-sim-manifests-" });
    try {
      await setupDatabase(db, ["--history-end", "2026-04-01"]);
      const args = [
        "--inserts",
        "150",
        "--updates",
        "9",
        "--deletes",
        "5",
        "--new-customers",
        "2",
        "--customer-changes",
        "3",
      ];
      await cli([
        "simulate",
        "--date",
        "2026-04-02",
        "--seed",
        "4",
        "--manifest-dir",
        dir,
        "--delete-mode",
        mode,
        ...args,
      ], {
        env: db.env,
      }).then((r) => assert.equal(r.code, 0, r.stderr));
      const dry = await cli([
        "simulate",
        "--date",
        "2026-04-03",
        "--dry-run",
        "--manifest-dir",
        dir,
        ...args,
      ], { env: db.env });
      assert.equal(dry.code, 0, dry.stderr);
      const files = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
      assert.deepEqual(files, ["2026-04-02.json"], "no manifest for a day that was not committed");
      const manifest: Manifest = JSON.parse(await Deno.readTextFile(`${dir}/2026-04-02.json`));
      assert.equal(manifest.day, "2026-04-02");
      assert.equal(manifest.seed, "4");
      assert.deepEqual(manifest.window, {
        from: "2026-04-02 00:00:00",
        to: "2026-04-03 00:00:00",
        timeZone: "UTC",
      });
      await db.query(async (sql) => {
        const [ledger] =
          await sql`SELECT manifest, inserts, updates, deletes FROM chinook_sim.ledger WHERE sim_date = '2026-04-02'`;
        assert.deepEqual(ledger!.manifest, manifest, "the ledger keeps the same manifest");
        const { first, last } = manifest.inserted.invoiceIds!;
        const [range] = await sql`
          SELECT count(*)::int AS n, min("InvoiceDate")::date::text AS day, max("InvoiceDate")::date::text AS day2
            FROM public."Invoice" WHERE "InvoiceId" BETWEEN ${first} AND ${last}`;
        const removedNew = [...manifest.deleted].filter((d) => d.invoiceId >= first).length;
        assert.equal(range!.n, last - first + 1 - removedNew);
        assert.deepEqual([range!.day, range!.day2], ["2026-04-02", "2026-04-02"]);
        assert.equal(manifest.counts.Invoice.insert, 150);
        for (const u of manifest.updated) {
          const [row] = await sql`
            SELECT i."Total"::text AS total, (SELECT count(*)::int FROM public."InvoiceLine" l
              WHERE l."InvoiceLineId" = ${u.addedLineId} AND l."InvoiceId" = ${u.invoiceId}) AS added
              FROM public."Invoice" i WHERE i."InvoiceId" = ${u.invoiceId}`;
          assert.deepEqual(row, { total: u.newTotal, added: 1 });
        }
        const removed = mode === "hard" ? manifest.deleted : manifest.cancelled;
        assert.equal(removed.length, 5);
        for (const r of removed) {
          const [row] = await sql`
            SELECT (SELECT "Total"::text FROM public."Invoice" WHERE "InvoiceId" = ${r.invoiceId}) AS total,
                   (SELECT count(*)::int FROM public."InvoiceLine" WHERE "InvoiceLineId" = ANY(${r.deletedLineIds}::int[])
                      OR "InvoiceId" = ${r.invoiceId}) AS lines`;
          assert.deepEqual(row, { total: mode === "hard" ? null : "0.00", lines: 0 });
          assert.ok(r.deletedLineIds.length >= 1);
        }
        const customers = await sql`
          SELECT "CustomerId" AS id FROM public."Customer" WHERE "CustomerId" = ANY(${manifest.inserted.customerIds}::int[])`;
        assert.equal(customers.length, 2);
        // The change log: one row per changed row, so per invoice on the Invoice table.
        const changes = await sql`
          SELECT table_name || '.' || label AS label, count(*)::int AS n FROM chinook_sim.change
           WHERE sim_date = '2026-04-02' GROUP BY 1 ORDER BY 1`;
        const byLabel = Object.fromEntries(changes.map((c) => [c.label, c.n]));
        assert.equal(byLabel["Invoice.invoice_update"] ?? 0, manifest.updated.length);
        assert.equal(
          (byLabel["Invoice.invoice_cancel"] ?? 0) + (byLabel["Invoice.invoice_delete"] ?? 0),
          removed.length,
        );
        assert.equal(
          (byLabel["InvoiceLine.invoice_cancel"] ?? 0) +
            (byLabel["InvoiceLine.invoice_delete"] ?? 0),
          removed.reduce((n, r) => n + r.deletedLineIds.length, 0),
        );
        assert.equal(
          (byLabel["Customer.customer_address"] ?? 0) + (byLabel["Customer.customer_email"] ?? 0),
          manifest.customersChanged.length,
        );
        assert.equal(manifest.customersChanged.length, 3);
        assert.deepEqual(
          [ledger!.inserts, ledger!.updates, ledger!.deletes],
          [manifest.counts.Invoice.insert, manifest.updated.length, removed.length],
        );
      });
    } finally {
      await db.drop();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("late, edited and duplicate changes are dosed, recorded in the manifest, and consistent", async () => {
  const db = await freshDatabase();
  const dir = await Deno.makeTempDir({ prefix: "chinook-sim-mess-" });
  try {
    await setupDatabase(db, ["--history-end", "2026-04-01"]);
    for (const day of ["2026-04-02", "2026-04-03", "2026-04-04"]) {
      const r = await cli(
        `simulate --date ${day} --inserts 400 --messiness high --seed 8 --manifest-dir ${dir}`
          .split(" "),
        { env: db.env },
      );
      assert.equal(r.code, 0, r.stderr);
    }
    const manifest: Manifest = JSON.parse(await Deno.readTextFile(`${dir}/2026-04-04.json`));
    assert.deepEqual(manifest.messiness, { lateRate: 0.08, editRate: 0.06, duplicateRate: 0.03 });
    assert.ok(manifest.late.length > 10, `late: ${manifest.late.length}`);
    assert.ok(manifest.edited.length > 5, `edited: ${manifest.edited.length}`);
    assert.ok(manifest.duplicates.length > 3, `duplicates: ${manifest.duplicates.length}`);
    await db.query(async (sql) => {
      for (const late of manifest.late) {
        const [row] =
          await sql`SELECT "InvoiceDate"::date::text AS day FROM public."Invoice" WHERE "InvoiceId" = ${late.invoiceId}`;
        assert.equal(row!.day, late.invoiceDate);
        assert.ok(late.invoiceDate < "2026-04-04" && late.invoiceDate >= "2026-03-28");
      }
      for (const d of manifest.duplicates) {
        const [row] = await sql`
          SELECT c."CustomerId" = o."CustomerId" AS same_customer, c."Total"::text AS total,
                 c."InvoiceDate" > o."InvoiceDate" AS later,
                 (SELECT count(*)::int FROM public."InvoiceLine" WHERE "InvoiceId" = c."InvoiceId") AS lines
            FROM public."Invoice" c JOIN public."Invoice" o ON o."InvoiceId" = ${d.duplicateOf}
           WHERE c."InvoiceId" = ${d.invoiceId}`;
        assert.deepEqual(row, { same_customer: true, total: "0.00", later: true, lines: 0 });
        assert.ok(d.deletedLineIds.length >= 1);
      }
      for (const e of manifest.edited) {
        const [row] = await sql`
          SELECT i."Total"::text AS total, i."InvoiceDate" < '2026-04-04' AS earlier,
                 (SELECT sum("UnitPrice" * "Quantity")::text FROM public."InvoiceLine" WHERE "InvoiceId" = i."InvoiceId") AS sum,
                 (SELECT "Quantity" FROM public."InvoiceLine" WHERE "InvoiceLineId" = ${e.lineId}) AS quantity
            FROM public."Invoice" i WHERE i."InvoiceId" = ${e.invoiceId}`;
        assert.equal(row!.total, row!.sum);
        assert.equal(row!.earlier, true);
        assert.ok(row!.quantity >= 2);
      }
      const [ledger] =
        await sql`SELECT late, edits, duplicates FROM chinook_sim.ledger WHERE sim_date = '2026-04-04'`;
      assert.deepEqual(ledger, {
        late: manifest.late.length,
        edits: manifest.edited.length,
        duplicates: manifest.duplicates.length,
      });
      const [wrong] = await sql`
        SELECT count(*)::int AS n FROM public."Invoice" i
         WHERE "Total" <> (SELECT coalesce(sum("UnitPrice" * "Quantity"), 0) FROM public."InvoiceLine" l WHERE l."InvoiceId" = i."InvoiceId")`;
      assert.equal(wrong!.n, 0, "every total still equals its lines");
    });
  } finally {
    await db.drop();
    await Deno.remove(dir, { recursive: true });
  }
});
