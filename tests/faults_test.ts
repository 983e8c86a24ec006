/**
 * The fault table: each fault a data engineer's nightly run can meet —
 * two processes on one data directory, the data directory served while a
 * run starts, its owner killed with -9, a lock held (the data directory's,
 * the simulation's, a Chinook table's), no reachable host in a list, a
 * full disk — ends with a clear error (or waits and succeeds) and loses
 * nothing: every day committed before is still there, row for row
 * ("0 rows lost"), and every day a process said it wrote is in the
 * database with the counts it said ("0 false reports"). (kill -9 at every
 * stage of a day: kill_test.ts.)
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { PGlite } from "@electric-sql/pglite";
import { clusterTar } from "../lib/db/cluster.ts";
import type { Tx } from "../lib/db/connect.ts";
import { copyInto } from "../lib/db/copy.ts";
import { LOCK_FILE } from "../lib/db/data_dir_lock.ts";
import { DATA_DIR_LOST } from "../lib/db/failure.ts";
import { startWireServer } from "../lib/db/wire_server.ts";
import { SIM_LOCK_KEY } from "../lib/db/ledger.ts";
import {
  cli,
  embeddedDatabase,
  fingerprint,
  ON_SERVER,
  readUntil,
  serverOnly,
  setupDatabase,
  spawnCli,
  type Sql,
  type TestDatabase,
  textReader,
  withSetUpDatabase,
} from "./harness.ts";
import { assertVerified, ok } from "./ledger_helpers.ts";

const HISTORY_END = "2026-03-01";

/**
 * Each committed run: its day, counts and how many of the invoices it
 * inserted exist (later days update and cancel invoices, never remove them
 * in the default cancel mode), to compare before and after.
 */
async function committedDays(sql: Sql): Promise<Map<string, string>> {
  const rows = await sql`
    SELECT r.run_id::text AS id, r.sim_date::text AS day, r.inserts, r.lines, r.state,
           (SELECT count(*)::int FROM public."Invoice" i
             WHERE i."InvoiceId" BETWEEN r.first_invoice_id AND r.last_invoice_id) AS present
      FROM chinook_sim.run r WHERE r.kind <> 'history'`;
  return new Map(rows.map((r) => [r.id as string, JSON.stringify(r)]));
}

/** 0 rows lost: every day committed before is still there, unchanged. */
async function assertNothingLost(db: TestDatabase, before: Map<string, string>): Promise<void> {
  const after = await db.query(committedDays);
  for (const [run, state] of before) assert.equal(after.get(run), state, `run ${run} is intact`);
}

interface Claim {
  day: string;
  status: string;
  runId: number | null;
  done: { inserts: number };
  firstInvoiceId: number | null;
  lastInvoiceId: number | null;
}

/** The days a process's --json output says it wrote. */
function claims(stdout: string): Claim[] {
  const out: Claim[] = [];
  for (const line of stdout.split("\n").filter((l) => l.startsWith("{"))) {
    const value = JSON.parse(line);
    for (const day of (value.days ?? [value]) as Claim[]) {
      if (day.status === "written") out.push(day);
    }
  }
  return out;
}

/** 0 false reports: each claimed run is in the ledger, with exactly the invoices claimed. */
async function assertClaimsTrue(db: TestDatabase, stdout: string): Promise<number> {
  const claimed = claims(stdout);
  for (const c of claimed) {
    const [run] = await db.query((sql) =>
      sql`SELECT inserts, state FROM chinook_sim.run WHERE run_id = ${c.runId!}`
    );
    assert.ok(run, `run ${c.runId} of ${c.day} is recorded`);
    assert.equal(run.inserts, c.done.inserts);
    const [n] = await db.query((sql) =>
      sql`SELECT count(*)::int AS n FROM public."Invoice"
           WHERE "InvoiceId" BETWEEN ${c.firstInvoiceId ?? 0} AND ${c.lastInvoiceId ?? -1}`
    );
    assert.equal(n!.n, c.done.inserts, `the invoices ${c.day} claims`);
  }
  return claimed.length;
}

