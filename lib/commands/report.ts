/** report: the simulated store per day, by hour, genre and country; as text, CSV, JSON or HTML. */
import { type Context, defineCommand } from "../cli/command.ts";
import { ConfigError, UsageError } from "../cli/errors.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { logger, writeOut } from "../cli/output.ts";
import { checkOutputFile } from "../cli/paths.ts";
import { showStatus } from "../cli/status.ts";
import { withDatabase } from "../db/connect.ts";
import { ledgerBounds, requireInstalled } from "../db/ledger.ts";
import { readReportData } from "../db/report_data.ts";
import { renderCsv, renderHtml, renderJson, renderText } from "../report/render.ts";
import { addDays } from "../sim/calendar.ts";

type Flag = "from" | "to" | "csv" | "html" | "last" | "tz" | CommonFlag;

export interface ReportInput {
  flags: FlagValues<Flag>;
}

export function parse(args: string[]): ReportInput {
  const flags = parseFlags(command.name, command.flags, args);
  const { from, to } = flags;
  if (from && to && to < from) {
    throw new UsageError(`--from ${from} is after --to ${to}: swap them`);
  }
  if ([flags.csv, flags.json, flags.html !== undefined].filter(Boolean).length > 1) {
    throw new UsageError("Choose one of --csv, --json and --html");
  }
  if (flags.html !== undefined && flags.html?.trim() === "") {
    throw new UsageError('Cannot use --html "": give the path of the HTML file to write');
  }
  return { flags };
}

export async function run(_input: ReportInput, context: Context<Flag>): Promise<number> {
  const { settings } = context;
  if (settings.last) {
    await showStatus(settings);
    return 0;
  }
  if (settings.html !== undefined) await checkOutputFile(settings.html, "--html");
  const data = await withDatabase(settings.target, async (db) => {
    await requireInstalled(db);
    const end = settings.to ?? (await ledgerBounds(db.sql)).last;
    if (end === null) {
      throw new ConfigError('No day has been simulated yet: run "chinook-sim simulate" first');
    }
    const start = settings.from ?? addDays(end, -6);
    if (end < start) throw new UsageError(`--from ${start} is after the last simulated day ${end}`);
    return await readReportData(db.sql, { from: start, to: end }, new Date());
  });
  if (settings.html !== undefined) {
    await Deno.writeTextFile(settings.html, renderHtml(data));
    logger("report").info("Report written to {path}", { path: settings.html });
    if (settings.json) {
      writeOut(JSON.stringify({ html: settings.html, from: data.from, to: data.to }));
    }
    return 0;
  }
  if (settings.csv) writeOut(renderCsv(data));
  else if (settings.json) writeOut(renderJson(data));
  else writeOut(renderText(data, { color: context.color && Deno.stdout.isTerminal() }));
  return 0;
}

export const command = defineCommand<Flag, ReportInput>({
  name: "report",
  summary: "Show the simulated store: per day, hour of day, genres, countries",
  usage: [
    "chinook-sim report [--from DAY] [--to DAY] [--csv | --json | --html FILE]",
    "chinook-sim report --last",
  ],
  description: `
Per day: invoices, lines, revenue, average sale, updates, cancellations, new
customers; the hour-of-day histogram of the last day; top genres and
countries. Default range: the last 7 simulated days (--to: the newest day in
the ledger; --from: 6 days before --to).`,
  groups: [{ title: "Options", flags: ["from", "to", "csv", "html", "last"] }],
  envOnly: ["tz"],
  parse,
  run,
});
