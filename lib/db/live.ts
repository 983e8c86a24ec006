/**
 * Live mode's writes: a day's plan applied in many small transactions as its
 * changes fall due. The first slice of a day builds the plan (the batch's:
 * same seed, same snapshot, same ids), keeps it in chinook_sim.live_day,
 * opens the day's run (kind live) and reserves the day's ids; each slice then
 * applies the changes due since the last one with the batch's write
 * functions, appends its statements to the run and moves the day's position,
 * all in one transaction, so a killed run resumes exactly where it stopped.
 * At the day's end the run gets its manifest and the day enters the ledger.
 */
import liveSql from "../../sql/live.sql" with { type: "text" };
import { UsageError } from "../cli/errors.ts";
import { dayDone, dayManifest, insertedIds } from "../sim/day_outcome.ts";
import type { Clickstream } from "../sim/clickstream/generate.ts";
import { DEFAULT_CLICK_MODEL } from "../sim/clickstream/model.ts";
import type { DayDone, DayOptions, DayWrites, WebCounts } from "../sim/day_types.ts";
import {
  clockText,
  DAY_SECONDS,
  decodeTyped,
  dueCount,
  encodeTyped,
  type LiveOp,
  liveSchedule,
  mergeWrites,
  NO_WRITES,
  type OpKind,
  slicePlan,
} from "../sim/live.ts";
import type { Manifest } from "../sim/manifest.ts";
import { formatCents } from "../sim/money.ts";
import { type AddedLines, type DayPlan, planAddedLines } from "../sim/plan.ts";
import type { Sql, Tx } from "./connect.ts";
import { RunLog } from "./change_log.ts";
import { raiseCounters, readCounters, syncSequences } from "./ids.ts";
import { dayRuns, historyInfo, refreshLedger, startRun, takeSimLock } from "./ledger.ts";
import { keepRecency, planDay } from "./day.ts";
import { reviseForRemoved } from "./recency.ts";
import { readInvoiceTracks } from "./snapshot.ts";
import {
  buildWebDay,
  dayEndCustomers,
  insertClickstream,
  takeClickIds,
  writeReviews,
} from "./web.ts";
import { liveTableExists, webInstalled } from "./installed.ts";
import { applyPlan } from "./writes.ts";
import { Signups } from "../sim/signups.ts";

/** What a live day keeps besides its position: its plan and the options it was started with. */
interface StoredDay {
  plan: DayPlan;
  added: AddedLines;
  nextCustomerId: number;
  options: Omit<DayOptions, "day" | "dryRun" | "force" | "lockTimeoutMs">;
}

/** A live day as a process holds it: decoded once, its schedule computed once. */
interface LoadedDay extends StoredDay {
  runId: number;
  runNumber: number;
  ops: LiveOp[];
  /** With setup --web: the day's clickstream, written as its sessions start and events happen. */
  click: Clickstream | null;
}

/** Decoded days by run id: a slice every few seconds need not decode the plan again. */
export type LiveCache = Map<number, LoadedDay>;

/** A live day's progress, as status and the batch commands see it. */
export interface LiveProgress {
  day: string;
  runId: number;
  seed: string;
  position: number;
  total: number;
  /** The simulated second of the day the committed slices reach. */
  clock: number;
  commits: number;
  updatedAt: string;
  finished: boolean;
}

/** One committed slice. */
export interface SliceResult {
  status: "committed" | "nothing-due" | "in-ledger";
  day: string;
  runId: number | null;
  /** Positions in the day's ordered changes: this slice applied [from, to). */
  from: number;
  to: number;
  total: number;
  clock: number;
  /** The simulated second of the slice's first change (for the lag), or null. */
  firstAt: number | null;
  counts: Record<OpKind, number>;
  /** Rows inserted, updated or deleted by the slice. */
  events: number;
  /** Clickstream events the slice wrote (setup --web). */
  clickEvents: number;
  /** Set when the slice ended the day: the day is in the ledger. */
  finished: { manifest: Manifest; done: DayDone; revenue: string; web?: WebCounts } | null;
  /** This slice started the day (built and stored its plan). */
  started: boolean;
}

