import {
  COMMON_FLAGS,
  COMMON_HELP,
  parseDayFlag,
  parseFlags,
  parseWholeNumber,
  rejectPositionals,
} from "../cli.ts";
import { prepare, withDatabase } from "../context.ts";
import { readReportData } from "../db/report_data.ts";
import { simulatorInstalled } from "../db/setup.ts";
import { ConfigError, UsageError } from "../errors.ts";
import { writeOut } from "../log.ts";
import { renderCsv, renderJson, renderText } from "../report/render.ts";
import {
  DEFAULT_DASHBOARD_PORT,
  serveDashboardLive,
  writeDashboard,
} from "../report/dashboard_run.ts";
import { addDays } from "../sim/calendar.ts";
import { printStatus } from "./status.ts";

export const summary = "Show the simulated store: per day, hour of day, genres, countries";

export const help = `chinook-sim report: ${summary}

Usage: chinook-sim report [--from DAY] [--to DAY] [--csv | --json | --html FILE]
       chinook-sim report --serve [--port N] [--from DAY] [--to DAY]
       chinook-sim report --last

Per day: invoices, lines, revenue, average sale, updates, cancellations, new
customers; the hour-of-day histogram of the last day; top genres and
countries. Default range: the last 7 simulated days.

Options:
  --from DAY            First day (default: 6 days before --to)
  --to DAY              Last day (default: the newest day in the ledger)
  --csv                 The per-day table as CSV on stdout
  --html FILE           Write the dashboard to FILE: one self-contained page that
                        works offline, with filters and charts over the whole
                        store; it opens on --from/--to (default: the simulated days)
  --serve               Serve the dashboard live from the database (read-only) on
                        127.0.0.1; it reloads its data when the database changes
  --port N              Port for --serve (default ${DEFAULT_DASHBOARD_PORT}; 0 = any free port)
  --last                What day was simulated last, and when (as "status")
${COMMON_HELP}`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags("report", args, {
    ...COMMON_FLAGS,
    from: { type: "string" },
    to: { type: "string" },
    csv: { type: "boolean" },
    html: { type: "string" },
    last: { type: "boolean" },
    serve: { type: "boolean" },
    port: { type: "string" },
  });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  rejectPositionals("report", positionals);
  const from = values.from === undefined ? undefined : parseDayFlag("--from", values.from);
  const to = values.to === undefined ? undefined : parseDayFlag("--to", values.to);
  if (from && to && to < from) {
    throw new UsageError(`--from ${from} is after --to ${to}: swap them`);
  }
  if ([values.csv, values.json, values.html !== undefined].filter(Boolean).length > 1) {
    throw new UsageError("Choose one of --csv, --json and --html");
  }
  if (values.html !== undefined && values.html.trim() === "") {
    throw new UsageError('Cannot use --html "": give the path of the HTML file to write');
  }
  if (values.port !== undefined && !values.serve) {
    throw new UsageError('--port goes with --serve: "chinook-sim report --serve --port 8080"');
  }
  if (values.serve && (values.csv || values.html !== undefined || values.last)) {
    throw new UsageError("Choose one of --serve, --csv, --html and --last");
  }
  const port = values.port === undefined
    ? DEFAULT_DASHBOARD_PORT
    : parseWholeNumber("--port", values.port, { min: 0, max: 65535 });
  const context = await prepare(values);
  if (values.serve) {
    await serveDashboardLive(context, { range: { from, to }, port });
    return 0;
  }
  if (values.last) {
    await printStatus(context);
    return 0;
  }
  if (values.html !== undefined) {
    await writeDashboard(context, values.html, { from, to });
    return 0;
  }
  const data = await withDatabase(context, async (db) => {
    if (!(await simulatorInstalled(db.sql))) {
      throw new ConfigError(`${db.target.display} is not set up: run "chinook-sim setup" first`);
    }
    const [row] = await db.sql<
      { last: string | null }[]
    >`SELECT max(sim_date)::text AS last FROM chinook_sim.ledger`;
    const end = to ?? row?.last ?? null;
    if (end === null) {
      throw new ConfigError('No day has been simulated yet: run "chinook-sim simulate" first');
    }
    const start = from ?? addDays(end, -6);
    if (end < start) throw new UsageError(`--from ${start} is after the last simulated day ${end}`);
    return await readReportData(db.sql, { from: start, to: end }, new Date());
  });
  if (values.csv) writeOut(renderCsv(data));
  else if (context.json) writeOut(renderJson(data));
  else writeOut(renderText(data, { color: context.color && Deno.stdout.isTerminal() }));
  return 0;
}
