/**
 * report: the simulated store per day, by hour, genre and country, as text,
 * CSV or JSON; or the dashboard: written to a file (--html) or served live
 * (--serve).
 */
import { type Context, defineCommand } from "../cli/command.ts";
import { ConfigError, UsageError } from "../cli/errors.ts";
import { writeTextFileWhole } from "../cli/files.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { listen } from "../cli/http.ts";
import { logger, writeOut } from "../cli/output.ts";
import { checkOutputFile } from "../cli/paths.ts";
import type { Settings } from "../cli/settings.ts";
import { untilStopped } from "../cli/signals.ts";
import { showStatus } from "../cli/status.ts";
import { type Database, withDatabase } from "../db/connect.ts";
import { type DashboardRange, dashboardVersion, readDashboardFacts } from "../db/dashboard_data.ts";
import { ledgerBounds, requireInstalled } from "../db/ledger.ts";
import { readReportData } from "../db/report_data.ts";
import { type EncodedFacts, encodeFacts } from "../report/dashboard_facts.ts";
import { renderDashboardPage } from "../report/dashboard_page.ts";
import { cachedSource, dashboardHandler } from "../report/dashboard_server.ts";
import { renderCsv, renderJson, renderText } from "../report/render.ts";
import { addDays, daysBetween } from "../sim/calendar.ts";

type Flag = "from" | "to" | "csv" | "html" | "serve" | "port" | "last" | "tz" | CommonFlag;

export interface ReportInput {
  flags: FlagValues<Flag>;
}

/** `report --serve` listens here unless --port says otherwise (serve's 5432 is PostgreSQL's). */
export const DASHBOARD_PORT = 8080;
/** The longest range reported (text, CSV, JSON, --html, --serve): 100 years. */
export const MAX_REPORT_DAYS = 36_525;
/** How often a served page asks whether the database changed. */
const REFRESH_SECONDS = 5;

/** A range of at most MAX_REPORT_DAYS, whether both ends were given or one comes from the data. */
function checkReportRange(from: string, to: string): void {
  if (daysBetween(from, to) + 1 > MAX_REPORT_DAYS) {
    throw new UsageError(
      `Cannot report ${from} to ${to}: ${
        (daysBetween(from, to) + 1).toLocaleString("en-US")
      } days, at most ${
        MAX_REPORT_DAYS.toLocaleString("en-US")
      } (100 years); narrow --from and --to`,
    );
  }
}

export function parse(args: string[]): ReportInput {
  const flags = parseFlags(command.name, command.flags, args);
  const { from, to } = flags;
  if (from && to && to < from) {
    throw new UsageError(`--from ${from} is after --to ${to}: swap them`);
  }
  if (from && to) checkReportRange(from, to);
  if ([flags.csv, flags.json, flags.html !== undefined].filter(Boolean).length > 1) {
    throw new UsageError("Choose one of --csv, --json and --html");
  }
  if (flags.html !== undefined && flags.html?.trim() === "") {
    throw new UsageError(
      `Cannot use --html "${flags.html}": give the path of the HTML file to write`,
    );
  }
  if (flags.port !== undefined && !flags.serve) {
    throw new UsageError(
      `--port goes with --serve: "chinook-sim report --serve --port ${DASHBOARD_PORT}"`,
    );
  }
  if (flags.serve && (flags.csv || flags.html !== undefined || flags.last)) {
    throw new UsageError("Choose one of --serve, --csv, --html and --last");
  }
  return { flags };
}

export async function run(_input: ReportInput, context: Context<Flag>): Promise<number> {
  const { settings } = context;
  if (settings.last) {
    await showStatus(settings);
    return 0;
  }
  const range = { from: settings.from, to: settings.to };
  if (settings.serve) return await serveDashboard(settings, range);
  if (settings.html !== undefined) {
    await checkOutputFile(settings.html, "--html");
    return await writeDashboard(settings, settings.html, range);
  }
  const data = await withDatabase(settings.target, async (db) => {
    await requireInstalled(db);
    const end = settings.to ?? (await ledgerBounds(db.sql)).last;
    if (end === null) {
      throw new ConfigError('No day has been simulated yet: run "chinook-sim simulate" first');
    }
    const start = settings.from ?? addDays(end, -6);
    if (end < start) throw new UsageError(`--from ${start} is after the last simulated day ${end}`);
    checkReportRange(start, end);
    return await readReportData(db.sql, { from: start, to: end }, new Date());
  });
  if (settings.csv) writeOut(renderCsv(data));
  else if (settings.json) writeOut(renderJson(data));
  else {
    const color = context.color && Deno.stdout.isTerminal();
    writeOut(renderText(data, { color }), { styled: color });
  }
  return 0;
}

