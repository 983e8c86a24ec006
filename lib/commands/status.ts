import { COMMON_FLAGS, COMMON_HELP, parseFlags, rejectPositionals } from "../cli/flags.ts";
import { prepare, withDatabase } from "../cli/context.ts";
import { readStatus } from "../db/ledger.ts";
import { renderStatus } from "../report/status.ts";
import { writeOut } from "../cli/output.ts";

export const summary = "What day was simulated last, and when";

export const help = `chinook-sim status: ${summary}

Usage: chinook-sim status [--json]

Prints the newest simulated day, when it was written, the number of days in
the ledger, gaps between them, and where the history ends. The same as
"chinook-sim report --last".

${COMMON_HELP}`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags("status", args, COMMON_FLAGS);
  if (values.help) {
    writeOut(help);
    return 0;
  }
  rejectPositionals("status", positionals);
  const context = await prepare(values);
  writeOut(renderStatus(await withDatabase(context, readStatus), context.json));
  return 0;
}
