/**
 * kill -9 at every stage of a day, on the server and the embedded database:
 * before the transaction, waiting for the lock inside it, in the middle of
 * the COPY of a big day's invoices, after the commit but before the manifest
 * file, and during a rewind. (While writing: see
 * reliability_test.ts and embedded_test.ts.) Afterwards no committed row is
 * lost, nothing half-done is visible, the killed process claimed nothing,
 * and the next run completes what was missing.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import {
  cli,
  fingerprint,
  ON_SERVER,
  readUntil,
  serverOnly,
  spawnCli,
  type TestDatabase,
  textReader,
  withSetUpDatabase,
} from "./harness.ts";
import { assertVerified, ok } from "./ledger_helpers.ts";

const DAY = "2026-03-09";

/** Kills the process and returns what it printed on stdout (its claims). */
async function kill(
  child: Deno.ChildProcess,
  streams: { stdin?: boolean; stderr?: ReadableStreamDefaultReader<string> } = {},
): Promise<string> {
  child.kill("SIGKILL");
  const [status, stdout] = await Promise.all([child.status, new Response(child.stdout).text()]);
  assert.notEqual(status.code, 0);
  if (streams.stdin) await child.stdin.abort().catch(() => {});
  if (streams.stderr) await streams.stderr.cancel().catch(() => {});
  else await child.stderr.cancel();
  return stdout;
}

/** Waits until one of the process's threads is blocked opening a FIFO for writing. */
async function untilBlockedOnFifo(pid: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ps = await new Deno.Command("ps", {
      args: ["-L", "-o", "wchan:32=", "-p", String(pid)],
      stdout: "piped",
      stderr: "null",
    }).output();
    if (new TextDecoder().decode(ps.stdout).includes("wait_for_partner")) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the process never reached the manifest file");
}

