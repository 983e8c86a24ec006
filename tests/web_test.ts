/**
 * setup --web: the web shop's clickstream, written with each day. Checked on
 * the database's real content: one purchase per invoice, before it, in a
 * session of its customer; conversion within the model's tolerance; reviews
 * of bought tracks, later; the same seed gives the same rows; the Chinook
 * rows are the same with or without it; rewind, dry runs and kill -9.
 */
import assert from "node:assert/strict";
import { DEFAULT_CLICK_MODEL } from "../lib/sim/clickstream/model.ts";
import {
  cli,
  fingerprint,
  freshDatabase,
  readUntil,
  setupDatabase,
  spawnCli,
  type Sql,
  type TestDatabase,
  textReader,
} from "./harness.ts";
import { assertVerified, ledgerRows, ok, rowsHash } from "./ledger_helpers.ts";

const HISTORY_END = "2026-06-30";

/** Hashes of every chinook_web row and counter: equal ⇔ the same clickstream. */
async function webHash(sql: Sql): Promise<Record<string, string>> {
  const [row] = await sql`
    SELECT
      (SELECT md5(coalesce(string_agg(s::text, '|' ORDER BY session_id), '')) FROM chinook_web.session s) AS sessions,
      (SELECT md5(coalesce(string_agg(e::text, '|' ORDER BY event_id), '')) FROM chinook_web.event e) AS events,
      (SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY review_id), '')) FROM chinook_web.review r) AS reviews,
      (SELECT string_agg(name || '=' || value, ',' ORDER BY name) FROM chinook_web.counter) AS counters`;
  return row as Record<string, string>;
}

async function webCounts(sql: Sql): Promise<{ sessions: number; events: number; reviews: number }> {
  const [row] = await sql`
    SELECT (SELECT count(*) FROM chinook_web.session)::int AS sessions,
           (SELECT count(*) FROM chinook_web.event)::int AS events,
           (SELECT count(*) FROM chinook_web.review)::int AS reviews`;
  return row as { sessions: number; events: number; reviews: number };
}

/** The same days on any database: a messy first day (late and duplicate invoices), then two more. */
async function simulateDays(db: TestDatabase, web: boolean): Promise<void> {
  await setupDatabase(db, ["--history-end", HISTORY_END]);
  if (web) {
    await ok(db, ["setup", "--web"]);
    await ok(db, ["setup", "--web"]); // idempotent
  }
  await ok(db, [
    "simulate",
    "--date",
    "2026-07-01",
    "--seed",
    "7",
    "--inserts",
    "300",
    "--messiness",
    "high",
    "--manifest-dir",
    "none",
  ]);
  await ok(db, [
    "backfill",
    "--from",
    "2026-07-02",
    "--to",
    "2026-07-03",
    "--seed",
    "7",
    "--manifest-dir",
    "none",
  ]);
}

