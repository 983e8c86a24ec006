/**
 * What every database command does first: read configuration, set up
 * logging, open the database, and always close it afterwards.
 */
import denoJson from "../../deno.json" with { type: "json" };
import { parseTimeZoneFlag, parseWholeNumber } from "./flags.ts";
import { type DatabaseTarget, type Env, loadEnv, resolveDatabaseTarget } from "./settings.ts";
import { type Database, openDatabase } from "../db/connect.ts";
import { ConfigError } from "./errors.ts";
import {
  type CliLogLevel,
  colorAllowed,
  configureLogging,
  LOG_LEVELS,
  type LogFormat,
  logger,
} from "./output.ts";

export const TOOL_VERSION: string = denoJson.version;

export interface CommonValues {
  json?: boolean;
  verbose?: boolean;
  "env-file"?: string;
  "log-format"?: string;
  "data-dir"?: string;
  "lock-timeout"?: string;
}

export interface Context {
  env: Env;
  json: boolean;
  target: DatabaseTarget;
  lockTimeoutMs: number;
  color: boolean;
  /** Resolved --tz / SIM_TIMEZONE / the system's zone. */
  timeZone(flag?: string): string;
}

export async function prepare(values: CommonValues): Promise<Context> {
  const env = await loadEnv(values["env-file"]);
  const problems: string[] = [];
  const level = (env.LOG_LEVEL ?? "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    problems.push(`LOG_LEVEL "${env.LOG_LEVEL}": expected one of ${LOG_LEVELS.join(", ")}`);
  }
  const format = values["log-format"] ?? "text";
  if (format !== "text" && format !== "json") {
    problems.push(`--log-format "${format}": expected text or json`);
  }
  if (problems.length > 0) throw new ConfigError(`Cannot configure: ${problems.join("; ")}`);
  const color = colorAllowed(Deno.stderr, env as Record<string, string>);
  configureLogging({ level: level as CliLogLevel, format: format as LogFormat, color });
  const lockTimeoutMs = values["lock-timeout"] === undefined
    ? 60_000
    : parseWholeNumber("--lock-timeout", values["lock-timeout"], { min: 1, max: 86_400 }) * 1000;
  return {
    env,
    json: values.json ?? false,
    target: resolveDatabaseTarget(env, values["data-dir"]),
    lockTimeoutMs,
    color,
    timeZone(flag?: string) {
      if (flag !== undefined) return parseTimeZoneFlag("--tz", flag);
      if (env.SIM_TIMEZONE !== undefined) {
        return parseTimeZoneFlag("SIM_TIMEZONE", env.SIM_TIMEZONE);
      }
      return Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
    },
  };
}

/** Opens the configured database, runs `work`, and closes the database whatever happens. */
export async function withDatabase<T>(
  context: Context,
  work: (db: Database) => Promise<T>,
  options: { embeddedPort?: number; embeddedHost?: string } = {},
): Promise<T> {
  const log = logger("db");
  log.info("Using {database}", { database: context.target.display });
  const db = await openDatabase(context.target, options);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}
