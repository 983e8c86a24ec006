/**
 * End to end: setup and simulate through the CLI on a fresh database each,
 * asserting what ends up in the database.
 */
import assert from "node:assert/strict";
import { cli, fingerprint, serverTest, withSetUpDatabase } from "./harness.ts";
import { assertDayIntegrity, injectFailure, removeInjectedFailure } from "./integrity.ts";

const DAY = "2026-03-10";

Deno.test("simulate writes exactly the requested day, consistent and recorded in the ledger", async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    const before = await db.query(async (sql) => {
      const [r] =
        await sql`SELECT max("InvoiceId")::int AS max_id, count(*)::int AS n FROM public."Invoice"`;
      return r!;
    });
    const result = await cli(
      `simulate --date ${DAY} --inserts 120 --updates 6 --deletes 3 --seed 7 --json`.split(" "),
      { env: db.env },
    );
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout);
    assert.equal(summary.status, "written");
    assert.equal(summary.done.inserts, 120);
    assert.equal(summary.done.updates, 6);
    assert.equal(summary.done.deletes, 3);

    await db.query(async (sql) => {
      const [day] = await sql`
        SELECT count(*)::int AS n, min("InvoiceDate")::text AS first, max("InvoiceDate")::text AS last,
               count(*) FILTER (WHERE "Total" = 0)::int AS cancelled,
               min("InvoiceId")::int AS min_id, max("InvoiceId")::int AS max_id
          FROM public."Invoice" WHERE "InvoiceDate" >= ${DAY}::date AND "InvoiceDate" < ${DAY}::date + 1`;
      assert.equal(day!.n, 120);
      assert.ok(day!.first >= `${DAY} 00:00:00` && day!.last <= `${DAY} 23:59:59`);
      assert.equal(day!.min_id, before.max_id + 1, "ids continue after the maximum");
      assert.equal(day!.max_id, before.max_id + 120);
      // Nothing on other days but the historical invoices.
      const [others] = await sql`
        SELECT count(*)::int AS n FROM public."Invoice"
         WHERE "InvoiceDate" >= ${DAY}::date + 1 OR ("InvoiceDate" >= '2026-03-09' AND "InvoiceDate" < ${DAY}::date)`;
      assert.equal(others!.n, 0);

      const cancelled = await sql`
        SELECT i."InvoiceId", i."Total"::text AS total, count(l.*)::int AS lines,
               (c.before->>'Total')::numeric > 0 AS had_total
          FROM chinook_sim.change c JOIN public."Invoice" i ON i."InvoiceId" = c.row_id
          LEFT JOIN public."InvoiceLine" l ON l."InvoiceId" = i."InvoiceId"
         WHERE c.table_name = 'Invoice' AND c.label = 'invoice_cancel' GROUP BY 1, 2, 4`;
      assert.equal(cancelled.length, 3);
      for (const c of cancelled) {
        assert.deepEqual([c.total, c.lines, c.had_total], ["0.00", 0, true]);
      }

      // Each updated invoice's before-image is the row as it was: one track less, a lower Total.
      const updated = await sql`
        SELECT c.row_id, (c.before->>'Total')::numeric < i."Total" AS raised,
               c.before - 'Total' = to_jsonb(i) - 'Total' AS same_otherwise
          FROM chinook_sim.change c JOIN public."Invoice" i ON i."InvoiceId" = c.row_id
         WHERE c.table_name = 'Invoice' AND c.label = 'invoice_update'`;
      assert.equal(updated.length, 6);
      for (const u of updated) assert.deepEqual([u.raised, u.same_otherwise], [true, true]);

      const [ledger] = await sql`
        SELECT inserts, updates, deletes, seed, runs, revenue::text AS revenue,
               (SELECT sum("Total")::text FROM public."Invoice" i
                 WHERE i."InvoiceId" BETWEEN l.first_invoice_id AND l.last_invoice_id
                   AND NOT EXISTS (SELECT 1 FROM chinook_sim.change c
                                    WHERE c.table_name = 'Invoice' AND c.row_id = i."InvoiceId")) AS untouched,
               lines, (SELECT count(*)::int FROM public."InvoiceLine" x
                 WHERE x."InvoiceId" BETWEEN l.first_invoice_id AND l.last_invoice_id) AS lines_now
          FROM chinook_sim.ledger l WHERE sim_date = ${DAY}`;
      assert.equal(ledger!.inserts, 120);
      assert.equal(ledger!.updates, 6);
      assert.equal(ledger!.deletes, 3);
      assert.equal(ledger!.seed, "7");
      assert.equal(ledger!.runs, 1);
      assert.equal(Number(ledger!.revenue), Number(summary.revenue));
      assert.ok(ledger!.lines > 120 && ledger!.lines <= 600);
      await assertDayIntegrity(sql, DAY);
      // Sequences stay above the maxima.
      const [seq] = await sql`
        SELECT (SELECT last_value FROM chinook_sim.invoice_id_seq) >= (SELECT max("InvoiceId") FROM public."Invoice") AS invoice_ok,
               (SELECT last_value FROM chinook_sim.invoice_line_id_seq) >= (SELECT max("InvoiceLineId") FROM public."InvoiceLine") AS line_ok`;
      assert.deepEqual(seq, { invoice_ok: true, line_ok: true });
    });

    // A second run of the same day writes nothing and exits 0.
    const snapshot = await db.query(fingerprint);
    const again = await cli(["simulate", "--date", DAY, "--inserts", "10"], { env: db.env });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already simulated/);
    assert.equal(await db.query(fingerprint), snapshot);

    // --force adds a second run to the same day.
    const forced = await cli(
      `simulate --date ${DAY} --inserts 10 --updates 0 --deletes 0 --force`.split(" "),
      {
        env: db.env,
      },
    );
    assert.equal(forced.code, 0, forced.stderr);
    await db.query(async (sql) => {
      const [l] = await sql`SELECT inserts, runs FROM chinook_sim.ledger WHERE sim_date = ${DAY}`;
      assert.deepEqual(l, { inserts: 130, runs: 2 });
      await assertDayIntegrity(sql, DAY);
    });
  });
});