const EMPTY_COUNTS: Record<OpKind, number> = {
  signup: 0,
  customer_change: 0,
  invoice: 0,
  update: 0,
  cancel: 0,
  duplicate: 0,
  edit: 0,
};

/** Creates chinook_sim.live_day when absent (sql/live.sql). */
export async function ensureLiveTable(tx: Tx): Promise<void> {
  await tx.unsafe(liveSql);
}

/** Live days, or one day: their progress (none before live ever ran). */
export async function liveDays(
  sql: Sql | Tx,
  filter: { day?: string; unfinished?: boolean } = {},
): Promise<LiveProgress[]> {
  if (!(await liveTableExists(sql))) return [];
  const rows = await sql<
    {
      day: string;
      run_id: string;
      seed: string;
      position: number;
      total: number;
      clock: number;
      commits: number;
      updated_at: string;
      finished: boolean;
    }[]
  >`
    SELECT sim_date::text AS day, run_id::text, seed, position, total, clock, commits,
           to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS updated_at,
           finished_at IS NOT NULL AS finished
      FROM chinook_sim.live_day
     WHERE (${filter.day ?? null}::date IS NULL OR sim_date = ${filter.day ?? null}::date)
       AND (NOT ${filter.unfinished ?? false} OR finished_at IS NULL)
     ORDER BY sim_date`;
  return rows.map((r) => ({
    day: r.day,
    runId: Number(r.run_id),
    seed: r.seed,
    position: r.position,
    total: r.total,
    clock: r.clock,
    commits: r.commits,
    updatedAt: r.updated_at,
    finished: r.finished,
  }));
}

/**
 * For simulate, backfill and catch-up: a day live has started but not
 * finished is never simulated again by the batch (its rows would be
 * written twice).
 */
export async function refusePartialLiveDay(tx: Tx, day: string): Promise<void> {
  const [live] = await liveDays(tx, { day, unfinished: true });
  if (!live) return;
  throw new UsageError(
    `Cannot simulate ${day}: live mode is writing it (${live.position} of ${live.total} changes committed, up to ${
      clockText(live.clock)
    }); run "chinook-sim live --date ${day} --speed 86400 --once" to finish it, or "chinook-sim rewind" to undo it`,
  );
}

/**
 * Commits the changes of `day` due at simulated second `upTo` (DAY_SECONDS:
 * all of them, and the day is recorded in the ledger), in ONE transaction.
 * The first slice of a day builds and stores its plan from `options`; later
 * slices use the stored plan whatever `options` say.
 */
export async function commitSlice(
  sql: Sql,
  options: Omit<DayOptions, "day">,
  day: string,
  upTo: number,
  cache: LiveCache,
): Promise<SliceResult> {
  let result: SliceResult | undefined;
  await sql.begin(async (tx) => {
    await takeSimLock(tx, options.lockTimeoutMs);
    result = await sliceInTransaction(tx, options, day, Math.min(upTo, DAY_SECONDS), cache);
  });
  return result!;
}

