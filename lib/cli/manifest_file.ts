/**
 * Manifest files: `<dir>/<day>.json` (`<day>.run2.json` for a second run of
 * the day), written after the commit. Whatever can be checked is checked
 * before the transaction, so a failure after the commit is rare, and then it
 * is reported as such (the manifest is kept in chinook_sim.run anyway).
 */
import { dirname } from "node:path";
import type { Manifest } from "../sim/manifest.ts";
import { UsageError } from "./errors.ts";
import { writeTextFileWhole } from "./files.ts";
import { existingPath, probeWritable } from "./paths.ts";

export const DEFAULT_MANIFEST_DIR = "manifests";
/** `--manifest-dir none`: keep manifests in the ledger only. */
export const NO_MANIFEST_FILES = "none";

/**
 * Before the transaction: the directory, or the nearest of its parents that
 * exists, must be a directory that can be written to (a dry run, which
 * writes no file, only checks that it is no file).
 */
export async function checkManifestDir(dir: string, options: { dryRun: boolean }): Promise<void> {
  if (dir === NO_MANIFEST_FILES) return;
  if (dir.trim() === "") {
    throw new UsageError(
      `Cannot use --manifest-dir "": give a directory, or "${NO_MANIFEST_FILES}" to keep manifests in the ledger only`,
    );
  }
  for (let path = dir;; path = dirname(path)) {
    const info = await existingPath(path, "--manifest-dir");
    if (info) {
      if (!info.isDirectory) {
        throw new UsageError(
          `Cannot use --manifest-dir "${dir}": ${
            path === dir ? "it is" : `"${path}" is`
          } a file, not a directory; give a directory, or "${NO_MANIFEST_FILES}"`,
        );
      }
      if (!options.dryRun) await probeWritable(path, "--manifest-dir", dir);
      return;
    }
    if (dirname(path) === path) return;
  }
}

function manifestPath(dir: string, manifest: Manifest): string {
  const name = manifest.run > 1
    ? `${manifest.day}.run${manifest.run}.json`
    : `${manifest.day}.json`;
  return `${dir.replace(/\/+$/, "")}/${name}`;
}

/** Writes a committed run's manifest; its path, or null with `--manifest-dir none`. */
export async function writeManifest(dir: string, manifest: Manifest): Promise<string | null> {
  if (dir === NO_MANIFEST_FILES) return null;
  await Deno.mkdir(dir, { recursive: true });
  const path = manifestPath(dir, manifest);
  await writeTextFileWhole(path, JSON.stringify(manifest, null, 2) + "\n");
  return path;
}

/**
 * The manifests of a day's committed runs whose file is missing (a process
 * stopped between the commit and the file): written now. Their paths.
 */
export async function writeMissingManifests(dir: string, manifests: Manifest[]): Promise<string[]> {
  if (dir === NO_MANIFEST_FILES) return [];
  const written: string[] = [];
  for (const manifest of manifests) {
    if (await existingPath(manifestPath(dir, manifest), "--manifest-dir")) continue;
    const path = await writeManifest(dir, manifest);
    if (path) written.push(path);
  }
  return written;
}
