/**
 * live: a day written in many small transactions as its changes fall due,
 * on the server and the embedded database. Its final rows equal the batch's
 * (same seed, same starting database), whether it ran through, was killed
 * with -9 at a random moment, or was stopped by SIGTERM and resumed; the
 * batch commands refuse a day live left open; logical decoding sees dozens
 * of separate commits in time order.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import {
  cli,
  freshDatabase,
  ON_SERVER,
  readUntil,
  setupDatabase,
  spawnCli,
  type TestDatabase,
  textReader,
} from "./harness.ts";
import { assertVerified, ledgerRows, ok, rowsHash } from "./ledger_helpers.ts";

const DAY = "2026-03-09";
const HISTORY_END = "2026-03-08";
const COUNTS = [
  "--seed",
  "11",
  "--messiness",
  "high",
  "--inserts",
  "150",
  "--updates",
  "15",
  "--deletes",
  "8",
  "--new-customers",
  "4",
  "--customer-changes",
  "6",
  "--manifest-dir",
  "none",
];
/** A day in about 6 s, a commit every 0.1 s: dozens of commits. */
const FAST = ["--speed", "14400", "--interval", "0.1"];

async function setUp(): Promise<TestDatabase> {
  const db = await freshDatabase();
  await setupDatabase(db, ["--history-end", HISTORY_END]);
  return db;
}

/** The batch's rows and ledger for `days` (simulate, one transaction each), on a database of its own. */
async function batch(days: string[]) {
  const db = await setUp();
  try {
    for (const day of days) await ok(db, ["simulate", "--date", day, ...COUNTS]);
    return {
      rows: await db.query(rowsHash),
      ledger: await db.query(ledgerRows),
    };
  } finally {
    await db.drop();
  }
}

/** Reads the process's stdout until `count` commit lines arrived. */
async function commitsSeen(reader: ReadableStreamDefaultReader<string>, count: number) {
  let text = "";
  while ((text.match(/"type":"commit"/g) ?? []).length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  return text;
}

Deno.test("live: the day's final rows, ledger and manifest equal the batch's", async () => {
  const expected = await batch([DAY]);
  const db = await setUp();
  try {
    const r = await ok(db, ["live", "--date", DAY, ...FAST, "--once", "--json", ...COUNTS]);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    const commits = lines.filter((l) => l.type === "commit");
    assert.ok(commits.length >= 24, `dozens of commits: ${commits.length}`);
    assert.equal(lines.at(-1).type, "day");
    assert.equal(commits.at(-1).to, commits.at(-1).total, "every change of the plan applied");
    assert.deepEqual(await db.query(rowsHash), expected.rows);
    assert.deepEqual(await db.query(ledgerRows), expected.ledger);
    await assertVerified(db);
    // The day is in the ledger: the batch skips it, live has nothing more to write.
    const again = await ok(db, ["simulate", "--date", DAY, ...COUNTS, "--json"]);
    assert.equal(JSON.parse(again.stdout).status, "skipped");
    const live = await ok(db, ["live", "--date", DAY, ...FAST, "--once", "--json", ...COUNTS]);
    assert.equal(live.stdout, "");
    assert.deepEqual(await db.query(rowsHash), expected.rows);
  } finally {
    await db.drop();
  }
});

Deno.test("live: kill -9 at a random moment, then again to the end: the same rows as the batch", async () => {
  const expected = await batch([DAY]);
  const db = await setUp();
  try {
    const seen = 3 + Math.floor(Math.random() * 20);
    const child = spawnCli(["live", "--date", DAY, ...FAST, "--once", "--json", ...COUNTS], {
      env: db.env,
    });
    const reader = textReader(child.stdout);
    await commitsSeen(reader, seen);
    child.kill("SIGKILL");
    await child.status;
    await reader.cancel().catch(() => {});
    await child.stderr.cancel().catch(() => {});
    const status = await ok(db, ["status", "--json"]);
    const open = JSON.parse(status.stdout).live;
    assert.equal(open.length, 1, status.stdout);
    assert.ok(open[0].position > 0 && open[0].position < open[0].total, status.stdout);
    await ok(db, ["live", "--date", DAY, ...FAST, "--once", ...COUNTS]);
    assert.deepEqual(await db.query(rowsHash), expected.rows, `killed after ${seen} commits`);
    assert.deepEqual(await db.query(ledgerRows), expected.ledger);
    await assertVerified(db);
  } finally {
    await db.drop();
  }
});

Deno.test("live: SIGTERM stops after the commit in flight (exit 130); the batch refuses the open day; --until; resumed, the batch's rows", async () => {
  const expected = await batch([DAY]);
  const db = await setUp();
  try {
    const child = spawnCli(["live", "--date", DAY, ...FAST, "--json", ...COUNTS], {
      env: db.env,
    });
    const reader = textReader(child.stdout);
    await commitsSeen(reader, 5);
    child.kill("SIGTERM");
    const [status] = await Promise.all([child.status, readUntil(reader, "\u0000")]);
    await child.stderr.cancel().catch(() => {});
    assert.equal(status.code, 130);
    // An open day is no inconsistency (no day in the ledger yet: --allow-empty).
    await ok(db, ["verify", "--allow-empty"]);

    const refused = await cli(["simulate", "--date", DAY, ...COUNTS], { env: db.env });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /Cannot simulate 2026-03-09: live mode is writing it/);
    const catchUp = await cli(["backfill", "--from", DAY, "--to", DAY, ...COUNTS], {
      env: db.env,
    });
    assert.equal(catchUp.code, 2, catchUp.stderr);

    // --until stops at a time of day and leaves the day open.
    await ok(db, [
      "live",
      "--date",
      DAY,
      "--speed",
      "86400",
      "--interval",
      "0.1",
      "--until",
      "18:00",
    ]);
    const text = (await ok(db, ["status"])).stdout;
    assert.match(text, /Live: 2026-03-09 up to 18:00:00, \d+ of \d+ changes/);

    await ok(db, ["live", "--date", DAY, ...FAST, "--once", ...COUNTS]);
    assert.deepEqual(await db.query(rowsHash), expected.rows);
    assert.deepEqual(await db.query(ledgerRows), expected.ledger);
    await assertVerified(db);
  } finally {
    await db.drop();
  }
});