/** Every consistency property of the clickstream against the sales tables. */
async function assertConsistent(sql: Sql, dayCount: number): Promise<void> {
  const [row] = await sql`
    WITH simulated AS (
      SELECT i.* FROM public."Invoice" i
       WHERE i."InvoiceId" >= (SELECT min(first_invoice_id) FROM chinook_sim.ledger)
    ), purchases AS (
      SELECT e.invoice_id, count(*) AS n, max(e.occurred_at) AS at, max(s.customer_id) AS customer
        FROM chinook_web.event e JOIN chinook_web.session s USING (session_id)
       WHERE e.event_type = 'purchase' GROUP BY 1
    )
    SELECT
      (SELECT count(*) FROM simulated)::int AS invoices,
      (SELECT count(*) FROM simulated i LEFT JOIN purchases p ON p.invoice_id = i."InvoiceId"
        WHERE p.n IS DISTINCT FROM 1)::int AS not_one_purchase,
      (SELECT count(*) FROM simulated i JOIN purchases p ON p.invoice_id = i."InvoiceId"
        WHERE p.at >= i."InvoiceDate")::int AS purchase_not_before,
      (SELECT count(*) FROM simulated i JOIN purchases p ON p.invoice_id = i."InvoiceId"
        WHERE p.customer IS DISTINCT FROM i."CustomerId")::int AS other_customer,
      (SELECT count(*) FROM purchases p
        WHERE NOT EXISTS (SELECT 1 FROM simulated i WHERE i."InvoiceId" = p.invoice_id))::int
        AS purchase_without_invoice,
      (SELECT count(*) FROM chinook_web.event e JOIN chinook_web.session s USING (session_id)
        WHERE e.occurred_at NOT BETWEEN s.started_at AND s.ended_at)::int AS outside_session,
      (SELECT count(*) FROM chinook_web.session s
        WHERE s.purchases <> (SELECT count(*) FROM chinook_web.event e
                               WHERE e.session_id = s.session_id AND e.event_type = 'purchase'))::int
        AS wrong_purchase_counts,
      (SELECT count(*) FROM chinook_web.session s
        WHERE s.run_id NOT IN (SELECT run_id FROM chinook_sim.run WHERE state = 'committed'
                                  AND sim_date = s.sim_date))::int AS outside_ledger,
      (SELECT count(*) FROM chinook_web.review r
        WHERE NOT EXISTS (
          SELECT 1 FROM public."InvoiceLine" l JOIN public."Invoice" i USING ("InvoiceId")
           WHERE l."InvoiceLineId" = r.invoice_line_id AND l."TrackId" = r.track_id
             AND i."CustomerId" = r.customer_id AND i."InvoiceDate"::date < r.sim_date
             AND i."InvoiceDate" < r.reviewed_at))::int AS bad_reviews,
      (SELECT count(*) FROM chinook_web.review)::int AS reviews,
      (SELECT count(*) FROM chinook_web.session s WHERE s.purchases = 0 AND EXISTS (
         SELECT 1 FROM chinook_web.event e WHERE e.session_id = s.session_id
            AND e.event_type = 'add_to_cart'))::int AS abandoned_carts`;
  assert.ok(row!.invoices > 500, `invoices: ${row!.invoices}`);
  assert.deepEqual(
    {
      notOnePurchase: row!.not_one_purchase,
      purchaseNotBefore: row!.purchase_not_before,
      otherCustomer: row!.other_customer,
      purchaseWithoutInvoice: row!.purchase_without_invoice,
      outsideSession: row!.outside_session,
      wrongPurchaseCounts: row!.wrong_purchase_counts,
      outsideLedger: row!.outside_ledger,
      badReviews: row!.bad_reviews,
    },
    {
      notOnePurchase: 0,
      purchaseNotBefore: 0,
      otherCustomer: 0,
      purchaseWithoutInvoice: 0,
      outsideSession: 0,
      wrongPurchaseCounts: 0,
      outsideLedger: 0,
      badReviews: 0,
    },
  );
  assert.ok(row!.reviews > 0, "some bought tracks are reviewed on later days");
  assert.ok(row!.abandoned_carts > 0, "abandoned carts");
  // Conversion per day, on days with enough sales to measure it.
  const days = await sql<{ day: string; sessions: number; buying: number }[]>`
    SELECT sim_date::text AS day, count(*)::int AS sessions,
           count(*) FILTER (WHERE purchases > 0)::int AS buying
      FROM chinook_web.session GROUP BY 1 ORDER BY 1`;
  assert.equal(days.length, dayCount);
  const { conversionRate, conversionTolerance } = DEFAULT_CLICK_MODEL;
  for (const d of days.filter((d) => d.buying >= 50)) {
    const rate = d.buying / d.sessions;
    assert.ok(
      Math.abs(rate - conversionRate) <= conversionRate * conversionTolerance,
      `${d.day}: conversion ${rate}`,
    );
  }
}

