/**
 * Settings: the one resolution of every value a command uses, in one order:
 * flag > environment > `.env` > default. Only the named keys of the
 * environment are read; real environment variables win over `.env`.
 * Configuration problems are collected and reported in one message.
 */
import { readAtMost } from "./bounded_read.ts";
import type { DatabaseTarget } from "../db/connect.ts";
import type { PrepareOptions } from "../db/setup.ts";
import { ConfigError } from "./errors.ts";
import {
  type FlagDefaults,
  type FlagName,
  FLAGS,
  type FlagSpec,
  type FlagValue,
  type FlagValues,
  type Runtime,
} from "./flag_table.ts";
import { type CliLogLevel, LOG_LEVELS, type LogFormat } from "./terminal.ts";
import { fileErrorReason } from "./file_errors.ts";
import { pgpassPath } from "./pgpass.ts";
import { registerSecret } from "./redact.ts";
import {
  describeAddress,
  hostsFromEnv,
  parseServerUrl,
  type ServerAddress,
} from "./server_address.ts";

/** How to reach a server, libpq's way: DATABASE_URL, else the PG* variables. */
export const CONNECTION_ENV_KEYS = [
  "DATABASE_URL",
  "PGHOST",
  "PGPORT",
  "PGUSER",
  "PGPASSWORD",
  "PGDATABASE",
  "PGSSLMODE",
  // libpq's password file: PGPASSFILE, else ~/.pgpass.
  "PGPASSFILE",
  "HOME",
] as const;
/** Output: the log level, and NO_COLOR (https://no-color.org). */
export const OUTPUT_ENV_KEYS = ["LOG_LEVEL", "NO_COLOR"] as const;

/** Every environment variable the tool reads (also the --allow-env list): the above and the flags'. */
export const ENV_KEYS: readonly string[] = [
  ...CONNECTION_ENV_KEYS,
  ...OUTPUT_ENV_KEYS,
  ...Object.values(FLAGS as Record<string, FlagSpec<unknown>>).flatMap((f) => f.env ?? []),
];
/** Read by the driver (postgres.js) itself; allowed too. */
export const DRIVER_ENV_KEYS = ["PGAPPNAME", "PGTARGETSESSIONATTRS"] as const;

/** The environment as read: the process's variables over the `.env` file's, named keys only. */
export type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_ENV_FILE = ".env";

/** Reads the named keys from the process environment, falling back to the `.env` file. */
export async function loadEnv(envFile: string | undefined): Promise<Env> {
  const fromFile = await readEnvFile(envFile ?? DEFAULT_ENV_FILE, envFile !== undefined);
  const env: Record<string, string> = {};
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

/** A `.env` is a few lines; more is not one. */
export const MAX_ENV_FILE_BYTES = 1024 * 1024;

async function readEnvFile(path: string, required: boolean): Promise<Record<string, string>> {
  let bytes: Uint8Array;
  try {
    using file = await Deno.open(path);
    if ((await file.stat()).isDirectory) throw new Deno.errors.IsADirectory(path);
    bytes = await readAtMost(file.readable, MAX_ENV_FILE_BYTES, () =>
      new ConfigError(
        `Cannot read --env-file "${path}": it is larger than 1 MiB; give a .env file of KEY=VALUE lines`,
      ));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (!required && error instanceof Deno.errors.NotFound) return {};
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      if (!required) return {};
    }
    throw new ConfigError(`Cannot read --env-file "${path}": ${fileErrorReason(error)}`, {
      cause: error,
    });
  }
  return parseEnvText(new TextDecoder().decode(bytes), path);
}

const ENV_LINE = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
const DOUBLE_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

/**
 * A `.env` file, strictly: blank lines, `# comments`, and `KEY=VALUE` lines
 * (`export` allowed; a value plain, 'single' or "double" quoted, then an
 * optional comment). Any other line is an error naming the file and line —
 * never skipped, since a skipped DATABASE_URL would quietly mean another
 * database. The line itself is not shown: it may hold a password.
 */
