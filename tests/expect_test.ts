/**
 * expect --as-of DAY reproduces exactly what plain SQL on the live database
 * answered right after DAY was simulated, although later days changed that
 * day's invoices (updates, edits, cancellations, hard deletes, late
 * invoices) and customers.
 */
import assert from "node:assert/strict";
import { cli, freshDatabase, setupDatabase, type Sql, type TestDatabase } from "./harness.ts";
import { ok } from "./ledger_helpers.ts";

const HISTORY_END = "2026-03-01";
const MESSY = ["--messiness", "high", "--updates", "8", "--deletes", "6"];
const DAYS: Array<{ day: string; args: string[] }> = [
  { day: "2026-03-02", args: ["--seed", "21", ...MESSY, "--customer-changes", "4"] },
  {
    day: "2026-03-03",
    args: ["--seed", "22", ...MESSY, "--new-customers", "3", "--customer-changes", "3"],
  },
  {
    day: "2026-03-04",
    args: ["--seed", "23", ...MESSY, "--delete-mode", "hard", "--customer-changes", "4"],
  },
  { day: "2026-03-05", args: ["--seed", "24", ...MESSY, "--customer-changes", "5"] },
];

/** The live answers, by plain SQL on the tables as they are now. */
interface Recorded {
  sales: unknown[];
  customers: unknown[];
  changes: unknown[];
}

