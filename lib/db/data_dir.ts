/**
 * Checks an embedded data directory before PGlite opens it: PGlite writes a
 * whole cluster into any directory it is given, and fails on a bad one with
 * a bare "PGlite failed to initialize". A file, a directory of other files,
 * another PostgreSQL's data directory or an unreadable one gets a clear
 * ConfigError naming the directory and the fix instead; nothing is written.
 */
import { ConfigError } from "../cli/errors.ts";
import { fileErrorReason } from "../cli/file_errors.ts";
import { LOCK_FILE } from "./data_dir_lock.ts";

/** The PostgreSQL major version of the embedded database (PGlite), as in PG_VERSION. */
export const EMBEDDED_PG_VERSION = "18";

export async function checkDataDir(dir: string): Promise<void> {
  const refuse = (why: string, cause?: unknown): never => {
    throw new ConfigError(
      `Cannot open the embedded database in "${dir}": ${why} (--data-dir, SIM_DATA_DIR)`,
      { cause },
    );
  };
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dir);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return; // created on first use
    return refuse(`${fileErrorReason(error)}; give another directory`, error);
  }
  if (!info.isDirectory) return refuse("it is a file; give a directory");
  // The embedded database keeps to the permission bits even where the user could pass them (root).
  if (info.mode !== null && (info.mode & 0o700) !== 0o700) {
    return refuse(
      `its permissions (${
        (info.mode & 0o777).toString(8).padStart(3, "0")
      }) do not let its owner read, write and enter it; run chmod u+rwx on it, or give another directory`,
    );
  }
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  } catch (error) {
    return refuse(
      `${
        fileErrorReason(error)
      }; make it readable and writable by this user, or give another directory`,
      error,
    );
  }
  // Our lock, and hidden files (an editor's), do not make a directory someone else's.
  const visible = names.filter((n) => !n.startsWith(".") && n !== LOCK_FILE);
  if (visible.length === 0) return;
  // Our lock file marks a directory chinook-sim began to set up (a first run stopped early):
  // the embedded database finishes it, so it is not someone else's.
  if (!names.includes("PG_VERSION") && !names.includes(LOCK_FILE)) {
    return refuse(
      `it holds other files (${visible.slice(0, 3).join(", ")}${
        visible.length > 3 ? ", …" : ""
      }) and no database; give a new or empty directory`,
    );
  }
  // A server writes these when it starts. The embedded database writes a postmaster.pid of
  // its own while open (left behind by kill -9), whose pid is -42: that one is ours, and the
  // owner lock decides who may open the directory. Opening a server's directory directly
  // (even of the same version) would corrupt it.
  const server = names.includes("postmaster.opts")
    ? "postmaster.opts"
    : names.includes("postmaster.pid") && !(await isEmbeddedPidFile(`${dir}/postmaster.pid`))
    ? "postmaster.pid"
    : undefined;
  if (server !== undefined) {
    return refuse(
      `it is a PostgreSQL server's data directory (it has ${server}); use it through its server (DATABASE_URL), never directly`,
    );
  }
  // Begun by chinook-sim but not yet written (see above): the embedded database sets it up.
  if (!names.includes("PG_VERSION")) return;
  let version = "";
  try {
    // A few bytes are all a PG_VERSION holds (and all that is read of a strange one).
    using file = await Deno.open(`${dir}/PG_VERSION`);
    const buffer = new Uint8Array(16);
    const n = await file.read(buffer) ?? 0;
    version = new TextDecoder().decode(buffer.subarray(0, n)).trim();
  } catch (error) {
    return refuse(`its PG_VERSION cannot be read (${fileErrorReason(error)})`, error);
  }
  if (version !== EMBEDDED_PG_VERSION) {
    return refuse(
      `it is a PostgreSQL ${
        JSON.stringify(version.slice(0, 10))
      } data directory, not the embedded database (PostgreSQL ${EMBEDDED_PG_VERSION}); use it through its own server (DATABASE_URL), or give another directory`,
    );
  }
  const probe = `${dir}/.chinook-sim-probe-${Deno.pid}`;
  try {
    await Deno.writeTextFile(probe, "", { createNew: true });
    await Deno.remove(probe);
  } catch (error) {
    return refuse(`it is not writable (${fileErrorReason(error)}); make it writable by this user`);
  }
}

/** PGlite's own postmaster.pid: its first line is the pid -42 (a server's is a real pid). */
async function isEmbeddedPidFile(path: string): Promise<boolean> {
  try {
    using file = await Deno.open(path);
    const buffer = new Uint8Array(8);
    const n = await file.read(buffer) ?? 0;
    return /^-42\r?\n/.test(new TextDecoder().decode(buffer.subarray(0, n)));
  } catch {
    return false;
  }
}