const day = (n: number) => `2026-03-${String(n).padStart(2, "0")}`;
const noManifest = ["--manifest-dir", "none", "--json"];

/** An embedded database set up in a new directory, whatever TEST_DATABASE_URL says. */
async function withEmbedded(work: (db: TestDatabase) => Promise<void>): Promise<void> {
  const db = embeddedDatabase(await Deno.makeTempDir({ prefix: "chinook-sim-faults-" }));
  try {
    await setupDatabase(db, ["--history-end", HISTORY_END]);
    await work(db);
  } finally {
    await db.drop();
  }
}

async function output(child: Deno.ChildProcess) {
  const out = await child.output();
  const decoder = new TextDecoder();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}

Deno.test("faults: two processes on one data directory at once: both days written, in turn", async () => {
  await withEmbedded(async (db) => {
    await ok(db, ["simulate", "--date", day(2), "--inserts", "30", ...noManifest]);
    const before = await db.query(committedDays);
    const a = spawnCli(["simulate", "--date", day(3), "--inserts", "3000", ...noManifest], {
      env: db.env,
    });
    const b = spawnCli(["simulate", "--date", day(4), "--inserts", "40", ...noManifest], {
      env: db.env,
    });
    const [ra, rb] = await Promise.all([output(a), output(b)]);
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(rb.code, 0, rb.stderr);
    assert.match(ra.stderr + rb.stderr, /Waiting for simulate \(pid \d+\), which has .* open/);
    await assertNothingLost(db, before);
    assert.equal(await assertClaimsTrue(db, ra.stdout + rb.stdout), 2, "0 days lost");
    await assertVerified(db);
  });
});

Deno.test("faults: the same day twice at once: written once, the other run skips it", async () => {
  await withEmbedded(async (db) => {
    const runs = [0, 1].map(() =>
      spawnCli(["simulate", "--date", day(2), "--inserts", "500", ...noManifest], { env: db.env })
    );
    const results = await Promise.all(runs.map(output));
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    assert.equal(await assertClaimsTrue(db, results.map((r) => r.stdout).join("\n")), 1);
    const runsOfDay = await db.query((sql) =>
      sql`SELECT count(*)::int AS n FROM chinook_sim.run WHERE sim_date = ${day(2)}`
    );
    assert.equal(runsOfDay[0]!.n, 1);
    await assertVerified(db);
  });
});

Deno.test("faults: serve owns the directory: a run is refused at once, naming serve's pid and URL", async () => {
  await withEmbedded(async (db) => {
    await ok(db, ["simulate", "--date", day(2), "--inserts", "30", ...noManifest]);
    const before = await db.query(committedDays);
    const served = spawnCli(["serve", "--port", "0", "--json"], { env: db.env });
    const reader = textReader(served.stdout);
    try {
      const { url } = JSON.parse(await readUntil(reader, "\n"));
      const started = Date.now();
      const refused = await cli(["simulate", "--date", day(3), ...noManifest], { env: db.env });
      assert.ok(Date.now() - started < 10_000, "refused at once, not after --lock-timeout");
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(
        refused.stderr,
        new RegExp(
          `error: Cannot open the embedded database in ".*": serve \\(pid ${served.pid}\\) serves it; while it runs, use DATABASE_URL=${url}`,
        ),
      );
      assert.equal(claims(refused.stdout).length, 0, "it claimed nothing");
      // Through the URL it names, the run goes ahead while serve runs.
      const through = await cli(["simulate", "--date", day(3), "--inserts", "25", ...noManifest], {
        env: { DATABASE_URL: url },
      });
      assert.equal(through.code, 0, through.stderr);
      served.kill("SIGINT");
      assert.equal((await served.status).code, 0);
      await assertNothingLost(db, before);
      assert.equal(await assertClaimsTrue(db, through.stdout), 1);
      await assertVerified(db);
    } finally {
      await reader.cancel().catch(() => {});
      try {
        served.kill("SIGKILL");
      } catch {
        // Already stopped.
      }
      await served.status;
      await served.stderr.cancel().catch(() => {});
    }
  });
});