async function sliceInTransaction(
  tx: Tx,
  options: Omit<DayOptions, "day">,
  day: string,
  upTo: number,
  cache: LiveCache,
): Promise<SliceResult> {
  const [row] = await tx<
    {
      run_id: string;
      position: number;
      clock: number;
      commits: number;
      writes: DayWrites;
      click_sessions: number;
      click_events: number;
      finished: boolean;
    }[]
  >`
    SELECT run_id::text, position, clock, commits, writes, click_sessions, click_events,
           finished_at IS NOT NULL AS finished
      FROM chinook_sim.live_day WHERE sim_date = ${day} FOR UPDATE`;
  const idle = (status: SliceResult["status"], runId: number | null, at: number) => ({
    status,
    day,
    runId,
    from: 0,
    to: 0,
    total: 0,
    clock: at,
    firstAt: null,
    counts: { ...EMPTY_COUNTS },
    events: 0,
    clickEvents: 0,
    finished: null,
    started: false,
  });
  if (row?.finished) return idle("in-ledger", Number(row.run_id), DAY_SECONDS);
  if (!row && (await dayRuns(tx, day)) !== null) return idle("in-ledger", null, DAY_SECONDS);
  const started = !row;
  const loaded = row ? await loadDay(tx, day, Number(row.run_id), cache) : await startDay(
    tx,
    options,
    day,
    cache,
  );
  const position = row?.position ?? 0;
  const due = dueCount(loaded.ops, upTo);
  const ending = upTo >= DAY_SECONDS;
  const clickFrom = { sessions: row?.click_sessions ?? 0, events: row?.click_events ?? 0 };
  const clickTo = clickDue(loaded.click, ending ? Infinity : (upTo + 1) * 1000);
  if (due <= position && clickTo.events <= clickFrom.events && !ending) {
    // Nothing due: nothing written (a first slice still stores its plan and reserves its ids).
    if (started) await saveProgress(tx, day, 0, 0, upTo, NO_WRITES, clickFrom);
    return { ...idle("nothing-due", loaded.runId, upTo), to: position, total: loaded.ops.length };
  }
  const slice = slicePlan(loaded.plan, loaded.added, loaded.ops, position, due);
  const counters = await readCounters(tx);
  const log = new RunLog(loaded.runId, loaded.runNumber, day, counters.change, counters.event);
  const sliceWrites = await applyPlan(tx, slice.plan, {
    model: loaded.options.model,
    snapshot: undefined as never,
    deleteMode: loaded.options.deleteMode,
    log,
    added: slice.added,
  });
  if (loaded.click) {
    await insertClickstream(tx, {
      day,
      sessions: loaded.click.sessions.slice(clickFrom.sessions, clickTo.sessions),
      events: loaded.click.events.slice(clickFrom.events, clickTo.events),
    }, loaded.runId);
  }
  const writes = mergeWrites(row?.writes ?? NO_WRITES, sliceWrites);
  const done = dayDone(slice.plan, sliceWrites);
  let revenueCents = 0;
  slice.plan.invoiceTotalCents.forEach((cents, i) => {
    if (slice.plan.invoiceDuplicateOf[i] === 0) revenueCents += cents;
  });
  const ids = sliceIds(slice.plan, slice.added);
  // Each slice is its own transaction: its statements carry it (exports use it, not the run's).
  const [commit] = await tx<{ txid: string; at: string }[]>`
    SELECT txid_current()::text AS txid,
           to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00' AS at`;
  const statements = log.statements.map((s) => ({
    ...s,
    txId: Number(commit!.txid),
    committedAt: commit!.at,
  }));
  await tx`
    UPDATE chinook_sim.run SET
      inserts = inserts + ${done.inserts}, updates = updates + ${done.updates},
      deletes = deletes + ${done.deletes}, new_customers = new_customers + ${done.newCustomers},
      customer_changes = customer_changes + ${done.customerChanges}, lines = lines + ${done.lines},
      late = late + ${done.late}, edits = edits + ${done.edits},
      duplicates = duplicates + ${done.duplicates},
      revenue = revenue + ${formatCents(revenueCents)}::numeric,
      events = events + ${log.events},
      first_invoice_id = coalesce(first_invoice_id, ${ids.invoice.first}),
      last_invoice_id = greatest(last_invoice_id, ${ids.invoice.last}),
      first_line_id = least(first_line_id, ${ids.line.first}),
      last_line_id = greatest(last_line_id, ${ids.line.last}),
      first_customer_id = coalesce(first_customer_id, ${ids.customer.first}),
      last_customer_id = greatest(last_customer_id, ${ids.customer.last}),
      statements = statements || ${tx.json(statements as never)}::jsonb,
      committed_at = clock_timestamp(), txid = txid_current()
     WHERE run_id = ${loaded.runId}`;
  await raiseCounters(tx, { change: log.lastChangeId, event: log.sequenceBase + log.events });
  const commits = (row?.commits ?? 0) + 1;
  await saveProgress(tx, day, due, commits, upTo, writes, clickTo);
  const finished = ending && due === loaded.ops.length
    ? await finishDay(tx, loaded, writes, { ...options, day })
    : null;
  return {
    status: "committed",
    day,
    runId: loaded.runId,
    from: position,
    to: due,
    total: loaded.ops.length,
    clock: upTo,
    firstAt: due > position ? loaded.ops[position]!.at : null,
    counts: slice.counts,
    events: log.events,
    clickEvents: clickTo.events - clickFrom.events,
    finished,
    started,
  };
}

