/** backfill and catch-up: exactly the missing days, resumable, ledger = data. */
import assert from "node:assert/strict";
import { addDays, todayIn } from "../lib/sim/calendar.ts";
import {
  cli,
  freshDatabase,
  serverTest,
  setupDatabase,
  spawnCli,
  type Sql,
  withSetUpDatabase,
} from "./harness.ts";
import { assertDayIntegrity, injectFailure, removeInjectedFailure } from "./integrity.ts";

async function ledgerDays(sql: Sql): Promise<string[]> {
  const rows = await sql<
    { day: string }[]
  >`SELECT sim_date::text AS day FROM chinook_sim.ledger ORDER BY 1`;
  return rows.map((r) => r.day);
}

/** Per day: ledger inserts = invoices dated that day within its id range. */
async function assertLedgerMatchesData(sql: Sql): Promise<void> {
  const mismatches = await sql`
    SELECT l.sim_date::text, l.inserts, count(i.*)::int AS found
      FROM chinook_sim.ledger l
      LEFT JOIN public."Invoice" i ON i."InvoiceId" BETWEEN l.first_invoice_id AND l.last_invoice_id
                                  AND i."InvoiceDate" >= l.sim_date AND i."InvoiceDate" < l.sim_date + 1
     GROUP BY 1, 2 HAVING l.inserts <> count(i.*)`;
  assert.deepEqual([...mismatches], []);
  const [orphans] = await sql`
    SELECT count(*)::int AS n FROM public."Invoice" i
     WHERE i."InvoiceDate" > (SELECT (value->>'lastHistoryDay')::date + 1 FROM chinook_sim.meta WHERE key = 'history')
       AND NOT EXISTS (SELECT 1 FROM chinook_sim.ledger l WHERE i."InvoiceDate" >= l.sim_date AND i."InvoiceDate" < l.sim_date + 1)`;
  assert.equal(orphans!.n, 0, "no simulated invoice on a day missing from the ledger");
}

Deno.test("backfill writes exactly the missing days, and resumes after a failure", async () => {
  await withSetUpDatabase("2026-02-28", async (db) => {
    const one = await cli(["simulate", "--date", "2026-03-04", "--seed", "2"], { env: db.env });
    assert.equal(one.code, 0, one.stderr);
    const before4 = await db.query((sql) =>
      sql`SELECT count(*)::int AS n FROM public."Invoice"
      WHERE "InvoiceDate" >= '2026-03-04' AND "InvoiceDate" < '2026-03-05'`
    );

    // Sabotage 2026-03-07: the range stops there, earlier days stay committed.
    await db.query((sql) =>
      injectFailure(sql, {
        table: "Invoice",
        timing: "BEFORE",
        when: `NEW."InvoiceDate" >= '2026-03-07' AND NEW."InvoiceDate" < '2026-03-08'`,
        message: "injected failure on 2026-03-07",
      })
    );
    const failed = await cli(`backfill --from 2026-03-01 --to 2026-03-10 --seed 9`.split(" "), {
      env: db.env,
    });
    // Days were committed before the failure: exit 4 says so, and what was not written.
    assert.equal(failed.code, 4, failed.stderr);
    assert.match(
      failed.stderr,
      /error: 5 days were committed \(2026-03-01 to 2026-03-06\); then 2026-03-07 failed and was not written: .*injected failure on 2026-03-07/,
    );
    assert.doesNotMatch(failed.stderr, /nothing was written/);
    assert.match(failed.stdout, /backfill: 5 days 2026-03-01 to 2026-03-06: .*then stopped/);
    await db.query(async (sql) => {
      assert.deepEqual(await ledgerDays(sql), [
        "2026-03-01",
        "2026-03-02",
        "2026-03-03",
        "2026-03-04",
        "2026-03-05",
        "2026-03-06",
      ]);
      await assertLedgerMatchesData(sql);
      await removeInjectedFailure(sql, "Invoice");
    });

    const resumed = await cli(
      `backfill --from 2026-03-01 --to 2026-03-10 --seed 9 --json`.split(" "),
      {
        env: db.env,
      },
    );
    assert.equal(resumed.code, 0, resumed.stderr);
    const report = JSON.parse(resumed.stdout);
    assert.deepEqual(report.days.map((d: { day: string }) => d.day), [
      "2026-03-07",
      "2026-03-08",
      "2026-03-09",
      "2026-03-10",
    ]);
    await db.query(async (sql) => {
      assert.equal((await ledgerDays(sql)).length, 10);
      await assertLedgerMatchesData(sql);
      for (const day of ["2026-03-01", "2026-03-07", "2026-03-10"]) {
        await assertDayIntegrity(sql, day);
      }
      const after4 = await sql`SELECT count(*)::int AS n FROM public."Invoice"
        WHERE "InvoiceDate" >= '2026-03-04' AND "InvoiceDate" < '2026-03-05'`;
      assert.deepEqual([...after4], [...before4], "a day already simulated is not touched");
    });
  });
});