Deno.test("faults: serve killed with -9 while a client writes a day through it: all or nothing", async () => {
  await withEmbedded(async (db) => {
    await ok(db, ["simulate", "--date", day(2), "--inserts", "30", ...noManifest]);
    const before = await db.query(committedDays);
    const served = spawnCli(["serve", "--port", "0", "--json"], { env: db.env });
    const reader = textReader(served.stdout);
    const { url } = JSON.parse(await readUntil(reader, "\n"));
    const writer = spawnCli(["simulate", "--date", day(3), "--inserts", "20000", ...noManifest], {
      env: { DATABASE_URL: url },
    });
    const writerErr = textReader(writer.stderr);
    await readUntil(writerErr, "Using postgres://");
    await new Promise((r) => setTimeout(r, 1500));
    served.kill("SIGKILL");
    await served.status;
    await reader.cancel().catch(() => {});
    await served.stderr.cancel().catch(() => {});
    const [status, writerOut] = await Promise.all([
      writer.status,
      new Response(writer.stdout).text(),
    ]);
    await writerErr.cancel().catch(() => {});
    await assertNothingLost(db, before);
    // Committed just before the kill (and said so), or not at all: never half a day.
    const claimed = await assertClaimsTrue(db, writerOut);
    const runs = await db.query((sql) =>
      sql`SELECT count(*)::int AS n FROM chinook_sim.run WHERE sim_date = ${day(3)}`
    );
    assert.equal(runs[0]!.n, claimed, status.code === 0 ? "claimed and there" : "not claimed");
    if (claimed === 0) {
      const [n] = await db.query((sql) =>
        sql`SELECT count(*)::int AS n FROM public."Invoice"
             WHERE "InvoiceDate" >= ${day(3)}::date AND "InvoiceDate" < ${day(3)}::date + 1`
      );
      assert.equal(n!.n, 0, "no half day is visible");
    }
    // The directory opens again at once (the kernel released the lock) and the day completes.
    const again = await ok(db, ["simulate", "--date", day(3), "--inserts", "25", ...noManifest]);
    await assertClaimsTrue(db, again.stdout);
    await assertVerified(db);
  });
});

Deno.test("faults: the owner killed with -9 while another waits: the lock passes on, nothing is lost", async () => {
  await withEmbedded(async (db) => {
    await ok(db, ["simulate", "--date", day(2), "--inserts", "30", ...noManifest]);
    const before = await db.query(committedDays);
    const owner = spawnCli(
      ["backfill", "--from", day(3), "--to", day(20), "--inserts", "1000", ...noManifest],
      { env: db.env },
    );
    const ownerErr = textReader(owner.stderr);
    await readUntil(ownerErr, "days to simulate");
    const waiter = spawnCli(["simulate", "--date", day(21), "--inserts", "20", ...noManifest], {
      env: db.env,
    });
    const waiterErr = textReader(waiter.stderr);
    await readUntil(waiterErr, "Waiting for backfill");
    owner.kill("SIGKILL");
    const [status, ownerOut] = await Promise.all([owner.status, new Response(owner.stdout).text()]);
    await ownerErr.cancel();
    assert.notEqual(status.code, 0);
    assert.equal(ownerOut, "", "the killed process claimed nothing");
    const waited = await Promise.all([waiter.status, new Response(waiter.stdout).text()]);
    await waiterErr.cancel();
    assert.equal(waited[0].code, 0, "the waiting run took the directory once the owner died");
    await assertNothingLost(db, before);
    assert.equal(await assertClaimsTrue(db, waited[1]), 1);
    // A new run completes what the killed one did not.
    const rest = await ok(db, ["backfill", "--from", day(3), "--to", day(20), ...noManifest]);
    await assertClaimsTrue(db, rest.stdout);
    const days = await db.query((sql) =>
      sql`SELECT count(*)::int AS n FROM chinook_sim.ledger WHERE sim_date BETWEEN ${day(3)} AND ${
        day(20)
      }`
    );
    assert.equal(days[0]!.n, 18);
    await assertVerified(db);
  });
});

