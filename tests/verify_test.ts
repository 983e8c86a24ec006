/** verify passes on simulated days, and each check is proven able to fail — alone. */
import assert from "node:assert/strict";
import {
  cli,
  freshDatabase,
  setupDatabase,
  type Sql,
  type TestDatabase,
  withSetUpDatabase,
} from "./harness.ts";

interface Corruption {
  check: string;
  break: string;
  undo: string;
  /** Needs to run outside the harness's single statement (e.g. a constraint dropped first). */
}

/** Each corruption breaks exactly one property; `undo` restores it. */
const CORRUPTIONS: Corruption[] = [
  {
    check: "totals",
    break:
      `UPDATE public."Invoice" SET "Total" = "Total" + 1 WHERE "InvoiceId" = (SELECT first_invoice_id FROM chinook_sim.ledger WHERE sim_date = '2026-03-09')`,
    undo:
      `UPDATE public."Invoice" SET "Total" = "Total" - 1 WHERE "InvoiceId" = (SELECT first_invoice_id FROM chinook_sim.ledger WHERE sim_date = '2026-03-09')`,
  },
  {
    check: "duplicate_tracks",
    break: `ALTER TABLE public."InvoiceLine" DISABLE TRIGGER ALL;
      INSERT INTO public."InvoiceLine" SELECT -1, "InvoiceId", "TrackId", 0, 1 FROM public."InvoiceLine"
       WHERE "InvoiceId" = (SELECT first_invoice_id FROM chinook_sim.ledger WHERE sim_date = '2026-03-10') LIMIT 1;
      ALTER TABLE public."InvoiceLine" ENABLE TRIGGER ALL`,
    undo: `DELETE FROM public."InvoiceLine" WHERE "InvoiceLineId" = -1`,
  },
  {
    check: "foreign_keys",
    break: `ALTER TABLE public."InvoiceLine" DROP CONSTRAINT "FK_InvoiceLineInvoiceId";
      INSERT INTO public."InvoiceLine" VALUES (-2, 999999, 1, 0, 1)`,
    undo: `DELETE FROM public."InvoiceLine" WHERE "InvoiceLineId" = -2;
      ALTER TABLE public."InvoiceLine" ADD CONSTRAINT "FK_InvoiceLineInvoiceId"
        FOREIGN KEY ("InvoiceId") REFERENCES public."Invoice"("InvoiceId")`,
  },
  {
    check: "timestamps",
    break: `UPDATE public."Invoice" SET "InvoiceDate" = "InvoiceDate" + interval '1 day'
      WHERE "InvoiceId" = (SELECT last_invoice_id FROM chinook_sim.ledger WHERE sim_date = '2026-03-09')`,
    undo: `UPDATE public."Invoice" SET "InvoiceDate" = "InvoiceDate" - interval '1 day'
      WHERE "InvoiceId" = (SELECT last_invoice_id FROM chinook_sim.ledger WHERE sim_date = '2026-03-09')`,
  },
  {
    check: "unledgered_days",
    break:
      `INSERT INTO public."Invoice" SELECT 900000, "CustomerId", '2026-03-09 12:00:00', "BillingAddress",
        "BillingCity", "BillingState", "BillingCountry", "BillingPostalCode", 0 FROM public."Invoice" LIMIT 1;
      SELECT setval('chinook_sim.invoice_id_seq', 900000)`,
    undo: `DELETE FROM public."Invoice" WHERE "InvoiceId" = 900000;
      SELECT setval('chinook_sim.invoice_id_seq', (SELECT value FROM chinook_sim.counter WHERE name = 'invoice'))`,
  },
  {
    check: "ledger_counts",
    break: `UPDATE chinook_sim.ledger SET updates = updates + 1 WHERE sim_date = '2026-03-10'`,
    undo: `UPDATE chinook_sim.ledger SET updates = updates - 1 WHERE sim_date = '2026-03-10'`,
  },
  {
    check: "sequences",
    break: `SELECT setval('chinook_sim.invoice_line_id_seq', 1)`,
    undo:
      `SELECT setval('chinook_sim.invoice_line_id_seq', (SELECT value FROM chinook_sim.counter WHERE name = 'invoice_line'))`,
  },
  {
    check: "history_before_simulation",
    break:
      `UPDATE public."Invoice" SET "InvoiceDate" = '2026-03-09 00:00:00' WHERE "InvoiceId" = 1`,
    undo: `UPDATE public."Invoice" SET "InvoiceDate" = '2026-03-08 00:00:00' WHERE "InvoiceId" = 1`,
  },
];

