/**
 * Logs: with --log-format json EVERY line on stderr is one JSON object (the
 * fatal error and usage errors included); LOG_LEVEL=debug shows each
 * statement's time and each phase of a day with its size; setup --cdc warns
 * when wal_level is not logical.
 */
import assert from "node:assert/strict";
import {
  cli,
  embeddedDatabase,
  ON_SERVER,
  type TestDatabase,
  withSetUpDatabase,
} from "./harness.ts";

interface LogLine {
  "@timestamp": string;
  level: string;
  message: string;
  logger: string;
  properties: Record<string, unknown>;
}

/** Every stderr line parsed as JSON; fails, naming the line, on one that is not. */
function jsonLines(stderr: string): LogLine[] {
  return stderr.split("\n").filter((line) => line !== "").map((line) => {
    let parsed: LogLine;
    try {
      parsed = JSON.parse(line);
    } catch {
      assert.fail(`a stderr line is not JSON: ${line}`);
    }
    assert.equal(typeof parsed.level, "string", line);
    assert.equal(typeof parsed.message, "string", line);
    return parsed;
  });
}

const DAY = "2026-03-09";

Deno.test("--log-format json: every stderr line is JSON, on success and on every failure", async (t) => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    const unreachable = { DATABASE_URL: "postgres://postgres:s3cret-pw@127.0.0.1:1/nowhere" };
    const cases: Array<{
      name: string;
      args: string[];
      env?: Record<string, string>;
      code: number;
      /** The fatal error: the last line, level ERROR, with the exit code. */
      error?: RegExp;
    }> = [
      {
        name: "a day written",
        args: ["simulate", "--date", DAY, "--seed", "3", "--log-format", "json"],
        code: 0,
      },
      {
        name: "the same day again (skipped)",
        args: ["simulate", "--date", DAY, "--seed", "3", "--log-format=json"],
        code: 0,
      },
      {
        name: "backfill of two days",
        args: ["backfill", "--from", "2026-03-10", "--to", "2026-03-11", "--log-format", "json"],
        code: 0,
      },
      {
        name: "an unknown option (usage, before any flag is checked)",
        args: ["simulate", "--log-format", "json", "--bogus"],
        code: 2,
        error: /Unknown option "--bogus"/,
      },
      {
        name: "a bad date",
        args: ["simulate", "--log-format", "json", "--date", "2026-02-30"],
        code: 2,
        error: /2026-02-30/,
      },
      {
        name: "an unknown command",
        args: ["simulte", "--log-format", "json"],
        code: 2,
        error: /Unknown command "simulte"/,
      },
      {
        name: "a bad LOG_LEVEL (configuration)",
        args: ["status", "--log-format", "json"],
        env: { LOG_LEVEL: "loud" },
        code: 3,
        error: /LOG_LEVEL "loud"/,
      },
      {
        name: "an unreachable database, with --verbose (the stack inside the line)",
        args: ["status", "--log-format", "json", "--verbose"],
        env: unreachable,
        code: 3,
        error: /Cannot connect/,
      },
      {
        name: "a day in the future",
        args: ["simulate", "--log-format", "json", "--date", "2999-01-01"],
        code: 2,
        error: /2999-01-01/,
      },
      {
        name: "verify fails on a day not simulated (a failed check, no fatal error)",
        args: ["verify", "--log-format", "json", "--date", "2026-03-20"],
        code: 1,
      },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        const r = await cli(c.args, { env: { ...db.env, ...c.env } });
        assert.equal(r.code, c.code, r.stderr);
        const lines = jsonLines(r.stderr);
        assert.ok(lines.length > 0, "some line on stderr");
        if (c.error) {
          const last = lines[lines.length - 1]!;
          assert.equal(last.level, "ERROR", JSON.stringify(last));
          assert.equal(last.properties.exitCode, c.code);
          assert.match(last.message, c.error);
        }
        if (c.args.includes("--verbose")) {
          assert.match(String(lines[lines.length - 1]!.properties.stack), /\n\s+at /);
        }
        assert.doesNotMatch(r.stderr, /s3cret-pw/);
      });
    }
  });
});

Deno.test("LOG_LEVEL=debug: statements with their times, each phase of a day with its size", async (t) => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    await t.step("text", async () => {
      const r = await cli(
        ["simulate", "--date", DAY, "--seed", "5", "--inserts", "7", "--updates", "2"],
        { env: { ...db.env, LOG_LEVEL: "debug" } },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /DEBUG.*statement: [0-9.]+ ms, \d+ rows: INSERT INTO/);
      assert.match(r.stderr, /DEBUG.*2026-03-09: snapshot in [0-9.]+ ms: customers \d+/);
      assert.match(
        r.stderr,
        /DEBUG.*2026-03-09: plan in [0-9.]+ ms: invoices 7, lines \d+, updates 2/,
      );
      assert.match(r.stderr, /DEBUG.*2026-03-09: writes in [0-9.]+ ms/);
      assert.match(r.stderr, /DEBUG.*2026-03-09: commit in [0-9.]+ ms; the day took \d+ ms/);
    });
    await t.step("json: the same detail as fields", async () => {
      const r = await cli(
        [
          "simulate",
          "--date",
          "2026-03-10",
          "--seed",
          "5",
          "--inserts",
          "7",
          "--log-format",
          "json",
        ],
        { env: { ...db.env, LOG_LEVEL: "debug" } },
      );
      assert.equal(r.code, 0, r.stderr);
      const lines = jsonLines(r.stderr);
      const statements = lines.filter((l) => l.logger === "chinook-sim.db.statement");
      assert.ok(statements.length > 5, `${statements.length} statement lines`);
      for (const s of statements) {
        assert.equal(typeof s.properties.ms, "number");
        assert.equal(typeof s.properties.statement, "string");
      }
      const plan = lines.find((l) => l.properties.phase === "plan");
      assert.equal(plan?.properties.invoices, 7);
    });
    await t.step("info (the default) shows none of it", async () => {
      const r = await cli(["simulate", "--date", "2026-03-11", "--seed", "5"], { env: db.env });
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /DEBUG/);
    });
  });
});

Deno.test("setup --cdc warns when wal_level is not logical", async (t) => {
  // The embedded database runs with wal_level replica.
  await t.step("embedded: warned", async () => {
    const db = embeddedDatabase(await Deno.makeTempDir({ prefix: "chinook-sim-test-" }));
    try {
      const r = await cli(
        ["setup", "--cdc", "--chinook-sql", "synthetic", "--log-format", "json"],
        {
          env: db.env,
        },
      );
      assert.equal(r.code, 0, r.stderr);
      const warning = jsonLines(r.stderr).find((l) => l.logger === "chinook-sim.cdc");
      assert.equal(warning?.level, "WARN");
      assert.match(warning!.message, /wal_level is "replica", not logical/);
    } finally {
      await db.drop();
    }
  });
  if (ON_SERVER) {
    await t.step("server: warned only when it is not logical", async () => {
      await withSetUpDatabase("2026-03-08", async (db: TestDatabase) => {
        const level = await db.query(async (sql) =>
          (await sql<{ wal_level: string }[]>`SHOW wal_level`)[0]!.wal_level
        );
        const r = await cli(["setup", "--cdc"], { env: db.env });
        assert.equal(r.code, 0, r.stderr);
        if (level === "logical") assert.doesNotMatch(r.stderr, /wal_level/);
        else assert.match(r.stderr, /wal_level is/);
      });
    });
  }
});
