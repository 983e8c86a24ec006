/**
 * Every run keeps its own record: --force adds a run and never rewrites an
 * earlier one; the records order every row change in one global sequence;
 * and any run can be replayed from its record (same seed, same starting
 * state ⇒ the same rows).
 */
import assert from "node:assert/strict";
import { freshDatabase, setupDatabase, type Sql } from "./harness.ts";
import { assertVerified, ledgerRows, ok, rowsHash } from "./ledger_helpers.ts";

/** A day, a second day, then the first day again with another seed and options. */
const RUNS: string[][] = [
  [
    "--date",
    "2026-05-02",
    "--seed",
    "1",
    "--messiness",
    "high",
    "--updates",
    "6",
    "--deletes",
    "3",
  ],
  [
    ...["--date", "2026-05-03", "--seed", "2", "--delete-mode", "hard", "--customer-changes", "4"],
    ...["--new-customers", "2", "--updates", "5", "--deletes", "5", "--duplicate-rate", "0.1"],
  ],
  ["--date", "2026-05-02", "--seed", "9", "--force", "--inserts", "30", "--window-days", "3"],
];

interface RunRow {
  run_id: string;
  sim_date: string;
  run_number: number;
  seed: string;
  time_zone: string;
  delete_mode: string;
  window_days: number;
  options: {
    counts: Record<string, number | "auto">;
    messiness: { lateRate: number; editRate: number; duplicateRate: number };
    model: unknown;
    force: boolean;
  };
  first_invoice_id: number;
  last_invoice_id: number;
  manifest: { run: number; runId: number; seed: string };
  sequence_base: string;
  events: string;
  statements: Array<
    { table: string; op: string; rows: number; firstSequence: number; firstId?: number }
  >;
}

async function runs(sql: Sql): Promise<RunRow[]> {
  return [...await sql<RunRow[]>`SELECT *, sim_date::text FROM chinook_sim.run ORDER BY run_id`];
}

/** The CLI arguments that replay a run from its record. */
function replayArgs(run: RunRow, modelFile: string): string[] {
  const flag = (name: string, value: unknown) => [`--${name}`, String(value)];
  const counts = run.options.counts;
  return [
    "simulate",
    ...flag("date", run.sim_date),
    ...flag("seed", run.seed),
    ...flag("tz", run.time_zone),
    ...flag("delete-mode", run.delete_mode),
    ...flag("window-days", run.window_days),
    ...flag("inserts", counts.inserts),
    ...flag("updates", counts.updates),
    ...flag("deletes", counts.deletes),
    ...flag("new-customers", counts.newCustomers),
    ...flag("customer-changes", counts.customerChanges),
    ...flag("late-rate", run.options.messiness.lateRate),
    ...flag("edit-rate", run.options.messiness.editRate),
    ...flag("duplicate-rate", run.options.messiness.duplicateRate),
    ...flag("model", modelFile),
    ...(run.options.force ? ["--force"] : []),
    "--manifest-dir",
    "none",
  ];
}

