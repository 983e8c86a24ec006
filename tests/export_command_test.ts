/**
 * The export command end to end: days simulated with hard deletes, messiness
 * and customer changes, exported as CSV, JSON Lines and Parquet, read back
 * by readers that share no code with the writers (csv-parse, JSON.parse,
 * parquet-wasm), equal the database row by row: the full extract every
 * table, the day's change files the rows as the day left them. Exporting
 * again gives the same bytes; kill -9 in the middle of an export (of the
 * command, and of a day command's --export after its commit) leaves no
 * partial file in sight, and the next run completes it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { landingSchema } from "../lib/export/changes.ts";
import { CHINOOK_EXPORT_TABLES, SALES_TABLES } from "../lib/export/chinook_tables.ts";
import type { LandingFormat, TableSchema } from "../lib/export/types.ts";
import {
  micros,
  readCsv,
  readJsonl,
  readParquetArrow,
  type Semantic,
  type SemanticRow,
  unscaled,
} from "./export_readers.ts";
import { cli, spawnCli, type Sql, type TestDatabase, withSetUpDatabase } from "./harness.ts";

const DAYS = ["2026-03-02", "2026-03-03"];
const LAST = DAYS[1]!;
const DAY_ARGS = [
  "--seed",
  "5",
  "--inserts",
  "40",
  "--updates",
  "6",
  "--deletes",
  "4",
  "--new-customers",
  "2",
  "--customer-changes",
  "3",
  "--delete-mode",
  "hard",
  "--messiness",
  "high",
  "--manifest-dir",
  "none",
];
const FORMATS: LandingFormat[] = ["csv", "jsonl", "parquet"];

interface ManifestFile {
  path: string;
  records: number;
  bytes: number;
  sha256: string;
}
interface Manifest {
  day: string;
  kind: string;
  files: ManifestFile[];
  runs: Array<{ txId: number; firstSequence: number; lastSequence: number }>;
}

async function ok(db: TestDatabase, args: string[]): Promise<string> {
  const result = await cli(args, { env: db.env });
  assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** Numbers and bigints alike: readers differ in which they give for int8. */
function plain(rows: SemanticRow[]): Record<string, string | null>[] {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]: [string, Semantic]) => [k, v === null ? null : String(v)]),
    )
  );
}

/** The database's rows of a table, typed by the export schema, in key order; read as text here. */
async function databaseRows(sql: Sql, table: TableSchema): Promise<SemanticRow[]> {
  const columns = table.columns.map((c) => `t."${c.name}"::text AS "${c.name}"`).join(", ");
  const order = table.primaryKey.map((k) => `t."${k}"`).join(", ");
  const rows = await sql.unsafe<Record<string, string | null>[]>(
    `SELECT ${columns} FROM public."${table.name}" t ORDER BY ${order}`,
  );
  return rows.map((row) =>
    Object.fromEntries(table.columns.map((c) => {
      const text = row[c.name] ?? null;
      if (text === null) return [c.name, null];
      switch (c.type.kind) {
        case "int":
          return [c.name, Number(text)];
        case "bigint":
          return [c.name, BigInt(text)];
        case "decimal":
          return [c.name, unscaled(text, c.type.scale)];
        case "timestamp":
        case "timestamptz":
          return [c.name, micros(text)];
        case "text":
          return [c.name, text];
      }
    }))
  );
}

function reader(format: LandingFormat) {
  return format === "csv" ? readCsv : format === "jsonl" ? readJsonl : readParquetArrow;
}

async function readManifest(root: string, name: string): Promise<Manifest> {
  return JSON.parse(await Deno.readTextFile(join(root, "_manifests", name)));
}

/** Every row of a dataset's files in a manifest, in file order. */
async function readDataset(
  root: string,
  manifest: Manifest,
  prefix: string,
  schema: TableSchema,
  format: LandingFormat,
): Promise<SemanticRow[]> {
  const rows: SemanticRow[] = [];
  const files = manifest.files.filter((f) => f.path.startsWith(`${prefix}/dt=`));
  assert.ok(files.length > 0, `${prefix} has files`);
  for (const file of files) {
    rows.push(...reader(format)(schema, await Deno.readFile(join(root, file.path))));
  }
  return rows;
}

/** Every file under `root` (relative path → bytes as hex digest), temporary ones included. */
async function listing(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string, prefix: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory) await walk(join(dir, entry.name), path);
      else {
        const bytes = await Deno.readFile(join(dir, entry.name));
        const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
        out.set(path, Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join(""));
      }
    }
  };
  await walk(root, "");
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

