/**
 * rewind --to DAY: the rows are byte-identical to a database that only ever
 * simulated up to DAY with the same seeds; ids are not issued again; the
 * rewound runs keep their records; with setup --cdc, updated_at too.
 */
import assert from "node:assert/strict";
import { cli, fingerprint, freshDatabase, setupDatabase, type TestDatabase } from "./harness.ts";
import { assertVerified, idState, ledgerRows, ok, rowsHash } from "./ledger_helpers.ts";

const KEPT: string[][] = [
  ["--date", "2026-04-02", "--seed", "11", "--customer-changes", "3", "--new-customers", "2"],
  ["--date", "2026-04-03", "--seed", "12", "--delete-mode", "hard", "--deletes", "6"],
];

/** Every kind of change: hard deletes, cancellations, edits, duplicates, customers, a forced rerun. */
const UNDONE: string[][] = [
  [
    ...["--date", "2026-04-04", "--seed", "13", "--messiness", "high", "--updates", "8"],
    ...["--deletes", "6", "--customer-changes", "4", "--new-customers", "3"],
  ],
  [
    ...["--date", "2026-04-05", "--seed", "14", "--delete-mode", "hard", "--messiness", "high"],
    ...["--duplicate-rate", "0.2", "--deletes", "8", "--updates", "6", "--customer-changes", "3"],
  ],
  ["--date", "2026-04-04", "--seed", "15", "--force", "--inserts", "25", "--deletes", "4"],
];

async function simulateAll(db: TestDatabase, runs: string[][]): Promise<void> {
  for (const args of runs) await ok(db, ["simulate", ...args, "--manifest-dir", "none"]);
}

Deno.test("rewind: the same rows as a database that stopped at the day; ids never reissued", async () => {
  const a = await freshDatabase();
  const b = await freshDatabase();
  try {
    await setupDatabase(a, ["--history-end", "2026-04-01"]);
    await setupDatabase(b, ["--history-end", "2026-04-01"]);
    await simulateAll(a, KEPT);
    await simulateAll(b, KEPT);
    await simulateAll(a, UNDONE);
    const counters = JSON.parse(await a.query(idState)).counters;

    // --dry-run lists what would be undone and changes nothing.
    const before = await a.query(fingerprint);
    const dry = await ok(a, ["rewind", "--to", "2026-04-03", "--dry-run", "--json"]);
    const planned = JSON.parse(dry.stdout);
    assert.deepEqual(
      planned.runs.map((r: { day: string; runNumber: number }) => [r.day, r.runNumber]),
      [["2026-04-04", 2], ["2026-04-05", 1], ["2026-04-04", 1]],
      "newest first",
    );
    assert.deepEqual([planned.dryRun, planned.days], [true, ["2026-04-04", "2026-04-05"]]);
    assert.equal(await a.query(fingerprint), before, "a dry run changes nothing");

    const done = await ok(a, ["rewind", "--to", "2026-04-03"]);
    assert.match(done.stdout, /^Rewound to 2026-04-03: undid 3 runs, newest first:/);
    assert.match(done.stdout, /Days that can be simulated again: 2026-04-04 to 2026-04-05\./);
    assert.deepEqual(await a.query(rowsHash), await b.query(rowsHash), "byte-identical rows");
    assert.deepEqual(await a.query(ledgerRows), await b.query(ledgerRows));
    await a.query(async (sql) => {
      const states = await sql`
        SELECT sim_date::text AS day, run_number, state, rewound_at IS NOT NULL AS stamped
          FROM chinook_sim.run ORDER BY run_id`;
      assert.deepEqual(states.map((r) => [r.day, r.run_number, r.state, r.stamped]), [
        ["2026-04-02", 1, "committed", false],
        ["2026-04-03", 1, "committed", false],
        ["2026-04-04", 1, "rewound", true],
        ["2026-04-05", 1, "rewound", true],
        ["2026-04-04", 2, "rewound", true],
      ]);
    });
    assert.deepEqual(JSON.parse(await a.query(idState)).counters, counters, "counters stay");
    await assertVerified(a);

    // The days can be simulated again, with ids after every id ever issued.
    await ok(a, ["simulate", ...UNDONE[0]!, "--manifest-dir", "none"]);
    await a.query(async (sql) => {
      const [run] = await sql`
        SELECT run_number, first_invoice_id FROM chinook_sim.run
         WHERE sim_date = '2026-04-04' AND state = 'committed'`;
      const invoice = counters.find((c: { name: string }) => c.name === "invoice").value;
      assert.equal(run!.run_number, 3, "run numbers are not reused either");
      assert.ok(run!.first_invoice_id > Number(invoice));
    });
    await assertVerified(a);
  } finally {
    await Promise.all([a.drop(), b.drop()]);
  }
});

