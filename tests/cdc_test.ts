/** setup --cdc: audit columns kept right by simulate, exact undo, and a logical slot that sees the day. */
import assert from "node:assert/strict";
import {
  cli,
  freshDatabase,
  ON_SERVER,
  setupDatabase,
  type Sql,
  type TestDatabase,
  withSetUpDatabase,
} from "./harness.ts";

async function schema(sql: Sql) {
  const [row] = await sql`
    SELECT
      (SELECT string_agg(table_name || '.' || column_name || ':' || data_type || ':' || is_nullable || ':' ||
                         coalesce(column_default, ''), ',' ORDER BY table_name, ordinal_position)
         FROM information_schema.columns WHERE table_schema = 'public') AS columns,
      (SELECT coalesce(string_agg(tgname, ',' ORDER BY tgname), '') FROM pg_trigger WHERE NOT tgisinternal) AS triggers,
      (SELECT coalesce(string_agg(pubname, ','), '') FROM pg_publication) AS publications,
      (SELECT string_agg(relname || ':' || relreplident::text, ',' ORDER BY relname) FROM pg_class
        WHERE relnamespace = 'public'::regnamespace AND relkind = 'r') AS replica_identity`;
  return row!;
}

async function setupCdc(db: TestDatabase, extra: string[] = []) {
  const r = await cli(["setup", "--cdc", ...extra], { env: db.env });
  assert.equal(r.code, 0, r.stderr);
  return r;
}

Deno.test("setup --cdc is idempotent; --undo restores the exact original schema", async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    const before = await db.query(schema);
    await setupCdc(db);
    await setupCdc(db);
    const after = await db.query(schema);
    assert.match(after.columns, /Invoice\.created_at:timestamp with time zone:NO:now\(\)/);
    assert.match(after.columns, /Customer\.updated_at/);
    assert.match(after.triggers, /chinook_sim_touch_updated_at/);
    assert.match(after.replica_identity, /InvoiceLine:f/);
    if (ON_SERVER) assert.equal(after.publications, "chinook_sim_sales");
    await setupCdc(db, ["--undo"]);
    await setupCdc(db, ["--undo"]);
    assert.deepEqual(await db.query(schema), before);
    const bad = await cli(["setup", "--undo"], { env: db.env });
    assert.equal(bad.code, 2);
  });
});

Deno.test("updated_at follows every change a day makes, and only those", async () => {
  await withSetUpDatabase("2026-03-08", async (db) => {
    const first = await cli(["simulate", "--date", "2026-03-09", "--seed", "1"], { env: db.env });
    assert.equal(first.code, 0, first.stderr);
    await setupCdc(db);
    const marker = await db.query(async (sql) =>
      (await sql`SELECT clock_timestamp() AS t`)[0]!.t as Date
    );
    const r = await cli(
      `simulate --date 2026-03-10 --seed 2 --updates 20 --deletes 10 --customer-changes 5 --messiness medium`
        .split(" "),
      { env: db.env },
    );
    assert.equal(r.code, 0, r.stderr);
    await db.query(async (sql) => {
      const [day] = await sql`
        WITH changed AS (
          SELECT row_id AS invoice_id FROM chinook_sim.change
           WHERE sim_date = '2026-03-10' AND table_name = 'Invoice'
        ), ledger AS (SELECT first_invoice_id AS f, last_invoice_id AS l, first_customer_id AS fc,
                             last_customer_id AS lc FROM chinook_sim.run WHERE sim_date = '2026-03-10')
        SELECT
          (SELECT count(*)::int FROM public."Invoice" i, ledger WHERE i."InvoiceId" BETWEEN f AND l
              AND (i.created_at < ${marker} OR i.updated_at < ${marker})) AS new_rows_stale,
          (SELECT count(*)::int FROM public."Invoice" i JOIN changed c ON c.invoice_id = i."InvoiceId"
            WHERE i.updated_at < ${marker}) AS changed_not_touched,
          (SELECT count(*)::int FROM public."Invoice" i, ledger WHERE i."InvoiceId" < f
              AND i."InvoiceId" NOT IN (SELECT invoice_id FROM changed) AND i.updated_at >= ${marker}) AS untouched_moved,
          (SELECT count(*)::int FROM public."Customer" c
             JOIN chinook_sim.change ch ON ch.table_name = 'Customer' AND ch.row_id = c."CustomerId"
            WHERE ch.sim_date = '2026-03-10' AND c.updated_at < ${marker}) AS customers_not_touched,
          (SELECT count(*)::int FROM public."Customer" c, ledger WHERE c.updated_at >= ${marker}
              AND c."CustomerId" NOT BETWEEN coalesce(fc, 0) AND coalesce(lc, 0)
              AND c."CustomerId" NOT IN (SELECT row_id FROM chinook_sim.change
                                          WHERE sim_date = '2026-03-10' AND table_name = 'Customer')) AS customers_moved,
          (SELECT count(DISTINCT updated_at)::int FROM public."Invoice" WHERE updated_at >= ${marker}) AS day_timestamps,
          (SELECT count(*)::int FROM changed) AS changed`;
      assert.deepEqual(day, {
        new_rows_stale: 0,
        changed_not_touched: 0,
        untouched_moved: 0,
        customers_not_touched: 0,
        customers_moved: 0,
        day_timestamps: 1,
        changed: day!.changed,
      });
      assert.ok(day!.changed > 20);
    });
    const verify = await cli(["verify"], { env: db.env });
    assert.equal(verify.code, 0, verify.stdout);
  });
});