async function verify(db: TestDatabase, args: string[] = []) {
  const r = await cli(["verify", "--json", ...args], { env: db.env });
  return { code: r.code, stderr: r.stderr, report: r.stdout ? JSON.parse(r.stdout) : null };
}

function failed(report: { checks: Array<{ name: string; ok: boolean }> }): string[] {
  return report.checks.filter((c) => !c.ok).map((c) => c.name);
}

Deno.test("verify: passes on simulated days; each corruption fails its check and only that one", async (t) => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    // Invoice 1 becomes the newest historical invoice, so one check can move it.
    await db.query((sql: Sql) =>
      sql`UPDATE public."Invoice" SET "InvoiceDate" = '2026-03-08 00:00:00' WHERE "InvoiceId" = 1`
    );
    for (
      const [day, extra] of [["2026-03-09", []], ["2026-03-10", ["--messiness", "high"]], [
        "2026-03-11",
        ["--delete-mode", "hard"],
      ]] as const
    ) {
      const r = await cli([
        "simulate",
        "--date",
        day,
        "--inserts",
        "80",
        "--updates",
        "5",
        "--deletes",
        "3",
        "--seed",
        "1",
        ...extra,
      ], {
        env: db.env,
      });
      assert.equal(r.code, 0, r.stderr);
    }
    const clean = await verify(db);
    assert.equal(clean.code, 0, clean.stderr);
    assert.equal(clean.report.ok, true);
    assert.equal(clean.report.days.count, 3);
    assert.equal(clean.report.checks.length, 8);
    for (const c of CORRUPTIONS) {
      await t.step(c.check, async () => {
        await db.query((sql) => sql.unsafe(c.break));
        try {
          const broken = await verify(db);
          assert.equal(broken.code, 1, broken.stderr);
          assert.deepEqual(failed(broken.report), [c.check]);
        } finally {
          await db.query((sql) => sql.unsafe(c.undo));
        }
        const again = await verify(db);
        assert.deepEqual(failed(again.report), [], "the undo restores a passing database");
      });
    }
    const one = await verify(db, ["--date", "2026-03-10"]);
    assert.deepEqual([one.code, one.report.days], [0, {
      from: "2026-03-10",
      to: "2026-03-10",
      count: 1,
    }]);
    const text = await cli(["verify"], { env: db.env });
    assert.equal(text.code, 0);
    assert.match(text.stdout, /All 8 checks passed for 3 days \(2026-03-09 to 2026-03-11\)/);
  });
});

Deno.test("verify --manifest: the database against a day's manifest", async () => {
  const db = await freshDatabase();
  const dir = await Deno.makeTempDir({ prefix: "chinook-sim-verify-manifest-" });
  try {
    await setupDatabase(db, ["--history-end", "2026-03-08"]);
    const r = await cli(
      `simulate --date 2026-03-09 --seed 3 --messiness medium --manifest-dir ${dir} --inserts 200`
        .split(" "),
      { env: db.env },
    );
    assert.equal(r.code, 0, r.stderr);
    const file = `${dir}/2026-03-09.json`;
    const ok = await verify(db, ["--manifest", file]);
    assert.equal(ok.code, 0, JSON.stringify(ok.report?.checks));
    assert.equal(ok.report.checks.length, 12);
    const manifest = JSON.parse(await Deno.readTextFile(file));
    const updated = manifest.updated[0];
    assert.ok(updated, "the day has updates");
    await db.query((sql) =>
      sql`UPDATE public."InvoiceLine" SET "UnitPrice" = "UnitPrice" + 1 WHERE "InvoiceLineId" = ${updated.addedLineId}`
    );
    await db.query((sql) =>
      sql`UPDATE public."Invoice" SET "Total" = "Total" + 1 WHERE "InvoiceId" = ${updated.invoiceId}`
    );
    const bad = await verify(db, ["--manifest", file]);
    assert.equal(bad.code, 1);
    assert.deepEqual(failed(bad.report), ["manifest_updated"]);
    const missing = await cli(["verify", "--manifest", `${dir}/nope.json`], { env: db.env });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot read --manifest ".*nope.json": no such file/);
  } finally {
    await db.drop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("verify with no simulated day fails (a gate must not pass on nothing) unless --allow-empty", async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    const none = await cli(["verify"], { env: db.env });
    assert.equal(none.code, 1, none.stderr);
    assert.match(
      none.stdout,
      /^No day has been simulated yet: nothing was checked\. .*--allow-empty/,
    );
    const json = await verify(db);
    assert.deepEqual([json.code, json.report.ok, json.report.empty, json.report.checks], [
      1,
      false,
      true,
      [],
    ]);
    const allowed = await cli(["verify", "--allow-empty"], { env: db.env });
    assert.equal(allowed.code, 0, allowed.stdout);
    assert.match(allowed.stdout, /All 8 checks passed for 0 days \(no simulated day\)/);
    const r = await cli(["simulate", "--date", "2026-03-09", "--inserts", "10"], { env: db.env });
    assert.equal(r.code, 0, r.stderr);
    const other = await cli(["verify", "--date", "2026-03-10"], { env: db.env });
    assert.equal(other.code, 1);
    assert.match(other.stdout, /^No simulated day in 2026-03-10: nothing was checked/);
    assert.equal((await verify(db, ["--date", "2026-03-09"])).code, 0);
  });
});

