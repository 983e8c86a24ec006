import {
  COMMON_FLAGS,
  COMMON_HELP,
  parseDayFlag,
  parseFlags,
  rejectPositionals,
} from "../cli/flags.ts";
import { prepare, withDatabase } from "../cli/context.ts";
import { readReportData } from "../db/report_data.ts";
import { ledgerBounds, readStatus, requireInstalled } from "../db/ledger.ts";
import { ConfigError, UsageError } from "../cli/errors.ts";
import { logger, writeOut } from "../cli/output.ts";
import { renderCsv, renderHtml, renderJson, renderText } from "../report/render.ts";
import { renderStatus } from "../report/status.ts";
import { addDays } from "../sim/calendar.ts";

export const summary = "Show the simulated store: per day, hour of day, genres, countries";

export const help = `chinook-sim report: ${summary}

Usage: chinook-sim report [--from DAY] [--to DAY] [--csv | --json | --html FILE]
       chinook-sim report --last

Per day: invoices, lines, revenue, average sale, updates, cancellations, new
customers; the hour-of-day histogram of the last day; top genres and
countries. Default range: the last 7 simulated days.

Options:
  --from DAY            First day (default: 6 days before --to)
  --to DAY              Last day (default: the newest day in the ledger)
  --csv                 The per-day table as CSV on stdout
  --html FILE           Write one self-contained HTML page with charts to FILE
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
  const context = await prepare(values);
  if (values.last) {
    writeOut(renderStatus(await withDatabase(context, readStatus), context.json));
    return 0;
  }
  const data = await withDatabase(context, async (db) => {
    await requireInstalled(db);
    const end = to ?? (await ledgerBounds(db.sql)).last;
    if (end === null) {
      throw new ConfigError('No day has been simulated yet: run "chinook-sim simulate" first');
    }
    const start = from ?? addDays(end, -6);
    if (end < start) throw new UsageError(`--from ${start} is after the last simulated day ${end}`);
    return await readReportData(db.sql, { from: start, to: end }, new Date());
  });
  if (values.html !== undefined) {
    await Deno.writeTextFile(values.html, renderHtml(data));
    logger("report").info("Report written to {path}", { path: values.html });
    if (context.json) writeOut(JSON.stringify({ html: values.html, from: data.from, to: data.to }));
    return 0;
  }
  if (values.csv) writeOut(renderCsv(data));
  else if (context.json) writeOut(renderJson(data));
  else writeOut(renderText(data, { color: context.color && Deno.stdout.isTerminal() }));
  return 0;
}
