/**
 * Faults on the real server: a killed process, a dropped connection, a lock
 * that does not come, a read-only database, eight processes at once. After
 * each, nothing half-written, and the next run writes the day completely.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { cli, fingerprint, serverTest, spawnCli, type TestDatabase } from "./harness.ts";
import { assertDayIntegrity } from "./integrity.ts";

const DAY = "2026-03-09";

function spawnSimulate(db: TestDatabase, args: string[]) {
  return spawnCli(["simulate", "--date", DAY, ...args], { env: db.env });
}

/** Waits until the day's transaction is writing rows. */
async function untilWriting(db: TestDatabase): Promise<number> {
  for (let i = 0; i < 300; i++) {
    const [row] = await db.query((sql) =>
      sql`SELECT pid FROM pg_stat_activity
           WHERE datname = current_database() AND application_name = 'chinook-sim' AND state = 'active'
             AND pid <> pg_backend_pid()
             AND (query LIKE '%INSERT INTO public."Invoice%' OR query LIKE 'COPY %"Invoice%')`
    );
    if (row) return row.pid as number;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the simulator never started writing");
}

async function assertNothingOfTheDay(db: TestDatabase, before: string): Promise<void> {
  assert.equal(await db.query(fingerprint), before, "the database is exactly as before");
  const [n] = await db.query((sql) =>
    sql`SELECT count(*)::int AS n FROM chinook_sim.ledger WHERE sim_date = ${DAY}`
  );
  assert.equal(n!.n, 0, "no ledger row for the day");
}

/**
 * A fault while a day is being written: afterwards nothing of the day is
 * there (the database is exactly as `before`), and the next run writes the
 * day completely.
 */
function faultTest(name: string, fault: (db: TestDatabase, before: string) => Promise<void>) {
  serverTest(name, "2026-03-08", async (db) => {
    const before = await db.query(fingerprint);
    await fault(db, before);
    await assertNothingOfTheDay(db, before);
    await assertNextRunWritesTheDay(db);
  });
}

async function assertNextRunWritesTheDay(db: TestDatabase): Promise<void> {
  const r = await cli(["simulate", "--date", DAY, "--inserts", "500"], { env: db.env });
  assert.equal(r.code, 0, r.stderr);
  await db.query((sql) => assertDayIntegrity(sql, DAY));
}

faultTest(
  "SIGKILL in the middle of a large day: nothing visible, next run complete",
  async (db, before) => {
    const child = spawnSimulate(db, ["--inserts", "300000"]);
    await untilWriting(db);
    child.kill("SIGKILL");
    assert.notEqual((await child.status).code, 0);
    await child.stdout.cancel();
    await child.stderr.cancel();
    // The server rolls back once it notices the closed connection.
    for (let i = 0; i < 100 && (await db.query(fingerprint)) !== before; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
  },
);

faultTest(
  "connection terminated mid-transaction: clear error, exit 1, nothing written",
  async (db) => {
    const child = spawnSimulate(db, ["--inserts", "300000"]);
    const pid = await untilWriting(db);
    await db.query((sql) => sql`SELECT pg_terminate_backend(${pid})`);
    const out = await child.output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 1, stderr);
    const errors = stderr.split("\n").filter((l) => l.startsWith("error: "));
    assert.equal(errors.length, 1, stderr);
    assert.match(errors[0]!, /terminated the connection|connection to the database was lost/);
    assert.match(errors[0]!, /nothing (of the interrupted day )?was written/);
    assert.doesNotMatch(stderr, /^\s+at /m);
  },
);

faultTest(
  "a lock that never comes: bounded wait, clear error, nothing written",
  async (db) => {
    const url = db.env.DATABASE_URL!;
    const holder = postgres(url, { max: 1, onnotice: () => {} });
    const reserved = await holder.reserve();
    try {
      await reserved`BEGIN`;
      await reserved`LOCK TABLE public."Invoice" IN ACCESS EXCLUSIVE MODE`;
      const started = performance.now();
      const r = await cli(["simulate", "--date", DAY, "--lock-timeout", "2"], { env: db.env });
      const seconds = (performance.now() - started) / 1000;
      assert.equal(r.code, 1, r.stderr);
      assert.ok(seconds < 20, `bounded wait: ${seconds} s`);
      assert.match(r.stderr, /error: Timed out waiting for a lock .*raise --lock-timeout/);
      await reserved`ROLLBACK`;
      // Another run holding the simulator's own lock: the same bounded wait.
      await reserved`SELECT pg_advisory_lock(7429001)`;
      const blocked = await cli(["simulate", "--date", DAY, "--lock-timeout", "2"], {
        env: db.env,
      });
      assert.equal(blocked.code, 1);
      assert.match(blocked.stderr, /Timed out waiting for a lock/);
      await reserved`SELECT pg_advisory_unlock(7429001)`;
    } finally {
      reserved.release();
      await holder.end();
    }
  },
);

faultTest("a read-only database: clear error, nothing half-written", async (db) => {
  const name = new URL(db.env.DATABASE_URL!).pathname.slice(1);
  const admin = postgres(Deno.env.get("TEST_DATABASE_URL")!, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
    const r = await cli(["simulate", "--date", DAY], { env: db.env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /error: The database is read-only/);
    await admin.unsafe(`ALTER DATABASE ${name} RESET default_transaction_read_only`);
  } finally {
    await admin.end();
  }
});

serverTest(
  "two, then eight processes at once for the same days: each day written exactly once",
  "2026-03-08",
  async (db) => {
    const days = ["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12"];
    const two = await Promise.all([
      cli(["simulate", "--date", days[0]!, "--inserts", "3000"], { env: db.env }),
      cli(["backfill", "--from", days[0]!, "--to", days[1]!], { env: db.env }),
    ]);
    const eight = await Promise.all([
      ...days.map((d) => cli(["simulate", "--date", d, "--inserts", "2000"], { env: db.env })),
      cli(["backfill", "--from", days[0]!, "--to", days[3]!], { env: db.env }),
      cli(["backfill", "--from", days[1]!, "--to", days[3]!], { env: db.env }),
      cli(["backfill", "--from", days[2]!, "--to", days[3]!, "--seed", "4"], { env: db.env }),
      cli(["simulate", "--date", days[3]!], { env: db.env }),
    ]);
    for (const r of [...two, ...eight]) assert.equal(r.code, 0, r.stderr);
    await db.query(async (sql) => {
      const ledger =
        await sql`SELECT sim_date::text AS day, runs FROM chinook_sim.ledger ORDER BY 1`;
      assert.deepEqual(ledger.map((r) => [r.day, r.runs]), days.map((d) => [d, 1]));
      for (const d of days) await assertDayIntegrity(sql, d);
    });
    const verify = await cli(["verify"], { env: db.env });
    assert.equal(verify.code, 0, verify.stdout);
  },
);

serverTest(
  "the password never appears in any output, at any log level, also on failures",
  null,
  async (db) => {
    const secret = "S3cr3t-Pa55word";
    const url = new URL(db.env.DATABASE_URL!);
    url.password = secret;
    const withSecret = { DATABASE_URL: url.href };
    const unreachable = { DATABASE_URL: `postgres://postgres:${secret}@127.0.0.1:1/nowhere` };
    const wrongDb = {
      DATABASE_URL: `postgres://postgres:${secret}@127.0.0.1:5432/no_such_database_here`,
    };
    const byParts = {
      PGHOST: url.hostname,
      PGPORT: url.port || "5432",
      PGUSER: "postgres",
      PGPASSWORD: secret,
      PGDATABASE: url.pathname.slice(1),
    };
    const runs: Array<[Record<string, string>, string[]]> = [
      [{ ...withSecret, LOG_LEVEL: "debug" }, [
        "setup",
        "--chinook-sql",
        Deno.env.get("CHINOOK_SQL") ?? "synthetic",
        "--history-end",
        "2026-03-08",
        "--verbose",
      ]],
      [
        { ...withSecret, LOG_LEVEL: "debug" },
        `simulate --date ${DAY} --json --log-format json --verbose`.split(" "),
      ],
      [
        { ...withSecret, LOG_LEVEL: "info" },
        `backfill --from 2026-03-10 --to 2026-03-11`.split(" "),
      ],
      [{ ...byParts, LOG_LEVEL: "debug" }, ["status", "--json", "--verbose"]],
      [{ ...withSecret }, ["simulate", "--inserts", "oops"]],
      [{ ...unreachable, LOG_LEVEL: "debug" }, ["simulate", "--verbose"]],
      [{ ...unreachable, LOG_LEVEL: "debug" }, ["status", "--log-format", "json"]],
      [{ ...wrongDb, LOG_LEVEL: "debug" }, ["verify", "--verbose"]],
      [{ ...byParts, PGPORT: "1" }, ["simulate", "--verbose"]],
    ];
    for (const [env, args] of runs) {
      const r = await cli(args, { env });
      const all = r.stdout + r.stderr;
      assert.ok(!all.includes(secret), `${args.join(" ")} printed the password: ${all}`);
      assert.ok(
        !all.includes(encodeURIComponent(secret)),
        `${args.join(" ")} printed the encoded password`,
      );
    }
  },
);
