/** status: the newest simulated day, when it was written, gaps, where the history ends. */
import { type Context, defineCommand } from "../cli/command.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { writeOut } from "../cli/output.ts";
import { withDatabase } from "../db/connect.ts";
import { readStatus } from "../db/ledger.ts";
import { renderStatus } from "../report/status.ts";

type Flag = CommonFlag;

export interface StatusInput {
  flags: FlagValues<Flag>;
}

export function parse(args: string[]): StatusInput {
  return { flags: parseFlags(command.name, command.flags, args) };
}

export async function run(_input: StatusInput, { settings }: Context<Flag>): Promise<number> {
  writeOut(renderStatus(await withDatabase(settings.target, readStatus), settings.json));
  return 0;
}

export const command = defineCommand<Flag, StatusInput>({
  name: "status",
  summary: "What day was simulated last, and when",
  usage: ["chinook-sim status [--json]"],
  description: `
Prints the newest simulated day, when it was written, the number of days in
the ledger, gaps between them, and where the history ends. The same as
"chinook-sim report --last".`,
  groups: [],
  parse,
  run,
});
