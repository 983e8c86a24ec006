/**
 * Where the Chinook catalogue comes from, in order: --chinook-sql FILE|URL,
 * env CHINOOK_SQL, the public PostgreSQL sample, and, when none can be had
 * (offline), a synthetic Chinook-compatible catalogue.
 */
import { readAtMost } from "../cli/bounded_read.ts";
import { ConfigError } from "../cli/errors.ts";
import { logger } from "../cli/output.ts";
import { fileErrorReason } from "../cli/file_errors.ts";
import { type DumpPart, DumpRefusedError, parseDump } from "./pg_dump.ts";
import { PUBLIC_CHINOOK_SHA256, PUBLIC_CHINOOK_URL, SYNTHETIC } from "./source_names.ts";

export { PUBLIC_CHINOOK_SHA256, PUBLIC_CHINOOK_URL, SYNTHETIC } from "./source_names.ts";

/** The largest dump read (file or download): the sample is 0.4 MB; /dev/zero never ends. */
export const MAX_DUMP_BYTES = 32 * 1024 * 1024;

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
    const bytes = /^https?:\/\//i.test(spec) ? await download(spec) : await readFile(spec);
    return { parts: parse(bytes, spec), origin: spec, synthetic: false };
  }
  let bytes: Uint8Array;
  try {
    log.info("Downloading the Chinook sample from {url}", { url: PUBLIC_CHINOOK_URL });
    bytes = await download(PUBLIC_CHINOOK_URL);
  } catch (error) {
    log.warn(
      "Cannot download the Chinook sample ({reason}); using a synthetic Chinook-compatible catalogue instead. " +
        "To load the real one, download {url} and run setup on an empty database with --chinook-sql FILE (or env CHINOOK_SQL)",
      { reason: (error as Error).message, url: PUBLIC_CHINOOK_URL },
    );
    return synthetic(options);
  }
  // A changed file is not a network failure: never fall back quietly, never load it.
  const digest = await sha256(bytes);
  if (digest !== PUBLIC_CHINOOK_SHA256) {
    throw new ConfigError(
      `Cannot load the Chinook sample "${PUBLIC_CHINOOK_URL}": its sha256 is ${digest}, expected ${PUBLIC_CHINOOK_SHA256}; ` +
        "nothing was executed: download a Chinook pg_dump you trust and pass it with --chinook-sql FILE",
    );
  }
  return {
    parts: parse(bytes, PUBLIC_CHINOOK_URL),
    origin: PUBLIC_CHINOOK_URL,
    synthetic: false,
  };
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function synthetic(
  options: { seed: string; lastHistoryDay?: string },
): Promise<ChinookSource> {
  // Loaded only when needed: most runs never generate a catalogue.
  const { syntheticChinookSql } = await import("./synthetic/dump.ts");
  const text = syntheticChinookSql({ seed: options.seed, lastHistoryDay: options.lastHistoryDay });
  return { parts: parseDump(text), origin: "synthetic catalogue", synthetic: true };
}

const ALLOWED =
  "only the Chinook tables' CREATE TABLE/INDEX, ALTER TABLE … ADD CONSTRAINT and COPY … FROM stdin are loaded";

/** Parses and checks the whole dump before anything of it runs. */
function parse(bytes: Uint8Array, origin: string): DumpPart[] {
  const fail = (why: string, cause?: unknown): never => {
    throw new ConfigError(`Cannot load --chinook-sql "${origin}": ${why}`, { cause });
  };
  let text = "";
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    fail("it is not UTF-8 text; give a plain-text Chinook pg_dump file", error);
  }
  try {
    const parts = parseDump(text);
    if (!parts.some((p) => p.kind === "copy")) throw new SyntaxError("it has no COPY data blocks");
    return parts;
  } catch (error) {
    if (error instanceof DumpRefusedError) {
      return fail(
        `line ${error.line}: "${error.excerpt}" ${error.why}; nothing was executed: give an unmodified Chinook pg_dump file (${ALLOWED})`,
        error,
      );
    }
    return fail(
      `${
        (error as Error).message
      }; give a plain-text Chinook pg_dump file (pg_dump --format=plain)`,
      error,
    );
  }
}

function tooLarge(origin: string): ConfigError {
  return new ConfigError(
    `Cannot load --chinook-sql "${origin}": it is larger than ${
      MAX_DUMP_BYTES / 1024 / 1024
    } MiB, far more than a Chinook dump; give a Chinook pg_dump file`,
  );
}

/** Reads a stream up to MAX_DUMP_BYTES, stopping as soon as it is more. */
function readCapped(stream: ReadableStream<Uint8Array>, origin: string): Promise<Uint8Array> {
  return readAtMost(stream, MAX_DUMP_BYTES, () => tooLarge(origin));
}

async function readFile(path: string): Promise<Uint8Array> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
    if ((await file.stat()).isDirectory) {
      file.close();
      throw new Deno.errors.IsADirectory(path);
    }
  } catch (error) {
    throw new ConfigError(
      `Cannot read --chinook-sql "${path}": ${
        fileErrorReason(error)
      }; give the path of a Chinook pg_dump file`,
      { cause: error },
    );
  }
  return await readCapped(file.readable, path);
}

async function download(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (error) {
    throw new ConfigError(`Cannot download ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw new ConfigError(`Cannot download ${url}: HTTP ${response.status}`);
  }
  const length = Number(response.headers.get("content-length") ?? "0");
  if (length > MAX_DUMP_BYTES) {
    await response.body.cancel();
    throw tooLarge(url);
  }
  return await readCapped(response.body, url);
}