Deno.test("export: landing files read back by other readers equal the database", async (t) => {
  await withSetUpDatabase("2026-03-01", async (db) => {
    await ok(db, ["backfill", "--from", DAYS[0]!, "--to", DAYS[0]!, ...DAY_ARGS]);
    // The sales tables as the first day left them, before the next one changes them.
    const firstDay = new Map<string, SemanticRow[]>();
    for (const table of SALES_TABLES.values()) {
      firstDay.set(table.name, await db.query((sql) => databaseRows(sql, table)));
    }
    await ok(db, ["backfill", "--from", LAST, "--to", LAST, ...DAY_ARGS]);
    const roots = new Map<LandingFormat, string>();
    try {
      for (const format of FORMATS) {
        const root = await Deno.makeTempDir({ prefix: `chinook-sim-export-${format}-` });
        roots.set(format, root);
        const out = await ok(db, [
          "export",
          "--from",
          DAYS[0]!,
          "--to",
          LAST,
          "--out",
          root,
          "--format",
          format,
          "--snapshot",
          "--events",
          format === "csv" ? "cdc-flat" : "debezium",
          "--json",
        ]);
        const result = JSON.parse(out);
        assert.deepEqual(result.days.map((d: Manifest) => d.day), DAYS);
        assert.equal(result.snapshot.day, LAST);
      }

      for (const format of FORMATS) {
        const root = roots.get(format)!;
        await t.step(`${format}: the extract equals every table`, async () => {
          const manifest = await readManifest(root, `snapshot-${LAST}.${format}.json`);
          for (const table of CHINOOK_EXPORT_TABLES) {
            const rows = await readDataset(root, manifest, `snapshot/${table.name}`, table, format);
            const wanted = await db.query((sql) => databaseRows(sql, table));
            assert.ok(wanted.length > 0, table.name);
            assert.deepStrictEqual(plain(rows), plain(wanted), `${format} ${table.name}`);
          }
        });

        await t.step(`${format}: the last day's changes leave the rows as they are`, async () => {
          const manifest = await readManifest(root, `${LAST}.${format}.json`);
          const [run] = manifest.runs;
          for (const table of SALES_TABLES.values()) {
            const schema = landingSchema(table);
            const rows = await readDataset(root, manifest, table.name, schema, format);
            assert.ok(rows.length > 0, `${table.name} changed on ${LAST}`);
            const sequences = rows.map((r) => Number(r._sequence));
            assert.ok(sequences.every((s, i) => i === 0 || s > sequences[i - 1]!), "in order");
            assert.ok(sequences.every((s) => s >= run!.firstSequence && s <= run!.lastSequence));
            // The last change of each row is the row now, or it is gone.
            const key = table.primaryKey[0]!;
            const last = new Map<string, SemanticRow>();
            for (const row of rows) last.set(String(row[key]), row);
            const now = new Map(
              (await db.query((sql) => databaseRows(sql, table))).map((r) => [String(r[key]), r]),
            );
            for (const [id, row] of last) {
              const { _op, _sequence: _s, _committed_at: _c, ...image } = row;
              if (_op === "D") assert.ok(!now.has(id), `${table.name} ${id} was deleted`);
              else {assert.deepStrictEqual(
                  plain([image]),
                  plain([now.get(id)!]),
                  `${table.name} ${id}`,
                );}
            }
          }
        });
      }

      await t.step("an extract as of an earlier day: the rows as that day left them", async () => {
        const root = await Deno.makeTempDir({ prefix: "chinook-sim-export-asof-" });
        try {
          const day = DAYS[0]!;
          await ok(db, ["export", "--from", day, "--to", day, "--out", root, "--snapshot"]);
          const manifest = await readManifest(root, `snapshot-${day}.parquet.json`);
          for (const table of SALES_TABLES.values()) {
            const rows = await readDataset(
              root,
              manifest,
              `snapshot/${table.name}`,
              table,
              "parquet",
            );
            const now = await db.query((sql) => databaseRows(sql, table));
            assert.notDeepEqual(
              plain(now),
              plain(firstDay.get(table.name)!),
              "the next day changed it",
            );
            assert.deepStrictEqual(plain(rows), plain(firstDay.get(table.name)!), table.name);
          }
        } finally {
          await Deno.remove(root, { recursive: true });
        }
      });

      await t.step("exporting again gives the same bytes", async () => {
        const again = await Deno.makeTempDir({ prefix: "chinook-sim-export-again-" });
        try {
          await ok(db, [
            "export",
            "--from",
            DAYS[0]!,
            "--to",
            LAST,
            "--out",
            again,
            "--format",
            "parquet",
            "--snapshot",
            "--events",
            "debezium",
          ]);
          assert.deepEqual(await listing(again), await listing(roots.get("parquet")!));
        } finally {
          await Deno.remove(again, { recursive: true });
        }
      });

      await t.step("every file a manifest names is there, with its size and hash", async () => {
        for (const [format, root] of roots) {
          const files = await listing(root);
          for (const name of [`snapshot-${LAST}`, ...DAYS]) {
            const manifest = await readManifest(root, `${name}.${format}.json`);
            for (const file of manifest.files) {
              assert.equal(files.get(file.path), file.sha256, file.path);
              assert.equal((await Deno.stat(join(root, file.path))).size, file.bytes);
            }
          }
        }
      });
    } finally {
      for (const root of roots.values()) await Deno.remove(root, { recursive: true });
    }
  });
});

