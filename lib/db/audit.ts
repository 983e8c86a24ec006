/**
 * audit: a user's warehouse (the star schema of the README's contract)
 * against the answer key at the end of a day. Both databases are only read.
 */
import linesSql from "../../sql/expect_lines.sql" with { type: "text" };
import tracksSql from "../../sql/expect_tracks.sql" with { type: "text" };
import type { Sql } from "./connect.ts";
import { databaseFailureReason } from "./failure.ts";
import {
  CUSTOMER_COLUMNS,
  type CustomerVersion,
  customerVersions,
  withStateAsOf,
} from "./expect.ts";

/** The warehouse contract: each table's columns (others may exist: a surrogate key, audit columns). */
export const CONTRACT = {
  fact_sales: [
    "invoice_line_id",
    "invoice_id",
    "invoice_date",
    "customer_id",
    "track_id",
    "quantity",
    "unit_price",
    "revenue",
  ],
  dim_customer: CUSTOMER_COLUMNS,
  dim_track: ["track_id", "name", "genre"],
  dim_date: ["date_key"],
} as const;

export type ContractTable = keyof typeof CONTRACT;

export interface LineFact {
  invoice_line_id: number;
  invoice_id: number;
  invoice_date: string;
  customer_id: number;
  track_id: number;
  quantity: number;
  unit_price: string;
  revenue: string;
}

interface TrackRow {
  track_id: number;
  name: string;
  genre: string;
}

export interface AuditCheck {
  name: string;
  ok: boolean;
  /** What the answer key says and what the warehouse holds, in a few words. */
  expected: string;
  found: string;
  /** A few of the offending rows or keys. */
  examples: string[];
}

/** Examples listed per check. */
const EXAMPLES = 5;

interface Expected {
  lines: LineFact[];
  customers: CustomerVersion[];
  tracks: TrackRow[];
}

/** The answer key's side: the rows a correct warehouse holds at the end of `asOf`. */
export function expectedWarehouse(source: Sql, asOf: string): Promise<Expected> {
  return withStateAsOf(source, asOf, async (tx) => ({
    lines: [...await tx.unsafe<LineFact[]>(linesSql)].map((r) => ({ ...r })),
    customers: await customerVersions(tx),
    tracks: [...await tx.unsafe<TrackRow[]>(tracksSql)].map((r) => ({ ...r })),
  }));
}

interface Found {
  missing: string[];
  lines?: LineFact[];
  customers?: CustomerVersion[];
  tracks?: TrackRow[];
  dates?: Set<string>;
}

/** The warehouse's side, read in one read-only transaction; a table lacking a contract column is not read. */
async function readWarehouse(warehouse: Sql, schema: string): Promise<Found> {
  let found: Found = { missing: [] };
  await warehouse.begin("isolation level repeatable read read only", async (tx) => {
    const columns = await tx<{ table_name: string; column_name: string }[]>`
      SELECT table_name::text, column_name::text FROM information_schema.columns
       WHERE table_schema = ${schema}`;
    const has = new Set(columns.map((c) => `${c.table_name}.${c.column_name}`));
    const missing: string[] = [];
    const complete = (table: ContractTable) => {
      const absent = CONTRACT[table].filter((c) => !has.has(`${table}.${c}`));
      if (!columns.some((c) => c.table_name === table)) missing.push(`${table} (no table)`);
      else missing.push(...absent.map((c) => `${table}.${c}`));
      return absent.length === 0;
    };
    const s = tx(schema);
    found = { missing };
    if (complete("fact_sales")) {
      found.lines = [
        ...await tx<LineFact[]>`
        SELECT invoice_line_id::int, invoice_id::int, invoice_date::date::text AS invoice_date,
               customer_id::int, track_id::int, quantity::int,
               unit_price::numeric(10, 2)::text AS unit_price, revenue::numeric(14, 2)::text AS revenue
          FROM ${s}.fact_sales`,
      ].map((r) => ({ ...r }));
    }
    if (complete("dim_customer")) {
      found.customers = [
        ...await tx<CustomerVersion[]>`
        SELECT customer_id::int, first_name::text, last_name::text, company::text, address::text,
               city::text, state::text, country::text, postal_code::text, phone::text, fax::text,
               email::text, support_rep_id::int, valid_from::date::text AS valid_from,
               valid_to::date::text AS valid_to, is_current::boolean
          FROM ${s}.dim_customer`,
      ].map((r) => ({ ...r }));
    }
    if (complete("dim_track")) {
      found.tracks = [
        ...await tx<TrackRow[]>`
        SELECT track_id::int, name::text, genre::text FROM ${s}.dim_track`,
      ].map((r) => ({ ...r }));
    }
    if (complete("dim_date")) {
      const dates = await tx<{ d: string }[]>`SELECT date_key::date::text AS d FROM ${s}.dim_date`;
      found.dates = new Set(dates.map((r) => r.d));
    }
  });
  return found;
}