export function parseEnvText(text: string, path: string): Record<string, string> {
  const env: Record<string, string> = Object.create(null);
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, "").trim();
    if (line === "" || line.startsWith("#")) continue;
    const fail = (why: string): never => {
      throw new ConfigError(
        `Cannot read --env-file "${path}": line ${
          index + 1
        } ${why}; write it as KEY=VALUE or comment it out with #`,
      );
    };
    const match = ENV_LINE.exec(line);
    if (!match) {
      return fail(
        line.includes("=") ? "does not start with a variable name" : 'is not KEY=VALUE (no "=")',
      );
    }
    const [, key, rest] = match as unknown as [string, string, string];
    let value: string;
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      const end = quote === '"' ? /^"((?:[^"\\]|\\.)*)"\s*(#.*)?$/ : /^'([^']*)'\s*(#.*)?$/;
      const quoted = end.exec(rest);
      if (!quoted) return fail(`has an unterminated or trailing-text ${quote}quoted${quote} value`);
      value = quote === '"'
        ? quoted[1]!.replace(/\\(.)/g, (_, c: string) => DOUBLE_ESCAPES[c] ?? `\\${c}`)
        : quoted[1]!;
    } else {
      // A plain value ends at " #" (a comment).
      value = rest.replace(/\s+#.*$/, "").trim();
    }
    env[key] = value;
  }
  return env;
}

const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

/**
 * DATABASE_URL, else PGHOST/PGDATABASE (with PGPORT, PGUSER, PGPASSWORD,
 * PGSSLMODE), else the embedded database in the data directory.
 */
export function resolveDatabaseTarget(env: Env, dataDir: string): DatabaseTarget {
  const problems: string[] = [];
  if (env.DATABASE_URL !== undefined && env.DATABASE_URL.trim() !== "") {
    const text = env.DATABASE_URL.trim();
    const address = parseServerUrl(text);
    if ("problem" in address) {
      problems.push(`DATABASE_URL ${address.problem}`);
    } else {
      const { url } = address;
      if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
        problems.push(
          `DATABASE_URL has scheme "${url.protocol}": expected postgres:// or postgresql://`,
        );
      }
      // Each %-escape must decode (postgres.js would stop at "URI malformed").
      for (
        const [part, text] of [
          ["user name", url.username],
          ["password", url.password],
          ["database name", url.pathname],
        ] as const
      ) {
        try {
          decodeURIComponent(text);
        } catch {
          problems.push(
            `DATABASE_URL has a malformed %-escape in its ${part} part; write a literal % as %25 (and @ : / ? # as %40 %3A %2F %3F %23)`,
          );
        }
      }
      if (/^\/.+\//.test(url.pathname)) {
        problems.push(
          `DATABASE_URL has a "/" in its database name "${url.pathname.slice(1)}": write it as %2F`,
        );
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
        return serverTarget(address, env);
      }
    }
  } else if (env.PGHOST || env.PGDATABASE) {
    const port = env.PGPORT ?? "5432";
    const ports = port.split(",");
    if (ports.some((p) => !/^[0-9]{1,5}$/.test(p) || Number(p) < 1 || Number(p) > 65535)) {
      problems.push(`PGPORT "${port}" is not a port: expected a whole number from 1 to 65535`);
    }
    if (env.PGSSLMODE !== undefined && !SSL_MODES.includes(env.PGSSLMODE)) {
      problems.push(`PGSSLMODE "${env.PGSSLMODE}": expected one of ${SSL_MODES.join(", ")}`);
    }
    if (problems.length === 0) {
      const host = env.PGHOST ?? "localhost";
      const socket = host.startsWith("/");
      const params = new URLSearchParams();
      if (socket) params.set("host", host);
      if (socket) params.set("port", port);
      if (env.PGSSLMODE) params.set("sslmode", env.PGSSLMODE);
      const user = encodeURIComponent(env.PGUSER ?? "postgres");
      const password = env.PGPASSWORD ? `:${encodeURIComponent(env.PGPASSWORD)}` : "";
      const database = encodeURIComponent(env.PGDATABASE ?? env.PGUSER ?? "postgres");
      const address = parseServerUrl(
        `postgres://${user}${password}@${socket ? "" : hostsFromEnv(host, port)}/${database}${
          params.size > 0 ? `?${params}` : ""
        }`,
      );
      if ("problem" in address) problems.push(`PGHOST/PGPORT ${address.problem}`);
      else return serverTarget(address, env);
    }
  } else {
    if (dataDir.trim() === "") problems.push("SIM_DATA_DIR is empty: give a directory path");
    else return { kind: "embedded", dataDir, display: `embedded PostgreSQL in ${dataDir}` };
  }
  throw new ConfigError(problems.join("; "));
}