Deno.test("faults: a data directory held past --lock-timeout: refused after it, nothing written", async () => {
  await withEmbedded(async (db) => {
    await ok(db, ["simulate", "--date", day(2), "--inserts", "30", ...noManifest]);
    const before = await db.query(fingerprint);
    const dir = db.env.SIM_DATA_DIR!;
    // Another process's hold, as it looks from outside: the flock and its record.
    const file = await Deno.open(`${dir}/${LOCK_FILE}`, { read: true, write: true });
    await file.lock(true);
    await file.truncate(0);
    await file.write(
      new TextEncoder().encode(JSON.stringify({ pid: 4242, command: "backfill", since: "" })),
    );
    try {
      for (const command of ["simulate", "catch-up", "verify", "report", "status"]) {
        const started = Date.now();
        const args = command === "simulate" || command === "catch-up"
          ? [command, "--lock-timeout", "1", ...noManifest]
          : [command, "--lock-timeout", "1"];
        const r = await cli(args, { env: db.env });
        const elapsed = Date.now() - started;
        assert.equal(r.code, 1, `${command}: ${r.stderr}`);
        assert.match(
          r.stderr,
          /Cannot open the embedded database in ".*": backfill \(pid 4242\) still has it open after 1 s; run again when it has finished, or raise --lock-timeout/,
        );
        assert.ok(elapsed < 8000, `${command} gave up after --lock-timeout (${elapsed} ms)`);
        assert.equal(claims(r.stdout).length, 0);
      }
    } finally {
      file.close();
    }
    assert.equal(await db.query(fingerprint), before, "nothing was written");
    await ok(db, ["simulate", "--date", day(3), "--inserts", "10", ...noManifest]);
  });
});