Deno.test("backfill on a database with no simulated day moves the history before --from", async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    // Before any day, every invoice is history: its count and ids come from the
    // database (the real sample and the synthetic catalogue differ).
    const [before] = await db.query((sql) =>
      sql`SELECT count(*)::int AS invoices, max("InvoiceId")::int AS last_id,
                 max("InvoiceDate")::text AS last FROM public."Invoice"`
    );
    assert.equal(before!.last, "2026-03-08 00:00:00");
    const result = await cli(["backfill", "--from", "2026-01-01", "--to", "2026-01-03"], {
      env: db.env,
    });
    assert.equal(result.code, 0, result.stderr);
    await db.query(async (sql) => {
      const [history] = await sql`
        SELECT count(*)::int AS invoices, max("InvoiceId")::int AS last_id,
               max("InvoiceDate")::text AS last
          FROM public."Invoice" WHERE "InvoiceId" <= ${before!.last_id}`;
      assert.deepEqual(
        history,
        { ...before, last: "2025-12-31 00:00:00" },
        "the same history invoices, moved to end the day before --from",
      );
      const [days] = await sql`
        SELECT count(*)::int AS n, min("InvoiceDate")::date::text AS first,
               max("InvoiceDate")::date::text AS last
          FROM public."Invoice" WHERE "InvoiceId" > ${before!.last_id}`;
      assert.deepEqual(
        [days!.n > 0, days!.first, days!.last],
        [true, "2026-01-01", "2026-01-03"],
        "the new invoices lie on the backfilled days",
      );
      assert.deepEqual(await ledgerDays(sql), ["2026-01-01", "2026-01-02", "2026-01-03"]);
    });
    // Now that days exist, the history can no longer move.
    const refused = await cli(["backfill", "--from", "2025-06-01", "--to", "2025-06-02"], {
      env: db.env,
    });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /historical data runs to 2025-12-31/);
  });
});

Deno.test("catch-up fills every day from the last simulated one to yesterday", async () => {
  const db = await freshDatabase();
  try {
    const today = todayIn("UTC", new Date());
    await setupDatabase(db, ["--history-end", addDays(today, -6)]);
    const first = await cli(["simulate", "--date", addDays(today, -5)], { env: db.env });
    assert.equal(first.code, 0, first.stderr);
    const result = await cli(["catch-up", "--json"], { env: db.env });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.from, addDays(today, -4));
    assert.equal(report.to, addDays(today, -1));
    await db.query(async (sql) => {
      assert.deepEqual(await ledgerDays(sql), [-5, -4, -3, -2, -1].map((n) => addDays(today, n)));
      await assertLedgerMatchesData(sql);
    });
    const again = await cli(["catch-up", "--json"], { env: db.env });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual([JSON.parse(again.stdout).from, JSON.parse(again.stdout).days], [null, []]);
  } finally {
    await db.drop();
  }
});

Deno.test("backfill rejects a reversed or oversized range before touching the database", async () => {
  const reversed = await cli(["backfill", "--from", "2026-03-10", "--to", "2026-03-01"], {
    env: { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" },
  });
  assert.equal(reversed.code, 2);
  assert.match(reversed.stderr, /--from 2026-03-10 is after --to 2026-03-01: swap them/);
  const huge = await cli(["backfill", "--from", "2000-01-01", "--to", "2026-03-01"], {
    env: { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" },
  });
  assert.equal(huge.code, 2);
  assert.match(huge.stderr, /at most 3660/);
  const missing = await cli(["backfill", "--from", "2026-03-10"], { env: {} });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /needs --from DAY and --to DAY/);
});

serverTest(
  "Ctrl-C stops a backfill after the day in flight: exit 130, and a rerun resumes",
  "2026-02-28",
  async (db) => {
    const range = ["--from", "2026-03-01", "--to", "2026-03-30", "--inserts", "4000"];
    const child = spawnCli(["backfill", ...range, "--json"], { env: db.env });
    for (let i = 0; i < 600; i++) {
      const [row] = await db.query((sql) => sql`SELECT count(*)::int AS n FROM chinook_sim.ledger`);
      if (row!.n > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGINT");
    const out = await child.output();
    assert.equal(out.code, 130, new TextDecoder().decode(out.stderr));
    const summary = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.equal(summary.interrupted, true);
    const written = summary.days.map((d: { day: string }) => d.day);
    assert.ok(written.length >= 1 && written.length < 30, `${written.length} days`);
    await db.query(async (sql) => {
      assert.deepEqual(await ledgerDays(sql), written, "the summary lists what was committed");
      await assertLedgerMatchesData(sql);
    });
    const rerun = await cli(["backfill", ...range], { env: db.env });
    assert.equal(rerun.code, 0, rerun.stderr);
    await db.query(async (sql) => assert.equal((await ledgerDays(sql)).length, 30));
  },
);
