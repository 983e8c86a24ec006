/**
 * The stored recency (chinook_sim.recency): every day written keeps each customer's latest
 * invoice, and the next day's snapshot reads it and the invoices since instead of scanning every
 * invoice. The ages it gives equal the full scan's for every customer, through late invoices,
 * backfill, a skipped day and a day written out of order; a day's rows do not depend on whether
 * a stored recency was there; rewind forgets the days it undoes; live keeps the batch's.
 */
import assert from "node:assert/strict";
import { addDays, daysInRange } from "../lib/sim/calendar.ts";
import { encodeRecency, mergeLatest } from "../lib/sim/recency.ts";
import type { Tx } from "../lib/db/connect.ts";
import { latestByScan, latestSince, readStoredRecency } from "../lib/db/recency.ts";
import { freshDatabase, setupDatabase, type Sql, type TestDatabase } from "./harness.ts";
import { ok, rowsHash } from "./ledger_helpers.ts";

const HISTORY_END = "2026-06-30";
/** Late invoices (up to a week early), duplicates, edits, sign-ups on every day. */
const COUNTS = [
  ...["--seed", "3", "--messiness", "high", "--inserts", "300", "--updates", "20"],
  ...["--deletes", "10", "--new-customers", "8", "--customer-changes", "4"],
  ...["--manifest-dir", "none"],
];

/** With a year of the model's history (the tests' default is none), the same on every database. */
async function setUp(): Promise<TestDatabase> {
  const db = await freshDatabase();
  await setupDatabase(db, [
    ...["--history-end", HISTORY_END, "--history-years", "1", "--seed", "9"],
  ]);
  return db;
}

/** The test's connection stands in for a day's transaction (the reads are plain queries). */
const asTx = (sql: Sql) => sql as unknown as Tx;

/** The stored days and their bytes (hex). */
async function storedRows(sql: Sql): Promise<Array<[string, number, string]>> {
  const rows = await sql<{ day: string; next: number; latest: string }[]>`
    SELECT sim_date::text AS day, next_invoice_id AS next, encode(latest, 'hex') AS latest
      FROM chinook_sim.recency ORDER BY sim_date`;
  return rows.map((r) => [r.day, r.next, r.latest]);
}

const hex = (latest: Int32Array) =>
  Array.from(encodeRecency(latest), (b) => b.toString(16).padStart(2, "0")).join("");

/** What a scan finds up to the end of `day` among the invoices numbered below `nextId`. */
async function scanBefore(sql: Sql, day: string, nextId: number): Promise<Int32Array> {
  const rows = await sql<{ id: number; latest: number }[]>`
    SELECT "CustomerId" AS id, max("InvoiceDate")::date - DATE '1970-01-01' AS latest
      FROM public."Invoice" WHERE "InvoiceDate" < ${
    addDays(day, 1)
  }::date AND "InvoiceId" < ${nextId}
     GROUP BY 1`;
  return mergeLatest(new Int32Array(), rows.map((r) => r.id), rows.map((r) => r.latest));
}

/**
 * Each stored day holds exactly what a scan finds up to its end among the invoices there were
 * when it was written (later days' late invoices may be dated before it), and the snapshot of
 * each of `days` (the stored day before it and the invoices since) what a scan finds now.
 */
async function assertLikeScan(
  db: TestDatabase,
  days: string[],
  /** "last": the later days removed invoices (--delete-mode hard), which the earlier ones held. */
  stored: "all" | "last" = "all",
): Promise<void> {
  await db.query(async (sql) => {
    const rows = await storedRows(sql);
    for (const [day, next, latest] of stored === "all" ? rows : rows.slice(-1)) {
      assert.equal(latest, hex(await scanBefore(sql, day, next)), `stored ${day}`);
    }
    for (const day of days) {
      const stored = await readStoredRecency(asTx(sql), day);
      assert.ok(stored, `a stored day before ${day}`);
      const since = await latestSince(asTx(sql), stored, day);
      const scan = await latestByScan(asTx(sql), day);
      assert.ok(scan.some((d) => d >= 0));
      assert.equal(hex(since), hex(scan), `${day} from the stored ${stored.day}`);
    }
  });
}

