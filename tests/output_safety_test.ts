/**
 * What reaches a terminal is safe: database text with control characters
 * is escaped in text output and exact in JSON; no credential of a URL
 * appears on stdout, in --json or in the logs.
 */
import assert from "node:assert/strict";
import { syntheticChinookSql } from "../lib/chinook/synthetic/dump.ts";
import { chinookSource, cli, freshDatabase, setupDatabase } from "./harness.ts";

// deno-lint-ignore no-control-regex -- any raw control character but newline is a failure
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/;
/** Clears the screen, then a C1 CSI and a bidi override: what a hostile name could hold. */
const HOSTILE = "\x1b[2J\x1b[H\u009b31m\u202e";

Deno.test("database text with control characters: escaped as text, exact in JSON", async (t) => {
  const db = await freshDatabase();
  try {
    await setupDatabase(db, ["--history-end", "2026-05-31"]);
    const r = await cli(["simulate", "--date", "2026-06-01", "--seed", "3"], { env: db.env });
    assert.equal(r.code, 0, r.stderr);
    await db.query(async (sql) => {
      await sql`UPDATE public."Invoice" SET "BillingCountry" = 'Nor' || ${HOSTILE} || 'way'`;
      await sql`UPDATE public."Genre" SET "Name" = "Name" || ${HOSTILE}`;
    });
    const range = ["report", "--from", "2026-06-01", "--to", "2026-06-01"];
    await t.step("text", async () => {
      const text = await cli(range, { env: db.env });
      assert.equal(text.code, 0, text.stderr);
      assert.doesNotMatch(text.stdout, RAW_CONTROL);
      assert.ok(
        text.stdout.includes("Nor\\u001b[2J\\u001b[H\\u009b31m\\u202eway"),
        "the escape shown, not obeyed",
      );
    });
    await t.step("CSV", async () => {
      const csv = await cli([...range, "--csv"], { env: db.env });
      assert.equal(csv.code, 0, csv.stderr);
      assert.doesNotMatch(csv.stdout, RAW_CONTROL);
    });
    await t.step("JSON: the exact text", async () => {
      const json = await cli([...range, "--json"], { env: db.env });
      assert.equal(json.code, 0, json.stderr);
      assert.doesNotMatch(json.stdout, RAW_CONTROL);
      const data = JSON.parse(json.stdout);
      assert.equal(data.topCountries[0].name, `Nor${HOSTILE}way`);
      assert.ok(data.topGenres.every((g: { name: string }) => g.name.endsWith(HOSTILE)));
    });
  } finally {
    await db.drop();
  }
});

Deno.test("no credential of a URL on any stream", async (t) => {
  const source = chinookSource();
  const text = source === "synthetic"
    ? syntheticChinookSql({ seed: "chinook", lastHistoryDay: "2026-03-08" })
    : await Deno.readTextFile(source);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(text),
  );
  const url = `http://user:tok3nsecret@127.0.0.1:${server.addr.port}/chinook.sql?token=tok3nsecret`;
  try {
    const cases: Array<[string, string[]]> = [
      ["text", []],
      ["--json", ["--json"]],
      ["JSON logs", ["--log-format", "json", "--json"]],
    ];
    for (const [name, extra] of cases) {
      await t.step(name, async () => {
        const db = await freshDatabase();
        try {
          const r = await cli(
            ["setup", "--chinook-sql", url, "--history-end", "2026-03-08", ...extra],
            { env: { ...db.env, LOG_LEVEL: "debug" } },
          );
          assert.equal(r.code, 0, r.stderr);
          assert.doesNotMatch(r.stdout + r.stderr, /tok3nsecret/);
          assert.match(r.stdout, /user:\*\*\*\*@127\.0\.0\.1/, "the URL shown, its secret masked");
          if (extra.includes("--json")) JSON.parse(r.stdout);
          if (extra.includes("json")) {
            for (const line of r.stderr.trim().split("\n")) JSON.parse(line);
          }
        } finally {
          await db.drop();
        }
      });
    }
  } finally {
    await server.shutdown();
  }
});
