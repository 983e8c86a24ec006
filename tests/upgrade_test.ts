/**
 * A database set up and simulated by the first release (a per-day ledger, a
 * change log without before-images, sequences at max + 1) is upgraded in
 * place by the next run: its days become runs, verify stays green, and
 * rewind refuses to go past what it cannot restore.
 */
import assert from "node:assert/strict";
import { cli, withSetUpDatabase, WORK_DIR } from "./harness.ts";
import { assertVerified, ok } from "./ledger_helpers.ts";

/** chinook_sim as the first release left it, with the day it simulated. */
const TO_FIRST_RELEASE = `
  CREATE TABLE chinook_sim.change_old (
    sim_date date NOT NULL REFERENCES chinook_sim.ledger (sim_date) ON DELETE CASCADE,
    operation text NOT NULL, invoice_id integer, customer_id integer, new_total numeric(10, 2));
  INSERT INTO chinook_sim.change_old (sim_date, operation, customer_id)
    SELECT r.sim_date, 'customer_insert', g FROM chinook_sim.run r,
           generate_series(r.first_customer_id, r.last_customer_id) g;
  INSERT INTO chinook_sim.change_old (sim_date, operation, invoice_id, customer_id)
    SELECT sim_date, label, CASE WHEN table_name = 'Invoice' THEN row_id END,
           CASE WHEN table_name = 'Customer' THEN row_id END
      FROM chinook_sim.change WHERE table_name IN ('Invoice', 'Customer') ORDER BY change_id;
  INSERT INTO chinook_sim.change_old (sim_date, operation, invoice_id)
    SELECT r.sim_date, 'invoice_late', (l.value->>'invoiceId')::int
      FROM chinook_sim.run r, jsonb_array_elements(r.manifest->'late') l;
  DROP VIEW chinook_sim.day_event;
  DROP TABLE chinook_sim.change;
  DROP TABLE chinook_sim.run;
  DROP TABLE chinook_sim.counter;
  ALTER TABLE chinook_sim.change_old RENAME TO change;
  CREATE INDEX change_sim_date_idx ON chinook_sim.change (sim_date);
  DELETE FROM chinook_sim.meta WHERE key = 'schema';`;

Deno.test("a database of the first release is upgraded in place by the next run", async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    await ok(db, [
      ...["simulate", "--date", "2026-03-09", "--seed", "5", "--messiness", "high"],
      ...["--updates", "6", "--deletes", "4", "--new-customers", "2", "--customer-changes", "2"],
    ]);
    const [day] = await db.query(async (sql) => {
      await sql.unsafe(TO_FIRST_RELEASE);
      return await sql`SELECT * FROM chinook_sim.ledger`;
    });

    const upgraded = await ok(db, ["simulate", "--date", "2026-03-10", "--seed", "6"]);
    assert.match(upgraded.stderr, /Upgrading chinook-sim's schema/);
    await db.query(async (sql) => {
      const runs = await sql`
        SELECT run_id::int, sim_date::text, run_number, before_images, inserts, updates, deletes,
               first_invoice_id, seed FROM chinook_sim.run ORDER BY run_id`;
      assert.deepEqual(runs.map((r) => [r.run_id, r.sim_date, r.before_images]), [
        [1, "2026-03-09", false],
        [2, "2026-03-10", true],
      ]);
      assert.deepEqual(
        [runs[0]!.inserts, runs[0]!.updates, runs[0]!.deletes, runs[0]!.seed],
        [day!.inserts, day!.updates, day!.deletes, day!.seed],
      );
      const [legacy] = await sql`
        SELECT count(*)::int AS n, count(*) FILTER (WHERE before IS NULL)::int AS without_image
          FROM chinook_sim.change WHERE run_id = 1`;
      assert.ok(legacy!.n > 0 && legacy!.n === legacy!.without_image);
      const [kept] = await sql`SELECT count(*)::int AS n FROM chinook_sim.change_v1`;
      assert.ok(kept!.n > legacy!.n, "the first release's change log is kept, renamed");
    });
    await assertVerified(db);

    // The answer key: as of any day from the first release's on, its customer changes
    // (no before-image) leave no empty version; before it, refused like rewind.
    const out = `${WORK_DIR}/upgrade-expect-${crypto.randomUUID()}`;
    await ok(db, [
      ...["expect", "--from", "2026-03-09", "--to", "2026-03-09", "--as-of", "2026-03-09"],
      ...["--out", out, "--format", "json"],
    ]);
    const versions = JSON.parse(await Deno.readTextFile(`${out}/dim_customer.json`));
    assert.ok(versions.every((v: { first_name: string | null }) => v.first_name !== null));
    const early = await cli(
      [
        "expect",
        "--from",
        "2026-03-08",
        "--to",
        "2026-03-08",
        "--as-of",
        "2026-03-08",
        "--out",
        out,
      ],
      { env: db.env },
    );
    assert.equal(early.code, 2, early.stderr);
    assert.match(
      early.stderr,
      /2026-03-09 was written by an earlier chinook-sim that kept no before-images/,
    );
    await Deno.remove(out, { recursive: true });

    // The upgraded run can be undone; the first release's cannot.
    await ok(db, ["rewind", "--to", "2026-03-09"]);
    const refused = await cli(["rewind", "--to", "2026-03-08"], { env: db.env });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      /error: Cannot rewind to 2026-03-08: run 1 of 2026-03-09 was written by an earlier chinook-sim that kept no before-images; rewind to 2026-03-09 or later/,
    );
    await assertVerified(db);
  });
});
