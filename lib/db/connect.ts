/**
 * The one module that opens connections. A server URL or the embedded
 * database: both end as a postgres.js client, so all SQL runs one way.
 */
import { fileErrorReason } from "../cli/file_errors.ts";
import { checkDataDir } from "./data_dir.ts";
import net from "node:net";
import { statfsSync } from "node:fs";
import postgres from "postgres";
import { ConfigError, UsageError } from "../cli/errors.ts";
import { logger } from "../cli/output.ts";
import { readPgpass } from "../cli/pgpass.ts";
import { redactSecrets, registerSecret } from "../cli/redact.ts";
import type { ServerAddress } from "../cli/server_address.ts";
import { DataDirBusyError, LOCK_FILE } from "./data_dir_lock.ts";
import { DataDirLostError } from "./failure.ts";
import type { Variant } from "../chinook/schema.ts";
import { detectVariant, translatingSql } from "./variant.ts";

/** Where the data lives: a server by URL, or the embedded database in a directory. */
export type DatabaseTarget =
  | {
    kind: "server";
    url: string;
    display: string;
    address: ServerAddress;
    /** libpq's password file, read when the address has no password. */
    passfile: string | null;
  }
  | { kind: "embedded"; dataDir: string; display: string };

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

export interface Database {
  /** Speaks the database's Chinook variant (see variant.ts). */
  sql: Sql;
  variant: { current: Variant };
  /** The embedded server's connection string (no password: loopback only). */
  url?: string;
  /** The embedded database: rejects once its data directory is lost (see embedded.ts). */
  untilLost?: () => Promise<never>;
  target: DatabaseTarget;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Tag in pg_stat_activity. */
  applicationName?: string;
  connectTimeoutSeconds?: number;
  /** Default: setLockTimeout's (--lock-timeout). */
  lockTimeoutMs?: number;
  /** Port for the embedded server (serve); 0 = any free port. */
  embeddedPort?: number;
  embeddedHost?: string;
  /** Serves other commands until stopped (serve, report --serve): a second process is told its URL. */
  serving?: boolean;
  /**
   * Change nothing anywhere: an embedded data directory that does not exist
   * yet (or is empty) is not created; a database in memory stands in for it.
   */
  dryRun?: boolean;
}

let defaultLockTimeoutMs = 60_000;

/**
 * --lock-timeout for every opening: how long any statement waits for a
 * lock (a running simulation, a session holding a Chinook table) and how
 * long an embedded data directory held by another process is waited for.
 */
export function setLockTimeout(ms: number): void {
  defaultLockTimeoutMs = ms;
}

