/**
 * Debian's headless Chromium driven by Playwright (playwright-core), for the
 * browser tests and the dashboard benchmark.
 */
import fs from "node:fs";
import type { BrowserContext } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export const HAS_CHROMIUM = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();

const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// playwright-core probes /proc/sys/fs/binfmt_misc/WSLInterop with existsSync
// when it loads. Under Deno's permissions (anything short of --allow-all) a
// /proc path throws NotCapable instead of answering; for that probe it means
// "not WSL". Hence the patch, then the dynamic import.
const existsSync = fs.existsSync;
fs.existsSync = ((path: fs.PathLike) => {
  try {
    return existsSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable) return false;
    throw error;
  }
}) as typeof fs.existsSync;
const { chromium } = await import("playwright-core");

/** A browser with a fresh profile in `profileDir` (Playwright's way to pass --user-data-dir). */
export async function launchChromium(
  profileDir: string,
  viewport = { width: 1280, height: 900 },
): Promise<BrowserContext> {
  return await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_ARGS,
    viewport,
  });
}