Deno.test("verify --manifest of a day whose rows later days changed or deleted: still exact", async () => {
  const db = await freshDatabase();
  const dir = await Deno.makeTempDir({ prefix: "chinook-sim-verify-later-" });
  try {
    await setupDatabase(db, ["--history-end", "2026-03-08"]);
    const day = (date: string, seed: string, extra: string[]) =>
      cli(["simulate", "--date", date, "--seed", seed, "--manifest-dir", dir, ...extra], {
        env: db.env,
      }).then((r) => assert.equal(r.code, 0, r.stderr));
    await day("2026-03-09", "1", ["--inserts", "60", "--updates", "20", "--deletes", "5"]);
    // Later days update, edit and hard-delete many of its invoices.
    for (const [date, seed] of [["2026-03-10", "2"], ["2026-03-11", "3"]] as const) {
      await day(date, seed, [
        ...["--inserts", "10", "--updates", "12", "--deletes", "12", "--delete-mode", "hard"],
        ...["--edit-rate", "0.5", "--window-days", "3"],
      ]);
    }
    const file = `${dir}/2026-03-09.json`;
    const manifest = JSON.parse(await Deno.readTextFile(file));
    const { first, last } = manifest.inserted.invoiceIds;
    const [touched] = await db.query((sql) =>
      sql`SELECT count(DISTINCT row_id)::int AS n FROM chinook_sim.change
           WHERE table_name = 'Invoice' AND sim_date > '2026-03-09'
             AND row_id = ANY(${[
        ...manifest.updated.map((u: { invoiceId: number }) => u.invoiceId),
      ]}::int[])
              OR (table_name = 'Invoice' AND op = 'delete' AND row_id BETWEEN ${first} AND ${last})`
    );
    assert.ok(touched!.n >= 4, `later days changed the day's invoices (${touched!.n})`);
    const ok = await verify(db, ["--manifest", file]);
    assert.equal(ok.code, 0, JSON.stringify(failed(ok.report)));
    // Still able to fail: an invoice of the day the later days left alone, moved behind the
    // simulator's back.
    const moved = await db.query((sql) =>
      sql`UPDATE public."Invoice" SET "InvoiceDate" = "InvoiceDate" + interval '1 day'
           WHERE "InvoiceId" = (SELECT min(g.id) FROM generate_series(${first}::int, ${last}::int) AS g(id)
                                 JOIN public."Invoice" i ON i."InvoiceId" = g.id AND i."Total" > 0
                                 WHERE NOT EXISTS (SELECT 1 FROM chinook_sim.change c
                                                    WHERE c.table_name = 'Invoice' AND c.row_id = g.id))`
    );
    assert.equal(moved.count, 1);
    const bad = await verify(db, ["--manifest", file]);
    assert.deepEqual(failed(bad.report), ["timestamps", "manifest_inserted"]);
  } finally {
    await db.drop();
    await Deno.remove(dir, { recursive: true });
  }
});