Deno.test("setup --web: each day's clickstream is consistent with its invoices, reproducible, and leaves the Chinook rows as they are", async () => {
  const [a, b, c] = [await freshDatabase(), await freshDatabase(), await freshDatabase()];
  try {
    await simulateDays(a, true);
    await simulateDays(b, true);
    await simulateDays(c, false);
    await a.query((sql) => assertConsistent(sql, 3));
    await assertVerified(a);
    assert.deepEqual(await a.query(webHash), await b.query(webHash), "same seed, same events");
    const chinookA = await a.query(rowsHash);
    assert.deepEqual(chinookA, await b.query(rowsHash));
    assert.deepEqual(chinookA, await c.query(rowsHash), "the Chinook rows, with or without --web");
    assert.deepEqual(await a.query(ledgerRows), await c.query(ledgerRows), "the ledger too");
    const hasWeb = await c.query((sql) => sql`SELECT to_regclass('chinook_web.event') AS t`);
    assert.equal(hasWeb[0]!.t, null, "without --web, no chinook_web");

    // A dry run reports the day's clickstream and writes none of it.
    const before = await a.query(webHash);
    const dry = await ok(a, ["simulate", "--date", "2026-07-04", "--dry-run", "--json"]);
    const planned = JSON.parse(dry.stdout);
    assert.ok(planned.web.sessions > 0 && planned.web.purchases === planned.done.inserts);
    assert.deepEqual(await a.query(webHash), before, "a dry run writes nothing");

    // Rewind removes the undone days' clickstream; ids are never issued again.
    const maxBefore = await a.query((sql) =>
      sql`SELECT max(session_id)::int AS s, max(event_id)::int AS e FROM chinook_web.event`
    );
    await ok(a, ["rewind", "--to", "2026-07-02"]);
    const left = await a.query((sql) =>
      sql`SELECT sim_date::text AS day, count(*)::int AS n FROM chinook_web.session GROUP BY 1 ORDER BY 1`
    );
    assert.deepEqual(left.map((r) => r.day), ["2026-07-01", "2026-07-02"]);
    await ok(a, ["simulate", "--date", "2026-07-03", "--seed", "7", "--manifest-dir", "none"]);
    const [again] = await a.query((sql) =>
      sql`SELECT min(session_id)::int AS s, min(event_id)::int AS e FROM chinook_web.event
           WHERE sim_date = '2026-07-03'`
    );
    assert.ok(again!.s > maxBefore[0]!.s && again!.e > maxBefore[0]!.e, "ids only move forward");
    await a.query((sql) => assertConsistent(sql, 3));

    // verify checks the clickstream too: a purchase event gone is found.
    await a.query((sql) =>
      sql`DELETE FROM chinook_web.event WHERE event_id =
            (SELECT min(event_id) FROM chinook_web.event WHERE event_type = 'purchase')`
    );
    const broken = await cli(["verify", "--json"], { env: a.env });
    assert.equal(broken.code, 1, broken.stderr);
    const failed = JSON.parse(broken.stdout).checks.filter((c: { ok: boolean }) => !c.ok);
    assert.deepEqual(failed.map((c: { name: string }) => c.name), ["clickstream"]);
  } finally {
    await Promise.all([a.drop(), b.drop(), c.drop()]);
  }
});

Deno.test("kill -9 while a day writes its clickstream: nothing of the day, the next run complete", async () => {
  const db = await freshDatabase();
  try {
    await setupDatabase(db, ["--history-end", HISTORY_END]);
    await ok(db, ["setup", "--web"]);
    await ok(db, ["simulate", "--date", "2026-07-01", "--inserts", "50", "--manifest-dir", "none"]);
    const before = await db.query(fingerprint);
    const web = await db.query(webHash);
    // A busy day: the most sessions the model allows, written in many statements.
    const child = spawnCli(
      ["simulate", "--date", "2026-07-02", "--inserts", "20000", "--manifest-dir", "none"],
      { env: { ...db.env, LOG_LEVEL: "debug" }, stdout: "null" },
    );
    const reader = textReader(child.stderr);
    const seen = await readUntil(reader, "Writing the clickstream");
    assert.match(seen, /Writing the clickstream/);
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGKILL");
    assert.notEqual((await child.status).code, 0);
    await reader.cancel().catch(() => {});
    // A server rolls back once it notices the closed connection.
    let now = "";
    for (let i = 0; i < 100 && (now = await db.query(fingerprint)) !== before; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(now, before, "the sales tables and the ledger as before");
    assert.deepEqual(await db.query(webHash), web, "no row of the killed day, counters unmoved");
    await ok(db, ["simulate", "--date", "2026-07-02", "--inserts", "80", "--manifest-dir", "none"]);
    const counts = await db.query(webCounts);
    assert.ok(counts.sessions > 0 && counts.events > 0);
    await assertVerified(db);
  } finally {
    await db.drop();
  }
});

Deno.test("setup --web on a database that is not set up: a configuration error, nothing written", async () => {
  const db = await freshDatabase();
  try {
    if (db.kind === "embedded") return; // An embedded database sets itself up first.
    const r = await cli(["setup", "--web"], {
      env: { ...db.env, CHINOOK_SQL: "/nonexistent.sql" },
    });
    assert.notEqual(r.code, 0);
    const [row] = await db.query((sql) =>
      sql`SELECT to_regclass('chinook_web.event') AS t, to_regclass('chinook_sim.ledger') AS l`
    );
    assert.deepEqual([row!.t, row!.l], [null, null]);
  } finally {
    await db.drop();
  }
});
