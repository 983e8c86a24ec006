/**
 * Notices that an open embedded data directory is no longer the one that
 * was opened: removed (rm -rf by another process, a bench's temporary
 * directory cleaned up), replaced by a file or another directory, or made
 * unreadable. PGlite cannot tell: it keeps the files it has open, fails on
 * the next one it opens, and may then loop inside its WebAssembly for ever,
 * where no timer of this thread can stop it. So the wire layer asks before
 * each message it hands to PGlite (two stat calls, a few microseconds) and
 * stops at the first sign, answering with the reason instead.
 */
import { fileErrorReason } from "../cli/file_errors.ts";

/** Why the directory cannot be used any more (one line's start), and what to do. */
export interface LostDataDir {
  message: string;
  hint: string;
  /** What was committed is still there (made unreadable, another process took the directory). */
  kept?: boolean;
}

export interface DataDirGuard {
  /** Why the directory cannot be used any more, or null while it is the one opened. */
  lost(): LostDataDir | null;
}

interface Identity {
  dev: number;
  ino: number | null;
}

const AGAIN = "run again to set up a new database there, or give another --data-dir";

/**
 * Records the directory as it is now (opened, PG_VERSION written). `keep`: the owner lock's
 * (data_dir_lock.ts), which makes its file again if only that was removed.
 */
export function guardDataDir(dir: string, keep?: () => string | null): DataDirGuard {
  const version = `${dir}/PG_VERSION`;
  const directory = identity(Deno.statSync(dir));
  const versionFile = identity(Deno.statSync(version));
  let verdict: LostDataDir | null = null;
  const lose = (why: string, hint = AGAIN, kept = false): LostDataDir =>
    verdict = {
      message: `Cannot use the embedded database in "${dir}": ${why} while it was open`,
      hint,
      kept,
    };
  // What was committed is still there, once readable again.
  const unreadable = (what: string, error: unknown) =>
    lose(
      `${what} could no longer be read (${fileErrorReason(error)})`,
      "make it readable and writable by this user again (chmod u+rwx), then run again",
      true,
    );
  return {
    lost() {
      // Once lost, always lost: a directory made again at the same path is another database.
      if (verdict !== null) return verdict;
      let now: Deno.FileInfo;
      try {
        now = Deno.statSync(dir);
      } catch (error) {
        return error instanceof Deno.errors.NotFound
          ? lose("its data directory was removed")
          : unreadable("its data directory", error);
      }
      if (!now.isDirectory) {
        return lose(
          "its data directory was replaced by a file",
          "move the file away and run again to set up a new database there",
        );
      }
      if (!same(identity(now), directory)) {
        return lose("its data directory was removed and made again");
      }
      try {
        if (!same(identity(Deno.statSync(version)), versionFile)) {
          return lose("its data directory's files were replaced");
        }
      } catch (error) {
        return error instanceof Deno.errors.NotFound
          ? lose("its data directory's files were removed")
          : unreadable("its data directory's files", error);
      }
      const taken = keep?.() ?? null;
      if (taken !== null) {
        return lose(taken, "run again once the other process has finished with it", true);
      }
      return null;
    },
  };
}

function identity(info: Deno.FileInfo): Identity {
  return { dev: info.dev, ino: info.ino };
}

/** Where the platform gives no inode number (Windows), the device alone is compared. */
function same(a: Identity, b: Identity): boolean {
  return a.dev === b.dev && (a.ino === null || b.ino === null || a.ino === b.ino);
}