/** The dashboard's facts, encoded for the page; the range must reach the data. */
async function dashboardFacts(db: Database, range: DashboardRange): Promise<EncodedFacts> {
  const facts = await readDashboardFacts(db.sql, range, new Date());
  if (range.from !== undefined && range.from > facts.lastDay) {
    throw new UsageError(`--from ${range.from} is after the last day with data, ${facts.lastDay}`);
  }
  if (range.from !== undefined) checkReportRange(range.from, range.to ?? facts.lastDay);
  return await encodeFacts(facts);
}

async function writeDashboard(
  settings: Settings<Flag>,
  path: string,
  range: DashboardRange,
): Promise<number> {
  const started = performance.now();
  const facts = await withDatabase(settings.target, async (db) => {
    await requireInstalled(db);
    return await dashboardFacts(db, range);
  });
  const page = renderDashboardPage(facts);
  try {
    await writeTextFileWhole(path, page);
  } catch (error) {
    throw new Error(
      `Cannot write the dashboard to "${path}": ${
        (error as Error).message
      }; check that its folder exists and is writable`,
      { cause: error },
    );
  }
  logger("report").info(
    "Dashboard written to {path}: {bytes} bytes, {invoices} invoices, {ms} ms",
    {
      path,
      bytes: new TextEncoder().encode(page).length,
      invoices: facts.counts.invoices,
      ms: Math.round(performance.now() - started),
    },
  );
  if (settings.json) {
    writeOut(
      JSON.stringify({ html: path, from: facts.initialRange.from, to: facts.initialRange.to }),
    );
  }
  return 0;
}

async function serveDashboard(settings: Settings<Flag>, range: DashboardRange): Promise<number> {
  const log = logger("report");
  await withDatabase(settings.target, async (db) => {
    await requireInstalled(db);
    const facts = cachedSource({
      version: () => dashboardVersion(db.sql),
      facts: () => dashboardFacts(db, range),
    });
    // Read before listening: a wrong range fails here, and the first page is ready.
    await facts.current();
    const server = await listen(
      dashboardHandler(facts, {
        refreshSeconds: REFRESH_SECONDS,
        onError: (error) =>
          log.error("Cannot serve the dashboard: {error}", { error: (error as Error).message }),
      }),
      { hostname: "127.0.0.1", port: settings.port },
    );
    // The embedded database is served too: a simulation can write through it meanwhile.
    const databaseUrl = db.target.kind === "embedded" ? db.url ?? null : null;
    if (settings.json) writeOut(JSON.stringify({ url: server.url, databaseUrl }));
    else {
      writeOut(
        `Serving the dashboard at ${server.url} (read-only; Ctrl-C to stop)` +
          (databaseUrl
            ? `\nOther commands can write to the embedded database meanwhile: DATABASE_URL=${databaseUrl}`
            : ""),
      );
    }
    log.info("Serving the dashboard at {url}", { url: server.url });
    await untilStopped();
    log.info("Stopping the dashboard");
    await server.shutdown();
  }, { serving: true });
  return 0;
}

export const command = defineCommand<Flag, ReportInput>({
  name: "report",
  summary: "Show the simulated store: per day, hour, genre and country; or its dashboard",
  usage: [
    "chinook-sim report [--from DAY] [--to DAY] [--csv | --json | --html FILE]",
    "chinook-sim report --serve [--port N] [--from DAY] [--to DAY]",
    "chinook-sim report --last",
  ],
  description: `
Per day: invoices, lines, revenue, average sale, updates, cancellations, new
customers; the hour-of-day histogram of the last day; top genres and
countries. Default range: the last 7 simulated days (--to: the newest day in
the ledger; --from: 6 days before --to).

--html FILE and --serve give the dashboard instead: filters and charts over
the whole store, opening on --from/--to (default: the simulated days).`,
  groups: [{ title: "Options", flags: ["from", "to", "csv", "html", "serve", "port", "last"] }],
  envOnly: ["tz"],
  defaults: { port: DASHBOARD_PORT },
  parse,
  run,
});
