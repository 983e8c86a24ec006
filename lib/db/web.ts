/**
 * The web shop's clickstream in the schema chinook_web (setup --web): once
 * installed, every day writes its sessions, events and reviews in the day's
 * own transaction, after the run's record, each row naming its run (so
 * rewind removes them with it). Ids come from chinook_web.counter, raised in
 * the same transaction and never lowered.
 */
import webSql from "../../sql/web.sql" with { type: "text" };
import { ConfigError } from "../cli/errors.ts";
import { logger } from "../cli/output.ts";
import { addDays, clockChangeOn, wallClock } from "../sim/calendar.ts";
import { buildClickstream, type Clickstream } from "../sim/clickstream/generate.ts";
import type { ClickModel } from "../sim/clickstream/model.ts";
import { planReviews, type WebReview } from "../sim/clickstream/reviews.ts";
import type { WebCounts } from "../sim/day_types.ts";
import type { DemandModel } from "../sim/demand.ts";
import type { DayPlan } from "../sim/plan.ts";
import { CLICKSTREAM_TABLES } from "../export/clickstream_tables.ts";
import type { Row, TableSchema, Value } from "../export/types.ts";
import type { Sql, Tx } from "./connect.ts";
import { simulatorInstalled, takeSimLock } from "./ledger.ts";
import { CHUNK_ROWS } from "./writes.ts";
import { webInstalled } from "./installed.ts";

export { webInstalled } from "./installed.ts";

/** setup --web: creates (or completes) the schema chinook_web, in one transaction. */
export async function installWeb(sql: Sql, lockTimeoutMs: number): Promise<void> {
  await sql.begin(async (tx) => {
    await takeSimLock(tx, lockTimeoutMs);
    if (!(await simulatorInstalled(tx))) {
      throw new Error("Cannot install chinook_web: the database is not set up");
    }
    await tx.unsafe(webSql);
  });
}

type WebTable = "session" | "event" | "review";

/** The next id of each chinook_web table. */
async function nextIds(tx: Tx): Promise<Record<WebTable, number>> {
  const rows = await tx<{ name: WebTable; value: string }[]>`
    SELECT name, value FROM chinook_web.counter`;
  const next = { session: 1, event: 1, review: 1 };
  for (const row of rows) next[row.name] = Number(row.value) + 1;
  return next;
}

/** Takes `n` ids of a chinook_web table (those nextIds gave). */
async function takeIds(tx: Tx, name: WebTable, n: number): Promise<void> {
  if (n > 0) {
    await tx`UPDATE chinook_web.counter SET value = value + ${n}::bigint WHERE name = ${name}`;
  }
}

/** Each customer's id and country, by id. */
export interface WebCustomers {
  ids: Int32Array;
  countries: Array<string | null>;
}

/**
 * The day's clickstream, built from its plan (its Chinook rows are written
 * already) and written after the run's record.
 */
export async function writeWebDay(
  tx: Tx,
  input: {
    plan: DayPlan;
    model: DemandModel;
    clickModel: ClickModel;
    runId: number;
    /** The store's zone: on the day its clocks skip an hour, nothing is dated in it. */
    timeZone: string;
  },
): Promise<WebCounts> {
  const { plan, clickModel, model, runId, timeZone } = input;
  const click = await buildWebDay(tx, { plan, model, clickModel, timeZone });
  logger("web").debug("Writing the clickstream of {day}: {sessions} sessions, {events} events", {
    day: plan.day,
    sessions: click.sessions.length,
    events: click.events.length,
  });
  await takeClickIds(tx, click);
  await insertClickstream(tx, click, runId);
  const reviews = await writeReviews(tx, {
    day: plan.day,
    seed: plan.seed,
    model,
    clickModel,
    runId,
    timeZone,
  });
  return {
    sessions: click.sessions.length,
    events: click.events.length,
    purchases: click.events.filter((e) => e.type === "purchase").length,
    reviews: reviews.length,
  };
}