/** The ids a slice inserts, per table (null: none), so that the open run covers its rows. */
function sliceIds(plan: DayPlan, added: AddedLines) {
  const range = (first: number, count: number) =>
    count > 0 ? { first, last: first + count - 1 } : { first: null, last: null };
  const lines = [
    ...(plan.lineTrackIds.length > 0
      ? [plan.firstLineId, plan.firstLineId + plan.lineTrackIds.length - 1]
      : []),
    ...(added.invoiceIds.length > 0
      ? [added.firstLineId, added.firstLineId + added.invoiceIds.length - 1]
      : []),
  ];
  return {
    invoice: range(plan.firstInvoiceId, plan.invoiceCustomerIds.length),
    line: lines.length > 0
      ? { first: Math.min(...lines), last: Math.max(...lines) }
      : { first: null, last: null },
    customer: range(plan.newCustomers.firstId, plan.newCustomers.count),
  };
}

async function saveProgress(
  tx: Tx,
  day: string,
  position: number,
  commits: number,
  clock: number,
  writes: DayWrites,
  click: { sessions: number; events: number },
): Promise<void> {
  await tx`
    UPDATE chinook_sim.live_day SET position = ${position}, commits = ${commits}, clock = ${clock},
           writes = ${tx.json(writes as never)}, click_sessions = ${click.sessions},
           click_events = ${click.events}, updated_at = clock_timestamp()
     WHERE sim_date = ${day}`;
}

/** How many of the clickstream's sessions (by start) and events happen before `limitMs`. */
function clickDue(
  click: Clickstream | null,
  limitMs: number,
): { sessions: number; events: number } {
  if (!click) return { sessions: 0, events: 0 };
  const count = <T>(rows: T[], at: (row: T) => number) => {
    let low = 0;
    let high = rows.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (at(rows[mid]!) < limitMs) low = mid + 1;
      else high = mid;
    }
    return low;
  };
  return {
    sessions: count(click.sessions, (s) => s.startMs),
    events: count(click.events, (e) => e.atMs),
  };
}

/**
 * The day's first slice: the batch's plan on the database as it is now,
 * kept with the day; the run opened; every id the day will insert reserved
 * (counters and sequences), so that no other writer takes one meanwhile.
 */