function serverTarget(address: ServerAddress, env: Env): DatabaseTarget {
  // One host: a plain URL (the URL class holds it); else the address says the rest.
  const url = new URL(address.url);
  const only = address.socketDir === null && address.hosts.length === 1 ? address.hosts[0]! : null;
  if (only) {
    url.hostname = only.host.includes(":") ? `[${only.host}]` : only.host;
    url.port = only.port === 5432 ? "" : String(only.port);
  }
  return {
    kind: "server",
    url: url.href,
    display: describeAddress(address),
    address,
    passfile: pgpassPath(env),
  };
}

/** Where Chinook comes from and how long to wait for the lock: what setting a database up needs. */
export function prepareOptions(
  settings: BaseSettings & { "chinook-sql"?: string },
): PrepareOptions {
  return { chinookSql: settings["chinook-sql"], lockTimeoutMs: settings.lockTimeoutMs };
}

/** A setting's value once resolved: defined when its flag has a default. */
export type SettingValue<K extends FlagName> = (typeof FLAGS)[K] extends { default: unknown }
  ? FlagValue<K>
  : FlagValue<K> | undefined;

/** What every command gets, whatever its flags. */
export interface BaseSettings {
  json: boolean;
  verbose: boolean;
  logLevel: CliLogLevel;
  logFormat: LogFormat;
  /** NO_COLOR is set (and not empty). */
  noColor: boolean;
  target: DatabaseTarget;
  lockTimeoutMs: number;
}

export type Settings<N extends FlagName = FlagName> = BaseSettings & { [K in N]: SettingValue<K> };

/** The process's own answers for defaults that depend on it. */
export const SYSTEM_RUNTIME: Runtime = {
  systemTimeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC",
  drawSeed: () => String(crypto.getRandomValues(new Uint32Array(1))[0]),
};

/**
 * Resolves the settings `names` (a command's flags, and any it reads from
 * the environment only): the flag when given, else the environment variable
 * (checked by the flag's own parser, naming the variable), else the default:
 * the command's own (`defaults`) or the table's. Pure but for what `runtime`
 * is asked.
 */
export function resolveSettings<const N extends FlagName>(
  flags: FlagValues<N>,
  env: Env,
  names: readonly N[],
  runtime: Runtime = SYSTEM_RUNTIME,
  defaults: FlagDefaults<N> = {},
): Settings<N | "data-dir" | "lock-timeout" | "log-format"> {
  const given = flags as Record<string, unknown>;
  const problems: string[] = [];
  const level = (env.LOG_LEVEL ?? "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    problems.push(`LOG_LEVEL "${env.LOG_LEVEL}": expected one of ${LOG_LEVELS.join(", ")}`);
  }
  const format = (given["log-format"] as string | undefined) ?? "text";
  if (format !== "text" && format !== "json") {
    problems.push(`--log-format "${format}": expected text or json`);
  }
  if (problems.length > 0) throw new ConfigError(`Cannot configure: ${problems.join("; ")}`);

  const resolve = (name: FlagName): unknown => {
    const spec: FlagSpec<unknown> = FLAGS[name];
    let value: unknown = undefined;
    if (name in given) value = given[name];
    else if (spec.env !== undefined && env[spec.env] !== undefined) {
      value = spec.parse(env[spec.env]!, spec.env);
    }
    if (value !== undefined && value !== null) return value;
    const own = (defaults as FlagDefaults)[name];
    if (own !== undefined) return own;
    return typeof spec.default === "function" ? spec.default(runtime) : spec.default;
  };
  const dataDir = resolve("data-dir") as string;
  const settings: Record<string, unknown> = {
    json: given.json === true,
    verbose: given.verbose === true,
    logLevel: level,
    logFormat: format,
    noColor: env.NO_COLOR !== undefined && env.NO_COLOR !== "",
    target: resolveDatabaseTarget(env, dataDir),
    "data-dir": dataDir,
    "log-format": format,
  };
  for (const name of new Set<FlagName>([...names, "lock-timeout"])) {
    if (!(name in settings)) settings[name] = resolve(name);
  }
  settings.lockTimeoutMs = (settings["lock-timeout"] as number) * 1000;
  return settings as Settings<N | "data-dir" | "lock-timeout" | "log-format">;
}