const walLevel = ON_SERVER
  ? new TextDecoder().decode(
    new Deno.Command("psql", {
      args: [Deno.env.get("TEST_DATABASE_URL")!, "-Atc", "SHOW wal_level"],
      stdout: "piped",
      stderr: "null",
    })
      .outputSync().stdout,
  ).trim()
  : "";

Deno.test({
  name: walLevel === "logical"
    ? "a logical replication slot (test_decoding) sees exactly the day's changes"
    : "a logical replication slot sees the day's changes [skipped: needs TEST_DATABASE_URL with wal_level=logical]",
  ignore: walLevel !== "logical",
  async fn() {
    const db = await freshDatabase();
    const slot = `chinook_sim_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    try {
      await setupDatabase(db, ["--history-end", "2026-03-08"]);
      await setupCdc(db);
      await db.query((sql) =>
        sql`SELECT pg_create_logical_replication_slot(${slot}, 'test_decoding')`
      );
      const r = await cli(
        `simulate --date 2026-03-09 --seed 5 --updates 12 --deletes 6 --customer-changes 3`.split(
          " ",
        ),
        {
          env: db.env,
        },
      );
      assert.equal(r.code, 0, r.stderr);
      await db.query(async (sql) => {
        const changes = await sql<
          { data: string }[]
        >`SELECT data FROM pg_logical_slot_get_changes(${slot}, NULL, NULL)`;
        const count = (table: string, op: string) =>
          changes.filter((c) =>
            c.data.startsWith(`table public."${table}": ${op}:`) ||
            c.data.startsWith(`table public.${table}: ${op}:`)
          ).length;
        const [ledger] =
          await sql`SELECT inserts, updates, deletes, lines, new_customers, customer_changes, manifest FROM chinook_sim.ledger`;
        const m = ledger!.manifest;
        assert.equal(count("Invoice", "INSERT"), m.counts.Invoice.insert);
        assert.equal(count("InvoiceLine", "INSERT"), m.counts.InvoiceLine.insert);
        assert.equal(count("Customer", "INSERT"), m.counts.Customer.insert);
        assert.equal(count("Customer", "UPDATE"), m.counts.Customer.update);
        assert.equal(count("InvoiceLine", "DELETE"), m.counts.InvoiceLine.delete);
        // Each updated invoice: one Total update; each cancelled: one Total update to 0.
        assert.equal(count("Invoice", "UPDATE"), m.counts.Invoice.update);
        assert.equal(count("Invoice", "DELETE"), m.counts.Invoice.delete);
        assert.equal(
          changes.filter((c) => c.data.startsWith("COMMIT")).length,
          1,
          "one transaction for the day",
        );
      });
    } finally {
      await db.query((sql) =>
        sql`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ${slot}`
      )
        .catch(() => {});
      await db.drop();
    }
  },
});