Deno.test({
  name: serverOnly(
    "faults: the simulation lock and a Chinook table held: every command gives up after --lock-timeout",
  ),
  ignore: !ON_SERVER,
  fn: () =>
    withSetUpDatabase(HISTORY_END, async (db) => {
      await ok(db, ["simulate", "--date", day(2), "--inserts", "30", ...noManifest]);
      const before = await db.query(fingerprint);
      const holder = postgres(db.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      try {
        for (
          const [hold, commands] of [
            [
              (tx: postgres.TransactionSql) => tx`SELECT pg_advisory_xact_lock(${SIM_LOCK_KEY})`,
              [["simulate", "--date", day(3)], ["catch-up"], [
                "backfill",
                "--from",
                day(3),
                "--to",
                day(4),
              ], ["rewind", "--to", day(2)]],
            ],
            [
              (tx: postgres.TransactionSql) => tx`LOCK TABLE public."Invoice"`,
              [["verify"], ["report"], ["simulate", "--date", day(3)]],
            ],
          ] as const
        ) {
          const held = Promise.withResolvers<void>();
          const release = Promise.withResolvers<void>();
          const transaction = holder.begin(async (tx) => {
            await hold(tx);
            held.resolve();
            await release.promise;
          });
          await held.promise;
          try {
            for (const args of commands) {
              const started = Date.now();
              const extra = ["verify", "report", "rewind"].includes(args[0]) ? [] : noManifest;
              const r = await cli([...args, ...extra, "--lock-timeout", "1"], { env: db.env });
              assert.equal(r.code, 1, `${args.join(" ")}: ${r.stderr}`);
              assert.match(r.stderr, /Timed out waiting for a lock/);
              assert.ok(Date.now() - started < 10_000, `${args[0]} ended within its timeouts`);
              assert.equal(claims(r.stdout).length, 0);
            }
          } finally {
            release.resolve();
            await transaction;
          }
        }
      } finally {
        await holder.end();
      }
      assert.equal(await db.query(fingerprint), before, "nothing was written");
      await assertVerified(db);
    }),
});

Deno.test("faults: no reachable host in a list: a clear error within the connect timeout, in all", async (t) => {
  for (
    const [name, url] of [
      ["ports refused", "postgres://postgres@127.0.0.1:1,127.0.0.1:2/chinook"],
      ["unroutable addresses", "postgres://postgres@10.255.255.1:5432,10.255.255.2:5432/chinook"],
      [
        "three hosts, libpq's connect_timeout=2",
        "postgres://postgres@10.255.255.1,127.0.0.1:1,10.255.255.3/chinook?connect_timeout=2",
      ],
    ] as const
  ) {
    await t.step(name, async () => {
      const started = Date.now();
      const r = await cli(["simulate", "--date", day(2), ...noManifest], {
        env: { DATABASE_URL: url },
      });
      const elapsed = Date.now() - started;
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /error: Cannot connect to postgres:\/\/postgres@.*: /);
      const limit = url.includes("connect_timeout=2") ? 2 : 10;
      assert.match(r.stderr, new RegExp(`no host answered within ${limit} s`));
      // The process's start and end on a shared machine: generous, but far from "never".
      assert.ok(elapsed < limit * 1000 + 10_000, `ended within ${limit} s in all (${elapsed} ms)`);
      assert.equal(claims(r.stdout).length, 0);
    });
  }
});

/** A tmpfs of `megabytes`, or null where none can be mounted (not root, no CAP_SYS_ADMIN). */
async function tmpfs(
  megabytes: number,
): Promise<
  { path: string; grow(megabytes: number): Promise<void>; unmount(): Promise<void> } | null
> {
  if (Deno.build.os !== "linux" || Deno.uid() !== 0) return null;
  const path = await Deno.makeTempDir({ prefix: "chinook-sim-full-" });
  const mount = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", `size=${megabytes}m`, "tmpfs", path],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => null);
  if (!mount?.success) {
    await Deno.remove(path);
    return null;
  }
  return {
    path,
    /** Space freed: the same disk, bigger (tmpfs resizes in place). */
    async grow(megabytes: number) {
      const remount = await new Deno.Command("mount", {
        args: ["-o", `remount,size=${megabytes}m`, path],
      }).output();
      assert.ok(remount.success, new TextDecoder().decode(remount.stderr));
    },
    async unmount() {
      await new Deno.Command("umount", { args: [path] }).output();
      await Deno.remove(path, { recursive: true });
    },
  };
}

async function sizeMb(dir: string): Promise<number> {
  const du = await new Deno.Command("du", { args: ["-sm", dir], stdout: "piped" }).output();
  return Number(new TextDecoder().decode(du.stdout).split(/\s/)[0]);
}