/** Exact decimals as cents. */
function cents(text: string): bigint {
  const [whole = "0", fraction = ""] = text.replace("-", "").split(".");
  const value = BigInt(whole) * 100n + BigInt((fraction + "00").slice(0, 2));
  return text.startsWith("-") ? -value : value;
}

function money(value: bigint): string {
  const sign = value < 0n ? "-" : "";
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
}

function check(
  name: string,
  offending: string[],
  expected: string,
  found: string,
): AuditCheck {
  return {
    name,
    ok: offending.length === 0,
    expected,
    found,
    examples: offending.slice(0, EXAMPLES),
  };
}

function unread(name: string, table: ContractTable): AuditCheck {
  return {
    name,
    ok: false,
    expected: `${table} as in the contract`,
    found: `${table} missing or incomplete`,
    examples: [],
  };
}

const CUSTOMER_ATTRIBUTES = CUSTOMER_COLUMNS.filter((c) =>
  !["customer_id", "valid_from", "valid_to", "is_current"].includes(c)
);

function describeVersion(v: CustomerVersion): string {
  return `${v.valid_from}..${v.valid_to}${v.is_current ? " current" : ""}`;
}

function sameAttributes(a: CustomerVersion, b: CustomerVersion): string[] {
  return CUSTOMER_ATTRIBUTES.filter((c) => (a[c] ?? null) !== (b[c] ?? null));
}