/**
 * The day's clickstream, not written yet: on the customers as the day leaves
 * them (read from the database, its rows written already, unless given) and
 * the next ids.
 */
export async function buildWebDay(
  tx: Tx,
  input: {
    plan: DayPlan;
    model: DemandModel;
    clickModel: ClickModel;
    customers?: WebCustomers;
    /** The store's zone (see skippedHour); UTC when absent. */
    timeZone?: string;
  },
): Promise<Clickstream> {
  const { plan, clickModel, model } = input;
  const day = plan.day;
  const [catalogue, customers] = await Promise.all([
    tx<{ track: number; album: number | null; artist: number | null; name: string | null }[]>`
      SELECT t."TrackId" AS track, t."AlbumId" AS album, al."ArtistId" AS artist, ar."Name" AS name
        FROM public."Track" t
        LEFT JOIN public."Album" al ON al."AlbumId" = t."AlbumId"
        LEFT JOIN public."Artist" ar ON ar."ArtistId" = al."ArtistId"
       ORDER BY 1`,
    input.customers ?? readCustomers(tx),
  ]);
  const next = await nextIds(tx);
  const click = buildClickstream({
    day,
    seed: plan.seed,
    model: clickModel,
    hourWeights: model.hourWeights,
    trackZipf: model.trackZipf,
    catalogue: {
      trackIds: Int32Array.from(catalogue, (r) => r.track),
      albumIds: Int32Array.from(catalogue, (r) => r.album ?? 0),
      artistIds: Int32Array.from(catalogue, (r) => r.artist ?? 0),
      artistNames: catalogue.map((r) => r.name ?? ""),
    },
    customers,
    invoices: plan,
    firstSessionId: next.session,
    firstEventId: next.event,
    skipped: skippedHour(input.timeZone, day),
  });
  return click;
}

/** The wall-clock hour the store's clocks skip on `day` (spring forward), in ms from midnight. */
export function skippedHour(
  timeZone: string | undefined,
  day: string,
): { fromMs: number; toMs: number } | undefined {
  const change = timeZone ? clockChangeOn(timeZone, day) : null;
  return change?.kind === "skipped"
    ? { fromMs: change.from * 1000, toMs: change.to * 1000 }
    : undefined;
}

async function readCustomers(tx: Tx): Promise<WebCustomers> {
  const rows = await tx<{ id: number; country: string | null }[]>`
    SELECT "CustomerId" AS id, "Country" AS country FROM public."Customer" ORDER BY 1`;
  return { ids: Int32Array.from(rows, (r) => r.id), countries: rows.map((r) => r.country) };
}

/**
 * The customers as the day will leave them, before its rows are written
 * (live mode builds the day's clickstream first): moves change countries,
 * sign-ups come last (their ids are the highest).
 */
export async function dayEndCustomers(tx: Tx, plan: DayPlan): Promise<WebCustomers> {
  const now = await readCustomers(tx);
  const moved = new Map<number, string>();
  for (const c of plan.customerChanges) {
    if (c.kind === "address") moved.set(c.customerId, c.country);
  }
  return {
    ids: Int32Array.from([...now.ids, ...plan.newCustomers.ids()]),
    countries: [
      ...Array.from(now.ids, (id, i) => moved.get(id) ?? now.countries[i]!),
      ...plan.newCustomers.countries(),
    ],
  };
}

/** Takes the clickstream's session and event ids (those buildWebDay gave). */
export async function takeClickIds(tx: Tx, click: Clickstream): Promise<void> {
  await takeIds(tx, "session", click.sessions.length);
  await takeIds(tx, "event", click.events.length);
}

