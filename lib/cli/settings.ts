/**
 * Configuration from the environment and an optional `.env` file. Only the
 * named keys below are read; real environment variables win over `.env`.
 * Every problem is collected and reported in one message.
 */
import { parseEnv } from "node:util";
import { ConfigError } from "./errors.ts";
import { describeUrl, registerSecret } from "./redact.ts";

/** Every environment variable the tool reads (also the --allow-env list). */
export const ENV_KEYS = [
  "DATABASE_URL",
  "PGHOST",
  "PGPORT",
  "PGUSER",
  "PGPASSWORD",
  "PGDATABASE",
  "PGSSLMODE",
  "LOG_LEVEL",
  "SIM_TIMEZONE",
  "SIM_SEED",
  "SIM_DATA_DIR",
  "CHINOOK_SQL",
  "NO_COLOR",
] as const;
/** Read by the driver (postgres.js) itself; allowed too. */
export const DRIVER_ENV_KEYS = ["PGAPPNAME", "PGTARGETSESSIONATTRS"] as const;

export type EnvKey = typeof ENV_KEYS[number];
export type Env = Partial<Record<EnvKey, string>>;

export const DEFAULT_ENV_FILE = ".env";
export const DEFAULT_DATA_DIR = ".chinook-sim";

/** Reads the named keys from the process environment, falling back to the `.env` file. */
export async function loadEnv(envFile: string | undefined): Promise<Env> {
  const fromFile = await readEnvFile(envFile ?? DEFAULT_ENV_FILE, envFile !== undefined);
  const env: Env = {};
  for (const key of ENV_KEYS) {
    const value = Deno.env.get(key) ?? fromFile[key];
    if (value !== undefined) env[key] = value;
  }
  registerSecret(env.PGPASSWORD);
  if (env.DATABASE_URL) {
    try {
      registerSecret(decodeURIComponent(new URL(env.DATABASE_URL).password));
    } catch {
      // A malformed URL is reported by resolveDatabaseTarget.
    }
  }
  return env;
}

async function readEnvFile(path: string, required: boolean): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (!required && error instanceof Deno.errors.NotFound) return {};
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      if (!required) return {};
    }
    const reason = error instanceof Deno.errors.NotFound
      ? "no such file"
      : error instanceof Deno.errors.IsADirectory
      ? "it is a directory"
      : (error as Error).message;
    throw new ConfigError(`Cannot read --env-file "${path}": ${reason}`, { cause: error });
  }
  return parseEnv(text) as Record<string, string>;
}

export type DatabaseTarget =
  | { kind: "server"; url: string; display: string }
  | { kind: "embedded"; dataDir: string; display: string };

const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

/**
 * DATABASE_URL, else PGHOST/PGDATABASE (with PGPORT, PGUSER, PGPASSWORD,
 * PGSSLMODE), else the embedded database in the data directory.
 */
export function resolveDatabaseTarget(env: Env, dataDirFlag?: string): DatabaseTarget {
  const problems: string[] = [];
  if (env.DATABASE_URL !== undefined && env.DATABASE_URL.trim() !== "") {
    let url: URL | undefined;
    try {
      url = new URL(env.DATABASE_URL.trim());
    } catch {
      problems.push(
        "DATABASE_URL is not a valid URL: expected postgres://USER:PASSWORD@HOST:PORT/DATABASE",
      );
    }
    if (url) {
      if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
        problems.push(
          `DATABASE_URL has scheme "${url.protocol}": expected postgres:// or postgresql://`,
        );
      }
      if (!url.hostname) {
        problems.push("DATABASE_URL has no host: expected postgres://USER@HOST/DB");
      }
      const sslmode = url.searchParams.get("sslmode");
      if (sslmode !== null && !SSL_MODES.includes(sslmode)) {
        problems.push(
          `DATABASE_URL has sslmode "${sslmode}": expected one of ${SSL_MODES.join(", ")}`,
        );
      }
      if (problems.length === 0) {
        // Like libpq, but without asking the OS for the user name.
        if (!url.username) url.username = encodeURIComponent(env.PGUSER ?? "postgres");
        return { kind: "server", url: url.href, display: describeUrl(url) };
      }
    }
  } else if (env.PGHOST || env.PGDATABASE) {
    const port = env.PGPORT ?? "5432";
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      problems.push(`PGPORT "${port}" is not a port: expected a whole number from 1 to 65535`);
    }
    if (env.PGSSLMODE !== undefined && !SSL_MODES.includes(env.PGSSLMODE)) {
      problems.push(`PGSSLMODE "${env.PGSSLMODE}": expected one of ${SSL_MODES.join(", ")}`);
    }
    if (problems.length === 0) {
      const url = new URL("postgres://localhost");
      url.hostname = env.PGHOST ?? "localhost";
      url.port = port;
      url.username = encodeURIComponent(env.PGUSER ?? "postgres");
      if (env.PGPASSWORD) url.password = encodeURIComponent(env.PGPASSWORD);
      url.pathname = `/${encodeURIComponent(env.PGDATABASE ?? env.PGUSER ?? "postgres")}`;
      if (env.PGSSLMODE) url.searchParams.set("sslmode", env.PGSSLMODE);
      return { kind: "server", url: url.href, display: describeUrl(url) };
    }
  } else {
    const dataDir = dataDirFlag ?? env.SIM_DATA_DIR ?? DEFAULT_DATA_DIR;
    if (dataDir.trim() === "") problems.push("SIM_DATA_DIR is empty: give a directory path");
    else return { kind: "embedded", dataDir, display: `embedded PostgreSQL in ${dataDir}` };
  }
  throw new ConfigError(problems.join("; "));
}
