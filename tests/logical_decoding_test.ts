/**
 * Ground truth from PostgreSQL itself: a logical replication slot
 * (test_decoding) records a day's transaction, and the decoded row changes
 * must be exactly the exported Debezium events — the same set of (table, op,
 * key, after-image), nothing missing, nothing extra — with the decoded
 * transaction id. The day has hard deletes, messiness and customer changes;
 * a later day changes its rows again, and exporting it afterwards still
 * gives the same bytes. Needs wal_level=logical (.ci/run sets it).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { SALES_TABLES } from "../lib/export/chinook_tables.ts";
import type { TableSchema } from "../lib/export/types.ts";
import { micros } from "./export_readers.ts";
import postgres from "postgres";
import {
  cli,
  freshDatabase,
  ON_SERVER,
  SERVER_URL,
  serverOnly,
  setupDatabase,
  type TestDatabase,
} from "./harness.ts";

const DAY = "2026-03-02";
const NEXT = "2026-03-03";
const DAY_ARGS = [
  "--seed",
  "11",
  "--inserts",
  "60",
  "--updates",
  "8",
  "--deletes",
  "6",
  "--new-customers",
  "3",
  "--customer-changes",
  "4",
  "--delete-mode",
  "hard",
  "--messiness",
  "high",
  "--manifest-dir",
  "none",
];

type Image = Record<string, string | null>;
/** A Debezium event as read back (values only). */
interface Event {
  op: Change["op"];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  source: { table: string; txId: number; lsn: number };
}

interface Change {
  table: string;
  op: "c" | "u" | "d";
  key: string;
  after: Image | null;
  /** Compared where the table logs complete old rows (REPLICA IDENTITY FULL). */
  before?: Image | null;
}

/** A value as text both sides agree on: timestamps as epoch microseconds. */
function canonical(table: TableSchema, column: string, text: string | null): string | null {
  if (text === null) return null;
  const kind = table.columns.find((c) => c.name === column)!.type.kind;
  return kind === "timestamp" || kind === "timestamptz" ? String(micros(text)) : text;
}

/** `"Col"[type]:value` pairs of one test_decoding tuple. */
function decodeTuple(table: TableSchema, text: string): Image {
  const image: Image = {};
  // Names are quoted only when they need it ("InvoiceId", but created_at).
  const field = /(?:"((?:[^"]|"")+)"|([a-z_][a-z0-9_$]*))\[[^\]]+\]:(null|'(?:[^']|'')*'|\S+)/gy;
  let rest = text.trimStart();
  while (rest.length > 0) {
    field.lastIndex = 0;
    const match = field.exec(rest);
    assert.ok(match, `cannot decode: ${rest.slice(0, 80)}`);
    const name = match[1]?.replaceAll('""', '"') ?? match[2]!;
    const raw = match[3]!;
    const value = raw === "null"
      ? null
      : raw.startsWith("'")
      ? raw.slice(1, -1).replaceAll("''", "'")
      : raw;
    if (table.columns.some((c) => c.name === name)) image[name] = canonical(table, name, value);
    rest = rest.slice(match[0].length).trimStart();
  }
  return image;
}

/** The slot's changes to the sales tables, and the transactions they came in. */
function decode(
  lines: string[],
  fullIdentity: ReadonlySet<string>,
): { changes: Change[]; xids: Set<number> } {
  const changes: Change[] = [];
  const xids = new Set<number>();
  let xid: number | null = null;
  for (const line of lines) {
    const begin = /^BEGIN (\d+)$/.exec(line);
    if (begin) {
      xid = Number(begin[1]);
      continue;
    }
    if (/^COMMIT/.test(line)) continue;
    const match = /^table public\.("?)(\w+)\1: (INSERT|UPDATE|DELETE): (.*)$/.exec(line);
    if (!match) continue;
    const table = SALES_TABLES.get(match[2]!);
    if (!table) continue;
    xids.add(xid!);
    const ops: Record<string, Change["op"]> = { INSERT: "c", UPDATE: "u", DELETE: "d" };
    const op = ops[match[3]!]!;
    // UPDATE may carry "old-key: … new-tuple: …"; the new tuple is the after-image.
    const old = /^old-key: (.*?) new-tuple: (.*)$/.exec(match[4]!);
    const tuple = decodeTuple(table, old ? old[2]! : match[4]!);
    const keyName = table.primaryKey[0]!;
    const change: Change = {
      table: table.name,
      op,
      key: tuple[keyName]!,
      after: op === "d" ? null : tuple,
    };
    if (fullIdentity.has(table.name)) {
      // test_decoding leaves NULL columns out of old rows: they are NULL.
      const oldRow = op === "c" ? null : op === "d" ? tuple : decodeTuple(table, old![1]!);
      change.before = oldRow &&
        Object.fromEntries(table.columns.map((c) => [c.name, oldRow[c.name] ?? null]));
    }
    changes.push(change);
  }
  return { changes, xids };
}

/** The exported Debezium events, in the same terms. */
function fromEvents(events: Event[], fullIdentity: ReadonlySet<string>): Change[] {
  const imageOf = (table: TableSchema, row: Record<string, unknown> | null): Image | null => {
    if (row === null) return null;
    const image: Image = {};
    for (const column of table.columns) {
      const value = row[column.name];
      // Integers and MicroTimestamps are numbers, decimals strings ("1.98") as PostgreSQL prints them.
      image[column.name] = value === null ? null : String(value);
    }
    return image;
  };
  return events.map((event) => {
    const table = SALES_TABLES.get(event.source.table)!;
    const keyName = table.primaryKey[0]!;
    const change: Change = {
      table: table.name,
      op: event.op,
      key: String((event.after ?? event.before)![keyName]),
      after: imageOf(table, event.after),
    };
    if (fullIdentity.has(table.name)) change.before = imageOf(table, event.before);
    return change;
  });
}

function sorted(changes: Change[]): string[] {
  return changes.map((c) => JSON.stringify(c)).sort();
}

async function readEvents(root: string, day: string): Promise<Event[]> {
  const manifest = JSON.parse(
    await Deno.readTextFile(join(root, "_manifests", `${day}.csv.json`)),
  );
  const events: Event[] = [];
  for (const file of manifest.files) {
    if (!file.path.startsWith("events/debezium/")) continue;
    const text = await Deno.readTextFile(join(root, file.path));
    events.push(...text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as Event));
  }
  return events;
}

