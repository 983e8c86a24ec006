/**
 * Ids only move forward: whatever the delete mode, a day never inserts an id
 * that existed before; a dry run or a failed run moves no counter and no
 * sequence; verify stays green on valid data after hard deletes.
 */
import assert from "node:assert/strict";
import { cli, withSetUpDatabase } from "./harness.ts";
import { injectFailure, removeInjectedFailure } from "./integrity.ts";
import { assertVerified, currentIds, type IdSets, idState, ok } from "./ledger_helpers.ts";

const DAYS = ["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12"];

Deno.test("ids only move forward: hard deletes and hard-deleted duplicates never free an id", async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    const seen: IdSets = { invoice: new Set(), line: new Set(), customer: new Set() };
    const remember = (ids: IdSets) => {
      for (const key of ["invoice", "line", "customer"] as const) {
        for (const id of ids[key]) seen[key].add(id);
      }
    };
    let maxDeleted = false;
    for (const [i, day] of DAYS.entries()) {
      remember(await db.query(currentIds));
      // Deleting many of few invoices removes the newest ones, where max + 1 would start again.
      await ok(db, [
        ...["simulate", "--date", day, "--seed", String(30 + i), "--delete-mode", "hard"],
        ...["--messiness", "high", "--duplicate-rate", "0.2", "--inserts", "40", "--updates", "4"],
        ...[
          "--deletes",
          "30",
          "--new-customers",
          "2",
          "--customer-changes",
          "2",
          "--window-days",
          "2",
        ],
      ]);
      await db.query(async (sql) => {
        const [run] = await sql`
          SELECT first_invoice_id, last_invoice_id, first_line_id, last_line_id, first_customer_id,
                 last_customer_id, duplicates FROM chinook_sim.run WHERE sim_date = ${day}`;
        const issued = (first: number, last: number) =>
          Array.from({ length: last - first + 1 }, (_, k) => first + k);
        const reused = {
          invoice: issued(run!.first_invoice_id, run!.last_invoice_id).filter((id) =>
            seen.invoice.has(id)
          ),
          line: issued(run!.first_line_id, run!.last_line_id).filter((id) => seen.line.has(id)),
          customer: issued(run!.first_customer_id, run!.last_customer_id).filter((id) =>
            seen.customer.has(id)
          ),
        };
        assert.deepEqual(reused, { invoice: [], line: [], customer: [] }, `${day} reissued ids`);
        // Ids issued and deleted on the same day count as issued too.
        remember({
          invoice: new Set(issued(run!.first_invoice_id, run!.last_invoice_id)),
          line: new Set(issued(run!.first_line_id, run!.last_line_id)),
          customer: new Set(issued(run!.first_customer_id, run!.last_customer_id)),
        });
        assert.ok(run!.duplicates > 0, `${day} has duplicate copies (hard-deleted)`);
        const [top] = await sql`
          SELECT (SELECT value FROM chinook_sim.counter WHERE name = 'invoice') >
                 (SELECT max("InvoiceId") FROM public."Invoice") AS deleted_newest`;
        maxDeleted ||= top!.deleted_newest;
      });
    }
    assert.ok(maxDeleted, "some day hard-deleted the newest invoice (the case max + 1 got wrong)");
    await assertVerified(db);

    // Neither a dry run nor a failed run moves a counter or a sequence.
    const before = await db.query(idState);
    await ok(db, ["simulate", "--date", "2026-03-13", "--dry-run", "--inserts", "50"]);
    assert.equal(await db.query(idState), before, "a dry run moves nothing");
    await db.query((sql) =>
      injectFailure(sql, {
        table: "InvoiceLine",
        timing: "AFTER",
        when: "written >= 40",
        message: "injected failure after 40 lines",
      })
    );
    const failed = await cli(["simulate", "--date", "2026-03-13", "--inserts", "50"], {
      env: db.env,
    });
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /injected failure after 40 lines.*nothing was written/);
    await db.query((sql) => removeInjectedFailure(sql, "InvoiceLine"));
    assert.equal(await db.query(idState), before, "a failed run moves nothing");

    // The next run continues after every id ever issued.
    remember(await db.query(currentIds));
    await ok(db, ["simulate", "--date", "2026-03-13", "--inserts", "20", "--delete-mode", "hard"]);
    await db.query(async (sql) => {
      const [run] = await sql`
        SELECT first_invoice_id, first_line_id FROM chinook_sim.run WHERE sim_date = '2026-03-13'`;
      assert.ok(run!.first_invoice_id > Math.max(...seen.invoice));
      assert.ok(run!.first_line_id > Math.max(...seen.line));
      const [sequences] = await sql`
        SELECT (SELECT last_value FROM chinook_sim.invoice_id_seq) AS invoice,
               (SELECT value FROM chinook_sim.counter WHERE name = 'invoice') AS counter`;
      assert.equal(String(sequences!.invoice), String(sequences!.counter), "sequence = counter");
    });
    await assertVerified(db);
  });
});
