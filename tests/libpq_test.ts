/**
 * libpq's conventions on the real server: a Unix-socket PGHOST (or
 * ?host=/dir), the password file (PGPASSFILE; ignored with libpq's warning
 * when others can read it), a list of hosts tried in order. The local
 * server trusts every connection, so that the password file's password is
 * the one used is shown by the unit tests (lib/cli/pgpass_test.ts); here,
 * that reading it works and that a readable-by-all file is refused.
 */
import assert from "node:assert/strict";
import { cli, ON_SERVER, serverOnly, type TestDatabase, withSetUpDatabase } from "./harness.ts";
import { ok } from "./ledger_helpers.ts";

const SOCKET_DIR = "/var/run/postgresql";
const HAS_SOCKET = (() => {
  try {
    return Deno.statSync(`${SOCKET_DIR}/.s.PGSQL.5432`).isSocket === true;
  } catch {
    return false;
  }
})();

function databaseName(db: TestDatabase): string {
  return decodeURIComponent(new URL(db.env.DATABASE_URL!).pathname.slice(1));
}

function socketTest(name: string, work: (db: TestDatabase) => Promise<void>): void {
  Deno.test({
    name: serverOnly(name, `needs TEST_DATABASE_URL and a server socket in ${SOCKET_DIR}`),
    ignore: !ON_SERVER || !HAS_SOCKET,
    fn: () => withSetUpDatabase("2026-03-01", work),
  });
}

socketTest(
  "libpq: a Unix-socket PGHOST (a directory) connects; PGUSERNAME is never read",
  async (db) => {
    const env = { PGHOST: SOCKET_DIR, PGDATABASE: databaseName(db), PGUSER: "postgres" };
    const day = await cli([
      "simulate",
      "--date",
      "2026-03-02",
      "--inserts",
      "20",
      "--manifest-dir",
      "none",
    ], { env });
    assert.equal(day.code, 0, day.stderr);
    assert.doesNotMatch(day.stderr, /PGUSERNAME|allow-env/);
    // Without PGUSER too: the user is "postgres", not asked of the OS or PGUSERNAME.
    const status = await cli(["status", "--json"], {
      env: { PGHOST: SOCKET_DIR, PGDATABASE: databaseName(db) },
    });
    assert.equal(status.code, 0, status.stderr);
    assert.equal(JSON.parse(status.stdout).lastDay, "2026-03-02");
    const rows = await db.query((sql) => sql`SELECT inserts FROM chinook_sim.ledger`);
    assert.deepEqual(rows.map((r) => r.inserts), [20]);
  },
);

socketTest(
  "libpq: a socket directory in DATABASE_URL (?host=/dir, or %2F-encoded as the host)",
  async (db) => {
    const name = encodeURIComponent(databaseName(db));
    for (
      const url of [
        `postgres://postgres@/${name}?host=${SOCKET_DIR}`,
        `postgres://postgres@${encodeURIComponent(SOCKET_DIR)}:5432/${name}`,
      ]
    ) {
      const r = await cli(["verify", "--allow-empty"], { env: { DATABASE_URL: url } });
      assert.equal(r.code, 0, `${url}: ${r.stderr}`);
    }
  },
);

socketTest(
  "libpq: the password file is read (PGPASSFILE), and ignored with a warning when others can read it",
  async (db) => {
    const dir = await Deno.makeTempDir({ prefix: "chinook-sim-pgpass-" });
    try {
      const file = `${dir}/pgpass`;
      await Deno.writeTextFile(file, `localhost:5432:*:postgres:pgpass-secret\n`);
      const env = { PGHOST: SOCKET_DIR, PGDATABASE: databaseName(db), PGPASSFILE: file };
      await Deno.chmod(file, 0o644);
      const open = await cli(["status"], { env });
      assert.equal(open.code, 0, open.stderr);
      assert.match(
        open.stderr,
        /password file ".*pgpass" has group or world access; permissions should be u=rw \(0600\) or less/,
      );
      await Deno.chmod(file, 0o600);
      const closed = await cli(["status", "--verbose"], { env });
      assert.equal(closed.code, 0, closed.stderr);
      assert.doesNotMatch(closed.stderr, /group or world access/);
      assert.doesNotMatch(
        closed.stdout + closed.stderr,
        /pgpass-secret/,
        "the password never prints",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test({
  name: serverOnly("libpq: a list of hosts is tried in order: a dead first host, then the server"),
  ignore: !ON_SERVER,
  fn: () =>
    withSetUpDatabase("2026-03-01", async (db) => {
      const url = new URL(db.env.DATABASE_URL!);
      const list = `postgres://${url.username}@127.0.0.1:1,${url.host}${url.pathname}`;
      await ok({ ...db, env: { DATABASE_URL: list } }, [
        "simulate",
        "--date",
        "2026-03-02",
        "--inserts",
        "5",
        "--manifest-dir",
        "none",
      ]);
      const rows = await db.query((sql) => sql`SELECT inserts FROM chinook_sim.ledger`);
      assert.deepEqual(rows.map((r) => r.inserts), [5]);
    }),
});