/** Polls until `fingerprint` settles on one of `states` (a killed server backend rolls back). */
async function settledOn(db: TestDatabase, states: string[]): Promise<string> {
  let current = "";
  for (let i = 0; i < 100; i++) {
    current = await db.query(fingerprint);
    if (states.includes(current)) return current;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the database is in none of the expected states: ${current}`);
}

Deno.test("kill -9 before the transaction (reading the counts): nothing written", async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    const before = await db.query(fingerprint);
    const dir = await Deno.makeTempDir({ prefix: "chinook-sim-kill-" });
    try {
      const child = spawnCli(["simulate", "--date", DAY, "--manifest-dir", `${dir}/m`], {
        env: db.env,
        stdin: "piped",
      });
      // The counts never come: the process waits for stdin, before opening the database.
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(await kill(child, { stdin: true }), "", "it claimed nothing");
      await settledOn(db, [before]);
      assert.deepEqual([...Deno.readDirSync(dir)], [], "no manifest directory");
      await ok(db, ["simulate", "--date", DAY, "--inserts", "50"]);
      await assertVerified(db);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test({
  name: serverOnly("kill -9 while waiting for the simulation lock: nothing written"),
  ignore: !ON_SERVER,
  fn: () =>
    withSetUpDatabase("2026-03-08", async (db) => {
      const before = await db.query(fingerprint);
      const holder = postgres(db.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      const reserved = await holder.reserve();
      try {
        await reserved`SELECT pg_advisory_lock(7429001)`;
        const child = spawnCli(["simulate", "--date", DAY, "--inserts", "50"], { env: db.env });
        for (let waiting = false; !waiting;) {
          const [row] = await reserved`
            SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE application_name = 'chinook-sim' AND wait_event_type = 'Lock'`;
          waiting = row!.n > 0;
          await new Promise((r) => setTimeout(r, 50));
        }
        assert.equal(await kill(child), "");
        await reserved`SELECT pg_advisory_unlock(7429001)`;
      } finally {
        reserved.release();
        await holder.end();
      }
      await settledOn(db, [before]);
      await ok(db, ["simulate", "--date", DAY, "--inserts", "50"]);
    }),
});

/** Every row of the tables a day writes, the ledger's counters and the sequences, hashed. */
async function exactState(sql: postgres.Sql): Promise<string> {
  const [row] = await sql`
    SELECT
      (SELECT md5(string_agg(i::text, '|' ORDER BY "InvoiceId")) FROM public."Invoice" i) AS invoices,
      (SELECT md5(string_agg(l::text, '|' ORDER BY "InvoiceLineId")) FROM public."InvoiceLine" l) AS lines,
      (SELECT md5(string_agg(c::text, '|' ORDER BY "CustomerId")) FROM public."Customer" c) AS customers,
      (SELECT md5(string_agg(c::text, '|' ORDER BY name)) FROM chinook_sim.counter c) AS counters,
      (SELECT count(*) FROM chinook_sim.run) AS runs,
      (SELECT count(*) FROM chinook_sim.change) AS changes,
      (SELECT string_agg(sequencename || '=' || coalesce(last_value, 0), ',' ORDER BY sequencename)
         FROM pg_sequences WHERE schemaname = 'public') AS sequences`;
  return JSON.stringify(row);
}

Deno.test("kill -9 in the middle of the COPY of a big day: the database exactly as before", async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    const before = await db.query(exactState);
    const invoices = ON_SERVER ? 300_000 : 100_000;
    const child = spawnCli(
      ["simulate", "--date", DAY, "--inserts", String(invoices), "--manifest-dir", "none"],
      { env: ON_SERVER ? db.env : { ...db.env, LOG_LEVEL: "debug" } },
    );
    const stderr = textReader(child.stderr);
    if (ON_SERVER) {
      for (let copying = false; !copying;) {
        const [row] = await db.query((sql) =>
          sql`SELECT count(*)::int AS n FROM pg_stat_activity
               WHERE datname = current_database() AND application_name = 'chinook-sim'
                 AND state = 'active' AND query LIKE 'COPY %"Invoice%'`
        );
        copying = row!.n > 0;
        if (!copying) await new Promise((r) => setTimeout(r, 20));
      }
    } else {
      // The embedded database is the process's own: its log says the first of the COPYs is done.
      await readUntil(stderr, 'characters copied: COPY "public"."Invoice"');
    }
    assert.equal(await kill(child, { stderr }), "", "it claimed nothing");
    // A server rolls the transaction back once it notices the closed connection.
    let state = "";
    for (let i = 0; i < 100 && (state = await db.query(exactState)) !== before; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(state, before, "rows, counters and sequences as before");
    await ok(db, ["simulate", "--date", DAY, "--inserts", "2000", "--manifest-dir", "none"]);
    await assertVerified(db);
  });
});

Deno.test("kill -9 after the commit, before the manifest file: the day stays, the next run writes the file", async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    const dir = await Deno.makeTempDir({ prefix: "chinook-sim-kill-" });
    try {
      // Opening a FIFO for writing blocks: the process stops right after its commit.
      const fifo = await new Deno.Command("mkfifo", { args: [`${dir}/${DAY}.json.tmp`] }).output();
      assert.ok(fifo.success);
      const child = spawnCli(
        ["simulate", "--date", DAY, "--inserts", "80", "--updates", "5", "--manifest-dir", dir],
        { env: db.env },
      );
      await untilBlockedOnFifo(child.pid);
      assert.equal(await kill(child), "", "it claimed nothing");
      await Deno.remove(`${dir}/${DAY}.json.tmp`);
      const manifest = await db.query(async (sql) => {
        const [run] =
          await sql`SELECT inserts, manifest FROM chinook_sim.run WHERE sim_date = ${DAY}`;
        assert.equal(run!.inserts, 80, "the committed day is there");
        return run!.manifest;
      });
      await assertVerified(db);
      assert.deepEqual([...Deno.readDirSync(dir)], [], "no manifest file yet");
      const again = await ok(db, ["simulate", "--date", DAY, "--manifest-dir", dir]);
      assert.match(again.stdout, /already simulated/);
      assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/${DAY}.json`)), manifest);
      const check = await cli(["verify", "--manifest", `${dir}/${DAY}.json`], { env: db.env });
      assert.equal(check.code, 0, check.stdout);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("kill -9 during a rewind: all of it or none of it, and the next rewind completes", async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    const setUp = await db.query(fingerprint);
    // Large enough that undoing it takes a while.
    const invoices = ON_SERVER ? 150_000 : 40_000;
    await ok(db, [
      ...["simulate", "--date", DAY, "--inserts", String(invoices), "--updates", "3000"],
      ...["--deletes", "2000", "--delete-mode", "hard", "--manifest-dir", "none"],
    ]);
    const simulated = await db.query(fingerprint);
    const child = spawnCli(["rewind", "--to", "2026-03-08"], { env: db.env });
    let stderr: ReadableStreamDefaultReader<string> | undefined;
    if (ON_SERVER) {
      for (let rewinding = false; !rewinding;) {
        const [row] = await db.query((sql) =>
          sql`SELECT count(*)::int AS n FROM pg_stat_activity
               WHERE application_name = 'chinook-sim' AND state = 'active'
                 AND query LIKE '%DELETE FROM public."InvoiceLine"%'`
        );
        rewinding = row!.n > 0;
        await new Promise((r) => setTimeout(r, 20));
      }
    } else {
      stderr = textReader(child.stderr);
      await readUntil(stderr, "Rewinding to");
      await new Promise((r) => setTimeout(r, 800));
    }
    const claimed = await kill(child, { stderr });
    const state = await settledOn(db, [simulated, setUp]);
    // A rewind that finished before the kill may have printed its result; one that did not, nothing.
    assert.equal(claimed === "", state === simulated, `claims "${claimed}" match the database`);
    await ok(db, ["rewind", "--to", "2026-03-08"]);
    assert.equal(await db.query(fingerprint), setUp, "back to the state after setup");
  });
});
