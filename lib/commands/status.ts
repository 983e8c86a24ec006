/** status: the newest simulated day, when it was written, gaps, where the history ends. */
import { type Context, defineCommand } from "../cli/command.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { showStatus } from "../cli/status.ts";

type Flag = "tz" | CommonFlag;

export interface StatusInput {
  flags: FlagValues<Flag>;
}

export function parse(args: string[]): StatusInput {
  return { flags: parseFlags(command.name, command.flags, args) };
}

export async function run(_input: StatusInput, { settings }: Context<Flag>): Promise<number> {
  await showStatus(settings);
  return 0;
}

export const command = defineCommand<Flag, StatusInput>({
  name: "status",
  summary: "What day was simulated last, and when",
  usage: ["chinook-sim status [--json]"],
  description: `
Prints the newest simulated day, when it was written, the number of days in
the ledger, gaps between them, and where the history ends; warns about days
in the ledger after yesterday in the store's time zone. The same as
"chinook-sim report --last".`,
  groups: [{ title: "Options", flags: ["tz"] }],
  parse,
  run,
});