Deno.test("faults: an embedded database on a full disk: a clear error, the committed days intact", async (t) => {
  await withEmbedded(async (db) => {
    await ok(db, ["simulate", "--date", day(2), "--inserts", "30", ...noManifest]);
    const source = db.env.SIM_DATA_DIR!;
    const disk = await tmpfs((await sizeMb(source)) + 2);
    if (disk === null) {
      await t.step({
        name: "skipped: cannot mount a tmpfs here (needs root)",
        ignore: true,
        fn() {},
      });
      return;
    }
    try {
      const full = embeddedDatabase(`${disk.path}/data`);
      await new Deno.Command("cp", { args: ["-a", source, full.env.SIM_DATA_DIR!] }).output();
      const before = await full.query(committedDays);
      const started = Date.now();
      const r = await cli(["simulate", "--date", day(3), "--inserts", "60000", ...noManifest], {
        env: full.env,
      });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /disk is full/);
      assert.ok(Date.now() - started < 120_000);
      assert.equal(claims(r.stdout).length, 0, "it claimed nothing");
      // Stopped where its WAL could not be written, the database is recovered when next opened,
      // which needs room: on the full disk it says so; with space freed it opens, nothing lost.
      const stuck = await cli(["status"], { env: full.env });
      if (stuck.code !== 0) assert.match(stuck.stderr, /disk holding it is full/);
      await disk.grow((await sizeMb(source)) + 64);
      await assertNothingLost(full, before);
      const status = await cli(["status"], { env: full.env });
      assert.equal(status.code, 0, status.stderr);
    } finally {
      await disk.unmount();
    }
  });
});

/** Removes `dir` whatever a process still writing into it adds meanwhile. */
async function removeAll(dir: string): Promise<void> {
  for (let attempt = 0;; attempt++) {
    try {
      await Deno.remove(dir, { recursive: true });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      if (attempt >= 50) throw error;
    }
  }
}

Deno.test("faults: the data directory removed or replaced mid-run: one line, exit 1, never a hang", async (t) => {
  // A run long enough to be caught mid-way: many small days, each its own transaction.
  const run = ["backfill", "--from", day(2), "--to", "2026-06-30", "--inserts", "100"];
  // Each waits for a debug line: during the first day's writes (nothing committed yet), or
  // just after a day's commit (days committed, and then gone with the directory).
  const writing = 'COPY "public"."Invoice"';
  const cases: {
    name: string;
    at: string;
    /** Then waits for this too (the child's pid given). */
    until?: (dir: string, pid: number) => Promise<void>;
    replace: (dir: string) => Promise<void>;
    /** Another command than the backfill. */
    args?: string[];
  }[] = [
    {
      // It owns the directory (its lock file names it) and PGlite is opening it (about 2 s).
      name: "removed while being opened",
      at: "Using embedded PostgreSQL",
      until: async (dir, pid) => {
        while (!(await Deno.readTextFile(`${dir}/${LOCK_FILE}`)).includes(`"pid":${pid},`)) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      },
      replace: removeAll,
    },
    { name: "removed during a day's writes", at: writing, replace: removeAll },
    { name: "removed between days", at: ": commit in", replace: removeAll },
    {
      // Its slices committed went with the directory: said so, exit 1 all the same.
      name: "removed while live writes",
      at: "changes, 1 commits",
      replace: removeAll,
      args: ["live", "--date", day(2), "--speed", "3600", ...noManifest],
    },
    {
      // Idle, it finds out within a second rather than refuse every client for ever.
      name: "removed while serve serves it",
      at: "Serving on",
      replace: removeAll,
      args: ["serve", "--port", "0"],
    },
    {
      name: "replaced by a file",
      at: writing,
      replace: async (dir) => {
        await removeAll(dir);
        await Deno.writeTextFile(dir, "not a database\n");
      },
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await withEmbedded(async (db) => {
        const dir = db.env.SIM_DATA_DIR!;
        const child = spawnCli(c.args ?? [...run, ...noManifest], {
          env: { ...db.env, LOG_LEVEL: "debug" },
        });
        const stderr = textReader(child.stderr);
        let seen = await readUntil(stderr, c.at);
        assert.ok(seen.includes(c.at), seen);
        await c.until?.(dir, child.pid);
        const started = Date.now();
        await c.replace(dir);
        // Far above a normal end (well under a second): a run that spins fails here.
        const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
        const [status, stdout] = await Promise.all([
          child.status,
          new Response(child.stdout).text(),
          (async () => {
            for (;;) {
              const { value, done } = await stderr.read();
              if (done) return;
              seen += value;
            }
          })(),
        ]);
        clearTimeout(timer);
        assert.ok(Date.now() - started < 60_000, `ended by itself (${Date.now() - started} ms)`);
        assert.equal(status.code, 1, seen);
        const lines = seen.split("\n").filter((l) => l !== "" && !/\[(DEBUG|INFO)\]/.test(l));
        assert.equal(lines.length, 1, `one line:\n${lines.join("\n")}`);
        assert.match(
          lines[0]!,
          /^error: Cannot use the embedded database in ".*": its data directory.* (removed|replaced by a file) while it was (being opened|open).*; nothing (was written|of this run remains): /,
        );
        assert.equal(claims(stdout).length, 0, "it claims no day");
        if (c.name === "replaced by a file") return;
        // The same path later: a new database, set up on the first run, with only that day.
        const again = await ok(db, [
          "simulate",
          "--date",
          day(2),
          "--inserts",
          "30",
          ...noManifest,
        ]);
        assert.equal(await assertClaimsTrue(db, again.stdout), 1);
        const [runs] = await db.query((sql) =>
          sql`SELECT count(*)::int AS n FROM chinook_sim.run WHERE kind <> 'history'`
        );
        assert.equal(runs!.n, 1, "a fresh store: the new day alone");
      });
    });
  }
});