export async function openDatabase(
  target: DatabaseTarget,
  options: ConnectOptions = {},
): Promise<Database> {
  const lockTimeoutMs = options.lockTimeoutMs ?? defaultLockTimeoutMs;
  const connectTimeoutSeconds = options.connectTimeoutSeconds ??
    (target.kind === "server" ? target.address.connectTimeoutSeconds : null) ?? 10;
  // Every option is given explicitly: postgres.js would otherwise read a
  // PG<OPTION> environment variable for each, outside our --allow-env list.
  const common = {
    onnotice: () => {},
    connect_timeout: connectTimeoutSeconds,
    connection: {
      application_name: options.applicationName ?? "chinook-sim",
      // Readers too (verify, report, status) give up on a held lock instead of hanging.
      lock_timeout: lockTimeoutMs,
    },
    idle_timeout: 0,
    max_lifetime: null,
    max_pipeline: 100,
    backoff: (retries: number) => Math.min(0.25 * 2 ** retries, 5),
    keep_alive: 60,
    prepare: true,
    debug: false,
    fetch_types: true,
    publications: "alltables",
    sslnegotiation: null,
    target_session_attrs: undefined,
  };
  if (target.kind === "server") {
    const { params, ...address } = await serverOptions(target);
    const sql = postgres({
      ...common,
      ...address,
      ...(address.path === undefined
        ? noDelaySocket(address.host as unknown as string[], address.port as unknown as number[])
        : {}),
      connection: { ...params, ...common.connection },
      max: 4,
      ssl: sslFromUrl(target.address.url),
    });
    await probe(sql, target.display, connectTimeoutSeconds);
    const variant = { current: (await detectVariant(sql)) ?? "pascal" };
    return {
      sql: translatingSql(sql, variant),
      variant,
      target,
      close: () => sql.end({ timeout: 5 }),
    };
  }
  const inMemory = options.dryRun === true && await absentOrEmpty(target.dataDir);
  if (inMemory) {
    logger("db").info(
      "Dry run: {dir} does not exist yet and is not created; a temporary database in memory stands in",
      { dir: target.dataDir },
    );
  }
  // PGlite is loaded only for the embedded database: a server run does not pay for it.
  const loading = import("./embedded.ts");
  if (!inMemory) await checkDataDir(target.dataDir);
  const { startEmbedded } = await loading;
  let embedded;
  try {
    embedded = await startEmbedded(inMemory ? null : target.dataDir, {
      port: options.embeddedPort,
      host: options.embeddedHost,
      serving: options.serving,
      lockTimeoutMs,
    });
  } catch (error) {
    if (error instanceof DataDirBusyError || error instanceof DataDirLostError) throw error;
    if ((error as { code?: string }).code === "EADDRINUSE") {
      throw new UsageError(
        `Cannot listen on port ${options.embeddedPort}: it is in use; pick another with --port (0: any free port)`,
        { cause: error },
      );
    }
    // PGlite may reject with a bare value, or "PGlite failed to initialize".
    const known = error instanceof Error && error.message !== "" &&
      !/PGlite failed/i.test(error.message);
    // A database that stopped on a full disk is recovered from its WAL when opened, which needs
    // room: that, not damage, is the likely reason then.
    const free = known ? null : freeMegabytes(target.dataDir);
    if (free !== null && free < FREE_MB_TO_OPEN) {
      throw new ConfigError(
        `Cannot open the embedded database in "${target.dataDir}": the disk holding it is full (${
          free.toFixed(1)
        } MB free) and opening it needs room to recover it; free some space and run again`,
        { cause: error },
      );
    }
    throw new ConfigError(
      `Cannot open the embedded database in "${target.dataDir}": ${
        known
          ? fileErrorReason(error)
          : "it cannot be opened (damaged, or not an embedded database of chinook-sim)"
      }; give another directory (--data-dir, SIM_DATA_DIR)`,
      { cause: error },
    );
  }
  let sql: Sql;
  try {
    sql = postgres(embedded.url, {
      ...common,
      max: 1,
      ssl: false,
      ...noDelaySocket(["127.0.0.1"], [embedded.port]),
    });
  } catch (error) {
    await embedded.close();
    throw error;
  }
  const variant = { current: (await detectVariant(sql)) ?? "pascal" };
  return {
    sql: translatingSql(sql, variant),
    variant,
    target,
    url: embedded.url,
    untilLost: embedded.untilLost,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded.close();
    },
  };
}

/**
 * postgres.js's `socket` option (missing from its types): a TCP socket with
 * TCP_NODELAY, as libpq opens them (postgres.js does not). Without it a small
 * message written right after another (COPY's end after its last rows) waits
 * for the server's delayed acknowledgement, 40 ms on Linux, each time. For
 * one host only: postgres.js goes through several hosts per connection, and
 * the option cannot tell its connections apart (they keep their own sockets).
 */
function noDelaySocket(hosts: string[], ports: number[]): object {
  if (hosts.length !== 1) return {};
  // A host outside the granted network: postgres.js's own socket reports the denial (exit 2),
  // where an error from this one would be retried until the connect timeout.
  const granted = Deno.permissions.querySync({ name: "net", host: `${hosts[0]}:${ports[0]}` });
  if (granted.state !== "granted") return {};
  const socket = () => {
    const tcp = new net.Socket();
    tcp.setNoDelay(true);
    tcp.connect(ports[0]!, hosts[0]!);
    // postgres.js names the host for TLS (servername) from these.
    return Object.assign(tcp, { host: hosts[0]!, port: ports[0]! });
  };
  return { socket };
}