async function startDay(
  tx: Tx,
  options: Omit<DayOptions, "day">,
  day: string,
  cache: LiveCache,
): Promise<LoadedDay> {
  const history = await historyInfo(tx);
  if (history && day <= history.lastHistoryDay) {
    throw new UsageError(
      `Cannot run ${day} live: the historical data runs to ${history.lastHistoryDay}; pick a later --date`,
    );
  }
  const { snapshot, plan } = await planDay(tx, { ...options, day });
  // The recency the day will leave, as the batch keeps it: the next day reads it only after the
  // last slice (a day live left open is refused), and rewind forgets it with the day.
  await keepRecency(tx, snapshot, plan);
  const added = planAddedLines({
    day,
    seed: options.seed,
    model: options.model,
    snapshot,
    firstLineId: plan.firstLineId + plan.lineTrackIds.length,
    targets: await updateTargetTracks(tx, plan),
  });
  const stored: StoredDay = {
    plan,
    added,
    nextCustomerId: snapshot.nextCustomerId,
    options: {
      seed: options.seed,
      requested: options.requested,
      model: options.model,
      windowDays: options.windowDays,
      deleteMode: options.deleteMode,
      timeZone: options.timeZone,
      toolVersion: options.toolVersion,
      messiness: options.messiness,
    },
  };
  const ops = liveSchedule(plan, added);
  // The web shop's clickstream (setup --web): the batch's, built on the customers as the day
  // will leave them; its ids taken now.
  let click: Clickstream | null = null;
  if (await webInstalled(tx)) {
    click = await buildWebDay(tx, {
      plan,
      model: options.model,
      clickModel: DEFAULT_CLICK_MODEL,
      customers: await dayEndCustomers(tx, plan),
      timeZone: options.timeZone,
    });
    await takeClickIds(tx, click);
  }
  const log = await startRun(tx, day);
  await tx`
    INSERT INTO chinook_sim.run (run_id, sim_date, run_number, kind, state, seed, tool_version,
      time_zone, delete_mode, window_days, options, requested, inserts, updates, deletes,
      new_customers, customer_changes, lines, late, edits, duplicates, revenue, manifest,
      sequence_base, events, statements, started_at, committed_at, txid)
    VALUES (${log.runId}, ${day}, ${log.runNumber}, 'live', 'committed', ${options.seed},
      ${options.toolVersion}, ${options.timeZone}, ${options.deleteMode}, ${options.windowDays},
      ${
    tx.json(
      {
        counts: options.requested,
        messiness: options.messiness,
        model: options.model,
        force: false,
      } as never,
    )
  }, ${tx.json(plan.requested as never)}, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL,
      ${log.sequenceBase}, 0, '[]'::jsonb, clock_timestamp(), clock_timestamp(), txid_current())`;
  const lines = plan.lineTrackIds.length + added.invoiceIds.length;
  await raiseCounters(tx, {
    run: log.runId,
    invoice: plan.firstInvoiceId + plan.invoiceCustomerIds.length - 1,
    invoice_line: plan.firstLineId + lines - 1,
    customer: snapshot.nextCustomerId + plan.newCustomers.count - 1,
  });
  await syncSequences(tx);
  await tx`
    INSERT INTO chinook_sim.live_day (sim_date, run_id, seed, plan, position, total, clock,
      commits, writes, click, started_at, updated_at)
    VALUES (${day}, ${log.runId}, ${options.seed}, ${tx.json(encodeTyped(stored) as never)}, 0,
      ${ops.length}, 0, 0, ${tx.json(NO_WRITES as never)},
      ${click ? tx.json(click as never) : null}, clock_timestamp(), clock_timestamp())`;
  const loaded = { ...stored, runId: log.runId, runNumber: log.runNumber, ops, click };
  cache.set(log.runId, loaded);
  return loaded;
}

/**
 * The update targets' tracks as the batch reads them after the day's
 * inserts: earlier invoices from the database, the day's own from the plan.
 */
async function updateTargetTracks(
  tx: Tx,
  plan: DayPlan,
): Promise<Array<{ invoiceId: number; trackIds: number[] }>> {
  const targets = Array.from(plan.updateTargets);
  const earlier = targets.filter((id) => id < plan.firstInvoiceId);
  const own = targets.filter((id) => id >= plan.firstInvoiceId).map((invoiceId) => {
    const i = invoiceId - plan.firstInvoiceId;
    const tracks = plan.lineTrackIds.subarray(plan.lineStart[i]!, plan.lineStart[i + 1]!);
    return { invoiceId, trackIds: Array.from(tracks).sort((a, b) => a - b) };
  });
  const fromDatabase = earlier.length > 0 ? await readInvoiceTracks(tx, earlier) : [];
  return [...fromDatabase, ...own].sort((a, b) => a.invoiceId - b.invoiceId);
}

