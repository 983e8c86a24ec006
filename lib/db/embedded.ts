/**
 * The embedded PostgreSQL (PGlite, persisted in a data directory) served on
 * loopback so the same postgres.js code path runs everything (wire_server.ts).
 */
import { PGlite } from "@electric-sql/pglite";
import { logger } from "../cli/output.ts";
import { clusterTar, unpackCluster } from "./cluster.ts";
import { type DataDirGuard, guardDataDir } from "./data_dir_guard.ts";
import { type DataDirLock, lockDataDir } from "./data_dir_lock.ts";
import { DataDirLostError, dataDirLostError } from "./failure.ts";
import { startWireServer } from "./wire_server.ts";

export interface EmbeddedServer {
  url: string;
  port: number;
  /**
   * Rejects once the data directory is lost, looked at every second: for a command that serves
   * it until stopped, and would otherwise answer every client with that error for ever.
   */
  untilLost(): Promise<never>;
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

const CLOSE_TIMEOUT_MS = 10_000;
const LOST_POLL_MS = 1000;

/**
 * PGlite's start parameters, and a smaller buffer cache: PGlite's WASM memory never shrinks, and
 * the default 128 MB of shared buffers fill as soon as the history is loaded (about 120 MB more
 * resident memory on a first run and on a 10k-invoice day). Evicted pages go to the operating
 * system's cache, so days are not slower (bench:embedded). A day that fills the disk then leaves
 * more for recovery to write, so the directory opens only once space is freed; opening says so.
 */
const START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=16MB"];

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
  let guard: DataDirGuard | null = null;
  /** The directory held a whole cluster (PG_VERSION, written last) when PGlite was given it. */
  let whole = false;
  const started = performance.now();
  let copiedMs = 0;
  try {
    // A new database is a copy of an initialised cluster (cluster.ts), not PGlite's initdb.
    if (dataDir === null) {
      db = await PGlite.create({
        loadDataDir: new Blob([await clusterTar()]),
        startParams: START_PARAMS,
      });
    } else {
      if (!(await exists(`${dataDir}/PG_VERSION`))) {
        await unpackCluster(dataDir);
        copiedMs = performance.now() - started;
      }
      whole = true;
      db = await PGlite.create(dataDir, { startParams: START_PARAMS });
      guard = guardDataDir(dataDir, lock?.keep);
    }
    logger("db").debug(
      "The embedded database opened in {ms} ms (of which the new cluster: {copied} ms)",
      {
        ms: Math.round(performance.now() - started),
        copied: Math.round(copiedMs),
      },
    );
    const host = options.host ?? "127.0.0.1";
    const server = await startWireServer(db, {
      host,
      port: options.port ?? 0,
      lost: guard === null ? undefined : guard.lost,
    });
    const port = server.port;
    const url = `postgres://postgres@${host}:${port}/postgres`;
    if (options.serving) await lock?.announce(url);
    const opened = db;
    let watch: ReturnType<typeof setInterval> | undefined;
    /** The loss was told already (a query's error, or untilLost). */
    let told = false;
    return {
      url,
      port,
      untilLost: () =>
        new Promise<never>((_, reject) => {
          if (guard === null) return;
          clearInterval(watch);
          watch = setInterval(() => {
            const lost = guard!.lost();
            if (lost === null) return;
            clearInterval(watch);
            told = true;
            reject(dataDirLostError(lost));
          }, LOST_POLL_MS);
        }),
      async close() {
        clearInterval(watch);
        try {
          told ||= server.failed;
          await server.close();
          // Its files gone, PGlite is not asked to write them (its shutdown checkpoint): it
          // could loop for ever (data_dir_guard.ts), and there is nothing left to keep.
          const lost = guard?.lost() ?? null;
          if (lost !== null) {
            // Lost after the last statement (a day's commit, say): the run succeeded, and what it
            // committed went with the directory. Said once (a failed statement already said it).
            if (!told) {
              logger("db").warning("{message}, after the last commit: what was committed is gone", {
                message: lost.message,
              });
            }
            return;
          }
          // A PGlite that failed inside may never answer: the directory is released anyway
          // (what it had committed is in its WAL, as after kill -9).
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([
            opened.close(),
            new Promise((resolve) => timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)),
          ]);
          clearTimeout(timer);
        } finally {
          lock?.release();
        }
      },
    };
  } catch (error) {
    // Removed while being opened (PGlite then fails on whichever file it missed, or aborts).
    const removed = lock !== null && await removedWhileOpening(dataDir!, lock, whole, error);
    if (!removed) await db?.close().catch(() => {});
    lock?.release();
    if (removed) {
      throw new DataDirLostError(
        `Cannot use the embedded database in "${dataDir}": its data directory was removed while it was being opened; nothing was written: run again to set up a new database there, or give another --data-dir`,
        { cause: error },
      );
    }
    // A port in use is the caller's to word (it knows the flag).
    if ((error as { code?: string }).code === "EADDRINUSE") throw error;
    throw new Error(describeEmbeddedError(error), { cause: error });
  }
}

/**
 * Whether PGlite failed because the directory was removed meanwhile: the owner lock's file (the
 * first written) or PG_VERSION gone. rm -rf takes a moment: after a missing file, once more.
 */
async function removedWhileOpening(
  dir: string,
  lock: DataDirLock,
  whole: boolean,
  error: unknown,
): Promise<boolean> {
  for (let attempt = 0;; attempt++) {
    if (!lock.inPlace() || (whole && !(await exists(`${dir}/PG_VERSION`).catch(() => true)))) {
      return true;
    }
    const missing = /No such file|errno 44|Aborted/i.test((error as Error)?.message ?? "");
    if (!missing || attempt > 0) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** PGlite's file system errors carry only an Emscripten errno: these are the ones a user can act on. */
const ERRNO: Record<number, string> = {
  51: "no space left on the device (the disk is full); free some space or use another --data-dir",
  2: "permission denied; use a directory you can write to",
  63: "operation not permitted; use a directory you can write to",
  69: "the file system is read-only; use a writable --data-dir",
  29: "an input/output error on the device",
  44: "a file of it is missing (removed while it was being opened?)",
};

/** The same, as Deno's own file system errors (copying the cluster) name them. */
const CODE: Record<string, number> = { ENOSPC: 51, EACCES: 2, EPERM: 63, EROFS: 69, EIO: 29 };

function describeEmbeddedError(error: unknown): string {
  const { name, errno, message, code } = (error ?? {}) as {
    name?: string;
    errno?: number;
    message?: string;
    code?: string;
  };
  if (name === "ErrnoError" && typeof errno === "number") {
    return ERRNO[errno] ?? `a file system error (errno ${errno})`;
  }
  if (code !== undefined && CODE[code] !== undefined) return ERRNO[CODE[code]!]!;
  return message || String(error);
}