Deno.test("live: without --once it goes on with the next day; rewind undoes a day live left open", async () => {
  const next = "2026-03-10";
  const expected = await batch([DAY, next]);
  const db = await setUp();
  try {
    const child = spawnCli(
      ["live", "--date", DAY, "--speed", "43200", "--interval", "0.1", "--json", ...COUNTS],
      { env: db.env },
    );
    const reader = textReader(child.stdout);
    let text = "";
    while ((text.match(/"type":"day"/g) ?? []).length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    await commitsSeen(reader, 2);
    child.kill("SIGTERM");
    await child.status;
    await reader.cancel().catch(() => {});
    await child.stderr.cancel().catch(() => {});
    const days = text.split("\n").filter((l) => l.includes('"type":"day"')).map((l) =>
      JSON.parse(l).day
    );
    assert.deepEqual(days, [DAY, next]);
    await assertVerified(db); // the third day is open: no inconsistency
    // The third day is open: rewinding to the second undoes it and forgets it.
    await ok(db, ["rewind", "--to", next]);
    const status = JSON.parse((await ok(db, ["status", "--json"])).stdout);
    assert.deepEqual(status.live, []);
    assert.deepEqual(await db.query(rowsHash), expected.rows);
    assert.deepEqual(await db.query(ledgerRows), expected.ledger);
    await assertVerified(db);
  } finally {
    await db.drop();
  }
});

const walLevel = ON_SERVER
  ? new TextDecoder().decode(
    new Deno.Command("psql", {
      args: [Deno.env.get("TEST_DATABASE_URL")!, "-Atc", "SHOW wal_level"],
      stdout: "piped",
      stderr: "null",
    }).outputSync().stdout,
  ).trim()
  : "";

Deno.test({
  name: walLevel === "logical"
    ? "live: a test_decoding slot sees dozens of separate commits, in time order"
    : "live: a test_decoding slot sees dozens of separate commits [skipped: needs TEST_DATABASE_URL with wal_level=logical]",
  ignore: walLevel !== "logical",
  async fn() {
    const db = await setUp();
    const slot = `live_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const sql = postgres(db.env.DATABASE_URL!, { onnotice: () => {} });
    try {
      await sql`SELECT pg_create_logical_replication_slot(${slot}, 'test_decoding')`;
      await ok(db, ["live", "--date", DAY, ...FAST, "--once", ...COUNTS]);
      const changes = await sql<{ xid: string; data: string }[]>`
        SELECT xid::text, data FROM pg_logical_slot_get_changes(${slot}, NULL, NULL,
          'include-timestamp', '1')`;
      const withInvoices = new Set(
        changes.filter((c) => c.data.startsWith('table public."Invoice"')).map((c) => c.xid),
      );
      const commits = changes.filter((c) => c.data.startsWith("COMMIT") && withInvoices.has(c.xid))
        .map((c) => new Date(/\(at (.*)\)/.exec(c.data)![1]!).getTime());
      assert.ok(commits.length >= 24, `dozens of commits with invoices: ${commits.length}`);
      assert.ok(commits.every((t, i) => i === 0 || t > commits[i - 1]!), "timestamps increase");
    } finally {
      await sql`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
                 WHERE slot_name = ${slot}`.catch(() => {});
      await sql.end();
      await db.drop();
    }
  },
});

Deno.test("live --serve: a client watches the rows arrive while live writes (embedded); a server is refused", async () => {
  const db = await setUp();
  try {
    if (db.kind === "server") {
      const r = await cli(["live", "--serve", ...FAST, "--date", DAY], { env: db.env });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /live --serve is for the embedded database/);
      return;
    }
    const child = spawnCli(
      ["live", "--serve", "--port", "0", "--date", DAY, ...FAST, "--json", ...COUNTS],
      { env: db.env },
    );
    const reader = textReader(child.stdout);
    const first = await readUntil(reader, "\n");
    const url = JSON.parse(first.split("\n")[0]!).url as string;
    const sql = postgres(url, { onnotice: () => {}, max: 1 });
    try {
      await commitsSeen(reader, 3);
      const [before] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM "Invoice"`;
      await commitsSeen(reader, 10);
      const [after] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM "Invoice"`;
      assert.ok(after!.n > before!.n, `invoices arrive: ${before!.n} then ${after!.n}`);
    } finally {
      await sql.end();
    }
    child.kill("SIGTERM");
    const [status] = await Promise.all([child.status, readUntil(reader, "\u0000")]);
    await child.stderr.cancel().catch(() => {});
    assert.equal(status.code, 130);
  } finally {
    await db.drop();
  }
});

/** The web shop's tables (setup --web), hashed. */
async function webHash(sql: postgres.Sql): Promise<unknown> {
  const [row] = await sql`
    SELECT (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY 1), '')) FROM chinook_web.session t) AS sessions,
           (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY 1), '')) FROM chinook_web.event t) AS events,
           (SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY 1), '')) FROM chinook_web.review t) AS reviews,
           (SELECT count(*)::int FROM chinook_web.event) AS event_count`;
  return row;
}

Deno.test("live with setup --web: the clickstream streams over the day and equals the batch's", async () => {
  const web = async () => {
    const db = await freshDatabase();
    await setupDatabase(db, ["--history-end", HISTORY_END, "--web"]);
    return db;
  };
  const batchDb = await web();
  const liveDb = await web();
  try {
    await ok(batchDb, ["simulate", "--date", DAY, ...COUNTS]);
    const r = await ok(liveDb, ["live", "--date", DAY, ...FAST, "--once", "--json", ...COUNTS]);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    const day = lines.find((l) => l.type === "day");
    assert.ok(day.web.events > 0, r.stdout);
    // The clickstream streams too: its events arrive over the day's commits.
    const streaming = lines.filter((l) => l.type === "commit" && l.clickEvents > 0);
    assert.ok(streaming.length >= 20, `commits with clickstream events: ${streaming.length}`);
    const expected = await batchDb.query(webHash);
    assert.deepEqual(await liveDb.query(webHash), expected);
    assert.deepEqual(await liveDb.query(rowsHash), await batchDb.query(rowsHash));
  } finally {
    await batchDb.drop();
    await liveDb.drop();
  }
});