export async function insertClickstream(tx: Tx, click: Clickstream, runId: number): Promise<void> {
  const dayStart = wallClock(click.day, 0);
  for (let start = 0; start < click.sessions.length; start += CHUNK_ROWS) {
    const s = click.sessions.slice(start, start + CHUNK_ROWS);
    await tx`
      INSERT INTO chinook_web.session (session_id, run_id, sim_date, visitor_id, customer_id,
        started_at, ended_at, device, browser, referrer, country, landing_page, purchases)
      SELECT u.id, ${runId}, ${click.day}::date, u.visitor, u.customer,
             ${dayStart}::timestamp + u.started * interval '1 millisecond',
             ${dayStart}::timestamp + u.ended * interval '1 millisecond',
             u.device, u.browser, u.referrer, u.country, u.landing, u.purchases
        FROM unnest(${s.map((x) => x.id)}::bigint[], ${s.map((x) => x.visitorId)}::text[],
                    ${s.map((x) => x.customerId)}::int[], ${s.map((x) => x.startMs)}::bigint[],
                    ${s.map((x) => x.endMs)}::bigint[], ${s.map((x) => x.device)}::text[],
                    ${s.map((x) => x.browser)}::text[], ${s.map((x) => x.referrer)}::text[],
                    ${s.map((x) => x.country)}::text[], ${s.map((x) => x.landingPage)}::text[],
                    ${s.map((x) => x.purchases)}::int[])
             AS u(id, visitor, customer, started, ended, device, browser, referrer, country,
                  landing, purchases)`;
  }
  for (let start = 0; start < click.events.length; start += CHUNK_ROWS) {
    const e = click.events.slice(start, start + CHUNK_ROWS);
    await tx`
      INSERT INTO chinook_web.event (event_id, session_id, run_id, sim_date, occurred_at,
        event_type, page, track_id, album_id, artist_id, search_query, invoice_id)
      SELECT u.id, u.session, ${runId}, ${click.day}::date,
             ${dayStart}::timestamp + u.at * interval '1 millisecond',
             u.type, u.page, u.track, u.album, u.artist, u.query, u.invoice
        FROM unnest(${e.map((x) => x.id)}::bigint[], ${e.map((x) => x.sessionId)}::bigint[],
                    ${e.map((x) => x.atMs)}::bigint[], ${e.map((x) => x.type)}::text[],
                    ${e.map((x) => x.page)}::text[], ${e.map((x) => x.trackId)}::int[],
                    ${e.map((x) => x.albumId)}::int[], ${e.map((x) => x.artistId)}::int[],
                    ${e.map((x) => x.query)}::text[], ${e.map((x) => x.invoiceId)}::int[])
             AS u(id, session, at, type, page, track, album, artist, query, invoice)`;
  }
}

/** Reviews due on the day, of lines bought in the days before it and not reviewed yet. */
export async function writeReviews(
  tx: Tx,
  input: {
    day: string;
    seed: string;
    model: DemandModel;
    clickModel: ClickModel;
    runId: number;
    /** The store's zone (see skippedHour); UTC when absent. */
    timeZone?: string;
  },
): Promise<WebReview[]> {
  const { day, clickModel } = input;
  const from = addDays(day, -clickModel.reviewMaxDelayDays);
  const lines = await tx<{ line: number; customer: number; track: number; bought: string }[]>`
    SELECT l."InvoiceLineId" AS line, i."CustomerId" AS customer, l."TrackId" AS track,
           i."InvoiceDate"::date::text AS bought
      FROM public."Invoice" i JOIN public."InvoiceLine" l ON l."InvoiceId" = i."InvoiceId"
     WHERE i."InvoiceDate" >= ${from}::date AND i."InvoiceDate" < ${day}::date
       AND NOT EXISTS (SELECT 1 FROM chinook_web.review r
                        WHERE r.invoice_line_id = l."InvoiceLineId")`;
  const reviews = planReviews({
    day,
    seed: input.seed,
    model: clickModel,
    hourWeights: input.model.hourWeights,
    lines: lines.map((r) => ({
      lineId: r.line,
      customerId: r.customer,
      trackId: r.track,
      boughtOn: r.bought,
    })),
    firstReviewId: (await nextIds(tx)).review,
    skipped: skippedHour(input.timeZone, day),
  });
  if (reviews.length === 0) return reviews;
  await takeIds(tx, "review", reviews.length);
  await tx`
    INSERT INTO chinook_web.review (review_id, run_id, sim_date, invoice_line_id, customer_id,
      track_id, rating, reviewed_at)
    SELECT u.id, ${input.runId}, ${day}::date, u.line, u.customer, u.track, u.rating,
           ${wallClock(day, 0)}::timestamp + u.at * interval '1 millisecond'
      FROM unnest(${reviews.map((r) => r.id)}::bigint[], ${reviews.map((r) => r.lineId)}::int[],
                  ${reviews.map((r) => r.customerId)}::int[], ${
    reviews.map((r) => r.trackId)
  }::int[],
                  ${reviews.map((r) => r.rating)}::int[], ${reviews.map((r) => r.atMs)}::bigint[])
           AS u(id, line, customer, track, rating, at)`;
  return reviews;
}

