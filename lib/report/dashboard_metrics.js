/**
 * The dashboard's numbers, computed from the facts (dashboard_facts.ts) in
 * the page itself, so every filter recomputes everything without a server.
 * Pure (no DOM): the page embeds this file's text, and Deno's tests import it.
 *
 * Definitions (each number is computed here and only here):
 * - Revenue (current): Σ UnitPrice × Quantity of the lines, now, of the
 *   invoices dated in the period (by InvoiceDate); a genre filter keeps that
 *   genre's lines only.
 * - Invoices (current): invoices dated in the period with a line left
 *   (Total > 0), or of that genre; "show cancelled" adds the cancelled rows
 *   still in the table (Total 0).
 * - Average sale: revenue / invoices, rounded half up to the cent.
 * - New customers: customers with an invoice in the period whose first
 *   invoice in the store (not cancelled) is in the period; the others with an
 *   invoice in the period are returning.
 * - As booked: what the runs of the period's simulated days reported (the
 *   ledger, store-wide, as `simulate --json` printed it). With a country,
 *   genre or rep filter, the change log's events are attributed through their
 *   invoice (while it exists); booked revenue needs each invoice's first
 *   amount, which is not kept, so it is shown for the whole store only.
 * - Cancellation rate, update rate, late-arrival share: cancellations
 *   (cancelled or deleted, duplicate copies apart), updates (a track added)
 *   and late arrivals booked in the period, per invoice booked in the period.
 */

const DAY_MS = 86_400_000;

/** @typedef {Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array} Column */
/** @typedef {"day" | "week" | "month"} Unit */
/**
 * @typedef {object} Filter
 * @property {number} from first day number of the period
 * @property {number} to last day number of the period (inclusive)
 * @property {number} country country code, -1 for all
 * @property {number} genre genre code, -1 for all
 * @property {number} rep sales rep code, -1 for all
 * @property {boolean} showCancelled count the cancelled invoices still in the table
 * @property {"auto" | Unit} granularity
 */

const TYPES = {
  u8: Uint8Array,
  u16: Uint16Array,
  u32: Uint32Array,
  i32: Int32Array,
  f64: Float64Array,
};