/** `query`, or a rejection if it is not answered within 10 s. */
async function answered<T>(query: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) =>
    timer = setTimeout(() => reject(new Error("no answer in 10 s")), 10_000)
  );
  try {
    return await Promise.race([query, late]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("faults: the wire layer once the data directory is lost: every kind of query is answered", async (t) => {
  const db = await PGlite.create({ loadDataDir: new Blob([await clusterTar()]) });
  let lost: { message: string; hint: string } | null = null;
  const server = await startWireServer(db, { host: "127.0.0.1", port: 0, lost: () => lost });
  const sql = postgres(`postgres://postgres@127.0.0.1:${server.port}/postgres`, {
    max: 1,
    onnotice: () => {},
  });
  try {
    assert.equal((await sql`SELECT ${1}::int AS n`)[0]!.n, 1);
    const removed = { message: "Cannot use it: its data directory was removed", hint: "run again" };
    await t.step(
      "lost mid-transaction, two statements at once (a day's start of run)",
      async () => {
        // Told idle after the failure, postgres.js dropped the transaction's connection and its
        // ROLLBACK was never sent: the transaction waited for ever.
        await assert.rejects(
          answered(sql.begin(async (tx) => {
            await tx`SELECT ${1}::int AS n`;
            lost = removed;
            await Promise.all([
              tx`SELECT count(*) FROM pg_class WHERE relname IN ('a', 'b')`,
              tx`SELECT count(*) FROM pg_class WHERE relname = ${"c"}`,
            ]);
          })),
          (error: Error) => (error as { routine?: string }).routine === DATA_DIR_LOST,
        );
      },
    );
    lost = removed;
    // A parameterised statement not prepared yet is sent as Parse, Describe and Flush, with no
    // Sync until an answer comes: answered only at Sync, it waited for ever.
    const queries: [string, () => Promise<unknown>][] = [
      ["a new parameterised statement", () => sql`SELECT ${2}::int + 1 AS n`],
      ["a prepared one", () => sql`SELECT ${1}::int AS n`],
      ["a simple query", () => sql.unsafe("SELECT 1")],
      ["a transaction", () => sql.begin((tx) => tx`SELECT ${3}::int AS n`)],
      [
        "COPY FROM STDIN",
        () =>
          sql.begin((tx) =>
            copyInto(tx as unknown as Tx, { schema: "pg_temp", table: "t", columns: ["a"] }, [
              "1\n",
            ])
          ),
      ],
      ["the new statement again", () => sql`SELECT ${2}::int + 1 AS n`],
    ];
    for (const [name, query] of queries) {
      await t.step(name, async () => {
        await assert.rejects(answered(query()), (error: Error) => {
          assert.equal((error as { routine?: string }).routine, DATA_DIR_LOST, error.message);
          assert.match(error.message, /its data directory was removed/);
          return true;
        });
      });
    }
  } finally {
    await sql.end({ timeout: 1 });
    await server.close();
    await db.close();
  }
});

Deno.test("faults: the lock file removed while its owner runs: made again, still one owner at a time", async (t) => {
  const run = ["backfill", "--from", day(2), "--to", day(20), "--inserts", "100", ...noManifest];
  const second = ["simulate", "--date", "2026-04-01", "--inserts", "10", ...noManifest];
  /** Collects a child's stderr as it comes (debug logs), until `marker`. */
  const start = async (db: TestDatabase) => {
    const child = spawnCli(run, { env: { ...db.env, LOG_LEVEL: "debug" } });
    const stderr = textReader(child.stderr);
    let seen = await readUntil(stderr, ": commit in");
    const rest = (async () => {
      for (;;) {
        const { value, done } = await stderr.read();
        if (done) return seen;
        seen += value;
      }
    })();
    return { child, stderr: rest };
  };
  await t.step(
    "made again at the owner's next statement: a second process waits for it",
    async () => {
      await withEmbedded(async (db) => {
        const dir = db.env.SIM_DATA_DIR!;
        const { child, stderr } = await start(db);
        await Deno.remove(`${dir}/${LOCK_FILE}`);
        let owner = "";
        while (!owner.includes(`"pid":${child.pid},`)) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          owner = await Deno.readTextFile(`${dir}/${LOCK_FILE}`).catch(() => "");
        }
        // Held still while the other waits: a fast owner could otherwise finish its days
        // within the other's second of waiting (it did, once days got faster).
        child.kill("SIGSTOP");
        const waiting = await cli([...second, "--lock-timeout", "1"], { env: db.env });
        child.kill("SIGCONT");
        assert.equal(waiting.code, 1, waiting.stderr);
        assert.match(
          waiting.stderr,
          new RegExp(`backfill \\(pid ${child.pid}\\) still has it open`),
        );
        const [status, stdout, log] = await Promise.all([
          child.status,
          new Response(child.stdout).text(),
          stderr,
        ]);
        assert.equal(status.code, 0, log);
        assert.match(
          log,
          /\[WARNING\] .*lock file of .* was removed while it was open: made again/,
        );
        assert.equal(await assertClaimsTrue(db, stdout), 19);
        await assertVerified(db);
      });
    },
  );
  await t.step(
    "taken by another process meanwhile: the owner stops; its committed days stay",
    async () => {
      await withEmbedded(async (db) => {
        const dir = db.env.SIM_DATA_DIR!;
        const { child, stderr } = await start(db);
        // Stopped between two statements, it cannot make the file again before the other takes it.
        child.kill("SIGSTOP");
        await Deno.remove(`${dir}/${LOCK_FILE}`);
        const other = await cli(second, { env: db.env });
        assert.equal(other.code, 0, other.stderr);
        child.kill("SIGCONT");
        const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
        const [status, stdout, log] = await Promise.all([
          child.status,
          new Response(child.stdout).text(),
          stderr,
        ]);
        clearTimeout(timer);
        assert.equal(status.code, 4, log);
        const lines = log.split("\n").filter((l) => l !== "" && !/\[(DEBUG|INFO)\]/.test(l));
        assert.equal(lines.length, 1, lines.join("\n"));
        assert.match(
          lines[0]!,
          /^error: .* committed.*; then 2026-03-\d\d failed and was not written: Cannot use the embedded database in ".*": its lock file was removed and another process took the directory while it was open; run the command again to resume$/,
        );
        assert.ok(await assertClaimsTrue(db, stdout) >= 1);
        await assertVerified(db);
      });
    },
  );
});