async function run(db: TestDatabase, args: string[]): Promise<void> {
  const result = await cli(args, { env: db.env });
  assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
}

/** The server's wal_level (null without a server): decoding needs "logical". */
async function serverWalLevel(): Promise<string | null> {
  if (!ON_SERVER) return null;
  const sql = postgres(SERVER_URL!, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ wal_level: string }[]>`SHOW wal_level`;
    return row!.wal_level;
  } finally {
    await sql.end();
  }
}

const WAL_LEVEL = await serverWalLevel();

/**
 * A day with hard deletes, messiness and customer changes under a slot; the
 * decoded changes against the exported events. `fullIdentity`: tables whose
 * before-images the WAL has in full (REPLICA IDENTITY FULL), compared too.
 */
async function groundTruth(db: TestDatabase, fullIdentity: ReadonlySet<string>): Promise<void> {
  const slot = `chinook_sim_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const root = await Deno.makeTempDir({ prefix: "chinook-sim-decoding-" });
  const later = await Deno.makeTempDir({ prefix: "chinook-sim-decoding-later-" });
  try {
    await db.query((sql) =>
      sql`SELECT pg_create_logical_replication_slot(${slot}, 'test_decoding')`
    );
    await run(db, [
      "simulate",
      "--date",
      DAY,
      ...DAY_ARGS,
      "--export",
      root,
      "--export-format",
      "csv",
      "--events",
      "debezium",
    ]);
    const lines = await db.query((sql) =>
      sql<{ data: string }[]>`
        SELECT data FROM pg_logical_slot_get_changes(${slot}, NULL, NULL,
          'include-xids', '1', 'skip-empty-xacts', '1')`
    );
    const decoded = decode(lines.map((l) => l.data), fullIdentity);
    const events = await readEvents(root, DAY);

    assert.ok(decoded.changes.length > 100, `a real day: ${decoded.changes.length} changes`);
    for (const op of ["c", "u", "d"]) {
      for (const table of ["Invoice", "InvoiceLine"]) {
        assert.ok(
          decoded.changes.some((c) => c.op === op && c.table === table),
          `the day has ${op} on ${table}`,
        );
      }
    }
    assert.ok(decoded.changes.some((c) => c.table === "Customer" && c.op === "u"));
    assert.deepEqual(sorted(fromEvents(events, fullIdentity)), sorted(decoded.changes));

    // One transaction, the one the events name.
    assert.equal(decoded.xids.size, 1);
    const txIds = new Set(events.map((e) => e.source.txId));
    assert.deepEqual([...txIds], [...decoded.xids]);
    const sequences = events.map((e) => e.source.lsn);
    assert.ok(sequences.every((s, i) => i === 0 || s > sequences[i - 1]!), "increasing");

    // A later day changes the day's rows again; the day exports the same bytes.
    await run(db, ["simulate", "--date", NEXT, ...DAY_ARGS.slice(2)]);
    await run(db, [
      "export",
      "--from",
      DAY,
      "--to",
      DAY,
      "--out",
      later,
      "--format",
      "csv",
      "--events",
      "debezium",
    ]);
    const manifest = `_manifests/${DAY}.csv.json`;
    const first = JSON.parse(await Deno.readTextFile(join(root, manifest)));
    assert.deepEqual(JSON.parse(await Deno.readTextFile(join(later, manifest))), first);
    for (const file of first.files) {
      assert.deepEqual(
        await Deno.readFile(join(later, file.path)),
        await Deno.readFile(join(root, file.path)),
        file.path,
      );
    }
  } finally {
    // A slot keeps the server from removing WAL: never leave one behind.
    await db.query((sql) =>
      sql`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
           WHERE slot_name = ${slot}`
    );
    await Deno.remove(root, { recursive: true });
    await Deno.remove(later, { recursive: true });
  }
}

const SKIPPED = ON_SERVER && WAL_LEVEL !== "logical"
  ? ` [skipped: needs wal_level=logical on the server, which has ${WAL_LEVEL}; .ci/run sets it]`
  : "";

function decodingTest(name: string, setup: string[], fullIdentity: string[]): void {
  Deno.test({
    name: SKIPPED ? `${name}${SKIPPED}` : serverOnly(name),
    ignore: !ON_SERVER || WAL_LEVEL !== "logical",
    async fn() {
      const db = await freshDatabase();
      try {
        await setupDatabase(db, ["--history-end", "2026-03-01", ...setup]);
        await groundTruth(db, new Set(fullIdentity));
      } finally {
        await db.drop();
      }
    },
  });
}

decodingTest("decoded WAL and exported events are the same changes", [], []);
decodingTest(
  "with setup --cdc (REPLICA IDENTITY FULL): the before-images are the same too",
  ["--cdc"],
  ["Invoice", "InvoiceLine"],
);
