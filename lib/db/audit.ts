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
  FACT_COLUMNS,
  type LineFact,
  withStateAsOf,
} from "./expect.ts";

/** The warehouse contract: each table's columns (others may exist: a surrogate key, audit columns). */
export const CONTRACT = {
  fact_sales: FACT_COLUMNS,
  dim_customer: CUSTOMER_COLUMNS,
  dim_track: ["track_id", "name", "genre"],
  dim_date: ["date_key"],
} as const;

export type ContractTable = keyof typeof CONTRACT;

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

/** Lines read per round trip: the fact tables are streamed, never held as rows. */
const CHUNK = 10_000;

/** A line's contract values as one text, to compare and keep compactly. */
function lineText(line: LineFact): string {
  return FACT_COLUMNS.map((c) => String(line[c])).join("\t");
}

/** Exact decimals as cents. */
function cents(text: string): bigint {
  const [whole = "0", fraction = ""] = text.replace("-", "").split(".");
  const value = BigInt(whole) * 100n + BigInt((fraction + "00").slice(0, 2));
  return text.startsWith("-") ? -value : value;
}

function addDay(days: Map<string, bigint>, line: LineFact): void {
  days.set(line.invoice_date, (days.get(line.invoice_date) ?? 0n) + cents(line.revenue));
}

interface Expected {
  /** Each expected line's values (lineText), by line id. */
  lines: Map<number, string>;
  /** Revenue in cents per invoice day. */
  days: Map<string, bigint>;
  customers: CustomerVersion[];
  tracks: TrackRow[];
}

/** The answer key's side: the rows a correct warehouse holds at the end of `asOf`. */
export function expectedWarehouse(source: Sql, asOf: string): Promise<Expected> {
  return withStateAsOf(source, asOf, async (tx) => {
    const lines = new Map<number, string>();
    const days = new Map<string, bigint>();
    await tx.unsafe<LineFact[]>(linesSql, ["0001-01-01", "9999-12-30"]).cursor(CHUNK, (rows) => {
      for (const line of rows) {
        lines.set(line.invoice_line_id, lineText(line));
        addDay(days, line);
      }
    });
    return {
      lines,
      days,
      customers: await customerVersions(tx),
      tracks: [...await tx.unsafe<TrackRow[]>(tracksSql)].map((r) => ({ ...r })),
    };
  });
}

/** fact_sales compared line by line as it streams in (counts in full, a few examples each). */
class FactComparison {
  rows = 0;
  readonly seen = new Set<number>();
  readonly days = new Map<string, bigint>();
  duplicated = 0;
  extra = 0;
  differing = 0;
  readonly examples = {
    duplicated: [] as string[],
    extra: [] as string[],
    differing: [] as string[],
  };

  constructor(readonly want: Map<number, string>) {}

  add(line: LineFact): void {
    this.rows++;
    addDay(this.days, line);
    const id = line.invoice_line_id;
    if (this.seen.has(id)) {
      if (this.duplicated++ < EXAMPLES) this.examples.duplicated.push(`line ${id} twice`);
      return;
    }
    this.seen.add(id);
    const wanted = this.want.get(id);
    if (wanted === undefined) {
      if (this.extra++ < EXAMPLES) {
        this.examples.extra.push(`line ${id} should not be there (invoice ${line.invoice_id})`);
      }
      return;
    }
    const have = lineText(line);
    if (have === wanted) return;
    const w = wanted.split("\t");
    const h = have.split("\t");
    FACT_COLUMNS.forEach((column, i) => {
      if (w[i] === h[i]) return;
      if (this.differing++ < EXAMPLES) {
        this.examples.differing.push(`line ${id}: ${column} ${h[i]}, expected ${w[i]}`);
      }
    });
  }
}

interface Found {
  missing: string[];
  lines?: FactComparison;
  customers?: CustomerVersion[];
  tracks?: TrackRow[];
  dates?: Set<string>;
}

/** The warehouse's side, read in one read-only transaction; a table lacking a contract column is not read. */
async function readWarehouse(
  warehouse: Sql,
  schema: string,
  want: Map<number, string>,
): Promise<Found> {
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
      const comparison = new FactComparison(want);
      await tx<LineFact[]>`
        SELECT invoice_line_id::int, invoice_id::int, invoice_date::date::text AS invoice_date,
               customer_id::int, track_id::int, quantity::int,
               unit_price::numeric(10, 2)::text AS unit_price, revenue::numeric(14, 2)::text AS revenue
          FROM ${s}.fact_sales ORDER BY invoice_line_id`.cursor(CHUNK, (rows) => {
        for (const line of rows) comparison.add(line);
      });
      found.lines = comparison;
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
    found = await readWarehouse(warehouse, options.schema, expected.lines);
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
    const have = found.lines;
    const want = expected.lines;
    checks.push(check(
      "fact_sales row count",
      want.size === have.rows ? [] : [`${have.rows - want.size} rows off`],
      `${want.size} rows`,
      `${have.rows} rows`,
    ));
    const missing = [...want.keys()].filter((id) => !have.seen.has(id)).sort((a, b) => a - b);
    const missingExamples = missing.slice(0, EXAMPLES).map((id) =>
      `line ${id} missing (invoice ${want.get(id)!.split("\t")[1]})`
    );
    checks.push({
      ...check(
        "fact_sales lines",
        [...have.examples.duplicated, ...missingExamples, ...have.examples.extra],
        "every line that existed, once",
        `${missing.length} missing, ${have.extra} extra, ${have.duplicated} repeated`,
      ),
      ok: missing.length === 0 && have.extra === 0 && have.duplicated === 0,
    });
    checks.push({
      ...check(
        "fact_sales values",
        have.examples.differing,
        "each line's values as they were",
        `${have.differing} values differ`,
      ),
      ok: have.differing === 0,
    });
    const days = [...new Set([...expected.days.keys(), ...have.days.keys()])].sort();
    const wrongDays = days.filter((d) => (expected.days.get(d) ?? 0n) !== (have.days.get(d) ?? 0n));
    checks.push(check(
      "revenue per day",
      wrongDays.map((d) =>
        `${d}: ${money(have.days.get(d) ?? 0n)}, expected ${money(expected.days.get(d) ?? 0n)}`
      ),
      `${expected.days.size} days, ${
        money([...expected.days.values()].reduce((a, b) => a + b, 0n))
      } in all`,
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
    const days = [...expected.days.keys()].sort();
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