Deno.test("rewind with setup --cdc: restored rows keep their updated_at; a run of an earlier day committed later is undone too", async () => {
  const db = await freshDatabase();
  try {
    await setupDatabase(db, ["--history-end", "2026-04-01"]);
    await ok(db, ["setup", "--cdc"]);
    await simulateAll(db, KEPT);
    const kept = await db.query(rowsHash);
    await simulateAll(db, UNDONE);
    // 2026-04-03 again, after 2026-04-05: its rows may depend on the later days.
    await ok(db, ["simulate", "--date", "2026-04-03", "--force", "--seed", "3", "--updates", "9"]);
    const r = await ok(db, ["rewind", "--to", "2026-04-04", "--json"]);
    const result = JSON.parse(r.stdout);
    // Undone: 2026-04-05, and the runs committed after it (2026-04-04 run 2, 2026-04-03 run 2).
    assert.deepEqual(
      result.runs.map((r: { day: string; runNumber: number }) => [r.day, r.runNumber]),
      [["2026-04-03", 2], ["2026-04-04", 2], ["2026-04-05", 1]],
    );
    assert.deepEqual([result.days, result.earlierDays], [["2026-04-05"], [
      "2026-04-03",
      "2026-04-04",
    ]]);
    const again = await ok(db, ["rewind", "--to", "2026-04-03"]);
    assert.match(again.stdout, /^Rewound to 2026-04-03: undid 1 runs/);
    const nothing = await ok(db, ["rewind", "--to", "2026-04-03"]);
    assert.match(nothing.stdout, /^Nothing to rewind: no simulated day after 2026-04-03\./);
    // Audit columns included: the rows are exactly as they were after 2026-04-03.
    assert.deepEqual(await db.query(rowsHash), kept);
    await assertVerified(db);
  } finally {
    await db.drop();
  }
});

Deno.test("rewind refuses what it cannot do exactly, and says why", async () => {
  const db = await freshDatabase();
  try {
    await setupDatabase(db, ["--history-end", "2026-04-01"]);
    await simulateAll(db, KEPT);
    const before = await db.query(fingerprint);
    // Audit columns added after a run: its before-images lack them.
    await ok(db, ["setup", "--cdc"]);
    const afterCdc = await db.query(fingerprint);
    const refused = await cli(["rewind", "--to", "2026-04-01"], { env: db.env });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      /error: Cannot rewind past run 1 of 2026-04-0[23]: (Invoice|InvoiceLine|Customer) has columns now/,
    );
    assert.equal(await db.query(fingerprint), afterCdc);
    await ok(db, ["setup", "--cdc", "--undo"]);
    assert.equal(await db.query(fingerprint), before);
    await ok(db, ["rewind", "--to", "2026-04-01"]);
    await db.query(async (sql) => {
      const [n] = await sql`SELECT count(*)::int AS n FROM chinook_sim.ledger`;
      assert.equal(n!.n, 0, "every day undone");
    });
  } finally {
    await db.drop();
  }
});
