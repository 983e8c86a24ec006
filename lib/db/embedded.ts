/**
 * The embedded PostgreSQL (PGlite, persisted in a data directory) served on
 * loopback so the same postgres.js code path runs everything (wire_server.ts).
 */
import { PGlite } from "@electric-sql/pglite";
import { type DataDirLock, lockDataDir } from "./data_dir_lock.ts";
import { startWireServer } from "./wire_server.ts";

export interface EmbeddedServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface EmbeddedOptions {
  port?: number;
  host?: string;
  /** How long to wait for another process that has the directory open (default 10 s). */
  lockTimeoutMs?: number;
  /** Serves other commands until stopped: the lock file names the URL for them. */
  serving?: boolean;
}

/** `dataDir` null: a database in memory, gone when closed (a dry run on a directory not created yet). */
export async function startEmbedded(
  dataDir: string | null,
  options: EmbeddedOptions = {},
): Promise<EmbeddedServer> {
  let lock: DataDirLock | null = null;
  if (dataDir !== null) {
    await Deno.mkdir(dataDir, { recursive: true });
    // Before PGlite touches the directory, held until it is closed.
    lock = await lockDataDir(dataDir, { timeoutMs: options.lockTimeoutMs ?? 10_000 });
  }
  let db: PGlite | undefined;
  try {
    db = dataDir === null ? await PGlite.create() : await PGlite.create(dataDir);
    const host = options.host ?? "127.0.0.1";
    const server = await startWireServer(db, { host, port: options.port ?? 0 });
    const port = server.port;
    const url = `postgres://postgres@${host}:${port}/postgres`;
    if (options.serving) await lock?.announce(url);
    const opened = db;
    return {
      url,
      port,
      async close() {
        try {
          await server.close();
          await opened.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    await db?.close().catch(() => {});
    lock?.release();
    throw error;
  }
}
