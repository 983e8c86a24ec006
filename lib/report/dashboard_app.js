/* global d3, Plot */
/**
 * The dashboard page: filters, KPI cards and charts, redrawn from
 * compute() (dashboard_metrics.js) on every change. Browser only: its text
 * follows dashboard_metrics.js in one module script, after the chart library
 * (d3 and Observable Plot as globals). Tests and benchmarks read
 * `window.dashboard` (timings, the current view) and `body[data-ready]`.
 */

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const COLORS = {
  current: "#4f46e5",
  booked: "#d97706",
  updates: "#0891b2",
  cancellations: "#dc2626",
  late: "#7c3aed",
  edits: "#059669",
  duplicates: "#9ca3af",
};
const CHANGE_SERIES = [
  ["updates", "Updates"],
  ["cancellations", "Cancellations"],
  ["late", "Late arrivals"],
  ["edits", "Edits"],
  ["duplicates", "Duplicate copies"],
];
const UNIT_WORD = { day: "day", week: "week", month: "month" };

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {string} tag @param {Record<string, string>} attrs @param {...(Node | string)} children */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** Money from integer cents, exactly: "$1,234.56". */
function makeFormats(currency) {
  const symbol = new Intl.NumberFormat("en-US", { style: "currency", currency })
    .formatToParts(0).find((p) => p.type === "currency")?.value ?? "";
  const group = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
  return {
    money(cents) {
      if (cents === null || cents === undefined) return "–";
      const sign = cents < 0 ? "−" : "";
      const abs = Math.abs(Math.round(cents));
      return `${sign}${symbol}${group.format(Math.floor(abs / 100))}.${
        String(abs % 100).padStart(2, "0")
      }`;
    },
    moneyShort: (cents) => `${symbol}${compact.format(cents / 100)}`,
    count: (n) => (n === null || n === undefined ? "–" : group.format(n)),
    countShort: (n) => compact.format(n),
    percent: (r) => (r === null || r === undefined ? "–" : `${(r * 100).toFixed(1)}%`),
  };
}

/** "12 Jan 2026" (UTC: days are the store's wall-clock days). */
const dateFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});
const dateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
});

function dateOf(facts, day) {
  return new Date((facts.baseEpoch + day) * 86_400_000);
}