Deno.test("the stored recency gives every customer the full scan's latest invoice", async () => {
  const db = await setUp();
  try {
    // Setup keeps the history's last day.
    assert.deepEqual((await db.query(storedRows)).map((r) => r[0]), [HISTORY_END]);
    await assertLikeScan(db, ["2026-07-01"]);

    // Several days in one process, with late invoices.
    await ok(db, ["backfill", "--from", "2026-07-01", "--to", "2026-07-04", ...COUNTS]);
    const late = await db.query((sql) =>
      sql`SELECT count(*)::int AS n FROM chinook_sim.day_event WHERE operation = 'invoice_late'`
    );
    assert.ok(late[0]!.n > 0, "the days have late invoices");
    // A day skipped, then written out of order: 07-05's late invoices are dated before 07-06,
    // whose stored day missed them (it goes).
    await ok(db, ["simulate", "--date", "2026-07-06", ...COUNTS]);
    await ok(db, ["simulate", "--date", "2026-07-05", ...COUNTS]);
    assert.deepEqual((await db.query(storedRows)).map((r) => r[0]), [
      HISTORY_END,
      ...daysInRange("2026-07-01", "2026-07-05"),
    ]);
    await assertLikeScan(db, ["2026-07-06", "2026-07-07", "2026-07-12"]);

    // Only the latest days are kept (07-06 is written already: its stored day went with 07-05).
    await ok(db, ["backfill", "--from", "2026-07-06", "--to", "2026-07-09", ...COUNTS]);
    assert.deepEqual(
      (await db.query(storedRows)).map((r) => r[0]),
      daysInRange("2026-07-01", "2026-07-09").filter((d) => d !== "2026-07-06"),
    );
    await assertLikeScan(db, ["2026-07-10"]);
  } finally {
    await db.drop();
  }
});

