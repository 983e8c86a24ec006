/**
 * Inputs a command reads besides its flags: JSON files named by a flag
 * (--model, --manifest) and counts from stdin. Each problem is a UsageError
 * naming the flag or the stream.
 */
import { fstatSync } from "node:fs";
import { DEFAULT_MODEL, type DemandModel, resolveModel } from "../sim/demand.ts";
import type { Manifest } from "../sim/manifest.ts";
import { AUTO_COUNTS, type Requested } from "../sim/plan.ts";
import type { DayOptions } from "../sim/day_types.ts";
import { baseDayOptions, countsFromText, type DayFlag, STDIN_COUNTS } from "./day_options.ts";
import { UsageError } from "./errors.ts";
import { promptLine } from "./output.ts";
import type { Settings } from "./settings.ts";

/** Reads a JSON file named by a flag; a missing or malformed file is a UsageError naming both. */
export async function readJsonFile(flag: string, path: string): Promise<unknown> {
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

/** Reads --model: a JSON object of demand model parameters. */
export async function readModel(path: string | undefined): Promise<DemandModel> {
  if (path === undefined) return DEFAULT_MODEL;
  const parsed = await readJsonFile("--model", path);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(
      `Cannot use --model "${path}": expected a JSON object of model parameters`,
    );
  }
  try {
    return resolveModel(parsed as Record<string, unknown>);
  } catch (error) {
    throw new UsageError(`Cannot use --model "${path}": ${(error as Error).message}`);
  }
}

/** Everything about a day but its date and counts, with --model read. */
export async function readDayOptions(
  settings: Settings<DayFlag>,
): Promise<Omit<DayOptions, "day" | "requested">> {
  return baseDayOptions(settings, await readModel(settings.model));
}

/** Reads --manifest: a day's change manifest as written by chinook-sim. */
export async function readManifest(path: string): Promise<Manifest> {
  const parsed = await readJsonFile("--manifest", path) as Manifest | null;
  if (parsed?.format !== "chinook-sim/manifest@1") {
    throw new UsageError(
      `Cannot use --manifest "${path}": not a chinook-sim manifest (format chinook-sim/manifest@1)`,
    );
  }
  return parsed;
}

/**
 * Counts from a pipe or file on stdin (the original tool's interface), a
 * prompt on a terminal, and "auto" otherwise (scheduled runs: /dev/null).
 */
export async function countsFromStdin(): Promise<Requested> {
  if (Deno.stdin.isTerminal()) {
    const answer = promptLine(`Counts "${STDIN_COUNTS}" (empty for the demand model): `);
    return answer === null || answer.trim() === ""
      ? AUTO_COUNTS
      : countsFromText(answer, "the prompt");
  }
  const info = fstatSync(0);
  if (!info.isFile() && !info.isFIFO()) return AUTO_COUNTS;
  const text = await new Response(Deno.stdin.readable).text();
  return text.trim() === "" ? AUTO_COUNTS : countsFromText(text, "stdin");
}