export async function auditWarehouse(
  source: Sql,
  warehouse: Sql,
  options: { schema: string; asOf: string },
): Promise<AuditCheck[]> {
  const expected = await expectedWarehouse(source, options.asOf);
  let found: Found;
  try {
    found = await readWarehouse(warehouse, options.schema);
  } catch (error) {
    // Not the day's failure: the warehouse's rows would not read as the contract's types.
    const reason = databaseFailureReason(error) ?? (error as Error).message;
    throw new Error(
      `Cannot read the warehouse's schema ${options.schema}: ${reason}; check its column types against the contract (README: "The warehouse contract")`,
      { cause: error },
    );
  }
  const checks: AuditCheck[] = [
    check(
      "contract",
      found.missing.map((m) => `missing ${m}`),
      "4 tables with the contract's columns",
      found.missing.length === 0 ? "all present" : `${found.missing.length} missing`,
    ),
  ];

  // fact_sales: the lines that existed at the end of the day, with their values.
  if (found.lines) {
    const want = new Map(expected.lines.map((l) => [l.invoice_line_id, l]));
    const have = new Map<number, LineFact>();
    const duplicated: string[] = [];
    for (const l of found.lines) {
      if (have.has(l.invoice_line_id)) duplicated.push(`line ${l.invoice_line_id} twice`);
      have.set(l.invoice_line_id, l);
    }
    checks.push(check(
      "fact_sales row count",
      expected.lines.length === found.lines.length
        ? []
        : [`${found.lines.length - expected.lines.length} rows off`],
      `${expected.lines.length} rows`,
      `${found.lines.length} rows`,
    ));
    const missing = [...want.keys()].filter((id) => !have.has(id)).sort((a, b) => a - b);
    const extra = [...have.keys()].filter((id) => !want.has(id)).sort((a, b) => a - b);
    checks.push(check(
      "fact_sales lines",
      [
        ...duplicated,
        ...missing.map((id) => `line ${id} missing (invoice ${want.get(id)!.invoice_id})`),
        ...extra.map((id) =>
          `line ${id} should not be there (invoice ${have.get(id)!.invoice_id})`
        ),
      ],
      "every line that existed, once",
      `${missing.length} missing, ${extra.length} extra, ${duplicated.length} repeated`,
    ));
    const differing: string[] = [];
    for (const [id, w] of want) {
      const h = have.get(id);
      if (!h) continue;
      for (const column of CONTRACT.fact_sales) {
        if (String(w[column]) !== String(h[column])) {
          differing.push(`line ${id}: ${column} ${h[column]}, expected ${w[column]}`);
        }
      }
    }
    checks.push(check(
      "fact_sales values",
      differing,
      "each line's values as they were",
      `${differing.length} values differ`,
    ));
    const perDay = (lines: Iterable<LineFact>) => {
      const days = new Map<string, bigint>();
      for (const l of lines) {
        days.set(l.invoice_date, (days.get(l.invoice_date) ?? 0n) + cents(l.revenue));
      }
      return days;
    };
    const wantDays = perDay(want.values());
    const haveDays = perDay(found.lines);
    const days = [...new Set([...wantDays.keys(), ...haveDays.keys()])].sort();
    const wrongDays = days.filter((d) => (wantDays.get(d) ?? 0n) !== (haveDays.get(d) ?? 0n));
    checks.push(check(
      "revenue per day",
      wrongDays.map((d) =>
        `${d}: ${money(haveDays.get(d) ?? 0n)}, expected ${money(wantDays.get(d) ?? 0n)}`
      ),
      `${wantDays.size} days, ${money([...wantDays.values()].reduce((a, b) => a + b, 0n))} in all`,
      `${wrongDays.length} days differ`,
    ));
  } else {
    for (
      const name of [
        "fact_sales row count",
        "fact_sales lines",
        "fact_sales values",
        "revenue per day",
      ]
    ) {
      checks.push(unread(name, "fact_sales"));
    }
  }

  // dim_customer: SCD Type 2.
  if (found.customers) {
    const byKey = new Map<number, CustomerVersion[]>();
    for (const v of found.customers) {
      byKey.set(v.customer_id, [...(byKey.get(v.customer_id) ?? []), v]);
    }
    for (const versions of byKey.values()) {
      versions.sort((a, b) => (a.valid_from < b.valid_from ? -1 : 1));
    }
    const wantByKey = new Map<number, CustomerVersion[]>();
    for (const v of expected.customers) {
      wantByKey.set(v.customer_id, [...(wantByKey.get(v.customer_id) ?? []), v]);
    }
    const keys = [...new Set([...wantByKey.keys(), ...byKey.keys()])].sort((a, b) => a - b);
    const current = keys.flatMap((k) => {
      const n = (byKey.get(k) ?? []).filter((v) => v.is_current).length;
      const should = wantByKey.has(k) ? 1 : 0;
      return n === should ? [] : [`customer ${k}: ${n} current rows, expected ${should}`];
    });
    checks.push(check(
      "dim_customer one current row per key",
      current,
      `${wantByKey.size} customers, one current row each`,
      `${current.length} customers wrong`,
    ));
    const overlapping = [...byKey].flatMap(([k, versions]) => {
      const problems: string[] = [];
      versions.forEach((v, i) => {
        if (v.valid_from >= v.valid_to) {
          problems.push(`customer ${k}: ${describeVersion(v)} is empty`);
        }
        if (v.is_current !== (v.valid_to === "9999-12-31")) {
          problems.push(`customer ${k}: ${describeVersion(v)} is_current disagrees with valid_to`);
        }
        const next = versions[i + 1];
        if (next && next.valid_from < v.valid_to) {
          problems.push(`customer ${k}: ${describeVersion(v)} overlaps ${describeVersion(next)}`);
        }
      });
      return problems;
    });
    checks.push(check(
      "dim_customer no overlapping validity",
      overlapping,
      "versions end where the next starts",
      `${overlapping.length} problems`,
    ));
    const versions = keys.flatMap((k) => {
      const want = wantByKey.get(k) ?? [];
      const have = byKey.get(k) ?? [];
      if (want.length !== have.length) {
        return [
          `customer ${k}: ${have.length} versions (${
            have.map(describeVersion).join(", ")
          }), expected ${want.length} (${want.map(describeVersion).join(", ")})`,
        ];
      }
      return want.flatMap((w, i) => {
        const h = have[i]!;
        if (w.valid_from !== h.valid_from || w.valid_to !== h.valid_to) {
          return [`customer ${k}: version ${describeVersion(h)}, expected ${describeVersion(w)}`];
        }
        const differ = sameAttributes(w, h);
        return differ.length > 0
          ? [`customer ${k} from ${w.valid_from}: ${differ.join(", ")} differ`]
          : [];
      });
    });
    checks.push(check(
      "dim_customer versions match the changes",
      versions,
      `${expected.customers.length} versions of ${wantByKey.size} customers`,
      `${found.customers.length} rows; ${versions.length} customers differ`,
    ));
  } else {
    for (
      const name of [
        "dim_customer one current row per key",
        "dim_customer no overlapping validity",
        "dim_customer versions match the changes",
      ]
    ) checks.push(unread(name, "dim_customer"));
  }

  if (found.tracks) {
    const have = new Map(found.tracks.map((t) => [t.track_id, t]));
    const wrong = expected.tracks.flatMap((t) => {
      const h = have.get(t.track_id);
      if (!h) return [`track ${t.track_id} missing`];
      return h.name !== t.name || h.genre !== t.genre
        ? [`track ${t.track_id}: ${h.name} / ${h.genre}, expected ${t.name} / ${t.genre}`]
        : [];
    });
    const extra = found.tracks.length - expected.tracks.length +
      wrong.filter((w) => w.endsWith("missing")).length;
    if (extra > 0) wrong.push(`${extra} rows too many`);
    checks.push(
      check("dim_track", wrong, `${expected.tracks.length} tracks`, `${found.tracks.length} rows`),
    );
  } else checks.push(unread("dim_track", "dim_track"));

  if (found.dates) {
    const days = [...new Set(expected.lines.map((l) => l.invoice_date))].sort();
    const missing = days.filter((d) => !found.dates!.has(d));
    checks.push(check(
      "dim_date covers the sales",
      missing.map((d) => `${d} missing`),
      `${days.length} sales days`,
      `${missing.length} missing`,
    ));
  } else checks.push(unread("dim_date covers the sales", "dim_date"));
  return checks;
}
