/**
 * Flag parsing and value checks shared by every command. Bad input becomes
 * a UsageError with one line naming the flag, the value and the fix.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.ts";
import { checkTimeZone, parseDay } from "../sim/calendar.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** Flags every database command takes. */
export const COMMON_FLAGS = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
  verbose: { type: "boolean", short: "v" },
  "env-file": { type: "string" },
  "log-format": { type: "string" },
  "data-dir": { type: "string" },
  "lock-timeout": { type: "string" },
} as const satisfies Options;

export const COMMON_HELP = `Common options:
  --env-file PATH       Read configuration from PATH instead of ./.env
  --data-dir DIR        Embedded database directory (default .chinook-sim, env SIM_DATA_DIR)
  --lock-timeout SECS   Give up after waiting SECS seconds for a lock (default 60)
  --log-format FORMAT   text (default) or json; logs go to stderr (level: env LOG_LEVEL)
  --json                Print the result as JSON on stdout
  -v, --verbose         Show stack traces on errors
  -h, --help            Show this help`;

export function parseFlags<const T extends Options>(
  command: string,
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional.*$/s, "");
    throw new UsageError(`${message.replace(/'/g, '"')}: see "chinook-sim ${command} --help"`, {
      cause: error,
    });
  }
}

/** A whole number in ASCII digits within [min, max]. */
export function parseWholeNumber(
  flag: string,
  text: string,
  range: { min: number; max: number },
): number {
  const trimmed = text.trim();
  if (!/^[0-9]+$/.test(trimmed)) {
    throw new UsageError(`Cannot parse ${flag} "${text}": expected a whole number`);
  }
  const value = Number(trimmed);
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new UsageError(
      `Cannot use ${flag} "${text}": expected a whole number from ${range.min} to ${
        range.max.toLocaleString("en-US")
      }`,
    );
  }
  return value;
}

export function parseDayFlag(flag: string, text: string): string {
  try {
    return parseDay(text.trim());
  } catch (error) {
    throw new UsageError(`Cannot parse ${flag} "${text}": ${(error as Error).message}`);
  }
}

export function parseTimeZoneFlag(flag: string, text: string): string {
  try {
    return checkTimeZone(text.trim());
  } catch (error) {
    throw new UsageError(`Cannot use ${flag} "${text}": ${(error as Error).message}`);
  }
}

export function parseChoice<const T extends string>(
  flag: string,
  text: string,
  choices: readonly T[],
): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`Cannot use ${flag} "${text}": expected one of ${choices.join(", ")}`);
}

export function rejectPositionals(command: string, positionals: string[]): void {
  if (positionals.length > 0) {
    throw new UsageError(
      `Unexpected argument "${positionals[0]}": see "chinook-sim ${command} --help"`,
    );
  }
}

/** Reads a JSON file named by a flag; a missing or malformed file is a UsageError naming both. */
export async function readJsonFlag(flag: string, path: string): Promise<unknown> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "no such file"
      : error instanceof SyntaxError
      ? `not valid JSON (${error.message})`
      : (error as Error).message;
    throw new UsageError(`Cannot read ${flag} "${path}": ${reason}`, { cause: error });
  }
}
