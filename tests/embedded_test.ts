/**
 * The embedded default: zero setup, persistence, serve, crash safety, and
 * the offline catalogue. These always use PGlite, whatever TEST_DATABASE_URL says.
 */
import assert from "node:assert/strict";
import { addDays, todayIn } from "../lib/sim/calendar.ts";
import { chinookSource, cli, queryEmbedded, readUntil, spawnCli, textReader } from "./harness.ts";

const YESTERDAY = addDays(todayIn("UTC", new Date()), -1);

function hasCommand(name: string): boolean {
  try {
    return new Deno.Command(name, { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

Deno.test("first simulate sets up the embedded database; a second call writes nothing new", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chinook-sim-embedded-" });
  try {
    const env = { SIM_DATA_DIR: `${dir}/data`, CHINOOK_SQL: chinookSource() };
    const first = await cli(["simulate", "--seed", "11"], { env });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /Using embedded PostgreSQL in .*data/);
    assert.match(first.stderr, /First run on this embedded database: setting it up/);
    assert.match(first.stdout, new RegExp(`^${YESTERDAY}: \\d+ invoices`));
    const second = await cli(["simulate", "--seed", "11"], { env });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /already simulated/);
    await queryEmbedded(`${dir}/data`, async (sql) => {
      const ledger = await sql`SELECT sim_date::text AS day, inserts FROM chinook_sim.ledger`;
      assert.equal(ledger.length, 1);
      assert.equal(ledger[0]!.day, YESTERDAY);
      const [n] = await sql`SELECT count(*)::int AS n FROM public."Invoice"
        WHERE "InvoiceDate" >= ${YESTERDAY}::date AND "InvoiceDate" < ${YESTERDAY}::date + 1`;
      assert.equal(n!.n, ledger[0]!.inserts, "the committed day persisted across processes");
      const [h] = await sql`SELECT max("InvoiceDate")::date::text AS last FROM public."Invoice"
        WHERE "InvoiceDate" < ${YESTERDAY}::date`;
      assert.equal(
        h!.last,
        addDays(YESTERDAY, -1),
        "history ends the day before the first simulated day",
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "serve answers a real psql query and stops cleanly on SIGINT",
  ignore: !hasCommand("psql"),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "chinook-sim-serve-" });
    try {
      const child = spawnCli(["serve", "--port", "0", "--json"], {
        env: { SIM_DATA_DIR: dir, CHINOOK_SQL: chinookSource() },
      });
      const reader = textReader(child.stdout);
      const { url } = JSON.parse(await readUntil(reader, "\n"));
      assert.match(url, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      const psql = await new Deno.Command("psql", {
        args: [url, "-At", "-c", 'SELECT count(*) FROM "Track"'],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(psql.code, 0, new TextDecoder().decode(psql.stderr));
      assert.ok(Number(new TextDecoder().decode(psql.stdout).trim()) > 1000);
      child.kill("SIGINT");
      await reader.cancel();
      const status = await child.status;
      const stderr = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
      assert.equal(status.code, 0, stderr);
      assert.match(stderr, /Stopping: closing the database/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("a killed process loses nothing committed and no half day is visible", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chinook-sim-kill-" });
  try {
    const env = { SIM_DATA_DIR: dir, CHINOOK_SQL: chinookSource() };
    const first = await cli(
      ["simulate", "--date", "2026-05-01", "--inserts", "50", "--seed", "1"],
      { env },
    );
    assert.equal(first.code, 0, first.stderr);
    // A big day, killed while its transaction is being written.
    const child = spawnCli(["simulate", "--date", "2026-05-02", "--inserts", "400000"], {
      env: { ...env, LOG_LEVEL: "debug" },
      stdout: "null",
    });
    // Kill once the day's transaction has started writing.
    const reader = textReader(child.stderr);
    await readUntil(reader, "Using embedded");
    await new Promise((r) => setTimeout(r, 2500));
    child.kill("SIGKILL");
    await child.status;
    await reader.cancel().catch(() => {});
    await queryEmbedded(dir, async (sql) => {
      const ledger = await sql`SELECT sim_date::text AS day FROM chinook_sim.ledger ORDER BY 1`;
      assert.deepEqual(ledger.map((r) => r.day), ["2026-05-01"]);
      const [day2] =
        await sql`SELECT count(*)::int AS n FROM public."Invoice" WHERE "InvoiceDate" >= '2026-05-02'`;
      assert.equal(day2!.n, 0, "nothing of the killed day is visible");
      const [day1] = await sql`SELECT count(*)::int AS n FROM public."Invoice"
        WHERE "InvoiceDate" >= '2026-05-01' AND "InvoiceDate" < '2026-05-02'`;
      assert.equal(day1!.n, 50, "the committed day is intact");
    });
    const retry = await cli(["simulate", "--date", "2026-05-02", "--inserts", "100"], { env });
    assert.equal(retry.code, 0, retry.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a data directory whose first run was stopped before its files were written opens", async () => {
  // What kill -9 during an embedded first run can leave: our lock, some files, no PG_VERSION.
  const dir = await Deno.makeTempDir({ prefix: "chinook-sim-partial-" });
  try {
    await Deno.mkdir(`${dir}/base/1`, { recursive: true });
    await Deno.mkdir(`${dir}/global`);
    await Deno.writeTextFile(`${dir}/global/pg_control`, "partial");
    await Deno.writeTextFile(`${dir}/chinook-sim.lock`, "{}\n");
    const r = await cli(["status", "--data-dir", dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /not set up yet/);
    assert.ok((await Deno.stat(`${dir}/PG_VERSION`)).isFile, "the embedded database set it up");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kill -9 while a new data directory's cluster is being copied: the next run sets it up", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chinook-sim-copy-kill-" });
  try {
    const child = spawnCli(["status", "--data-dir", dir], { stdout: "null", stderr: "null" });
    // Killed as soon as the copy has begun (lib/db/cluster.ts writes PG_VERSION last).
    for (let i = 0; i < 2000; i++) {
      const names = [...Deno.readDirSync(dir)].map((e) => e.name);
      if (names.includes("base") || names.includes("PG_VERSION")) break;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    child.kill("SIGKILL");
    await child.status;
    const r = await cli(["status", "--data-dir", dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /not set up yet/);
    const again = await cli([
      "simulate",
      "--data-dir",
      dir,
      "--inserts",
      "5",
      "--manifest-dir",
      "none",
    ], {
      env: { CHINOOK_SQL: chinookSource() },
    });
    assert.equal(again.code, 0, again.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