function rangeText(facts, from, to) {
  const a = dateFormat.format(dateOf(facts, from));
  return from === to ? a : `${a} – ${dateFormat.format(dateOf(facts, to))}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Time-axis labels that always name the year: "2024" for yearly ticks,
 * "Jan / 2024" where a year starts, "3 / Jun 2026" where a month starts.
 * @param {Date} d @param {number} i @param {Date[]} all
 */
function timeTick(d, i, all) {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const prev = i > 0 ? all[i - 1] : null;
  const newYear = !prev || prev.getUTCFullYear() !== y;
  if (all.every((t) => t.getUTCMonth() === 0 && t.getUTCDate() === 1)) return String(y);
  if (all.every((t) => t.getUTCDate() === 1)) return newYear ? `${MONTHS[m]}\n${y}` : MONTHS[m];
  const newMonth = newYear || prev.getUTCMonth() !== m;
  if (!newMonth) return String(d.getUTCDate());
  return `${d.getUTCDate()}\n${MONTHS[m]}${newYear ? ` ${y}` : ""}`;
}

/** "3 h ago" from two ISO instants. */
function ago(iso, nowIso) {
  const seconds = Math.max(0, (Date.parse(nowIso) - Date.parse(iso)) / 1000);
  if (seconds < 90) return `${Math.round(seconds)} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 129600) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} days ago`;
}

/** Everything the page needs to redraw itself: facts, filter (by names), options. */
function createDashboard(options) {
  const state = {
    facts: null,
    fmt: null,
    /** Filter by names and day strings, so a refresh with new codes keeps it. */
    filter: {
      from: "",
      to: "",
      country: "",
      genre: "",
      rep: "",
      showCancelled: false,
      granularity: "auto",
    },
    zoomStack: [],
    view: null,
    /** readyAtMs: from navigation to the first complete drawing. */
    timings: {
      decodeMs: 0,
      firstRenderMs: 0,
      readyAtMs: 0,
      lastComputeMs: 0,
      lastDrawMs: 0,
      renders: 0,
    },
  };
  const api = {
    state,
    get view() {
      return state.view;
    },
    get timings() {
      return state.timings;
    },
    load,
    render,
    refresh,
  };

  async function load(encoded) {
    const t0 = performance.now();
    const previous = state.facts;
    const facts = await decodeFacts(encoded);
    state.timings.decodeMs = performance.now() - t0;
    state.facts = facts;
    state.fmt = makeFormats(facts.meta.currency);
    const first = facts.meta.baseDay;
    const last = facts.meta.lastDay;
    const f = state.filter;
    if (!previous) {
      f.from = facts.meta.initialRange.from;
      f.to = facts.meta.initialRange.to;
    } else if (f.to === previous.meta.lastDay) {
      // Following the newest day: keep following it.
      f.to = last;
    }
    f.from = f.from < first ? first : f.from > last ? last : f.from;
    f.to = f.to < f.from ? f.from : f.to > last ? last : f.to;
    buildControls();
  }

  function codeOf(names, name) {
    return name === "" ? -1 : names.indexOf(name);
  }

  function currentFilter() {
    const { facts, filter } = state;
    return {
      from: dayNumber(facts, filter.from),
      to: dayNumber(facts, filter.to),
      country: codeOf(facts.names.countries, filter.country),
      genre: codeOf(facts.names.genres, filter.genre),
      rep: codeOf(facts.names.reps, filter.rep),
      showCancelled: filter.showCancelled,
      granularity: filter.granularity,
    };
  }

  function fillSelect(select, all, names, selected) {
    const sorted = [...names].sort((a, b) => a.localeCompare(b, "en"));
    select.replaceChildren(
      el("option", { value: "" }, all),
      ...sorted.map((name) => el("option", { value: name }, name)),
    );
    select.value = sorted.includes(selected) ? selected : "";
  }

  function buildControls() {
    const { facts, filter } = state;
    const first = facts.meta.baseDay;
    const last = facts.meta.lastDay;
    for (const id of ["f-from", "f-to"]) {
      const input = /** @type {HTMLInputElement} */ ($(id));
      input.min = first;
      input.max = last;
    }
    /** @type {HTMLInputElement} */ ($("f-from")).value = filter.from;
    /** @type {HTMLInputElement} */ ($("f-to")).value = filter.to;
    fillSelect($("f-country"), "All countries", facts.names.countries, filter.country);
    fillSelect($("f-genre"), "All genres", facts.names.genres, filter.genre);
    fillSelect($("f-rep"), "All sales reps", facts.names.reps, filter.rep);
    filter.country = /** @type {HTMLSelectElement} */ ($("f-country")).value;
    filter.genre = /** @type {HTMLSelectElement} */ ($("f-genre")).value;
    filter.rep = /** @type {HTMLSelectElement} */ ($("f-rep")).value;
  }

  function wireControls() {
    const f = state.filter;
    const onChange = (id, apply) =>
      $(id).addEventListener("change", (event) => {
        apply(/** @type {HTMLInputElement} */ (event.target));
        render();
      });
    onChange("f-from", (input) => {
      if (input.value) f.from = input.value;
      if (f.to < f.from) f.to = f.from;
    });
    onChange("f-to", (input) => {
      if (input.value) f.to = input.value;
      if (f.to < f.from) f.from = f.to;
    });
    onChange("f-country", (input) => (f.country = input.value));
    onChange("f-genre", (input) => (f.genre = input.value));
    onChange("f-rep", (input) => (f.rep = input.value));
    onChange("f-granularity", (input) => (f.granularity = input.value));
    onChange("f-cancelled", (input) => (f.showCancelled = input.checked));
    for (const button of document.querySelectorAll("[data-preset]")) {
      button.addEventListener("click", () => {
        const facts = state.facts;
        const preset = button.getAttribute("data-preset");
        const fresh = freshness(facts);
        const end = facts.meta.lastDay;
        if (preset === "simulated" && fresh.firstDay) {
          f.from = fresh.firstDay;
          f.to = fresh.lastDay;
        } else if (preset === "all") {
          f.from = facts.meta.baseDay;
          f.to = end;
        } else {
          f.to = end;
          const from = dayText(facts, Math.max(0, dayNumber(facts, end) - Number(preset) + 1));
          f.from = from;
        }
        state.zoomStack = [];
        syncInputs();
        render();
      });
    }
    $("f-zoom-out").addEventListener("click", () => {
      const range = state.zoomStack.pop();
      if (!range) return;
      f.from = range.from;
      f.to = range.to;
      syncInputs();
      render();
    });
    let resizeTimer = 0;
    globalThis.addEventListener("resize", () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => render(), 150);
    });
    if (options.live) {
      $("live").hidden = false;
      $("f-refresh").addEventListener("click", () => refresh(true));
      setInterval(() => {
        if (/** @type {HTMLInputElement} */ ($("f-auto")).checked) refresh(false);
      }, options.live.refreshSeconds * 1000);
    }
  }

  function syncInputs() {
    /** @type {HTMLInputElement} */ ($("f-from")).value = state.filter.from;
    /** @type {HTMLInputElement} */ ($("f-to")).value = state.filter.to;
    $("f-zoom-out").hidden = state.zoomStack.length === 0;
  }

  /** What each chart shows now, so an unchanged chart is not drawn again. */
  const drawn = new Map();
  let version = options.live?.version ?? null;
  let refreshing = false;
  /** Served pages: fetch the facts again when the database changed. */
  async function refresh(force) {
    if (refreshing) return;
    refreshing = true;
    const status = $("live-status");
    try {
      const latest = await (await fetch(options.live.versionPath, { cache: "no-store" })).text();
      if (force || latest !== version) {
        status.textContent = "Loading…";
        const response = await fetch(options.live.factsPath, { cache: "no-store" });
        if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
        await load(await response.json());
        version = latest;
        render();
      }
      status.textContent = `Checked ${new Date().toLocaleTimeString("en-GB")}`;
    } catch (error) {
      status.textContent = `Refresh failed: ${error.message ?? error}`;
    } finally {
      refreshing = false;
    }
  }

  /** Chart widths, read once before any drawing: reading one after a DOM change forces a layout. */
  const widths = new Map();

  function render() {
    const t0 = performance.now();
    const { facts, fmt } = state;
    for (const holder of document.querySelectorAll("[data-chart] .plot")) {
      widths.set(holder.parentElement.getAttribute("data-chart"), holder.clientWidth);
    }
    const view = compute(facts, currentFilter());
    state.view = view;
    const t1 = performance.now();
    syncInputs();
    const auto = /** @type {HTMLSelectElement} */ ($("f-granularity")).options[0];
    auto.textContent = `Auto (${UNIT_WORD[autoUnit(view.period.days)]})`;
    $("period").textContent = `${rangeText(facts, view.period.from, view.period.to)} · ${
      fmt.count(view.period.days)
    } days, by ${UNIT_WORD[view.unit]} · compared with the ${
      fmt.count(view.period.days)
    } days before`;
    renderKpis(view);
    const series = [view.buckets, view.dimension];
    // [name, what it shows (unchanged: not redrawn), how to draw it]
    const charts = [
      ["revenue", series, () => timeChart(view, "revenue")],
      ["invoices", series, () => timeChart(view, "invoices")],
      ["changes", series, () => changesChart(view)],
      ["hours", [...view.hours.invoices, ...view.hours.revenueCents], () => hoursChart(view)],
      ["top-genres", view.top.genres, () => topChart("top-genres", view.top.genres, "lines")],
      [
        "top-countries",
        view.top.countries,
        () => topChart("top-countries", view.top.countries, "invoices"),
      ],
      ["top-artists", view.top.artists, () => topChart("top-artists", view.top.artists, "lines")],
      ["top-tracks", view.top.tracks, () => topChart("top-tracks", view.top.tracks, "lines")],
      [
        "top-customers",
        view.top.customers,
        () => topChart("top-customers", view.top.customers, "invoices"),
      ],
    ];
    const chartMs = {};
    for (const [name, shows, draw] of charts) {
      const holder = document.querySelector(`[data-chart="${name}"] .plot`);
      const key = `${widths.get(name)}|${state.facts.meta.generatedAt}|${JSON.stringify(shows)}`;
      if (drawn.get(name) === key) continue;
      drawn.set(name, key);
      const started = performance.now();
      try {
        holder.replaceChildren(draw());
      } catch (error) {
        holder.replaceChildren(el("p", { class: "error" }, `Cannot draw: ${error.message}`));
      }
      chartMs[name] = performance.now() - started;
    }
    state.timings.chartMs = chartMs;
    renderFreshness();
    const t2 = performance.now();
    const timings = state.timings;
    timings.lastComputeMs = t1 - t0;
    timings.lastDrawMs = t2 - t1;
    if (timings.renders++ === 0) {
      timings.firstRenderMs = t2 - t0;
      timings.readyAtMs = t2;
    }
    $("timings").textContent = `Computed in ${Math.round(t1 - t0)} ms, drawn in ${
      Math.round(t2 - t1)
    } ms.`;
    document.body.dataset.ready = "true";
  }

  /** The change against the previous period, and that period's value. */
  function delta(current, previous, show, kind) {
    if (current === null || previous === null) {
      return { text: "no previous period to compare", cls: "flat" };
    }
    const before = `vs ${show(previous)}`;
    if (kind === "rate") {
      const pp = (current - previous) * 100;
      const cls = Math.abs(pp) < 0.05 ? "flat" : pp > 0 ? "up" : "down";
      return { text: `${pp >= 0 ? "+" : "−"}${Math.abs(pp).toFixed(1)} pp ${before}`, cls };
    }
    if (previous === 0) {
      return { text: current === 0 ? `±0 ${before}` : `none in the previous period`, cls: "flat" };
    }
    const change = (current - previous) / previous * 100;
    const cls = Math.abs(change) < 0.05 ? "flat" : change > 0 ? "up" : "down";
    const arrow = cls === "up" ? "▲ " : cls === "down" ? "▼ " : "";
    return { text: `${arrow}${Math.abs(change).toFixed(1)}% ${before}`, cls };
  }

  function renderKpis(view) {
    const { fmt } = state;
    const c = view.current;
    const p = view.previous;
    const bookedNote = (value) =>
      view.dimension ? "As booked: whole store only (clear the filters)" : `As booked: ${value}`;
    const cards = [
      {
        key: "revenue",
        label: "Revenue",
        tag: "current",
        value: c.revenueCents,
        text: fmt.money(c.revenueCents),
        delta: delta(c.revenueCents, p.revenueCents, fmt.money),
        note: bookedNote(fmt.money(c.bookedRevenueCents)),
      },
      {
        key: "invoices",
        label: "Invoices",
        tag: "current",
        value: c.invoices,
        text: fmt.count(c.invoices),
        delta: delta(c.invoices, p.invoices, fmt.count),
        note: `As booked: ${fmt.count(c.bookedInvoices)}${view.dimension ? " (filtered)" : ""}`,
      },
      {
        key: "average-sale",
        label: "Average sale",
        tag: "current",
        value: c.averageSaleCents,
        text: fmt.money(c.averageSaleCents),
        delta: delta(c.averageSaleCents, p.averageSaleCents, fmt.money),
        note: "Revenue per invoice",
      },
      {
        key: "new-customers",
        label: "New customers",
        tag: "current",
        value: c.newCustomers,
        text: fmt.count(c.newCustomers),
        delta: delta(c.newCustomers, p.newCustomers, fmt.count),
        note: view.dimension
          ? "First invoice in the store"
          : `First invoice in the store; sign-ups booked: ${fmt.count(c.signUps)}`,
      },
      {
        key: "returning-customers",
        label: "Returning customers",
        tag: "current",
        value: c.returningCustomers,
        text: fmt.count(c.returningCustomers),
        delta: delta(c.returningCustomers, p.returningCustomers, fmt.count),
        note: "Bought before the period too",
      },
      {
        key: "cancellation-rate",
        label: "Cancellation rate",
        tag: "as booked",
        value: c.cancellationRate,
        text: fmt.percent(c.cancellationRate),
        delta: delta(c.cancellationRate, p.cancellationRate, fmt.percent, "rate"),
        note: c.cancellationRate === null && state.filter.genre
          ? "A cancelled invoice keeps no lines: no genre"
          : `${fmt.count(c.cancellations)} of ${fmt.count(c.bookedInvoices)} booked`,
      },
      {
        key: "update-rate",
        label: "Update rate",
        tag: "as booked",
        value: c.updateRate,
        text: fmt.percent(c.updateRate),
        delta: delta(c.updateRate, p.updateRate, fmt.percent, "rate"),
        note: `${fmt.count(c.updates)} updated, ${fmt.count(c.edits)} edited`,
      },
      {
        key: "late-share",
        label: "Late arrivals",
        tag: "as booked",
        value: c.lateShare,
        text: fmt.percent(c.lateShare),
        delta: delta(c.lateShare, p.lateShare, fmt.percent, "rate"),
        note: `${fmt.count(c.late)} arrived days after their date`,
      },
    ];
    $("kpis").replaceChildren(
      ...cards.map((card) =>
        el(
          "div",
          { class: "kpi", "data-kpi": card.key },
          el(
            "div",
            { class: "kpi-label" },
            card.label,
            " ",
            el("span", { class: `tag ${card.tag === "current" ? "" : "booked"}` }, card.tag),
          ),
          el(
            "div",
            { class: "kpi-value", "data-value": card.value === null ? "" : String(card.value) },
            card.text,
          ),
          el(
            "div",
            { class: `kpi-delta ${card.delta.cls}`, title: "Against the previous period" },
            card.delta.text,
          ),
          el("div", { class: "kpi-note" }, card.note),
        )
      ),
    );
  }

  function baseOptions(name, height) {
    const width = Math.max(260, Math.floor(widths.get(name) || 600));
    return {
      width,
      height,
      style: { fontSize: "12px", fontFamily: FONT, overflow: "visible" },
      marginLeft: 56,
      marginRight: 20,
      marginTop: 14,
      marginBottom: 40,
    };
  }

  /** Revenue or invoices per bucket: current (area/bars) and as booked (dashed line). */
  function timeChart(view, metric) {
    const { facts, fmt } = state;
    const opts = baseOptions(metric, 260);
    const isMoney = metric === "revenue";
    const value = (b, booked) =>
      isMoney
        ? (booked ? b.bookedRevenueCents : b.revenueCents)
        : booked
        ? b.bookedInvoices
        : b.invoices;
    const rows = view.buckets.map((b) => ({
      start: dateOf(facts, b.from),
      end: dateOf(facts, b.to + 1),
      mid: new Date((dateOf(facts, b.from).getTime() + dateOf(facts, b.to + 1).getTime()) / 2),
      current: value(b, false),
      booked: value(b, true),
      label: rangeText(facts, b.from, b.to),
    }));
    const show = (v) => (isMoney ? fmt.money(v) : fmt.count(v));
    const withBooked = !view.dimension;
    // Bars while each can be seen (and counted); past that an area, a path instead of a rect each.
    const asArea = isMoney || rows.length > 200;
    const marks = [
      asArea
        ? Plot.areaY(rows, {
          x: "mid",
          y: "current",
          fill: COLORS.current,
          fillOpacity: isMoney ? 0.08 : 0.5,
        })
        : Plot.rectY(rows, {
          x1: "start",
          x2: "end",
          y: "current",
          fill: COLORS.current,
          fillOpacity: 0.75,
          inset: rows.length > 60 ? 0 : 1,
        }),
      asArea
        ? Plot.lineY(rows, { x: "mid", y: "current", stroke: COLORS.current, strokeWidth: 2 })
        : null,
      withBooked
        ? Plot.lineY(rows, {
          x: "mid",
          y: "booked",
          stroke: COLORS.booked,
          strokeWidth: 1.5,
          strokeDasharray: "5 3",
        })
        : null,
      Plot.ruleY([0]),
      Plot.tip(
        rows,
        Plot.pointerX({
          x: "mid",
          y: "current",
          title: (r) =>
            `${r.label}\nCurrent: ${show(r.current)}${
              withBooked ? `\nAs booked: ${show(r.booked)}` : ""
            }`,
        }),
      ),
    ].filter(Boolean);
    const plot = Plot.plot({
      ...opts,
      x: {
        type: "utc",
        label: null,
        domain: [rows[0].start, rows[rows.length - 1].end],
        tickFormat: timeTick,
      },
      y: {
        grid: true,
        label: null,
        tickFormat: isMoney ? fmt.moneyShort : fmt.countShort,
        ticks: 5,
      },
      marks,
    });
    addBrush(plot, opts);
    return plot;
  }

  function changesChart(view) {
    const { facts, fmt } = state;
    const opts = baseOptions("changes", 240);
    const rows = [];
    for (const b of view.buckets) {
      for (const [key, name] of CHANGE_SERIES) {
        rows.push({
          mid: new Date((dateOf(facts, b.from).getTime() + dateOf(facts, b.to + 1).getTime()) / 2),
          series: name,
          value: b[key],
          label: rangeText(facts, b.from, b.to),
        });
      }
    }
    const plot = Plot.plot({
      ...opts,
      x: {
        type: "utc",
        label: null,
        tickFormat: timeTick,
        domain: [
          dateOf(facts, view.buckets[0].from),
          dateOf(facts, view.buckets[view.buckets.length - 1].to + 1),
        ],
      },
      y: { grid: true, label: null, ticks: 5, tickFormat: fmt.countShort },
      color: {
        domain: CHANGE_SERIES.map((s) => s[1]),
        range: CHANGE_SERIES.map((s) => COLORS[s[0]]),
        legend: true,
        style: { fontSize: "12px", fontFamily: FONT },
      },
      marks: [
        Plot.lineY(rows, { x: "mid", y: "value", stroke: "series", strokeWidth: 1.5 }),
        Plot.ruleY([0]),
        Plot.tip(
          rows,
          Plot.pointerX({
            x: "mid",
            y: "value",
            stroke: "series",
            title: (r) => `${r.label}\n${r.series}: ${fmt.count(r.value)}`,
          }),
        ),
      ],
    });
    addBrush(plot, opts);
    return plot;
  }

  /** Drag across a time series to zoom the whole page into that range. */
  function addBrush(plot, opts) {
    const x = plot.scale("x");
    // With a legend, Plot returns a figure: the chart is its own <svg> child.
    const svg = plot.tagName.toLowerCase() === "svg" ? plot : plot.querySelector(":scope > svg");
    if (!x || !svg) return;
    const scale = d3.scaleUtc().domain(x.domain).range(x.range);
    const brush = d3.brushX()
      .extent([[x.range[0], opts.marginTop], [x.range[1], opts.height - opts.marginBottom]])
      .on("end", (event) => {
        if (!event.selection) return;
        const { facts, filter } = state;
        const [a, b] = event.selection.map((px) => scale.invert(px));
        const from = Math.max(0, Math.floor(a.getTime() / 86_400_000) - facts.baseEpoch);
        const to = Math.min(
          facts.dayCount - 1,
          Math.ceil(b.getTime() / 86_400_000) - facts.baseEpoch - 1,
        );
        if (to < from) return;
        state.zoomStack.push({ from: filter.from, to: filter.to });
        filter.from = dayText(facts, from);
        filter.to = dayText(facts, Math.max(from, to));
        render();
      });
    d3.select(svg).append("g").attr("class", "brush").call(brush);
  }

  function hoursChart(view) {
    const { fmt } = state;
    const opts = baseOptions("hours", 220);
    const rows = Array.from(view.hours.invoices, (invoices, hour) => ({
      hour,
      invoices,
      cents: view.hours.revenueCents[hour],
    }));
    const step = opts.width < 520 ? 3 : opts.width < 760 ? 2 : 1;
    return Plot.plot({
      ...opts,
      marginLeft: 48,
      x: {
        type: "band",
        label: "Hour of day",
        labelAnchor: "center",
        labelOffset: 34,
        ticks: rows.filter((r) => r.hour % step === 0).map((r) => r.hour),
        tickFormat: (h) => String(h).padStart(2, "0"),
      },
      y: { grid: true, label: null, ticks: 4, tickFormat: fmt.countShort },
      marks: [
        Plot.barY(rows, { x: "hour", y: "invoices", fill: COLORS.current, fillOpacity: 0.8 }),
        Plot.ruleY([0]),
        Plot.tip(
          rows,
          Plot.pointerX({
            x: "hour",
            y: "invoices",
            title: (r) =>
              `${String(r.hour).padStart(2, "0")}:00–${String(r.hour).padStart(2, "0")}:59\n${
                fmt.count(r.invoices)
              } invoices, ${fmt.money(r.cents)}`,
          }),
        ),
      ],
    });
  }

  /** Horizontal bars, the name above each bar and the amount at its right. */
  function topChart(name, items, countWord) {
    const { fmt } = state;
    if (items.length === 0) return el("p", { class: "empty" }, "No sales in this selection");
    const rowHeight = 34;
    const width = Math.max(260, Math.floor(widths.get(name) || 400));
    const valueWidth = 92;
    const fontSize = 12;
    const rows = items.map((item, rank) => ({
      ...item,
      rank,
      amount: fmt.money(item.cents),
    }));
    return Plot.plot({
      width,
      height: rows.length * rowHeight + 4,
      marginLeft: 0,
      marginRight: 0,
      marginTop: 4,
      marginBottom: 0,
      style: { fontSize: `${fontSize}px`, fontFamily: FONT },
      x: { axis: null, domain: [0, rows[0].cents], range: [2, width - 2] },
      y: { axis: null, domain: rows.map((r) => r.rank), paddingInner: 0, paddingOuter: 0 },
      marks: [
        Plot.barX(rows, {
          x: "cents",
          y: "rank",
          fill: COLORS.current,
          fillOpacity: 0.75,
          insetTop: 19,
          insetBottom: 5,
          rx: 2,
        }),
        Plot.text(rows, {
          y: "rank",
          text: "name",
          frameAnchor: "left",
          textAnchor: "start",
          dy: -7,
          dx: 2,
          lineWidth: (width - valueWidth - 12) / fontSize,
          textOverflow: "ellipsis",
          fill: "#1f2937",
        }),
        Plot.text(rows, {
          y: "rank",
          text: "amount",
          frameAnchor: "right",
          textAnchor: "end",
          dy: -7,
          dx: -2,
          fill: "#374151",
        }),
        Plot.tip(
          rows,
          Plot.pointerY({
            x: "cents",
            y: "rank",
            title: (r) =>
              `${r.name}\n${r.amount}${
                r.count === null ? "" : ` · ${fmt.count(r.count)} ${countWord}`
              }`,
          }),
        ),
      ],
    });
  }

  function renderFreshness() {
    const { facts, fmt } = state;
    const fresh = freshness(facts);
    const rows = [
      ["Last simulated day", fresh.lastDay ? dateFormat.format(new Date(fresh.lastDay)) : "none"],
      [
        "Last run",
        fresh.lastRunAt
          ? `${dateTimeFormat.format(new Date(fresh.lastRunAt))} (${
            ago(fresh.lastRunAt, fresh.generatedAt)
          } at generation)`
          : "none",
      ],
      ["Simulated days", `${fmt.count(fresh.simulatedDays)} (${fmt.count(fresh.runs)} runs)`],
      ["Days missing between", fmt.count(fresh.missingDays)],
      [
        "First simulated day",
        fresh.firstDay ? dateFormat.format(new Date(fresh.firstDay)) : "none",
      ],
      [
        "History ends",
        fresh.lastHistoryDay ? dateFormat.format(new Date(fresh.lastHistoryDay)) : "unknown",
      ],
      ["Store time zone", fresh.timeZone ?? "unknown"],
      ["Generated", dateTimeFormat.format(new Date(fresh.generatedAt))],
    ];
    $("freshness").replaceChildren(
      ...rows.flatMap(([k, v]) => [
        el("dt", {}, k),
        el("dd", { "data-fresh": k.toLowerCase().replaceAll(" ", "-") }, v),
      ]),
    );
  }

  wireControls();
  return api;
}

/** Reads the embedded facts and draws the page. */
export async function start(options) {
  try {
    const dashboard = createDashboard(options);
    globalThis.dashboard = dashboard;
    await dashboard.load(JSON.parse($("dashboard-facts").textContent ?? "{}"));
    dashboard.render();
  } catch (error) {
    $("fatal").hidden = false;
    $("fatal").textContent = `The dashboard could not start: ${error.message ?? error}`;
    document.body.dataset.ready = "error";
    throw error;
  }
}
