/**
 * Setup's history from the demand model: reproducible from the seed, Chinook's invoices kept as
 * the earliest, times of day that exist in the store's zone, the ids counted as issued, and
 * all-or-nothing (kill -9 in the middle of it leaves an empty database).
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { addDays } from "../lib/sim/calendar.ts";
import {
  chinookSource,
  cli,
  freshDatabase,
  ON_SERVER,
  queryEmbedded,
  readUntil,
  serverOnly,
  setupDatabase,
  spawnCli,
  type Sql,
  textReader,
} from "./harness.ts";
import { ok } from "./ledger_helpers.ts";

const END = "2026-06-30";
const SETUP = ["--history-end", END, "--tz", "Europe/Paris", "--history-years"];

async function contentHash(sql: Sql): Promise<Record<string, string>> {
  const [row] = await sql`
    SELECT
      (SELECT md5(string_agg(i::text, '|' ORDER BY "InvoiceId")) FROM public."Invoice" i) AS invoices,
      (SELECT md5(string_agg(l::text, '|' ORDER BY "InvoiceLineId")) FROM public."InvoiceLine" l) AS lines,
      (SELECT md5(string_agg(c::text, '|' ORDER BY "CustomerId")) FROM public."Customer" c) AS customers`;
  return row as Record<string, string>;
}

Deno.test("setup's history: the seed's rows, Chinook's invoices first, then the model's days", async () => {
  const [a, b, c] = [await freshDatabase(), await freshDatabase(), await freshDatabase()];
  try {
    await setupDatabase(a, [...SETUP, "1", "--seed", "11"]);
    await setupDatabase(b, [...SETUP, "1", "--seed", "11"]);
    await setupDatabase(c, [...SETUP, "1", "--seed", "12"]);
    const [ha, hb, hc] = [
      await a.query(contentHash),
      await b.query(contentHash),
      await c.query(contentHash),
    ];
    assert.deepEqual(ha, hb, "same seed, same history");
    assert.notEqual(ha.invoices, hc.invoices, "another seed, another history");

    const from = addDays(END, -364); // 1 year: 365 days ending on END
    const facts = await a.query(async (sql) => {
      const [meta] = await sql`SELECT value FROM chinook_sim.meta WHERE key = 'history'`;
      const generated = meta!.value.generated as {
        invoices: number;
        firstInvoiceId: number;
        firstCustomerId: number;
      };
      const [row] = await sql<
        {
          originals_end: string;
          model_start: string;
          last_day: string;
          timed: number;
          midnight_originals: number;
          out_of_order: number;
          other_address: number;
          no_rep: number;
          bad_totals: number;
          counter: number;
          max_invoice: number;
        }[]
      >`
        SELECT
          (SELECT max("InvoiceDate")::date::text FROM public."Invoice"
            WHERE "InvoiceId" < ${generated.firstInvoiceId}) AS originals_end,
          (SELECT min("InvoiceDate")::date::text FROM public."Invoice"
            WHERE "InvoiceId" >= ${generated.firstInvoiceId}) AS model_start,
          (SELECT max("InvoiceDate")::date::text FROM public."Invoice") AS last_day,
          (SELECT count(*)::int FROM public."Invoice" WHERE "InvoiceId" >= ${generated.firstInvoiceId}
              AND "InvoiceDate"::time <> '00:00:00') AS timed,
          (SELECT count(*)::int FROM public."Invoice" WHERE "InvoiceId" < ${generated.firstInvoiceId}
              AND "InvoiceDate"::time = '00:00:00') AS midnight_originals,
          (SELECT count(*)::int FROM public."Invoice" a JOIN public."Invoice" b
              ON b."InvoiceId" = a."InvoiceId" + 1
            WHERE a."InvoiceId" >= ${generated.firstInvoiceId} AND b."InvoiceDate" < a."InvoiceDate")
            AS out_of_order,
          (SELECT count(*)::int FROM public."Invoice" i JOIN public."Customer" c USING ("CustomerId")
            WHERE i."InvoiceId" >= ${generated.firstInvoiceId}
              AND (i."BillingCity" IS DISTINCT FROM c."City"
                OR i."BillingPostalCode" IS DISTINCT FROM c."PostalCode")) AS other_address,
          (SELECT count(*)::int FROM public."Customer"
            WHERE "CustomerId" >= ${generated.firstCustomerId} AND "SupportRepId" IS NULL) AS no_rep,
          (SELECT count(*)::int FROM public."Invoice" i
            WHERE i."InvoiceId" >= ${generated.firstInvoiceId}
              AND i."Total" <> (SELECT sum("UnitPrice" * "Quantity") FROM public."InvoiceLine" l
                                 WHERE l."InvoiceId" = i."InvoiceId")) AS bad_totals,
          (SELECT value::int FROM chinook_sim.counter WHERE name = 'invoice') AS counter,
          (SELECT max("InvoiceId") FROM public."Invoice") AS max_invoice`;
      return { generated, ...row! };
    });
    assert.ok(facts.originals_end < from, `Chinook's invoices end ${facts.originals_end}`);
    // A young store sells a few invoices a month: the first may come some days in.
    assert.ok(
      facts.model_start >= from && facts.model_start < addDays(from, 30),
      facts.model_start,
    );
    assert.equal(facts.last_day, END);
    assert.ok(facts.timed > facts.generated.invoices * 0.99, "times of day from the hour curve");
    assert.ok(facts.midnight_originals < 5, "Chinook's invoices get times of day too");
    assert.equal(facts.out_of_order, 0, "ids in time order");
    assert.equal(facts.other_address, 0, "billing address: the customer's");
    assert.equal(facts.no_rep, 0, "every new customer has a support rep");
    assert.equal(facts.bad_totals, 0, "totals are the sum of the lines");
    assert.equal(facts.counter, facts.max_invoice, "the history's ids count as issued");
    assert.ok(facts.generated.invoices > 5000, `${facts.generated.invoices} invoices`);

    // The first simulated day continues the ids.
    await ok(a, ["simulate", "--date", addDays(END, 1), "--seed", "11", "--manifest-dir", "none"]);
    const [first] = await a.query((sql) =>
      sql`SELECT min("InvoiceId")::int AS id FROM public."Invoice" WHERE "InvoiceDate" >= ${
        addDays(END, 1)
      }::date`
    );
    assert.equal(first!.id, facts.max_invoice + 1);
  } finally {
    await Promise.all([a.drop(), b.drop(), c.drop()]);
  }
});

Deno.test({
  name: serverOnly("kill -9 while setup writes the history: nothing written; setup again works"),
  ignore: !ON_SERVER,
  async fn() {
    const db = await freshDatabase();
    const watch = postgres(Deno.env.get("TEST_DATABASE_URL")!, { onnotice: () => {} });
    try {
      const name = new URL(db.env.DATABASE_URL!).pathname.slice(1);
      const child = spawnCli(["setup", ...SETUP, "3", "--seed", "5"], {
        env: db.env,
      });
      let seen = false;
      for (let i = 0; i < 600 && !seen; i++) {
        const rows = await watch`
          SELECT 1 FROM pg_stat_activity
           WHERE datname = ${name} AND query LIKE '%COPY %"Invoice"%'`;
        seen = rows.length > 0;
        if (!seen) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(seen, "setup reached the history's invoices");
      child.kill("SIGKILL");
      await child.status;
      await child.stdout.cancel();
      await child.stderr.cancel();
      for (let i = 0; i < 100; i++) {
        const [busy] = await watch`
          SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${name}`;
        if (busy!.n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const tables = await db.query((sql) =>
        sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema IN ('public', 'chinook_sim')`
      );
      assert.equal(tables[0]!.n, 0, "the killed setup left nothing behind");
      const again = await cli(["setup", ...SETUP, "1", "--seed", "5"], { env: db.env });
      assert.equal(again.code, 0, again.stderr);
    } finally {
      await watch.end();
      await db.drop();
    }
  },
});

Deno.test("kill -9 while an embedded database's first run copies in Chinook or its history: the next run starts clean", async (t) => {
  // Each COPY's statement is logged as it starts: the kill lands while the rows are being copied.
  const moments: Array<[string, string[]]> = [
    ["Chinook's rows", ['COPY "public"."Album"']],
    ["the history's invoices", ["Making the history", 'COPY "public"."Invoice"']],
  ];
  for (const [what, markers] of moments) {
    await t.step(what, async () => {
      const dir = await Deno.makeTempDir({ prefix: "chinook-sim-history-kill-" });
      try {
        const env = { SIM_DATA_DIR: dir, CHINOOK_SQL: chinookSource(), SIM_HISTORY_YEARS: "3" };
        const child = spawnCli(["simulate", "--date", "2026-05-01", "--seed", "2"], {
          env: { ...env, LOG_LEVEL: "debug" },
          stdout: "null",
        });
        const reader = textReader(child.stderr);
        for (const marker of markers) {
          assert.ok((await readUntil(reader, marker)).includes(marker), `${marker} was logged`);
        }
        child.kill("SIGKILL");
        await child.status;
        await reader.cancel().catch(() => {});
        const retry = await cli(
          ["simulate", "--date", "2026-05-01", "--seed", "2", "--history-years", "0.5"],
          { env },
        );
        assert.equal(retry.code, 0, retry.stderr);
        assert.match(retry.stderr, /First run on this embedded database/, "set up from scratch");
        await queryEmbedded(dir, async (sql) => {
          const [meta] = await sql`SELECT value FROM chinook_sim.meta WHERE key = 'history'`;
          assert.equal(meta!.value.generated.from, addDays("2026-04-30", -182));
          const [n] = await sql`SELECT count(*)::int AS n FROM public."Invoice"
            WHERE "InvoiceId" >= ${meta!.value.generated.firstInvoiceId}
              AND "InvoiceDate" < '2026-05-01'`;
          assert.equal(n!.n, meta!.value.generated.invoices, "one history, the retry's");
        });
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
});

Deno.test("a history too big to plan is refused before anything is written", async () => {
  const db = await freshDatabase();
  const dir = await Deno.makeTempDir({ prefix: "chinook-sim-history-model-" });
  try {
    await Deno.writeTextFile(`${dir}/huge.json`, JSON.stringify({ baseInvoicesPerDay: 100_000 }));
    const r = await cli(
      ["setup", "--chinook-sql", chinookSource(), "--model", `${dir}/huge.json`, ...SETUP, "3"],
      { env: db.env },
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /Cannot make a history of about [\d,]+ invoices .*more than 5,000,000/);
    const [tables] = await db.query((sql) =>
      sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`
    );
    assert.equal(tables!.n, 0, "nothing was written");
  } finally {
    await db.drop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("backfill --from before the history's end makes the history again for its new end", async () => {
  const [a, b] = [await freshDatabase(), await freshDatabase()];
  const from = addDays(END, -40);
  const newEnd = addDays(from, -1);
  try {
    await setupDatabase(a, [...SETUP, "1", "--seed", "11"]);
    await ok(a, [
      "backfill",
      "--from",
      from,
      "--to",
      from,
      "--seed",
      "11",
      "--manifest-dir",
      "none",
    ]);
    await setupDatabase(b, [
      "--history-end",
      newEnd,
      "--tz",
      "Europe/Paris",
      "--history-years",
      "1",
      "--seed",
      "11",
    ]);
    await ok(b, [
      "backfill",
      "--from",
      from,
      "--to",
      from,
      "--seed",
      "11",
      "--manifest-dir",
      "none",
    ]);
    // Sales by time and amount (the day's updates included): the same as a store set up to end
    // there (only the ids moved on).
    // The model's invoices only: the synthetic catalogue's own invoices depend on the end asked.
    const sales = async (sql: Sql) => {
      const [meta] = await sql`SELECT value FROM chinook_sim.meta WHERE key = 'history'`;
      return await sql<{ h: string; n: number; last: string }[]>`
        SELECT md5(string_agg("InvoiceDate"::text || '/' || "Total"::text, ','
                              ORDER BY "InvoiceDate", "InvoiceId")) AS h,
               count(*)::int AS n, max("InvoiceDate")::date::text AS last
          FROM public."Invoice"
         WHERE "InvoiceDate" < ${addDays(from, 1)}::date
           AND "InvoiceId" >= ${meta!.value.generated.firstInvoiceId}`;
    };
    const [sa] = await a.query(sales);
    const [sb] = await b.query(sales);
    assert.equal(sa!.last, from);
    assert.deepEqual(sa, sb);
    const [meta] = await a.query((sql) =>
      sql`SELECT value FROM chinook_sim.meta WHERE key = 'history'`
    );
    assert.equal(meta!.value.generated.to, newEnd);
    assert.equal(meta!.value.lastHistoryDay, newEnd);
  } finally {
    await Promise.all([a.drop(), b.drop()]);
  }
});
