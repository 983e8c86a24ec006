/**
 * serve: the embedded database for several clients at once. Each client's
 * session settings are its own, clients beyond the limit wait for a place
 * instead of being turned away, an open transaction makes the others wait
 * (and the log says who holds it), a port in use is a usage error. Always
 * the embedded database, whatever TEST_DATABASE_URL says.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { MAX_CLIENTS } from "../lib/db/wire_server.ts";
import {
  cli,
  embeddedDatabase,
  readUntil,
  setupDatabase,
  spawnCli,
  type TestDatabase,
  textReader,
} from "./harness.ts";

interface Served {
  url: string;
  /** Stops serve (SIGINT) and returns its stderr. */
  stop(): Promise<string>;
}

async function serve(db: TestDatabase): Promise<Served> {
  const child = spawnCli(["serve", "--port", "0", "--json"], { env: db.env });
  const reader = textReader(child.stdout);
  const { url } = JSON.parse(await readUntil(reader, "\n"));
  return {
    url,
    async stop() {
      child.kill("SIGINT");
      const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
      await reader.cancel();
      assert.equal(status.code, 0, stderr);
      return stderr;
    },
  };
}

async function withServed(work: (served: Served, db: TestDatabase) => Promise<void>) {
  const db = embeddedDatabase(await Deno.makeTempDir({ prefix: "chinook-sim-serve-" }));
  try {
    await setupDatabase(db, ["--history-end", "2026-03-01"]);
    const served = await serve(db);
    try {
      await work(served, db);
    } finally {
      await served.stop().catch(() => {});
    }
  } finally {
    await db.drop();
  }
}

const client = (url: string) =>
  postgres(url, { max: 1, onnotice: () => {}, idle_timeout: 0, connect_timeout: 30 });

Deno.test("serve: one client's SET does not leak into another's session, and stays its own", async () => {
  await withServed(async ({ url }) => {
    const a = client(url);
    const b = client(url);
    try {
      const [before] = await b`SHOW search_path`;
      await a`SET search_path = nowhere`;
      await a`SET statement_timeout = '12345ms'`;
      const [seenByB] = await b`SHOW search_path`;
      assert.equal(seenByB!.search_path, before!.search_path, "B does not see A's search_path");
      const [timeoutB] = await b`SHOW statement_timeout`;
      assert.equal(timeoutB!.statement_timeout, "0");
      // B queries the Chinook tables unqualified, as it would on its own.
      const [tracks] = await b`SELECT count(*)::int AS n FROM "Track"`;
      assert.ok(tracks!.n > 1000);
      await b`SET search_path = public, pg_catalog`;
      const [ownA] = await a`SHOW search_path`;
      assert.equal(ownA!.search_path, "nowhere", "A keeps its own setting");
      const [ownTimeoutA] = await a`SHOW statement_timeout`;
      assert.equal(ownTimeoutA!.statement_timeout, "12345ms");
    } finally {
      await a.end();
      await b.end();
    }
  });
});

Deno.test(`serve: clients beyond the limit (${MAX_CLIENTS}) wait for a place instead of being dropped`, async () => {
  await withServed(async ({ url }) => {
    const count = MAX_CLIENTS + 4;
    const clients = Array.from({ length: count }, () => client(url));
    try {
      // Each holds its connection for a moment, so the last ones must wait for a place.
      const answers = await Promise.all(
        clients.map(async (sql, i) => {
          const [row] = await sql`SELECT ${i}::int AS i, pg_sleep(0.2)`;
          const i2 = row!.i as number;
          await new Promise((r) => setTimeout(r, 300));
          await sql.end();
          return i2;
        }),
      );
      assert.deepEqual(answers, Array.from({ length: count }, (_, i) => i));
    } finally {
      await Promise.all(clients.map((sql) => sql.end().catch(() => {})));
    }
  });
});

Deno.test("serve: an open transaction makes the others wait, and the log says who holds it", async () => {
  await withServed(async (served) => {
    const a = client(served.url);
    const b = client(served.url);
    try {
      let committedAt = 0;
      const transaction = a.begin(async (tx) => {
        await tx`SELECT 1`;
        await new Promise((r) => setTimeout(r, 3000));
        committedAt = Date.now();
      });
      await new Promise((r) => setTimeout(r, 300));
      const [row] = await b`SELECT 42 AS answer`;
      const answeredAt = Date.now();
      await transaction;
      assert.equal(row!.answer, 42);
      assert.ok(answeredAt >= committedAt, "B was answered only after A's commit");
    } finally {
      await a.end();
      await b.end();
    }
    const stderr = await served.stop();
    assert.match(
      stderr,
      /1 client\(s\) wait: client \d+ \(127\.0\.0\.1:\d+\) has had a transaction open/,
    );
  });
});

Deno.test("serve: a client waiting behind a transaction gives up after its lock_timeout (55P03)", async () => {
  await withServed(async (served) => {
    const a = client(served.url);
    const b = postgres(served.url, {
      max: 1,
      onnotice: () => {},
      connection: { lock_timeout: 1000 },
    });
    try {
      await b`SELECT 1`;
      const release = Promise.withResolvers<void>();
      const transaction = a.begin(async (tx) => {
        await tx`SELECT 1`;
        await release.promise;
      });
      await new Promise((r) => setTimeout(r, 300));
      await assert.rejects(b`SELECT 2`, (e: { code?: string }) => e.code === "55P03");
      // A command through serve's URL: --lock-timeout, then PostgreSQL's own lock timeout error.
      const started = Date.now();
      const r = await cli(["verify", "--lock-timeout", "1"], {
        env: { DATABASE_URL: served.url },
      });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /Timed out waiting for a lock/);
      assert.ok(Date.now() - started < 15_000);
      release.resolve();
      await transaction;
      const [row] = await b`SELECT 3 AS x`;
      assert.equal(row!.x, 3, "the client goes on once the transaction is over");
    } finally {
      await a.end();
      await b.end();
    }
  });
});

Deno.test("serve: a client gone mid-transaction is rolled back; the others go on", async () => {
  await withServed(async ({ url }) => {
    const a = client(url);
    const b = client(url);
    try {
      const [before] = await b`SELECT count(*)::int AS n FROM "Genre"`;
      const reserved = await a.reserve();
      await reserved`BEGIN`;
      await reserved`INSERT INTO "Genre" ("GenreId", "Name") VALUES (9999, 'half')`;
      await a.end({ timeout: 0 });
      const [after] = await b`SELECT count(*)::int AS n FROM "Genre"`;
      assert.equal(after!.n, before!.n);
    } finally {
      await b.end();
    }
  });
});

Deno.test("serve: a port in use is a usage error naming --port; nothing is opened", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const dir = await Deno.makeTempDir({ prefix: "chinook-sim-serve-port-" });
  try {
    const r = await cli(["serve", "--port", String(taken.addr.port)], {
      env: { SIM_DATA_DIR: dir },
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `Cannot listen on port ${taken.addr.port}: it is in use; pick another with --port`,
      ),
    );
    assert.deepEqual([...Deno.readDirSync(dir)], [], "the data directory was not touched");
  } finally {
    taken.close();
    await Deno.remove(dir, { recursive: true });
  }
});