Deno.test("runs: --force keeps earlier records, one global order of changes, replay from the record", async () => {
  const a = await freshDatabase();
  const b = await freshDatabase();
  const dir = await Deno.makeTempDir({ prefix: "chinook-sim-runs-" });
  try {
    await setupDatabase(a, ["--history-end", "2026-05-01"]);
    await setupDatabase(b, ["--history-end", "2026-05-01"]);
    await ok(a, ["simulate", ...RUNS[0]!, "--manifest-dir", dir]);
    const [first] = await a.query(runs);
    for (const args of RUNS.slice(1)) await ok(a, ["simulate", ...args, "--manifest-dir", dir]);

    const recorded = await a.query(runs);
    await a.query(async (sql) => {
      // --force added a run: the first keeps its seed, range and manifest.
      assert.deepEqual(recorded[0], first, "the first run's record is unchanged");
      assert.deepEqual(
        recorded.map((r) => [r.sim_date, r.run_number, r.seed]),
        [["2026-05-02", 1, "1"], ["2026-05-03", 1, "2"], ["2026-05-02", 2, "9"]],
      );
      const forced = recorded[2]!;
      assert.ok(forced.first_invoice_id > recorded[1]!.last_invoice_id, "its own, later range");
      const [day] = await sql`
        SELECT runs, seed, first_invoice_id, last_invoice_id, inserts FROM chinook_sim.ledger
         WHERE sim_date = '2026-05-02'`;
      assert.deepEqual(
        [day!.runs, day!.seed, day!.first_invoice_id, day!.last_invoice_id],
        [2, "1", first!.first_invoice_id, first!.last_invoice_id],
        "the day's ledger row keeps its first run's seed and range",
      );
      for (const run of recorded) {
        assert.deepEqual([run.manifest.run, run.manifest.runId], [
          run.run_number,
          Number(run.run_id),
        ]);
        const name = run.run_number > 1 ? `${run.sim_date}.run${run.run_number}` : run.sim_date;
        assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/${name}.json`)), run.manifest);
      }

      // One global order: each run's events follow the last run's; its statements cover them.
      let next = 1;
      for (const run of recorded) {
        assert.equal(
          Number(run.sequence_base) + 1,
          next,
          `run ${run.run_id} starts where the last ended`,
        );
        let position = next;
        for (const s of run.statements) {
          assert.equal(s.firstSequence, position, `${s.table} ${s.op} in order`);
          position += s.rows;
        }
        next = Number(run.sequence_base) + Number(run.events) + 1;
        assert.equal(position, next, "the statements cover every event of the run");
        const inserts = run.statements.find((s) => s.table === "Invoice" && s.op === "insert")!;
        assert.deepEqual(
          [inserts.firstId, inserts.firstId! + inserts.rows - 1],
          [run.first_invoice_id, run.last_invoice_id],
        );
      }
      const [changes] = await sql`
        WITH ordered AS (
          SELECT c.*, lag(sequence) OVER (ORDER BY change_id) AS previous,
                 r.sequence_base, r.events
            FROM chinook_sim.change c JOIN chinook_sim.run r USING (run_id)
        )
        SELECT count(*)::int AS n,
               count(*) FILTER (WHERE sequence <= previous)::int AS out_of_order,
               count(*) FILTER (WHERE sequence <= sequence_base OR sequence > sequence_base + events)::int AS outside_run,
               count(*) FILTER (WHERE before IS NULL)::int AS no_image,
               count(*) FILTER (WHERE NOT before ? (CASE table_name WHEN 'Invoice' THEN 'InvoiceId'
                 WHEN 'InvoiceLine' THEN 'InvoiceLineId' ELSE 'CustomerId' END))::int AS keyless
          FROM ordered`;
      assert.ok(changes!.n > 40, `changes: ${changes!.n}`);
      assert.deepEqual(
        [changes!.out_of_order, changes!.outside_run, changes!.no_image],
        [0, 0, 0],
      );
      const [commits] = await sql`
        SELECT count(*) FILTER (WHERE txid IS NULL)::int AS no_txid,
               bool_and(committed_at >= started_at) AS ordered_times
          FROM chinook_sim.run`;
      assert.deepEqual(commits, { no_txid: 0, ordered_times: true });
    });
    await assertVerified(a);

    // Replaying every run on a database in the same starting state gives the same rows.
    for (const run of recorded) {
      const model = `${dir}/model-${run.run_id}.json`;
      await Deno.writeTextFile(model, JSON.stringify(run.options.model));
      await ok(b, replayArgs(run, model));
    }
    assert.deepEqual(await b.query(rowsHash), await a.query(rowsHash));
    assert.deepEqual(await b.query(ledgerRows), await a.query(ledgerRows));
    const strip = (r: RunRow) => ({ ...r, started_at: 0, committed_at: 0, txid: 0 });
    assert.deepEqual((await b.query(runs)).map(strip), recorded.map(strip));
    await assertVerified(b);
  } finally {
    await Promise.all([a.drop(), b.drop()]);
    await Deno.remove(dir, { recursive: true });
  }
});