Deno.test("a day's rows are the same with the stored recency and without it (a database of the previous schema); rewind forgets the days it undoes; live keeps the batch's", async () => {
  const a = await setUp();
  const b = await setUp();
  try {
    for (const db of [a, b]) {
      await ok(db, ["backfill", "--from", "2026-07-01", "--to", "2026-07-03", ...COUNTS]);
    }
    // b as the previous release left it: no table, schema 2. The commands that read still work.
    await b.query((sql) =>
      sql.unsafe(`
        DROP TABLE chinook_sim.recency;
        UPDATE chinook_sim.meta SET value = '2' WHERE key = 'schema';`)
    );
    await ok(b, ["verify"]);
    await ok(b, ["rewind", "--to", "2026-07-03", "--dry-run"]);

    // 07-04 and 07-05 in one run: a from the stored days, b from a scan, then its own.
    await ok(a, ["backfill", "--from", "2026-07-04", "--to", "2026-07-05", ...COUNTS]);
    const upgraded = await ok(b, [
      ...["backfill", "--from", "2026-07-04", "--to", "2026-07-05", ...COUNTS],
    ]);
    assert.match(upgraded.stderr, /Upgrading chinook-sim's schema/);
    const rows = await a.query(rowsHash);
    assert.deepEqual(await b.query(rowsHash), rows, "the same rows");
    const stored = await a.query(storedRows);
    assert.deepEqual(
      await b.query(storedRows),
      stored.filter(([day]) => day >= "2026-07-04"),
      "the same stored days from 07-04 on",
    );

    // rewind forgets the stored days it undoes: a later day written next reads no invoice of
    // theirs (b, with no stored day at all, scans).
    for (const db of [a, b]) await ok(db, ["rewind", "--to", "2026-07-03"]);
    assert.deepEqual(
      (await a.query(storedRows)).map((r) => r[0]),
      [HISTORY_END, ...daysInRange("2026-07-01", "2026-07-03")],
    );
    await b.query((sql) => sql`DELETE FROM chinook_sim.recency`);
    for (const db of [a, b]) await ok(db, ["simulate", "--date", "2026-07-05", ...COUNTS]);
    assert.deepEqual(
      await a.query(rowsHash),
      await b.query(rowsHash),
      "the same rows after rewind",
    );
    assert.deepEqual(await a.query(storedRows), [
      ...stored.filter(([day]) => day <= "2026-07-03"),
      ...(await b.query(storedRows)),
    ]);
    await assertLikeScan(a, ["2026-07-06"]);

    // Live writes the day's stored recency as the batch does.
    const day = addDays("2026-07-05", 1);
    await ok(a, ["simulate", "--date", day, ...COUNTS]);
    await ok(b, [
      ...["live", "--date", day, "--speed", "86400", "--interval", "0.1", "--once"],
      ...COUNTS,
    ]);
    assert.deepEqual(await b.query(rowsHash), await a.query(rowsHash), "live: the batch's rows");
    assert.deepEqual(
      (await b.query(storedRows)).filter(([d]) => d === day),
      (await a.query(storedRows)).filter(([d]) => d === day),
      "live: the batch's stored day",
    );
    await assertLikeScan(b, [addDays(day, 1)]);
  } finally {
    await Promise.all([a.drop(), b.drop()]);
  }
});

Deno.test("--delete-mode hard: a removed invoice that was its customer's latest leaves the stored recency too, in batch and live", async () => {
  const hard = [...COUNTS, "--delete-mode", "hard", "--deletes", "60"];
  const a = await setUp();
  const b = await setUp();
  try {
    for (const db of [a, b]) {
      await ok(db, ["backfill", "--from", "2026-07-01", "--to", "2026-07-03", ...hard]);
    }
    await assertLikeScan(a, ["2026-07-04"], "last");
    // b without a stored day: its next day scans; the same rows, the same day stored.
    await b.query((sql) => sql`DELETE FROM chinook_sim.recency`);
    await ok(a, ["simulate", "--date", "2026-07-04", ...hard]);
    await ok(b, [
      ...["live", "--date", "2026-07-04", "--speed", "86400", "--interval", "0.1", "--once"],
      ...hard,
    ]);
    assert.deepEqual(await b.query(rowsHash), await a.query(rowsHash), "the same rows");
    assert.deepEqual(
      await b.query(storedRows),
      (await a.query(storedRows)).filter(([day]) => day === "2026-07-04"),
      "live: the batch's stored day",
    );
    // The days removed invoices that were their customers' latest (else this proves nothing).
    const [removed] = await a.query((sql) =>
      sql<{ n: number }[]>`
        SELECT count(*)::int AS n FROM chinook_sim.change c,
               jsonb_populate_record(NULL::public."Invoice", c.before) r
         WHERE c.table_name = 'Invoice' AND c.op = 'delete'
           AND NOT EXISTS (SELECT 1 FROM public."Invoice" i
                            WHERE i."CustomerId" = r."CustomerId"
                              AND i."InvoiceDate"::date >= r."InvoiceDate"::date)`
    );
    assert.ok(removed!.n > 0, "some removed invoice was its customer's latest");
    for (const db of [a, b]) await assertLikeScan(db, ["2026-07-05"], "last");

    // A day written after a later one: its snapshot starts from a stored day that still holds
    // the invoices the later day removed; their customers are read again. b scans.
    for (const db of [a, b]) await ok(db, ["simulate", "--date", "2026-07-06", ...hard]);
    await assertLikeScan(a, ["2026-07-05"], "last");
    await b.query((sql) => sql`DELETE FROM chinook_sim.recency`);
    for (const db of [a, b]) await ok(db, ["simulate", "--date", "2026-07-05", ...hard]);
    assert.deepEqual(
      await b.query(rowsHash),
      await a.query(rowsHash),
      "out of order: the same rows",
    );
    await assertLikeScan(a, ["2026-07-07"], "last");
  } finally {
    await Promise.all([a.drop(), b.drop()]);
  }
});
