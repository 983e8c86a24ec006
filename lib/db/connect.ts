/**
 * The one module that opens connections. A server URL or the embedded
 * database: both end as a postgres.js client, so all SQL runs one way.
 */
import { fileErrorReason } from "../cli/paths.ts";
import { checkDataDir } from "./data_dir.ts";
import postgres from "postgres";
import { ConfigError } from "../cli/errors.ts";
import { logger } from "../cli/output.ts";
import { redactSecrets } from "../cli/redact.ts";
import { startEmbedded } from "./embedded.ts";
import type { Variant } from "../chinook/schema.ts";
import { detectVariant, translatingSql } from "./variant.ts";

/** Where the data lives: a server by URL, or the embedded database in a directory. */
export type DatabaseTarget =
  | { kind: "server"; url: string; display: string }
  | { kind: "embedded"; dataDir: string; display: string };

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

export interface Database {
  /** Speaks the database's Chinook variant (see variant.ts). */
  sql: Sql;
  variant: { current: Variant };
  /** The embedded server's connection string (no password: loopback only). */
  url?: string;
  target: DatabaseTarget;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Tag in pg_stat_activity. */
  applicationName?: string;
  connectTimeoutSeconds?: number;
  /** Port for the embedded server (serve); 0 = any free port. */
  embeddedPort?: number;
  embeddedHost?: string;
  /**
   * Change nothing anywhere: an embedded data directory that does not exist
   * yet (or is empty) is not created; a database in memory stands in for it.
   */
  dryRun?: boolean;
}

export async function openDatabase(
  target: DatabaseTarget,
  options: ConnectOptions = {},
): Promise<Database> {
  // Every option is given explicitly: postgres.js would otherwise read a
  // PG<OPTION> environment variable for each, outside our --allow-env list.
  const common = {
    onnotice: () => {},
    connect_timeout: options.connectTimeoutSeconds ?? 10,
    connection: { application_name: options.applicationName ?? "chinook-sim" },
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
    const sql = postgres(target.url, {
      ...common,
      // postgres.js takes lists of hosts and ports, though its types say one.
      ...(urlFixes(target.url) as { host?: string; port?: number; database?: string }),
      max: 4,
      ssl: sslFromUrl(target.url),
    });
    await probe(sql, target.display);
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
  if (!inMemory) await checkDataDir(target.dataDir);
  let embedded;
  try {
    embedded = await startEmbedded(inMemory ? null : target.dataDir, {
      port: options.embeddedPort,
      host: options.embeddedHost,
    });
  } catch (error) {
    // PGlite may reject with a bare value, or "PGlite failed to initialize".
    const known = error instanceof Error && error.message !== "" &&
      !/PGlite failed/i.test(error.message);
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
    sql = postgres(embedded.url, { ...common, max: 1, ssl: false });
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
    async close() {
      await sql.end({ timeout: 5 });
      await embedded.close();
    },
  };
}

async function absentOrEmpty(dir: string): Promise<boolean> {
  try {
    for await (const _ of Deno.readDir(dir)) return false;
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

/** Fails early, with a clear message, when the server cannot be reached. */
async function probe(sql: Sql, display: string): Promise<void> {
  try {
    await sql`SELECT 1`;
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    const detail = redactSecrets((error as Error).message || String(error));
    throw new ConfigError(
      `Cannot connect to ${display}: ${detail}. Check DATABASE_URL (or PGHOST/PGPORT/PGUSER/PGDATABASE) and that the server is running`,
      { cause: error },
    );
  }
}

/** libpq's sslmode as postgres.js's ssl option ("disable" and absent mean no TLS). */
/**
 * What postgres.js reads from a URL wrongly, given explicitly: an IPv6 host
 * in brackets (it splits hosts at ":") and a %-encoded database name (it
 * would ask for "my%20db").
 */
function urlFixes(text: string): { host?: string[]; port?: number[]; database?: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {};
  }
  const fixes: { host?: string[]; port?: number[]; database?: string } = {};
  if (url.hostname.startsWith("[")) {
    fixes.host = [url.hostname.slice(1, -1)];
    fixes.port = [Number(url.port || "5432")];
  }
  if (url.pathname.length > 1) fixes.database = decodeURIComponent(url.pathname.slice(1));
  return fixes;
}

function sslFromUrl(url: string): false | "require" | "allow" | "prefer" | "verify-full" {
  const mode = new URL(url).searchParams.get("sslmode");
  if (mode === null || mode === "disable") return false;
  if (mode === "verify-ca") return "verify-full";
  return mode as "require" | "allow" | "prefer" | "verify-full";
}
