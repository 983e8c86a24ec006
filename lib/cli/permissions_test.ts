import assert from "node:assert/strict";
import { posix } from "node:path";
import { databaseHosts, denoFlags, flagTexts, grantFor, parentDirectory } from "./permissions.ts";

const BASE = { cwd: "/work", tempDir: "/tmp", projectDir: "/app" };

Deno.test("the database's hosts, libpq's way", async (t) => {
  const cases: Array<[string, Record<string, string>, string[], string[]]> = [
    ["one host, default port", { DATABASE_URL: "postgres://u:p@db.example.com/x" }, [
      "db.example.com:5432",
    ], []],
    [
      "several hosts and ports",
      {
        DATABASE_URL: "postgresql://u@a.example.com:5433,b.example.com/x?sslmode=require",
      },
      ["a.example.com:5433", "b.example.com:5432"],
      [],
    ],
    ["IPv6", { DATABASE_URL: "postgres://u@[::1]:6000/x" }, ["[::1]:6000"], []],
    ["a password with @ and :", { DATABASE_URL: "postgres://u:p%40ss:w@h.example.com:7/x" }, [
      "h.example.com:7",
    ], []],
    ["a socket in ?host=", { DATABASE_URL: "postgres://u@/x?host=/var/run/postgresql" }, [], [
      "/var/run/postgresql/.s.PGSQL.5432",
    ]],
    ["PGHOST and PGPORT", { PGHOST: "p.example.com", PGPORT: "6432" }, ["p.example.com:6432"], []],
    ["PGDATABASE only: localhost", { PGDATABASE: "x" }, ["localhost:5432"], []],
    ["not a port: no grant", { PGHOST: "127.0.0.1", PGPORT: "99999" }, [], []],
    ["a URL's port past 65535: no grant", { DATABASE_URL: "postgres://u@h:70000/x" }, [], []],
    ["nothing: the embedded database", {}, [], []],
    [
      "a socket directory as the host",
      {
        DATABASE_URL: "postgres://u@%2Fvar%2Frun%2Fpostgresql:5433/x",
      },
      [],
      ["/var/run/postgresql/.s.PGSQL.5433"],
    ],
    [
      "a configuration the tool refuses: nothing",
      { DATABASE_URL: "mysql://u@h.example.com/x" },
      [],
      [],
    ],
  ];
  for (const [name, env, hosts, sockets] of cases) {
    await t.step(name, () => {
      const found = databaseHosts(env);
      assert.deepEqual({ hosts: found.hosts, sockets: found.sockets }, { hosts, sockets });
    });
  }
});

