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
    // A port in use is the caller's to word (it knows the flag).
    if ((error as { code?: string }).code === "EADDRINUSE") throw error;
    throw new Error(describeEmbeddedError(error), { cause: error });
  }
}

/** PGlite's file system errors carry only an Emscripten errno: these are the ones a user can act on. */
const ERRNO: Record<number, string> = {
  51: "no space left on the device (the disk is full); free some space or use another --data-dir",
  2: "permission denied; use a directory you can write to",
  63: "operation not permitted; use a directory you can write to",
  69: "the file system is read-only; use a writable --data-dir",
  29: "an input/output error on the device",
};

function describeEmbeddedError(error: unknown): string {
  const { name, errno, message } = (error ?? {}) as {
    name?: string;
    errno?: number;
    message?: string;
  };
  if (name === "ErrnoError" && typeof errno === "number") {
    return ERRNO[errno] ?? `a file system error (errno ${errno})`;
  }
  return message || String(error);
}
