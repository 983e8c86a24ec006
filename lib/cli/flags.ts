/**
 * A command line, parsed by the flag table (flag_table.ts, re-exported here):
 * node:util parseArgs splits it, each flag's own parser checks its value.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { type FlagName, FLAGS, type FlagSpec, type FlagValues } from "./flag_table.ts";
import { UsageError } from "./errors.ts";

export * from "./flag_table.ts";

/** node:util parseArgs options for `names`. */
export function parseArgsOptions(names: readonly FlagName[]) {
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const name of names) {
    const spec: FlagSpec<unknown> = FLAGS[name];
    options[name] = spec.short ? { type: spec.type, short: spec.short } : { type: spec.type };
  }
  return options;
}

/** Splits a command line into its flags' texts; unknown flags and stray arguments are usage errors. */
export function tokenize(
  command: string,
  names: readonly FlagName[],
  args: string[],
): Partial<Record<FlagName, string | boolean>> {
  try {
    return parseArgs({ args, options: parseArgsOptions(names), strict: true }).values as Partial<
      Record<FlagName, string | boolean>
    >;
  } catch (error) {
    // node:util's message, on one line: a value that starts with a dash gets three.
    const message = (error as Error).message.replace(/\. To specify a positional.*$/s, "")
      .replace(/\s*\n\s*/g, " ").replace(/\.$/, "");
    throw new UsageError(`${message.replace(/'/g, '"')}: see "chinook-sim ${command} --help"`, {
      cause: error,
    });
  }
}

/** Parses a command line: each flag's text through its parser, in the order given. Pure. */
export function parseFlags<const N extends FlagName>(
  command: string,
  names: readonly N[],
  args: string[],
): FlagValues<N> {
  const values: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(tokenize(command, names, args))) {
    const spec: FlagSpec<unknown> = FLAGS[name as N];
    values[name] = typeof raw === "boolean" ? raw : spec.parse(raw, `--${name}`);
  }
  return values as FlagValues<N>;
}