const by = (...keys: string[]) => (a: Record<string, unknown>, b: Record<string, unknown>) => {
  for (const k of keys) {
    const x = String(a[k]);
    const y = String(b[k]);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

async function record(sql: Sql, to: string): Promise<Recorded> {
  const sales = await sql`
    WITH sale AS (
      SELECT i."InvoiceDate"::date AS day, i."BillingCountry" AS country, g."Name" AS genre,
             i."InvoiceId" AS invoice_id, l."UnitPrice" * l."Quantity" AS revenue
        FROM public."InvoiceLine" l JOIN public."Invoice" i USING ("InvoiceId")
        JOIN public."Track" t USING ("TrackId") JOIN public."Genre" g USING ("GenreId")
       WHERE i."InvoiceDate" >= ${HISTORY_END}::date AND i."InvoiceDate" < ${to}::date + 1),
    cancelled AS (
      -- A cancelled invoice's genres: the lines it had, as the change log kept them.
      SELECT DISTINCT (ci.before->>'InvoiceDate')::date AS day, ci.before->>'BillingCountry' AS country,
             g."Name" AS genre, ci.row_id AS invoice_id
        FROM chinook_sim.change ci JOIN chinook_sim.run r USING (run_id)
        JOIN chinook_sim.change cl ON cl.run_id = ci.run_id AND cl.table_name = 'InvoiceLine'
         AND cl.op = 'delete' AND (cl.before->>'InvoiceId')::int = ci.row_id
        JOIN public."Track" t ON t."TrackId" = (cl.before->>'TrackId')::int
        JOIN public."Genre" g USING ("GenreId")
       WHERE r.state = 'committed' AND ci.table_name = 'Invoice'
         AND ci.label IN ('invoice_cancel', 'invoice_delete', 'invoice_duplicate')
         AND (ci.before->>'InvoiceDate')::date BETWEEN ${HISTORY_END}::date AND ${to}::date),
    keys AS (SELECT day, country, genre FROM sale UNION SELECT day, country, genre FROM cancelled)
    SELECT k.day::text AS day, k.country, k.genre,
           (SELECT count(DISTINCT invoice_id)::int FROM sale s WHERE (s.day, s.country, s.genre) = (k.day, k.country, k.genre)) AS invoices,
           (SELECT count(*)::int FROM sale s WHERE (s.day, s.country, s.genre) = (k.day, k.country, k.genre)) AS lines,
           (SELECT coalesce(sum(revenue), 0)::numeric(14, 2)::text FROM sale s WHERE (s.day, s.country, s.genre) = (k.day, k.country, k.genre)) AS revenue,
           (SELECT count(*)::int FROM cancelled c WHERE (c.day, c.country, c.genre) = (k.day, k.country, k.genre)) AS cancellations
      FROM keys k`;
  const customers = await sql`
    SELECT "CustomerId" AS customer_id, "FirstName" AS first_name, "LastName" AS last_name,
           "Company" AS company, "Address" AS address, "City" AS city, "State" AS state,
           "Country" AS country, "PostalCode" AS postal_code, "Phone" AS phone, "Fax" AS fax,
           "Email" AS email, "SupportRepId" AS support_rep_id
      FROM public."Customer" ORDER BY "CustomerId"`;
  const changes = await sql`
    SELECT r.sim_date::text AS day, s->>'table' AS table_name, s->>'op' AS op,
           sum((s->>'rows')::int)::int AS rows
      FROM chinook_sim.run r, jsonb_array_elements(r.statements) s
     WHERE r.state = 'committed' GROUP BY 1, 2, 3`;
  return {
    sales: [...sales].map((r) => ({ ...r })).sort(by("day", "country", "genre")),
    customers: [...customers].map((r) => ({ ...r })),
    changes: [...changes].map((r) => ({ ...r })).sort(by("day", "table_name", "op")),
  };
}

async function expectAsOf(db: TestDatabase, asOf: string) {
  const out = await Deno.makeTempDir({ prefix: "chinook-sim-expect-" });
  try {
    const r = await ok(db, [
      ...["expect", "--from", HISTORY_END, "--to", asOf, "--as-of", asOf, "--out", out],
      ...["--format", "json", "--json"],
    ]);
    const summary = JSON.parse(r.stdout);
    assert.equal(summary.asOf, asOf);
    const read = (name: string) => JSON.parse(Deno.readTextFileSync(`${out}/${name}.json`));
    return {
      sales: read("daily_sales"),
      customers: read("dim_customer") as Array<Record<string, unknown>>,
      changes: read("table_changes") as Array<Record<string, unknown>>,
    };
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

const ATTRIBUTES = [
  "customer_id",
  "first_name",
  "last_name",
  "company",
  "address",
  "city",
  "state",
  "country",
  "postal_code",
  "phone",
  "fax",
  "email",
  "support_rep_id",
];
const attributes = (row: Record<string, unknown>) =>
  Object.fromEntries(ATTRIBUTES.map((k) => [k, row[k]]));

Deno.test("expect --as-of: each earlier day's answer as plain SQL gave it then", async () => {
  const db = await freshDatabase();
  try {
    await setupDatabase(db, ["--history-end", HISTORY_END]);
    const recorded = new Map<string, Recorded>();
    recorded.set(HISTORY_END, await db.query((sql) => record(sql, HISTORY_END)));
    for (const { day, args } of DAYS) {
      await ok(db, ["simulate", "--date", day, ...args, "--manifest-dir", "none"]);
      recorded.set(day, await db.query((sql) => record(sql, day)));
    }
    // Later days did change earlier days' answers: the test means something.
    assert.notDeepEqual(
      recorded.get(DAYS[0]!.day)!.sales.filter((r) => (r as { day: string }).day <= DAYS[0]!.day),
      recorded.get(DAYS.at(-1)!.day)!.sales.filter((r) =>
        (r as { day: string }).day <= DAYS[0]!.day
      ),
    );
    for (const [asOf, then] of recorded) {
      const key = await expectAsOf(db, asOf);
      assert.deepEqual(key.sales, then.sales, `daily_sales as of ${asOf}`);
      const current = key.customers.filter((c) => c.is_current);
      assert.deepEqual(current.map(attributes), then.customers, `current customers as of ${asOf}`);
      // Every earlier day's customers are the versions valid on that day.
      for (const [day, earlier] of recorded) {
        if (day > asOf) continue;
        const valid = key.customers.filter((c) =>
          (c.valid_from as string) <= day && day < (c.valid_to as string)
        );
        assert.deepEqual(
          valid.map(attributes),
          earlier.customers,
          `${day}'s customers, as of ${asOf}`,
        );
      }
      const changes = key.changes.flatMap((c) =>
        (["insert", "update", "delete"] as const).flatMap((op) => {
          const rows = c[`${op}${op === "insert" ? "ed" : "d"}`] as number;
          return rows > 0 ? [{ day: c.day, table_name: c.table_name, op, rows }] : [];
        })
      ).sort(by("day", "table_name", "op"));
      assert.deepEqual(changes, then.changes, `table_changes as of ${asOf}`);
    }
  } finally {
    await db.drop();
  }
});

Deno.test("expect and audit: --help", async (t) => {
  await t.step("expect", async () => {
    const r = await cli(["expect", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^chinook-sim expect: /);
    assert.match(r.stdout, /--as-of DAY/);
    assert.match(r.stdout, /--format FORMAT/);
  });
  await t.step("audit", async () => {
    const r = await cli(["audit", "--help"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^chinook-sim audit: /);
    assert.match(r.stdout, /--warehouse URL/);
    assert.match(r.stdout, /--schema NAME [^]*?\(default: warehouse\)/);
  });
});
