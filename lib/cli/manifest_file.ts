/** Writes a committed day's manifest as JSON: `<dir>/<day>.json` (`<day>.run2.json` for a forced rerun). */
import type { Manifest } from "../sim/manifest.ts";
import { writeTextFileWhole } from "./files.ts";

export const DEFAULT_MANIFEST_DIR = "manifests";
/** `--manifest-dir none`: keep manifests in the ledger only. */
export const NO_MANIFEST_FILES = "none";

export async function writeManifest(dir: string, manifest: Manifest): Promise<string | null> {
  if (dir === NO_MANIFEST_FILES) return null;
  await Deno.mkdir(dir, { recursive: true });
  const name = manifest.run > 1
    ? `${manifest.day}.run${manifest.run}.json`
    : `${manifest.day}.json`;
  const path = `${dir.replace(/\/+$/, "")}/${name}`;
  await writeTextFileWhole(path, JSON.stringify(manifest, null, 2) + "\n");
  return path;
}