/** Rewind: the rows of the undone runs go; the counters stay (ids are never reissued). */
export async function removeWebRuns(tx: Tx, runIds: number[]): Promise<number> {
  if (runIds.length === 0 || !(await webInstalled(tx))) return 0;
  const events = await tx`DELETE FROM chinook_web.event WHERE run_id = ANY(${runIds}::bigint[])`;
  const sessions = await tx`
    DELETE FROM chinook_web.session WHERE run_id = ANY(${runIds}::bigint[])`;
  const reviews = await tx`DELETE FROM chinook_web.review WHERE run_id = ANY(${runIds}::bigint[])`;
  return events.count + sessions.count + reviews.count;
}

/**
 * A clickstream table's rows of `day` for the landing files, in primary-key
 * order, `batchRows` at a time (keyset pages: memory stays bounded). Values
 * in the export layer's input form: timestamps as PostgreSQL's text,
 * bigints as numbers.
 */
export async function* webRowsOfDay(
  sql: Sql | Tx,
  table: TableSchema,
  day: string,
  batchRows = 50_000,
): AsyncIterable<Row[]> {
  const known = CLICKSTREAM_TABLES.get(table.name);
  if (known !== table) throw new Error(`Not a clickstream table: ${table.name}`);
  // Names from the fixed schemas above, never from input.
  const key = table.primaryKey[0]!;
  const columns = table.columns.map((c) =>
    c.type.kind === "timestamp" ? `${c.name}::text AS ${c.name}` : c.name
  ).join(", ");
  const bigints = table.columns.filter((c) => c.type.kind === "bigint").map((c) => c.name);
  let after = 0;
  for (;;) {
    const rows = await sql.unsafe<Record<string, Value>[]>(
      `SELECT ${columns} FROM chinook_web.${table.name}
        WHERE sim_date = $1::date AND ${key} > $2::bigint ORDER BY ${key} LIMIT $3`,
      [day, after, batchRows],
    );
    if (rows.length === 0) return;
    for (const row of rows) {
      for (const name of bigints) row[name] = Number(row[name]);
    }
    yield rows;
    after = Number(rows[rows.length - 1]![key]);
    if (rows.length < batchRows) return;
  }
}

/**
 * Runs `work` on one consistent, read-only snapshot (the tables of a day
 * read as of one moment); refuses a database without chinook_web.
 */
export async function readWebSnapshot<T>(sql: Sql, work: (tx: Tx) => Promise<T>): Promise<T> {
  let result: T | undefined;
  await sql.begin("isolation level repeatable read read only", async (tx) => {
    if (!(await webInstalled(tx))) {
      throw new ConfigError(
        'The database has no clickstream (schema chinook_web): run "chinook-sim setup --web" first; the days after it write one',
      );
    }
    result = await work(tx);
  });
  return result!;
}