/** @param {string} text */
function base64Bytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** @param {string} day "YYYY-MM-DD" */
export function epochDay(day) {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/**
 * The embedded JSON → typed arrays and the indexes every computation needs.
 * @param {any} encoded
 */
export async function decodeFacts(encoded) {
  const block = await new Response(
    new Blob([base64Bytes(encoded.data)]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).arrayBuffer();
  /** @type {Record<string, Record<string, Column>>} */
  const tables = { invoices: {}, lines: {}, tracks: {}, events: {}, ledger: {} };
  for (const c of encoded.columns) {
    const Type = TYPES[/** @type {keyof typeof TYPES} */ (c.type)];
    tables[c.table][c.name] = new Type(block, c.offset, c.length);
  }
  const inv = tables.invoices;
  const n = inv.day.length;
  const baseEpoch = epochDay(encoded.baseDay);
  const dayCount = epochDay(encoded.lastDay) - baseEpoch + 1;
  const flagBits = encoded.invoiceFlags;
  const lineStart = new Uint32Array(n + 1);
  const bookedDay = new Int32Array(n);
  const firstPurchase = new Int32Array(encoded.dictionaries.customers.length).fill(2 ** 31 - 1);
  let maxLateDays = 0;
  const lines = tables.lines;
  const trackGenre = tables.tracks.genre;
  // Which genres each invoice has lines of, as bits (when there are at most 32 genres).
  const genreMask = encoded.dictionaries.genres.length <= 32 ? new Uint32Array(n) : null;
  for (let i = 0; i < n; i++) {
    lineStart[i + 1] = lineStart[i] + inv.lineCount[i];
    if (genreMask) {
      let mask = 0;
      for (let l = lineStart[i]; l < lineStart[i + 1]; l++) mask |= 2 ** trackGenre[lines.track[l]];
      genreMask[i] = mask >>> 0;
    }
    bookedDay[i] = inv.day[i] + inv.lateDays[i];
    if (inv.lateDays[i] > maxLateDays) maxLateDays = inv.lateDays[i];
    const c = inv.customer[i];
    // Invoices are in day order: the first one seen is the earliest.
    if (!(inv.flags[i] & flagBits.cancelled) && firstPurchase[c] > inv.day[i]) {
      firstPurchase[c] = inv.day[i];
    }
  }
  const ledger = tables.ledger;
  /** @type {Record<string, Float64Array>} per day number */
  const ledgerByDay = {};
  for (const name of Object.keys(ledger)) {
    if (name === "day") continue;
    const perDay = new Float64Array(dayCount);
    for (let k = 0; k < ledger.day.length; k++) perDay[ledger.day[k]] += ledger[name][k];
    ledgerByDay[name] = perDay;
  }
  const ops = encoded.eventOps;
  return {
    meta: encoded,
    names: encoded.dictionaries,
    baseEpoch,
    dayCount,
    invoices: inv,
    lines,
    tracks: tables.tracks,
    events: tables.events,
    ledger,
    ledgerByDay,
    lineStart,
    genreMask,
    bookedDay,
    firstPurchase,
    maxLateDays,
    flags: flagBits,
    op: {
      update: ops.indexOf("invoice_update"),
      cancel: ops.indexOf("invoice_cancel"),
      delete: ops.indexOf("invoice_delete"),
      late: ops.indexOf("invoice_late"),
      edit: ops.indexOf("invoice_edit"),
      duplicate: ops.indexOf("invoice_duplicate"),
    },
    /** Scratch space: which customers a computation has seen, per period. */
    seen: new Uint32Array(encoded.dictionaries.customers.length * 2),
    pass: 0,
  };
}

/** @typedef {Awaited<ReturnType<typeof decodeFacts>>} Facts */

/** "YYYY-MM-DD" of a day number. @param {Facts} facts @param {number} day */
export function dayText(facts, day) {
  return new Date((facts.baseEpoch + day) * DAY_MS).toISOString().slice(0, 10);
}

/** The day number of "YYYY-MM-DD". @param {Facts} facts @param {string} text */
export function dayNumber(facts, text) {
  return epochDay(text) - facts.baseEpoch;
}

/** Day granularity up to 3 months, weeks up to 2 years, months beyond. @param {number} days */
export function autoUnit(days) {
  return days <= 92 ? "day" : days <= 731 ? "week" : "month";
}

/**
 * The first day number of the bucket holding `day` (weeks start on Monday).
 * @param {Facts} facts @param {number} day @param {Unit} unit
 */
export function bucketStart(facts, day, unit) {
  if (unit === "day") return day;
  const epoch = facts.baseEpoch + day;
  if (unit === "week") return day - ((epoch + 3) % 7);
  const date = new Date(epoch * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS - facts.baseEpoch;
}

/** First index whose value is ≥ target in a sorted column. @param {Column} column @param {number} target */
function lowerBound(column, target) {
  let lo = 0;
  let hi = column.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (column[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rounded half up; null without invoices. @param {number} cents @param {number} count */
export function averageCents(cents, count) {
  return count > 0 ? Math.floor((2 * cents + count) / (2 * count)) : null;
}

/** @param {number} part @param {number} whole */
function rate(part, whole) {
  return whole > 0 ? part / whole : null;
}

/**
 * The top `k` codes by value (ties: by name), with their names.
 * @param {Float64Array} values @param {Float64Array | null} counts @param {string[]} names
 * @param {number} k
 */
function top(values, counts, names, k) {
  const codes = [];
  for (let c = 0; c < values.length; c++) if (values[c] > 0) codes.push(c);
  codes.sort((a, b) => values[b] - values[a] || (names[a] < names[b] ? -1 : 1));
  return codes.slice(0, k).map((code) => ({
    code,
    name: names[code],
    cents: values[code],
    count: counts ? counts[code] : null,
  }));
}

function emptyPeriod() {
  return {
    revenueCents: 0,
    invoices: 0,
    newCustomers: 0,
    returningCustomers: 0,
    bookedInvoices: 0,
    /** @type {number | null} */
    bookedRevenueCents: 0,
    signUps: 0,
    updates: 0,
    cancellations: 0,
    late: 0,
    edits: 0,
    duplicates: 0,
  };
}

/**
 * Every number the page shows, for one filter.
 * @param {Facts} facts @param {Filter} filter
 */
export function compute(facts, filter) {
  const from = Math.max(0, Math.min(filter.from, filter.to));
  const to = Math.min(facts.dayCount - 1, Math.max(filter.from, filter.to));
  const days = to - from + 1;
  const prevFrom = from - days;
  const unit = filter.granularity === "auto" ? autoUnit(days) : filter.granularity;
  const { invoices: inv, lines, tracks, events, lineStart, flags, op } = facts;
  const { country, genre, rep, showCancelled } = filter;
  const dimension = country >= 0 || genre >= 0 || rep >= 0;
  const names = facts.names;

  // Buckets of the period: a day → bucket table, clipped to the period.
  const dayBucket = new Int32Array(Math.max(0, days));
  /** @type {Array<{start: number, end: number}>} */
  const spans = [];
  for (let d = from; d <= to; d++) {
    const start = bucketStart(facts, d, unit);
    if (spans.length === 0 || start > spans[spans.length - 1].start) spans.push({ start, end: d });
    const last = spans[spans.length - 1];
    last.end = d;
    dayBucket[d - from] = spans.length - 1;
  }
  const buckets = spans.map((s) => ({
    from: Math.max(s.start, from),
    to: s.end,
    revenueCents: 0,
    invoices: 0,
    /** @type {number | null} */
    bookedRevenueCents: dimension ? null : 0,
    /** @type {number | null} */
    bookedInvoices: dimension ? null : 0,
    updates: 0,
    cancellations: 0,
    late: 0,
    edits: 0,
    duplicates: 0,
  }));

  const current = emptyPeriod();
  const previous = emptyPeriod();
  const hours = { invoices: new Float64Array(24), revenueCents: new Float64Array(24) };
  const byCountry = new Float64Array(names.countries.length);
  const invoicesByCountry = new Float64Array(names.countries.length);
  const byCustomer = new Float64Array(names.customers.length);
  const invoicesByCustomer = new Float64Array(names.customers.length);
  const byGenre = new Float64Array(names.genres.length);
  const byArtist = new Float64Array(names.artists.length);
  const byTrack = new Float64Array(names.tracks.length);
  const linesByTrack = new Float64Array(names.tracks.length);

  // Columns as locals: this loop runs over every invoice and line of both periods.
  const invDay = inv.day;
  const invFlags = inv.flags;
  const invCountry = inv.country;
  const invRep = inv.rep;
  const invHour = inv.hour;
  const invCustomer = inv.customer;
  const lineTrack = lines.track;
  const lineCents = lines.cents;
  const trackGenre = tracks.genre;
  const trackArtist = tracks.artist;
  const firstPurchase = facts.firstPurchase;
  const genreMask = facts.genreMask;
  const genreBit = genre >= 0 && genre < 32 ? 2 ** genre : 0;
  const cancelledBit = flags.cancelled;
  const bucketRevenue = new Float64Array(buckets.length);
  const bucketInvoices = new Float64Array(buckets.length);
  const pass = (facts.pass = (facts.pass + 1) >>> 0 || 1);
  const seen = facts.seen;
  const customerCount = names.customers.length;
  const lo = lowerBound(invDay, prevFrom);
  const hi = lowerBound(invDay, to + 1);
  for (let i = lo; i < hi; i++) {
    if ((invFlags[i] & cancelledBit) && !showCancelled) continue;
    if (country >= 0 && invCountry[i] !== country) continue;
    if (rep >= 0 && invRep[i] !== rep) continue;
    // Skips an invoice without a line of the genre, without reading its lines.
    if (genreBit && genreMask && ((genreMask[i] & genreBit) === 0)) continue;
    const day = invDay[i];
    const inPeriod = day >= from;
    let cents = 0;
    let matched = genre < 0;
    const lineEnd = lineStart[i + 1];
    for (let l = lineStart[i]; l < lineEnd; l++) {
      const track = lineTrack[l];
      const g = trackGenre[track];
      if (genre >= 0 && g !== genre) continue;
      matched = true;
      const c = lineCents[l];
      cents += c;
      if (inPeriod) {
        byGenre[g] += c;
        byArtist[trackArtist[track]] += c;
        byTrack[track] += c;
        linesByTrack[track] += 1;
      }
    }
    if (!matched) continue;
    const p = inPeriod ? current : previous;
    p.revenueCents += cents;
    p.invoices += 1;
    const customer = invCustomer[i];
    const slot = inPeriod ? customer : customerCount + customer;
    if (seen[slot] !== pass) {
      seen[slot] = pass;
      if (firstPurchase[customer] >= (inPeriod ? from : prevFrom)) p.newCustomers += 1;
      else p.returningCustomers += 1;
    }
    if (inPeriod) {
      const b = dayBucket[day - from];
      bucketRevenue[b] += cents;
      bucketInvoices[b] += 1;
      const hour = invHour[i];
      hours.invoices[hour] += 1;
      hours.revenueCents[hour] += cents;
      byCountry[invCountry[i]] += cents;
      invoicesByCountry[invCountry[i]] += 1;
      byCustomer[customer] += cents;
      invoicesByCustomer[customer] += 1;
    }
  }
  buckets.forEach((b, k) => {
    b.revenueCents = bucketRevenue[k];
    b.invoices = bucketInvoices[k];
  });

  /** Whether an invoice (by position) passes the country, rep and genre filters. @param {number} i */
  const matches = (i) => {
    if (country >= 0 && invCountry[i] !== country) return false;
    if (rep >= 0 && invRep[i] !== rep) return false;
    if (genre < 0) return true;
    if (genreBit && genreMask) return (genreMask[i] & genreBit) !== 0;
    for (let l = lineStart[i]; l < lineStart[i + 1]; l++) {
      if (trackGenre[lineTrack[l]] === genre) return true;
    }
    return false;
  };

  // As booked: what the runs of the period's days reported.
  if (!dimension) {
    const L = facts.ledgerByDay;
    for (let d = Math.max(0, prevFrom); d <= to; d++) {
      const p = d >= from ? current : previous;
      p.bookedInvoices += L.inserts[d];
      p.bookedRevenueCents = /** @type {number} */ (p.bookedRevenueCents) + L.revenueCents[d];
      p.signUps += L.newCustomers[d];
      if (d >= from) {
        const b = buckets[dayBucket[d - from]];
        b.bookedInvoices = /** @type {number} */ (b.bookedInvoices) + L.inserts[d];
        b.bookedRevenueCents = /** @type {number} */ (b.bookedRevenueCents) + L.revenueCents[d];
      }
    }
  } else {
    current.bookedRevenueCents = null;
    previous.bookedRevenueCents = null;
    const first = lowerBound(inv.day, prevFrom - facts.maxLateDays);
    for (let i = first; i < hi; i++) {
      if (inv.flags[i] & flags.history) continue;
      const booked = facts.bookedDay[i];
      if (booked < prevFrom || booked > to || !matches(i)) continue;
      (booked >= from ? current : previous).bookedInvoices += 1;
    }
  }
  const evLo = lowerBound(events.day, prevFrom);
  const evHi = lowerBound(events.day, to + 1);
  for (let e = evLo; e < evHi; e++) {
    if (dimension) {
      const i = events.invoice[e] - 1;
      if (i < 0 || !matches(i)) continue;
    }
    const day = events.day[e];
    const p = day >= from ? current : previous;
    const b = day >= from ? buckets[dayBucket[day - from]] : null;
    const o = events.op[e];
    const key = o === op.update
      ? "updates"
      : o === op.cancel || o === op.delete
      ? "cancellations"
      : o === op.late
      ? "late"
      : o === op.edit
      ? "edits"
      : o === op.duplicate
      ? "duplicates"
      : null;
    if (key === null) continue;
    p[key] += 1;
    if (b) b[key] += 1;
  }

  /** @param {ReturnType<typeof emptyPeriod>} p */
  const summary = (p) => ({
    ...p,
    averageSaleCents: averageCents(p.revenueCents, p.invoices),
    // A cancelled invoice keeps no lines, so it has no genre.
    cancellationRate: genre >= 0 ? null : rate(p.cancellations, p.bookedInvoices),
    updateRate: rate(p.updates, p.bookedInvoices),
    lateShare: rate(p.late, p.bookedInvoices),
  });
  return {
    period: { from, to, days },
    previousPeriod: { from: prevFrom, to: from - 1 },
    unit,
    dimension,
    current: summary(current),
    previous: summary(previous),
    buckets,
    hours,
    top: {
      genres: top(byGenre, null, names.genres, 10),
      countries: top(byCountry, invoicesByCountry, names.countries, 10),
      artists: top(byArtist, null, names.artists, 10),
      tracks: top(byTrack, linesByTrack, names.tracks, 10),
      customers: top(byCustomer, invoicesByCustomer, names.customers, 10),
    },
  };
}

/** @typedef {ReturnType<typeof compute>} View */

/**
 * How fresh the data is: the simulated days and the newest run. Filters do not apply.
 * @param {Facts} facts
 */
export function freshness(facts) {
  const days = facts.ledger.day;
  const simulated = days.length;
  const first = simulated > 0 ? days[0] : null;
  const last = simulated > 0 ? days[simulated - 1] : null;
  let runs = 0;
  for (let k = 0; k < simulated; k++) runs += facts.ledger.runs[k];
  return {
    firstDay: first === null ? null : dayText(facts, first),
    lastDay: last === null ? null : dayText(facts, last),
    lastRunAt: facts.meta.lastRunAt,
    simulatedDays: simulated,
    missingDays: first === null || last === null ? 0 : last - first + 1 - simulated,
    runs,
    generatedAt: facts.meta.generatedAt,
    lastHistoryDay: facts.meta.lastHistoryDay,
    timeZone: facts.meta.timeZone,
  };
}