Deno.test("the grant for a command line", async (t) => {
  await t.step(
    "embedded simulate: loopback and the sample's host; the working and data directories",
    () => {
      const g = grantFor({ ...BASE, args: ["simulate", "--data-dir", "db"], env: {} });
      assert.deepEqual(g.net, ["127.0.0.1", "localhost", "[::1]", "raw.githubusercontent.com"]);
      assert.deepEqual(g.read, ["/work", "/tmp", "/app", "/work/db"]);
      assert.deepEqual(g.write, ["/work", "/tmp", "/work/db"]);
    },
  );
  await t.step("audit: the warehouse's host beside the database's; expect's --out", () => {
    const audit = grantFor({
      ...BASE,
      args: [
        "audit",
        "--warehouse",
        "postgres://u:p@wh.example.com:6000/dw",
        "--as-of",
        "2024-01-02",
      ],
      env: { DATABASE_URL: "postgres://u@db.example.com/x" },
    });
    assert.deepEqual(audit.net, [
      "127.0.0.1",
      "localhost",
      "[::1]",
      "db.example.com:5432",
      "wh.example.com:6000",
    ]);
    const expect = grantFor({ ...BASE, args: ["expect", "--out", "answers"], env: {} });
    assert.ok(expect.write.includes("/work/answers"));
  });
  await t.step("server catch-up: its host, no download", () => {
    const g = grantFor({
      ...BASE,
      args: ["catch-up"],
      env: { DATABASE_URL: "postgres://u@db.example.com/x" },
    });
    assert.deepEqual(g.net, ["127.0.0.1", "localhost", "[::1]", "db.example.com:5432"]);
  });
  await t.step("paths named: read, written (with the directory they are written in)", () => {
    const g = grantFor({
      ...BASE,
      args: [
        "simulate",
        "--model=/etc/m.json",
        "--manifest-dir",
        "/out/m",
        "--chinook-sql",
        "/data/c.sql",
        "--env-file",
        "conf/.env",
      ],
      env: {},
      nearestDirectory: (p) => (p === "/out/m" ? "/out" : p),
    });
    for (const p of ["/etc/m.json", "/out/m", "/out", "/data/c.sql", "/work/conf/.env"]) {
      assert.ok(g.read.includes(p), p);
    }
    assert.ok(g.write.includes("/out/m") && g.write.includes("/out"));
    assert.ok(!g.write.includes("/etc/m.json") && !g.write.includes("/data/c.sql"));
    assert.ok(!g.net.includes("raw.githubusercontent.com"), "a file given: no download");
  });
  await t.step("a server's password file: PGPASSFILE, else ~/.pgpass, read only", () => {
    const server = { DATABASE_URL: "postgres://u@db.example.com/x" };
    const own = grantFor({ ...BASE, args: ["status"], env: { ...server, PGPASSFILE: "/s/pass" } });
    assert.ok(own.read.includes("/s/pass") && !own.write.includes("/s/pass"));
    const home = grantFor({ ...BASE, args: ["status"], env: { ...server, HOME: "/home/u" } });
    assert.ok(home.read.includes("/home/u/.pgpass"));
    const embedded = grantFor({ ...BASE, args: ["status"], env: { HOME: "/home/u" } });
    assert.ok(!embedded.read.includes("/home/u/.pgpass"));
  });
  await t.step("a dump by URL: its host; synthetic: none", () => {
    const url = grantFor({
      ...BASE,
      args: ["setup", "--chinook-sql", "https://x.example/c.sql"],
      env: {},
    });
    assert.ok(url.net.includes("x.example"));
    const synthetic = grantFor({ ...BASE, args: ["setup"], env: { CHINOOK_SQL: "synthetic" } });
    assert.deepEqual(synthetic.net, ["127.0.0.1", "localhost", "[::1]"]);
  });
  await t.step("hosts Deno would refuse are left out; a bare IPv6 --host is bracketed", () => {
    const flags = denoFlags({
      net: [
        "my_host:5432",
        "a b:5432",
        "x..y",
        "[::1]:5432",
        "h%20x",
        "unix:/run/pg/.s.PGSQL.5432",
      ],
      read: ["/a"],
      write: [],
    }, []);
    assert.deepEqual(flags, [
      "--allow-net=my_host:5432,[::1]:5432,unix:/run/pg/.s.PGSQL.5432",
      "--allow-read=/a",
      "--allow-sys=statfs",
    ]);
    const serve = grantFor({ ...BASE, args: ["serve", "--host", "::"], env: {} });
    assert.ok(serve.net.includes("[::]"), serve.net.join(" "));
  });
  await t.step("flags after -- are not flags", () => {
    assert.deepEqual([...flagTexts(["--model", "a", "--", "--html", "b"])], [["model", "a"]]);
  });
  await t.step("as deno flags; a path with a comma is left out, an empty list is no flag", () => {
    const flags = denoFlags({ net: ["h:1"], read: ["/a", "/b,c"], write: [] }, ["X", "Y"]);
    assert.deepEqual(flags, [
      "--allow-net=h:1",
      "--allow-read=/a",
      "--allow-env=X,Y",
      "--allow-sys=statfs",
    ]);
  });
});

Deno.test("parentDirectory is node:path's dirname", async (t) => {
  const cases = [
    "",
    ".",
    "..",
    "a",
    "a/",
    "a/b",
    "a//b//",
    "/",
    "//",
    "///a",
    "/a",
    "/a/",
    "/a/b",
    "/a//b",
    "/a/b///",
    "./a",
    "../a/b",
    "/tmp/x y/z",
  ];
  for (const path of cases) {
    await t.step(JSON.stringify(path), () => {
      assert.equal(parentDirectory(path), posix.dirname(path));
    });
  }
});
