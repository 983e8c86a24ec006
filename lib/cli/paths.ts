/**
 * Checks of the paths a command will write to, made before anything is
 * written (so that a failure after a commit is rare). Each problem is a
 * UsageError naming the flag, the path and the fix.
 */
import { dirname } from "node:path";
import { UsageError } from "./errors.ts";
import { fileErrorReason } from "./file_errors.ts";

/** The path's file info, or null when nothing is there (or a parent is a file). */
export async function existingPath(path: string, flag: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return null;
    }
    throw new UsageError(
      `Cannot use ${flag} "${path}": ${fileErrorReason(error)}; give another path`,
      {
        cause: error,
      },
    );
  }
}

/** Creates and removes an empty file in `dir`: the one sure test that files can be written there. */
export async function probeWritable(dir: string, flag: string, value: string): Promise<void> {
  const probe = `${dir.replace(/\/+$/, "") || "/"}/.chinook-sim-probe-${Deno.pid}`;
  try {
    await Deno.writeTextFile(probe, "", { createNew: true });
    await Deno.remove(probe);
  } catch (error) {
    throw new UsageError(
      `Cannot write to ${flag} "${value}": ${fileErrorReason(error)}; give a writable path`,
      { cause: error },
    );
  }
}

/** A file to be written: its directory exists and takes files, and it is not a directory itself. */
export async function checkOutputFile(path: string, flag: string): Promise<void> {
  const info = await existingPath(path, flag);
  if (info?.isDirectory) {
    throw new UsageError(`Cannot write ${flag} "${path}": it is a directory; give a file path`);
  }
  const dir = dirname(path);
  const parent = await existingPath(dir, flag);
  if (!parent?.isDirectory) {
    throw new UsageError(
      `Cannot write ${flag} "${path}": ${
        parent ? `"${dir}" is a file` : `the directory "${dir}" does not exist`
      }; give a path in an existing directory`,
    );
  }
  await probeWritable(dir, flag, path);
}
