/**
 * A dry run changes nothing anywhere: no Chinook loaded, no history moved, no
 * data directory created, no manifest written, no counter or sequence moved;
 * it reports what it would do.
 */
import assert from "node:assert/strict";
import { addDays, todayIn } from "../lib/sim/calendar.ts";
import {
  chinookSource,
  cli,
  fingerprint,
  freshDatabase,
  serverTest,
  setupDatabase,
  type TestDatabase,
} from "./harness.ts";
import { idState } from "./ledger_helpers.ts";

const YESTERDAY = addDays(todayIn("UTC", new Date()), -1);

/** Every file under `dir` with its size and modification time; null when it does not exist. */
async function files(dir: string): Promise<string | null> {
  const out: string[] = [];
  const walk = async (path: string) => {
    for await (const entry of Deno.readDir(path)) {
      const full = `${path}/${entry.name}`;
      const info = await Deno.lstat(full);
      out.push(`${full} ${info.size} ${info.mtime?.getTime()}`);
      if (entry.isDirectory) await walk(full);
    }
  };
  try {
    await walk(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  return out.sort().join("\n");
}

const DRY_RUNS: string[][] = [
  ["simulate", "--dry-run", "--inserts", "40"],
  ["backfill", "--from", addDays(YESTERDAY, -2), "--to", YESTERDAY, "--dry-run"],
  ["catch-up", "--dry-run", "--messiness", "low"],
];

Deno.test("a dry run on a data directory that does not exist yet creates nothing", async () => {
  const root = await Deno.makeTempDir({ prefix: "chinook-sim-dry-" });
  try {
    const empty = `${root}/empty`;
    await Deno.mkdir(empty);
    for (const [i, args] of DRY_RUNS.entries()) {
      // A directory that does not exist; for the first command also one that exists but is empty.
      for (const data of i === 0 ? [`${root}/data${i}`, empty] : [`${root}/data${i}`]) {
        const r = await cli([...args, "--manifest-dir", `${root}/manifests`, "--json"], {
          env: { SIM_DATA_DIR: data, CHINOOK_SQL: chinookSource() },
        });
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /does not exist yet and is not created/);
        assert.match(r.stderr, /is not set up; would set it up \(history ending /);
        const out = JSON.parse(r.stdout);
        const days = out.days ?? [out];
        assert.ok(
          days.length >= 1 && days.every((d: { status: string }) => d.status === "dry-run"),
        );
      }
      assert.equal(await files(`${root}/data${i}`), null, `${args[0]}: no data directory`);
      assert.equal(await files(empty), "", `${args[0]}: the empty directory stays empty`);
      assert.equal(await files(`${root}/manifests`), null, `${args[0]}: no manifest directory`);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a dry run on a set-up database moves no history, id, sequence or file", async () => {
  const db = await freshDatabase();
  const dir = await Deno.makeTempDir({ prefix: "chinook-sim-dry-" });
  try {
    // No day simulated yet: a real backfill from an earlier day would move the history.
    await setupDatabase(db, ["--history-end", addDays(YESTERDAY, -1)]);
    const before = [await db.query(fingerprint), await db.query(idState)];
    const filesBefore = await files(dir);
    for (
      const args of [
        ...DRY_RUNS,
        [
          "backfill",
          "--from",
          addDays(YESTERDAY, -30),
          "--to",
          addDays(YESTERDAY, -28),
          "--dry-run",
        ],
        ["simulate", "--date", YESTERDAY, "--dry-run", "--force", "--delete-mode", "hard"],
      ]
    ) {
      const r = await cli([...args, "--manifest-dir", `${dir}/m`], { env: db.env });
      assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stdout, /[Dd]ry run, nothing written/);
      assert.deepEqual(
        [await db.query(fingerprint), await db.query(idState)],
        before,
        args.join(" "),
      );
      assert.equal(await files(dir), filesBefore, "no manifest written");
    }
  } finally {
    await db.drop();
    await Deno.remove(dir, { recursive: true });
  }
});

serverTest(
  "a dry run on a server that is not set up refuses as the real run would, and writes nothing",
  null,
  async (db: TestDatabase) => {
    const tables = () =>
      db.query(async (sql) =>
        (await sql`SELECT count(*)::int AS n FROM information_schema.tables
                    WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`)[0]!.n
      );
    for (const args of DRY_RUNS) {
      const r = await cli(args, { env: { ...db.env, CHINOOK_SQL: chinookSource() } });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /has no Chinook tables: run "chinook-sim setup --chinook-sql FILE"/);
      assert.equal(await tables(), 0);
    }
  },
);