/** Waits until a temporary part shows up under `root` (the export is mid-way), or the process ends. */
async function untilStaging(root: string, child: Deno.ChildProcess): Promise<boolean> {
  let ended = false;
  child.status.then(() => (ended = true));
  while (!ended) {
    try {
      for (const path of (await listing(root)).keys()) if (path.endsWith(".tmp")) return true;
    } catch {
      // The directory may not exist yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return false;
}

Deno.test("export: kill -9 mid-export leaves no partial file; the next run completes it", async (t) => {
  await withSetUpDatabase("2026-03-01", async (db) => {
    const big = ["--seed", "9", "--inserts", "8000", "--manifest-dir", "none"];
    await ok(db, ["simulate", "--date", DAYS[0]!, ...big]);
    const root = await Deno.makeTempDir({ prefix: "chinook-sim-export-kill-" });
    const fresh = await Deno.makeTempDir({ prefix: "chinook-sim-export-fresh-" });
    const exportArgs = ["--format", "parquet", "--events", "debezium"];
    try {
      await t.step("the export command", async () => {
        const args = ["export", "--from", DAYS[0]!, "--to", DAYS[0]!, "--out", root, ...exportArgs];
        await ok(db, args);
        const before = await listing(root);
        const child = spawnCli(args, { env: db.env, stdout: "null", stderr: "null" });
        const caught = await untilStaging(root, child);
        child.kill("SIGKILL");
        await child.status;
        assert.ok(caught, "the kill landed mid-export");
        const after = new Map(
          [...await listing(root)].filter(([p]) => !p.split("/").some((s) => s.startsWith("."))),
        );
        assert.deepEqual(after, before, "published files and manifest untouched");
        await ok(db, args);
        assert.deepEqual(
          await listing(root),
          before,
          "the rerun completes: no temporary file left",
        );
      });

      await t.step("--export after a day's commit", async () => {
        const exportDir = join(root, "daily");
        const args = [
          "simulate",
          "--date",
          DAYS[1]!,
          ...big,
          "--export",
          exportDir,
          "--export-format",
          "parquet",
          "--events",
          "debezium",
        ];
        const child = spawnCli(args, { env: db.env, stdout: "null", stderr: "null" });
        const caught = await untilStaging(exportDir, child);
        child.kill("SIGKILL");
        await child.status;
        assert.ok(caught, "the kill landed mid-export");
        const [committed] = await db.query((sql) =>
          sql<
            { n: number }[]
          >`SELECT count(*)::int AS n FROM chinook_sim.ledger WHERE sim_date = ${DAYS[1]!}`
        );
        assert.equal(committed!.n, 1, "the day was committed before the export");
        const partial = await listing(exportDir);
        assert.ok(!partial.has(`_manifests/${DAYS[1]}.parquet.json`), "no manifest yet");
        // Running the day again skips it (it is committed) and writes its export.
        await ok(db, args);
        await ok(db, [
          "export",
          "--from",
          DAYS[1]!,
          "--to",
          DAYS[1]!,
          "--out",
          fresh,
          ...exportArgs,
        ]);
        assert.deepEqual(await listing(exportDir), await listing(fresh));
      });
    } finally {
      await Deno.remove(root, { recursive: true });
      await Deno.remove(fresh, { recursive: true });
    }
  });
});

Deno.test("--export: each committed day exported; a failure after the commit is exit 4", async (t) => {
  await withSetUpDatabase("2026-03-01", async (db) => {
    const root = await Deno.makeTempDir({ prefix: "chinook-sim-export-daily-" });
    try {
      await t.step("backfill exports every day it commits", async () => {
        await ok(db, [
          "backfill",
          "--from",
          DAYS[0]!,
          "--to",
          LAST,
          ...DAY_ARGS,
          "--export",
          root,
          "--export-format",
          "jsonl",
          "--events",
          "cdc-flat",
        ]);
        for (const day of DAYS) {
          const manifest = await readManifest(root, `${day}.jsonl.json`);
          assert.deepEqual(
            manifest.files.map((f) => f.path.replace(/\/part-.*$/, "")),
            [
              `Invoice/dt=${day}`,
              `InvoiceLine/dt=${day}`,
              `Customer/dt=${day}`,
              `events/cdc-flat/Invoice/dt=${day}`,
              `events/cdc-flat/InvoiceLine/dt=${day}`,
              `events/cdc-flat/Customer/dt=${day}`,
            ],
          );
        }
      });

      await t.step("an export that fails after the commit: exit 4, and how to finish", async () => {
        const day = "2026-03-04";
        const dir = join(root, "second");
        await Deno.mkdir(dir);
        // The directory passes the check before the transaction; a table's partition cannot be made.
        await Deno.writeTextFile(join(dir, "Customer"), "in the way");
        const args = ["simulate", "--date", day, ...DAY_ARGS, "--export", dir];
        const result = await cli(args, { env: db.env });
        assert.equal(result.code, 4, result.stderr);
        assert.match(
          result.stderr,
          new RegExp(
            `error: ${day} was committed, but its export was not written to --export "${dir}": .*Run "chinook-sim export --from ${day} --to ${day} --out ${dir} --format parquet" to write it`,
          ),
        );
        const [ledger] = await db.query((sql) =>
          sql<
            { n: number }[]
          >`SELECT count(*)::int AS n FROM chinook_sim.ledger WHERE sim_date = ${day}`
        );
        assert.equal(ledger!.n, 1, "the day is committed");
        await Deno.remove(join(dir, "Customer"));
        await ok(db, ["export", "--from", day, "--to", day, "--out", dir]);
        const manifest = await readManifest(dir, `${day}.parquet.json`);
        assert.equal(manifest.files.length, 3);
      });
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
});

Deno.test("with setup --web, a day's export has its clickstream too, in the manifest", async () => {
  await withSetUpDatabase("2026-03-01", async (db) => {
    await ok(db, ["setup", "--web"]);
    const root = await Deno.makeTempDir({ prefix: "chinook-sim-export-web-" });
    try {
      await ok(db, [
        "simulate",
        "--date",
        DAYS[0]!,
        ...DAY_ARGS,
        "--export",
        root,
        "--export-format",
        "jsonl",
      ]);
      const manifest = await readManifest(root, `${DAYS[0]}.jsonl.json`);
      const datasets = manifest.files.map((f) => f.path.replace(/\/dt=.*$/, ""));
      assert.deepEqual(datasets.slice(0, 3), ["Invoice", "InvoiceLine", "Customer"]);
      const web = datasets.filter((d) => d.startsWith("clickstream/"));
      assert.ok(web.includes("clickstream/event"), datasets.join(", "));
      const events = manifest.files.find((f) => f.path.startsWith("clickstream/event/"))!;
      assert.ok(events.records > 0, "the day has web events");
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
});

Deno.test("after a rewind: the days kept export the same bytes; the days undone are refused", async () => {
  await withSetUpDatabase("2026-03-01", async (db) => {
    const before = await Deno.makeTempDir({ prefix: "chinook-sim-export-rewind-a-" });
    const after = await Deno.makeTempDir({ prefix: "chinook-sim-export-rewind-b-" });
    try {
      await ok(db, ["backfill", "--from", DAYS[0]!, "--to", LAST, ...DAY_ARGS]);
      const args = ["--from", DAYS[0]!, "--to", DAYS[0]!, "--events", "debezium", "--snapshot"];
      await ok(db, ["export", ...args, "--out", before]);
      await ok(db, ["rewind", "--to", DAYS[0]!]);
      await ok(db, ["export", ...args, "--out", after]);
      assert.deepEqual(await listing(after), await listing(before));
      const refused = await cli(["export", "--from", LAST, "--to", LAST, "--out", after], {
        env: db.env,
      });
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, new RegExp(`Cannot export ${LAST}: not committed`));
    } finally {
      await Deno.remove(before, { recursive: true });
      await Deno.remove(after, { recursive: true });
    }
  });
});
