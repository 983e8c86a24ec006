/** expect: the answer key a correct warehouse matches, as it stood at the end of a day. */
import { type Context, defineCommand } from "../cli/command.ts";
import { UsageError } from "../cli/errors.ts";
import { writeTextFileWhole } from "../cli/files.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { logger, writeOut } from "../cli/output.ts";
import { fileErrorReason } from "../cli/file_errors.ts";
import { withDatabase } from "../db/connect.ts";
import {
  answerKey,
  CHANGE_COLUMNS,
  CUSTOMER_COLUMNS,
  type CustomerVersion,
  FACT_COLUMNS,
  type LineFact,
  SALES_COLUMNS,
  type SalesFact,
  type TableChanges,
} from "../db/expect.ts";
import { ledgerBounds, requireInstalled } from "../db/ledger.ts";
import { type AnswerPart, renderPart } from "../report/answer_key.ts";

type Flag = "from" | "to" | "out" | "as-of" | "format" | CommonFlag;

export interface ExpectInput {
  flags: FlagValues<Flag>;
  from: string;
  to: string;
  out: string;
  asOf?: string;
}

export function parse(args: string[]): ExpectInput {
  const flags = parseFlags(command.name, command.flags, args);
  const missing = (["from", "to", "out"] as const).filter((f) => !flags[f]);
  if (missing.length > 0) {
    throw new UsageError(
      `Cannot write the answer key: ${
        missing.map((f) => `--${f}`).join(", ")
      } missing; see "chinook-sim expect --help"`,
    );
  }
  const { from, to, out } = flags as { from: string; to: string; out: string };
  if (to < from) {
    throw new UsageError(`Cannot use --from "${from}": it is after --to ${to}; swap them`);
  }
  const format = flags.format;
  if (format && format !== "csv" && format !== "json") {
    throw new UsageError(
      `Cannot use --format "${format}" for the answer key: expected csv or json`,
    );
  }
  const asOf = flags["as-of"] ?? undefined;
  if (asOf !== undefined && asOf < to) {
    throw new UsageError(
      `Cannot use --as-of "${asOf}": it is before --to ${to}, whose days did not end yet; give --as-of ${to} or later`,
    );
  }
  return { flags, from, to, out, asOf };
}

/**
 * Checked before any query: --out is a directory, or can be made under its
 * nearest existing ancestor (made only once the answer is ready: a failed
 * run creates nothing).
 */
async function checkOut(dir: string): Promise<void> {
  let path = dir;
  for (;;) {
    try {
      const info = await Deno.stat(path);
      if (info.isDirectory) return;
      throw new UsageError(
        path === dir
          ? `Cannot write to --out "${dir}": it is a file; give a directory`
          : `Cannot write to --out "${dir}": "${path}" is a file; give a directory`,
      );
    } catch (error) {
      // Under a file, stat says "not a directory": the ancestors tell which.
      if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) {
        if (error instanceof UsageError) throw error;
        throw new UsageError(
          `Cannot write to --out "${dir}": ${fileErrorReason(error)}; give another directory`,
        );
      }
    }
    const parent = path.replace(/\/+$/, "").replace(/[^/]*$/, "").replace(/\/+$/, "");
    if (parent === "" || parent === path) return;
    path = parent;
  }
}

export async function run(input: ExpectInput, { settings }: Context<Flag>): Promise<number> {
  await checkOut(input.out);
  const key = await withDatabase(settings.target, async (db) => {
    await requireInstalled(db);
    const { last } = await ledgerBounds(db.sql);
    // By default the answer now: the end of the newest simulated day (or of --to, if later).
    const asOf = input.asOf ?? (last !== null && last > input.to ? last : input.to);
    logger("expect").info("Answer key for {from} to {to} as of the end of {asOf}", {
      from: input.from,
      to: input.to,
      asOf,
    });
    return await answerKey(db.sql, { from: input.from, to: input.to, asOf });
  });
  const parts = [
    { name: "daily_sales", columns: SALES_COLUMNS, rows: key.sales } as AnswerPart<SalesFact>,
    { name: "fact_sales", columns: FACT_COLUMNS, rows: key.lines } as AnswerPart<LineFact>,
    {
      name: "dim_customer",
      columns: CUSTOMER_COLUMNS,
      rows: key.customers,
    } as AnswerPart<CustomerVersion>,
    { name: "table_changes", columns: CHANGE_COLUMNS, rows: key.changes } as AnswerPart<
      TableChanges
    >,
  ];
  await Deno.mkdir(input.out, { recursive: true });
  const files: Array<{ file: string; rows: number }> = [];
  for (const part of parts) {
    const { file, text } = renderPart(
      part as AnswerPart<unknown>,
      settings.format as "csv" | "json",
    );
    await writeTextFileWhole(`${input.out}/${file}`, text);
    files.push({ file, rows: part.rows.length });
  }
  const summary = {
    command: "expect",
    from: key.from,
    to: key.to,
    asOf: key.asOf,
    out: input.out,
    format: settings.format,
    files,
  };
  writeOut(
    settings.json ? JSON.stringify(summary) : [
      `Answer key for ${key.from} to ${key.to} as of the end of ${key.asOf}, in ${input.out}:`,
      ...files.map((f) => `  ${f.file}: ${f.rows} rows`),
    ].join("\n"),
  );
  return 0;
}

export const command = defineCommand<Flag, ExpectInput>({
  name: "expect",
  summary: "Write the answer key: what a correct warehouse holds at the end of a day",
  usage: [
    "chinook-sim expect --from DAY --to DAY --out DIR [--as-of DAY] [--format csv|json]",
  ],
  description: `
Writes, from the tables, the ledger and the change log, what a correct
warehouse holds at the end of --as-of (default: the newest simulated day);
changes made by later days are left out, using their before-images, so an
earlier day's answer never changes.

daily_sales: per day (InvoiceDate) x billing country x genre of the days
--from to --to: invoices, lines, revenue (each line's UnitPrice x Quantity,
so an invoice's revenue is split across genres by its lines) and the day's
invoices cancelled or deleted by then (counted under the genres of the lines
they had). fact_sales: the lines of those days' invoices, as the warehouse
contract's fact table holds them. dim_customer: the customer dimension as SCD Type 2, one row per
version (valid_from inclusive, valid_to exclusive, 9999-12-31 and is_current
for the current one; customers from before the first simulated day start on
1900-01-01). table_changes: rows inserted, updated and deleted per day and
table. Nothing is written to the database.`,
  groups: [{ title: "Options", flags: ["from", "to", "out", "as-of", "format"] }],
  parse,
  run,
});