async function absentOrEmpty(dir: string): Promise<boolean> {
  try {
    // The lock file alone (a run that stopped before the database was created) is still empty.
    for await (const entry of Deno.readDir(dir)) if (entry.name !== LOCK_FILE) return false;
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return true;
    throw error;
  }
}

/** Opens the database, runs `work`, and closes the database whatever happens. */
export async function withDatabase<T>(
  target: DatabaseTarget,
  work: (db: Database) => Promise<T>,
  options: ConnectOptions = {},
): Promise<T> {
  logger("db").info("Using {database}", { database: target.display });
  const db = await openDatabase(target, options);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/**
 * The address as postgres.js options, every one explicit (a URL would leave
 * it to read PGUSERNAME and others outside the --allow-env list): the hosts
 * in order or the Unix socket, and the password from the URL, else libpq's
 * password file.
 */
async function serverOptions(target: DatabaseTarget & { kind: "server" }) {
  const { url, hosts, socketDir, port } = target.address;
  const user = decodeURIComponent(url.username);
  const database = decodeURIComponent(url.pathname.slice(1)) || user;
  let pass = decodeURIComponent(url.password);
  if (pass === "" && target.passfile !== null) {
    const query = {
      hosts: socketDir !== null ? [socketDir, "localhost"] : hosts.map((h) => h.host),
      port,
      database,
      user,
    };
    const warn = (message: string) => logger("db").warning("{message}", { message });
    pass = await readPgpass(target.passfile, query, warn) ?? "";
    registerSecret(pass);
  }
  // What the URL carries besides the address: server settings (options, application_name…).
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (!CLIENT_ONLY_PARAMS.has(key)) params[key] = value;
  }
  // postgres.js takes lists of hosts and ports (its types say one; a string would split IPv6).
  return {
    host: (socketDir !== null ? [socketDir] : hosts.map((h) => h.host)) as unknown as string,
    port: (socketDir !== null ? [port] : hosts.map((h) => h.port)) as unknown as number,
    ...(socketDir !== null ? { path: `${socketDir}/.s.PGSQL.${port}` } : {}),
    user,
    pass,
    database,
    target_session_attrs: (url.searchParams.get("target_session_attrs") ?? undefined) as
      | "read-write"
      | undefined,
    params,
  };
}

/** libpq's connection parameters that are not server settings. */
const CLIENT_ONLY_PARAMS = new Set([
  "sslmode",
  "sslrootcert",
  "sslcert",
  "sslkey",
  "sslnegotiation",
  "target_session_attrs",
  "connect_timeout",
  "passfile",
  "hostaddr",
]);

/**
 * Fails early, with a clear message, when no host can be reached: within
 * `timeoutSeconds` in all (postgres.js's connect_timeout is per attempt, and
 * it goes on to the next host, and round again, without end).
 */
async function probe(sql: Sql, display: string, timeoutSeconds: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no host answered within ${timeoutSeconds} s`)),
      timeoutSeconds * 1000,
    );
  });
  try {
    await Promise.race([sql`SELECT 1`, deadline]);
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
    // Reached, but kept waiting past --lock-timeout (serve, behind another client's transaction).
    if ((error as { code?: string }).code === "55P03") throw error;
    const detail = redactSecrets((error as Error).message || String(error));
    throw new ConfigError(
      `Cannot connect to ${display}: ${detail}. Check DATABASE_URL (or PGHOST/PGPORT/PGUSER/PGDATABASE) and that the server is running`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}

/** libpq's sslmode as postgres.js's ssl option ("disable" and absent mean no TLS). */
function sslFromUrl(url: URL): false | "require" | "allow" | "prefer" | "verify-full" {
  const mode = url.searchParams.get("sslmode");
  if (mode === null || mode === "disable") return false;
  if (mode === "verify-ca") return "verify-full";
  return mode as "require" | "allow" | "prefer" | "verify-full";
}

/** Below this, a failure to open an embedded database is put down to the full disk. */
const FREE_MB_TO_OPEN = 64;

/** Free megabytes on the file system holding `dir`; null when it cannot be told. */
function freeMegabytes(dir: string): number | null {
  try {
    const fs = statfsSync(dir);
    return (fs.bavail * fs.bsize) / 2 ** 20;
  } catch {
    return null;
  }
}
