/**
 * Errors that `main` maps to exit codes. Everything else is a runtime
 * failure (exit 1).
 */

/** Bad command-line input: unknown flag, malformed value, missing argument. Exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Bad or missing configuration: DATABASE_URL, .env, a database that is not Chinook. Exit 3. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 3,
  /** Stopped by Ctrl-C (SIGINT): what was committed stays, the rest was not written. */
  interrupted: 130,
} as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return ExitCode.usage;
  if (error instanceof ConfigError) return ExitCode.config;
  return ExitCode.failure;
}
