import assert from "node:assert/strict";
import { pgpassLookup, pgpassPath } from "./pgpass.ts";

const FILE = [
  "# comment",
  "db.example:5432:shop:ann:first",
  "db.example:*:*:ann:second",
  "localhost:5432:*:bob:s\\:ecret\\\\x",
  "/var/run/postgresql:5433:*:carl:sock",
  "*:*:*:*:fallback",
  "too:few:fields",
].join("\n");

Deno.test("pgpass: the first matching line wins; * matches anything; \\: and \\\\ escaped", async (t) => {
  const cases: Array<[string, string[], number, string, string, string | null]> = [
    ["exact", ["db.example"], 5432, "shop", "ann", "first"],
    ["wildcards after an exact miss", ["db.example"], 6543, "other", "ann", "second"],
    ["escapes", ["localhost"], 5432, "d", "bob", "s:ecret\\x"],
    ["a socket directory", ["/var/run/postgresql", "localhost"], 5433, "d", "carl", "sock"],
    ["the catch-all", ["elsewhere"], 1, "d", "zoe", "fallback"],
    [
      "hosts in order: the first host's line",
      ["nowhere.example", "db.example"],
      5432,
      "shop",
      "ann",
      "fallback",
    ],
  ];
  for (const [name, hosts, port, database, user, expected] of cases) {
    await t.step(name, () => {
      assert.equal(pgpassLookup(FILE, { hosts, port, database, user }), expected);
    });
  }
  await t.step("no match", () => {
    assert.equal(
      pgpassLookup("a:1:b:c:d", { hosts: ["x"], port: 1, database: "b", user: "c" }),
      null,
    );
  });
});

Deno.test("pgpass: PGPASSFILE, else ~/.pgpass", () => {
  assert.equal(pgpassPath({ PGPASSFILE: "/x/pw", HOME: "/home/a" }), "/x/pw");
  assert.equal(pgpassPath({ HOME: "/home/a" }), "/home/a/.pgpass");
  assert.equal(pgpassPath({}), null);
});
