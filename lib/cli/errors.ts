/**
 * Errors that `main` maps to exit codes. Everything else is a runtime
 * failure (exit 1): nothing was written.
 */

import { ModelRangeError } from "../sim/demand.ts";

/** Bad command-line input: unknown flag, malformed value, missing argument. Exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Bad or missing configuration: DATABASE_URL, .env, a database that is not Chinook. Exit 3. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Something failed after a commit: what was committed stays, and the
 * message says exactly what was committed and what was not done. Exit 4.
 */
export class CommittedIncompleteError extends Error {
  override name = "CommittedIncompleteError";
}

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 3,
  /** Committed, but not complete: a manifest not written, a later day failed (the message says). */
  committedIncomplete: 4,
  /** Stopped by Ctrl-C (SIGINT): what was committed stays, the rest was not written. */
  interrupted: 130,
} as const;

export function exitCodeFor(error: unknown): number {
  // A --model whose volumes pass the caps on the day asked for: bad input too.
  if (error instanceof UsageError || error instanceof ModelRangeError) return ExitCode.usage;
  if (error instanceof ConfigError) return ExitCode.config;
  if (error instanceof CommittedIncompleteError) return ExitCode.committedIncomplete;
  return ExitCode.failure;
}
