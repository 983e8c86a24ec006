/**
 * Where the Chinook catalogue comes from, in order: --chinook-sql FILE|URL,
 * env CHINOOK_SQL, the public PostgreSQL sample, and, when none can be had
 * (offline), a synthetic Chinook-compatible catalogue.
 */
import { ConfigError } from "../cli/errors.ts";
import { logger } from "../cli/output.ts";
import { type DumpPart, parseDump } from "./pg_dump.ts";

/** The Chinook pg_dump published with the PostgreSQL sample databases for Neon. */
export const PUBLIC_CHINOOK_URL =
  "https://raw.githubusercontent.com/neondatabase/postgres-sample-dbs/main/chinook.sql";

/** Asks for the synthetic catalogue explicitly (also what an offline run falls back to). */
export const SYNTHETIC = "synthetic";

const DOWNLOAD_TIMEOUT_MS = 20_000;

export interface ChinookSource {
  parts: DumpPart[];
  origin: string;
  synthetic: boolean;
}

export async function loadChinookSource(
  spec: string | undefined,
  options: { seed: string; lastHistoryDay?: string },
): Promise<ChinookSource> {
  const log = logger("setup");
  if (spec === SYNTHETIC) return synthetic(options);
  if (spec !== undefined && spec.trim() !== "") {
    const text = /^https?:\/\//i.test(spec) ? await download(spec) : await readFile(spec);
    return { parts: parse(text, spec), origin: spec, synthetic: false };
  }
  try {
    log.info("Downloading the Chinook sample from {url}", { url: PUBLIC_CHINOOK_URL });
    const text = await download(PUBLIC_CHINOOK_URL);
    return { parts: parse(text, PUBLIC_CHINOOK_URL), origin: PUBLIC_CHINOOK_URL, synthetic: false };
  } catch (error) {
    log.warn(
      "Cannot download the Chinook sample ({reason}); using a synthetic Chinook-compatible catalogue instead. " +
        "To load the real one, download {url} and run setup on an empty database with --chinook-sql FILE (or env CHINOOK_SQL)",
      { reason: (error as Error).message, url: PUBLIC_CHINOOK_URL },
    );
    return synthetic(options);
  }
}

async function synthetic(
  options: { seed: string; lastHistoryDay?: string },
): Promise<ChinookSource> {
  // Loaded only when needed: most runs never generate a catalogue.
  const { syntheticChinookSql } = await import("./synthetic/dump.ts");
  const text = syntheticChinookSql({ seed: options.seed, lastHistoryDay: options.lastHistoryDay });
  return { parts: parseDump(text), origin: "synthetic catalogue", synthetic: true };
}

function parse(text: string, origin: string): DumpPart[] {
  try {
    const parts = parseDump(text);
    if (!parts.some((p) => p.kind === "copy")) throw new SyntaxError("it has no COPY data blocks");
    return parts;
  } catch (error) {
    throw new ConfigError(
      `Cannot read ${origin} as a Chinook pg_dump file: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

async function readFile(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "no such file"
      : error instanceof Deno.errors.IsADirectory
      ? "it is a directory"
      : (error as Error).message;
    throw new ConfigError(
      `Cannot read --chinook-sql "${path}": ${reason}; give the path of a Chinook pg_dump file`,
      { cause: error },
    );
  }
}

async function download(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    throw new ConfigError(`Cannot download ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ConfigError(`Cannot download ${url}: HTTP ${response.status}`);
  }
  return await response.text();
}