async function loadDay(tx: Tx, day: string, runId: number, cache: LiveCache): Promise<LoadedDay> {
  const cached = cache.get(runId);
  if (cached) return cached;
  const [row] = await tx<{ plan: unknown; click: Clickstream | null; run_number: number }[]>`
    SELECT l.plan, l.click, r.run_number FROM chinook_sim.live_day l
      JOIN chinook_sim.run r ON r.run_id = l.run_id WHERE l.sim_date = ${day}`;
  const stored = decodeTyped(row!.plan) as StoredDay;
  // A day stored by an earlier version holds its sign-ups as a list.
  const signups: unknown = stored.plan.newCustomers;
  if (Array.isArray(signups)) stored.plan = { ...stored.plan, newCustomers: Signups.of(signups) };
  const loaded = {
    ...stored,
    runId,
    runNumber: row!.run_number,
    ops: liveSchedule(stored.plan, stored.added),
    click: row!.click,
  };
  cache.set(runId, loaded);
  return loaded;
}

/** The day's end: the run's manifest and id ranges, the day into the ledger. */
async function finishDay(
  tx: Tx,
  loaded: LoadedDay,
  writes: DayWrites,
  options: DayOptions,
): Promise<NonNullable<SliceResult["finished"]>> {
  const { plan } = loaded;
  const dayOptions = { ...options, ...loaded.options };
  const manifest = dayManifest(plan, writes, dayOptions, {
    id: loaded.runId,
    number: loaded.runNumber,
  });
  const ids = insertedIds(plan, writes, loaded.nextCustomerId);
  const first = (r: { first: number; count: number }) => (r.count > 0 ? r.first : null);
  const last = (r: { first: number; count: number }) => r.count > 0 ? r.first + r.count - 1 : null;
  await tx`
    UPDATE chinook_sim.run SET manifest = ${tx.json(manifest as never)},
      first_invoice_id = ${first(ids.invoice)}, last_invoice_id = ${last(ids.invoice)},
      first_line_id = ${first(ids.invoice_line)}, last_line_id = ${last(ids.invoice_line)},
      first_customer_id = ${first(ids.customer)}, last_customer_id = ${last(ids.customer)}
     WHERE run_id = ${loaded.runId}`;
  // The invoices the day removed (--delete-mode hard) leave the recency kept when it started.
  if (loaded.options.deleteMode === "hard") await reviseForRemoved(tx, loaded.runId, plan.day);
  await tx`UPDATE chinook_sim.live_day SET finished_at = clock_timestamp() WHERE sim_date = ${plan.day}`;
  await refreshLedger(tx, [plan.day]);
  // The day's reviews (setup --web), as the batch writes them after its rows.
  const web = loaded.click
    ? {
      sessions: loaded.click.sessions.length,
      events: loaded.click.events.length,
      purchases: loaded.click.events.filter((e) => e.type === "purchase").length,
      reviews: (await writeReviews(tx, {
        day: plan.day,
        seed: plan.seed,
        model: loaded.options.model,
        clickModel: DEFAULT_CLICK_MODEL,
        runId: loaded.runId,
        timeZone: loaded.options.timeZone,
      })).length,
    }
    : undefined;
  return { manifest, done: dayDone(plan, writes), revenue: formatCents(plan.revenueCents), web };
}

/** rewind: live days whose runs are undone are forgotten too (they can be written again). */
export async function forgetLiveDays(tx: Tx, runIds: number[]): Promise<void> {
  if (!(await liveTableExists(tx))) return;
  await tx`DELETE FROM chinook_sim.live_day WHERE run_id = ANY(${runIds}::bigint[])`;
}
