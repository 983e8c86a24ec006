/**
 * One process owns an embedded data directory. PGlite has no lock of its
 * own: two processes on one directory lose committed days and can corrupt
 * it. The owner holds an exclusive flock on a file in the directory for as
 * long as the database is open; the kernel releases it when the process
 * ends, however it ends (kill -9 included), so a stale lock cannot exist.
 * The file also says who the owner is, for the message a second process
 * gets; it is never deleted (a deleted, still-locked file would let two
 * processes lock two different files).
 */
import { logger } from "../cli/output.ts";
import { fileErrorReason } from "../cli/file_errors.ts";

export const LOCK_FILE = "chinook-sim.lock";

/** Who holds the directory, as written in the lock file. */
export interface DataDirOwner {
  pid: number;
  command: string;
  since: string;
  /** Set by a serving owner (serve, report --serve): where other commands can connect instead. */
  url?: string;
}

/** The directory is held by another process: nothing was opened, nothing written. Exit 1. */
export class DataDirBusyError extends Error {
  override name = "DataDirBusyError";
}

export interface DataDirLock {
  /** Records the URL other commands can use while this process serves the database. */
  announce(url: string): Promise<void>;
  /** The lock file held is still the one at its path: neither it nor the directory was removed. */
  inPlace(): boolean;
  /**
   * Holds the directory still: a lock file removed while held is made again and taken (else a
   * second process could take a new one and open the directory too). Null while held; else who
   * took it meanwhile.
   */
  keep(): string | null;
  release(): void;
}

const POLL_MS = 100;

/**
 * Takes the directory (which exists) for this process, waiting up to
 * `timeoutMs` for an owner that will finish; an owner that serves the
 * database runs until stopped, so it is refused at once, naming the URL to
 * use instead.
 */
export async function lockDataDir(
  dir: string,
  options: { timeoutMs: number },
): Promise<DataDirLock> {
  const { timeoutMs } = options;
  const path = `${dir}/${LOCK_FILE}`;
  let file = await Deno.open(path, { read: true, write: true, create: true });
  /** Files held before the one at the path now (see keep): closed only on release. */
  const former: Deno.FsFile[] = [];
  const takes = async (): Promise<boolean> => {
    if (!(await file.tryLock(true))) return false;
    if (sameFile(file, path)) return true;
    // A lock file removed meanwhile (its owner made a new one, see keep): that one counts.
    file.close();
    file = await Deno.open(path, { read: true, write: true, create: true });
    return await file.tryLock(true) && sameFile(file, path);
  };
  try {
    const started = Date.now();
    let waiting = false;
    while (!(await takes())) {
      const owner = await readOwner(dir);
      const who = owner ? `${owner.command} (pid ${owner.pid})` : "another process";
      if (owner?.url) {
        throw new DataDirBusyError(
          `Cannot open the embedded database in "${dir}": ${who} serves it; while it runs, use DATABASE_URL=${owner.url} (or stop it first)`,
        );
      }
      if (Date.now() - started >= timeoutMs) {
        throw new DataDirBusyError(
          `Cannot open the embedded database in "${dir}": ${who} still has it open after ${
            Math.round(timeoutMs / 1000)
          } s; run again when it has finished, or raise --lock-timeout`,
        );
      }
      if (!waiting) {
        waiting = true;
        logger("db").info(
          "Waiting for {owner}, which has {dir} open (up to {seconds} s, --lock-timeout)",
          { owner: who, dir, seconds: Math.round(timeoutMs / 1000) },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const owner: DataDirOwner = {
      pid: Deno.pid,
      command: Deno.args[0] ?? "chinook-sim",
      since: new Date().toISOString(),
    };
    await writeOwner(file, owner);
    let announced = owner;
    return {
      announce: (url) => writeOwner(file, announced = { ...owner, url }),
      inPlace: () => sameFile(file, path),
      keep() {
        if (sameFile(file, path)) return null;
        let again: Deno.FsFile;
        try {
          // Only where there is none: a lock file made by another process means it opened the
          // directory meanwhile (even if it has finished since), and what PGlite holds in memory
          // here is no longer the directory's.
          again = Deno.openSync(path, { read: true, write: true, createNew: true });
        } catch (error) {
          return error instanceof Deno.errors.AlreadyExists
            ? "its lock file was removed and another process took the directory"
            : `its lock file was removed and cannot be made again (${fileErrorReason(error)})`;
        }
        if (!again.tryLockSync(true)) {
          again.close();
          return "its lock file was removed and another process took the directory";
        }
        writeOwnerSync(again, announced);
        // The old file stays open (and locked) until release: a process that waited on it must
        // not get it now (takes checks the path too).
        former.push(file);
        file = again;
        logger("db").warning("The lock file of {dir} was removed while it was open: made again", {
          dir,
        });
        return null;
      },
      release() {
        // Closing the file releases the lock; the file stays (see above).
        file.close();
        for (const old of former) old.close();
      },
    };
  } catch (error) {
    file.close();
    throw error;
  }
}

/** The open file is the one at `path` (not removed, nor replaced). */
function sameFile(file: Deno.FsFile, path: string): boolean {
  try {
    const held = file.statSync();
    const now = Deno.statSync(path);
    return held.dev === now.dev && held.ino === now.ino;
  } catch {
    return false;
  }
}

function writeOwnerSync(file: Deno.FsFile, owner: DataDirOwner): void {
  const bytes = new TextEncoder().encode(`${JSON.stringify(owner)}\n`);
  file.truncateSync(0);
  file.seekSync(0, Deno.SeekMode.Start);
  let written = 0;
  while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
}

async function writeOwner(file: Deno.FsFile, owner: DataDirOwner): Promise<void> {
  const bytes = new TextEncoder().encode(`${JSON.stringify(owner)}\n`);
  await file.truncate(0);
  await file.seek(0, Deno.SeekMode.Start);
  let written = 0;
  while (written < bytes.length) written += await file.write(bytes.subarray(written));
}

/** The owner's record; null when it cannot be read (being rewritten, or from an older version). */
export async function readOwner(dir: string): Promise<DataDirOwner | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const parsed = JSON.parse(await Deno.readTextFile(`${dir}/${LOCK_FILE}`));
      if (typeof parsed?.pid === "number" && typeof parsed?.command === "string") {
        return parsed as DataDirOwner;
      }
    } catch {
      // Read between the owner's truncate and write: try again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return null;
}
