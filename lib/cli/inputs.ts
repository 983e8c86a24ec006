/**
 * Inputs a command reads besides its flags: JSON files named by a flag
 * (--model, --manifest) and counts from stdin. Each problem is a UsageError
 * naming the flag or the stream.
 */
import { fstatSync } from "node:fs";
import { DEFAULT_MODEL, type DemandModel, ModelRangeError, resolveModel } from "../sim/demand.ts";
import type { Manifest } from "../sim/manifest.ts";
import { AUTO_COUNTS, type Requested } from "../sim/plan.ts";
import type { DayOptions } from "../sim/day_types.ts";
import { baseDayOptions, countsFromText, type DayFlag, STDIN_COUNTS } from "./day_options.ts";
import { readAtMost } from "./bounded_read.ts";
import { UsageError } from "./errors.ts";
import { promptLine } from "./output.ts";
import { fileErrorReason } from "./file_errors.ts";
import type { Settings } from "./settings.ts";

/** The largest input file read: a model is a few hundred bytes, a manifest of 2,000,000 invoices ~60 MB. */
export const MAX_INPUT_BYTES: Readonly<Record<string, number>> = {
  "--model": 1024 * 1024,
  "--manifest": 256 * 1024 * 1024,
};

/** Reads a text file named by a flag, refusing more than `max` bytes (/dev/zero, a wrong file). */
export async function readCappedText(flag: string, path: string, max: number): Promise<string> {
  let bytes: Uint8Array;
  try {
    using file = await Deno.open(path);
    const info = await file.stat();
    if (info.isDirectory) throw new Deno.errors.IsADirectory(path);
    bytes = await readAtMost(file.readable, max, () =>
      new UsageError(
        `Cannot read ${flag} "${path}": it is larger than ${
          (max / 1024 / 1024).toLocaleString("en-US")
        } MiB; give the right file`,
      ));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `Cannot read ${flag} "${path}": ${fileErrorReason(error)}; give the path of a JSON file`,
      { cause: error },
    );
  }
  return new TextDecoder().decode(bytes);
}

/** Reads a JSON file named by a flag; a missing or malformed file is a UsageError naming both. */
export async function readJsonFile(flag: string, path: string): Promise<unknown> {
  return parseJsonText(flag, path, await readCappedText(flag, path, MAX_INPUT_BYTES[flag]!));
}

function parseJsonText(flag: string, path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `Cannot read ${flag} "${path}": not valid JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
}

/** The line of `"key":` in a JSON text (1-based), when it is written plainly. */
export function lineOfKey(text: string, key: string): number | undefined {
  const at = text.search(
    new RegExp(`${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*:`),
  );
  return at < 0 ? undefined : text.slice(0, at).split("\n").length;
}

/** Reads --model: a JSON object of demand model parameters. */
export async function readModel(path: string | undefined): Promise<DemandModel> {
  if (path === undefined) return DEFAULT_MODEL;
  const text = await readCappedText("--model", path, MAX_INPUT_BYTES["--model"]!);
  const parsed = parseJsonText("--model", path, text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(
      `Cannot use --model "${path}": expected a JSON object of model parameters`,
    );
  }
  try {
    return resolveModel(parsed as Record<string, unknown>);
  } catch (error) {
    if (!(error instanceof ModelRangeError)) throw error;
    // Each problem with its line, so the fix is found at once.
    const where = error.problems.map((p) => {
      const line = lineOfKey(text, p.key);
      return line === undefined ? p.message : `line ${line}: ${p.message}`;
    });
    throw new UsageError(
      `Cannot use --model "${path}": ${
        where.join("; ")
      }; fix the file (the parameters and their ranges are in the README)`,
    );
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

/** Three counts fit in a few bytes; `yes "1 2 3" |` never ends. */
export const MAX_STDIN_BYTES = 4096;

/** Reads stdin up to `max` bytes; more is refused at once, without reading on. */
async function readStdinCapped(max: number): Promise<string> {
  const bytes = await readAtMost(Deno.stdin.readable, max, () =>
    new UsageError(
      `Cannot read the counts from stdin: more than ${
        max.toLocaleString("en-US")
      } bytes; pipe one line "${STDIN_COUNTS}"`,
    ), { keepOpen: true });
  return new TextDecoder().decode(bytes);
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
  const text = await readStdinCapped(MAX_STDIN_BYTES);
  return text.trim() === "" ? AUTO_COUNTS : countsFromText(text, "stdin");
}