Deno.test("setup is idempotent: a second setup changes nothing and never shifts twice", async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    const first = await db.query(async (sql) => {
      const [r] = await sql`SELECT max("InvoiceDate")::text AS last FROM public."Invoice"`;
      return r!.last;
    });
    assert.equal(first, "2026-03-08 00:00:00");
    const before = await db.query(fingerprint);
    const again = await cli(["setup", "--json"], { env: db.env });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).loaded, null);
    assert.equal(await db.query(fingerprint), before);
  });
});

Deno.test("counts from stdin, dry run, and hard deletes", async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    const before = await db.query(fingerprint);
    const dry = await cli(["simulate", "--date", DAY, "--dry-run", "--seed", "3", "--json"], {
      env: db.env,
      stdin: "50 4 2\n",
    });
    assert.equal(dry.code, 0, dry.stderr);
    const planned = JSON.parse(dry.stdout);
    assert.equal(planned.status, "dry-run");
    assert.equal(planned.done.inserts, 50);
    assert.equal(await db.query(fingerprint), before, "a dry run writes nothing");

    const real = await cli(`simulate --date ${DAY} --seed 3 --delete-mode hard --json`.split(" "), {
      env: db.env,
      stdin: "50 4 2\n",
    });
    assert.equal(real.code, 0, real.stderr);
    const done = JSON.parse(real.stdout);
    assert.equal(done.done.deletes, 2);
    await db.query(async (sql) => {
      const gone = await sql`
        SELECT c.row_id FROM chinook_sim.change c
         WHERE c.table_name = 'Invoice' AND c.op = 'delete' AND c.label = 'invoice_delete'
           AND NOT EXISTS (SELECT 1 FROM public."Invoice" i WHERE i."InvoiceId" = c.row_id)
           AND NOT EXISTS (SELECT 1 FROM public."InvoiceLine" l WHERE l."InvoiceId" = c.row_id)`;
      assert.equal(gone.length, 2);
      await assertDayIntegrity(sql, DAY);
    });
  });
});

Deno.test("a run that fails midway leaves the database exactly as it was", async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    // Sabotage: the database rejects the 150th new line, after many rows were written.
    // The count is the transaction's own (whatever the history holds), reset when it ends.
    await db.query((sql) =>
      injectFailure(sql, {
        table: "InvoiceLine",
        timing: "AFTER",
        when: "written >= 150",
        message: "injected failure after 150 new lines",
      })
    );
    const before = await db.query(fingerprint);
    const result = await cli(["simulate", "--date", DAY, "--inserts", "300", "--seed", "1"], {
      env: db.env,
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /error: .*injected failure after 150 new lines/);
    assert.equal(await db.query(fingerprint), before);
    await db.query((sql) => removeInjectedFailure(sql, "InvoiceLine"));
    const retry = await cli(["simulate", "--date", DAY, "--inserts", "300", "--seed", "1"], {
      env: db.env,
    });
    assert.equal(retry.code, 0, retry.stderr);
  });
});

serverTest(
  "simulate before setup on a server is refused with a clear message",
  null,
  async (db) => {
    const result = await cli(["simulate", "--date", DAY], { env: db.env });
    assert.equal(result.code, 3);
    assert.match(
      result.stderr,
      /no Chinook tables: run "chinook-sim setup --chinook-sql FILE" first/,
    );
  },
);

// Two processes cannot open one embedded data directory at the same time.
serverTest(
  "two simulate processes started at once: the day is written once",
  "2026-03-08",
  async (db) => {
    const runs = await Promise.all(
      [1, 2].map(() =>
        cli(["simulate", "--date", DAY, "--inserts", "2000", "--json"], { env: db.env })
      ),
    );
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const statuses = runs.map((r) => JSON.parse(r.stdout).status).sort();
    assert.deepEqual(statuses, ["skipped", "written"]);
    await db.query(async (sql) => {
      const [n] = await sql`
        SELECT count(*)::int AS n FROM public."Invoice"
         WHERE "InvoiceDate" >= ${DAY}::date AND "InvoiceDate" < ${DAY}::date + 1`;
      assert.equal(n!.n, 2000);
    });
  },
  "two processes cannot open one embedded data directory at once",
);
