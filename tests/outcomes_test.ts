/**
 * Honest outcomes: a setup that fails part-way leaves nothing behind and
 * names the step; what fails after a commit says that the day was committed
 * and what was not written (exit 4), and every claim is checked against the
 * database.
 */
import assert from "node:assert/strict";
import { syntheticChinookSql } from "../lib/chinook/synthetic/dump.ts";
import {
  chinookSource,
  cli,
  embeddedDatabase,
  freshDatabase,
  type Sql,
  type TestDatabase,
  withSetUpDatabase,
} from "./harness.ts";
import { ok } from "./ledger_helpers.ts";

/** The Chinook dump the tests load, as text. */
async function chinookText(): Promise<string> {
  const source = chinookSource();
  return source === "synthetic"
    ? syntheticChinookSql({ seed: "chinook", lastHistoryDay: "2026-03-08" })
    : await Deno.readTextFile(source);
}

/** Tables in the database besides PostgreSQL's own. */
async function tables(sql: Sql): Promise<string[]> {
  return (await sql<{ name: string }[]>`
    SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
     WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`).map((r) => r.name);
}

Deno.test("a Chinook dump that fails part-way leaves nothing behind and names the statement", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "chinook-sim-dumps-" });
  try {
    const text = await chinookText();
    const failing = `${dir}/failing.sql`;
    // Every table loaded, then one statement of a Chinook dump the database refuses.
    await Deno.writeTextFile(
      failing,
      `${text}\nALTER TABLE ONLY public."Genre" ADD CONSTRAINT "PK_Genre" PRIMARY KEY ("GenreId");\n`,
    );
    const ddlOnly = `${dir}/ddl_only.sql`;
    // The tables and one genre, but no customers or tracks: not a complete Chinook.
    await Deno.writeTextFile(
      ddlOnly,
      text.slice(0, text.indexOf("\nCOPY ")) +
        '\nCOPY public."Genre" ("GenreId", "Name") FROM stdin;\n1\tRock\n\\.\n',
    );
    const cases: Array<[string, string[], string, RegExp]> = [
      [
        "setup, a failing statement",
        ["setup", "--history-end", "2026-03-08"],
        failing,
        /^error: Cannot load Chinook from .*failing\.sql: statement \d+ at line \d+ \(ALTER TABLE ONLY public\."Genre" ADD CONSTRAINT .*\) failed: .*; nothing was written$/m,
      ],
      [
        "setup, tables without rows",
        ["setup", "--history-end", "2026-03-08"],
        ddlOnly,
        /^error: The Chinook tables Customer, Track, Employee have no rows: .*; nothing was written$/m,
      ],
      [
        "an embedded first run, a failing statement",
        ["simulate", "--date", "2026-03-09"],
        failing,
        /^error: Cannot load Chinook from .*: statement \d+ .* failed: .*; nothing was written$/m,
      ],
    ];
    for (const [name, args, dump, message] of cases) {
      await t.step(name, async () => {
        // A server is set up explicitly: the first run that sets itself up is the embedded one's.
        const db: TestDatabase = args[0] === "simulate"
          ? embeddedDatabase(await Deno.makeTempDir({ prefix: "chinook-sim-first-" }))
          : await freshDatabase();
        try {
          const r = await cli([...args, "--chinook-sql", dump], { env: db.env });
          assert.equal(r.code, 3, r.stderr);
          assert.match(r.stderr, message);
          assert.doesNotMatch(r.stderr, /refused the day/);
          assert.equal(r.stdout, "");
          assert.deepEqual(await db.query(tables), [], "nothing left behind");
        } finally {
          await db.drop();
        }
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a manifest that cannot be written after the commit: exit 4, the day committed, and the file written later", async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    const dir = await Deno.makeTempDir({ prefix: "chinook-sim-manifests-" });
    try {
      // Passes every check before the transaction, fails when the file is written
      // (a directory that is not empty where its temporary file goes).
      await Deno.mkdir(`${dir}/2026-03-09.json.tmp/blocker`, { recursive: true });
      const r = await cli(
        ["simulate", "--date", "2026-03-09", "--inserts", "30", "--json", "--manifest-dir", dir],
        { env: db.env },
      );
      assert.equal(r.code, 4, r.stderr);
      const errors = r.stderr.split("\n").filter((l) => l.startsWith("error: "));
      assert.equal(errors.length, 1, r.stderr);
      assert.match(
        errors[0]!,
        /^error: 2026-03-09 was committed \(run 1 of the day\), but its manifest was not written to ".*": .*simulate --date 2026-03-09" writes the file/,
      );
      assert.doesNotMatch(r.stderr, /nothing was written/);
      // The claims hold: the day is committed as printed, its manifest kept in the database.
      const printed = JSON.parse(r.stdout);
      assert.equal(printed.status, "written");
      const recorded = await db.query(async (sql) => {
        const [run] = await sql`
          SELECT inserts, first_invoice_id, manifest FROM chinook_sim.run WHERE sim_date = '2026-03-09'`;
        assert.deepEqual([run!.inserts, run!.first_invoice_id], [30, printed.firstInvoiceId]);
        return run!.manifest;
      });
      await Deno.remove(`${dir}/2026-03-09.json.tmp`, { recursive: true });
      const again = await ok(db, ["simulate", "--date", "2026-03-09", "--manifest-dir", dir]);
      assert.match(again.stdout, /already simulated/);
      assert.match(
        again.stderr,
        /The manifest of an earlier run was missing: written to .*2026-03-09\.json/,
      );
      assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/2026-03-09.json`)), recorded);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});
