/**
 * Runs main.ts with the narrowest permissions its command line needs: the
 * settings are resolved first (flags, environment, `.env`), then main.ts
 * starts with --allow-net, --allow-read and --allow-write scoped to them
 * (lib/cli/permissions.ts) and exactly the environment variables of
 * deno.json's permission set. This process itself only reads (settings,
 * `.env`) and starts deno; the exit code is main.ts's.
 *
 *   deno run --allow-env --allow-read --allow-run=deno tools/launch.ts <command> [options]
 *   CHINOOK_SIM_SHOW_PERMISSIONS=1 …   prints the flags instead of running
 */
import denoJson from "../deno.json" with { type: "json" };
import { denoFlags, grantFor, parentDirectory } from "../lib/cli/permissions.ts";
import { logFormatInArgs, setStderrFormat, writeError, writeOut } from "../lib/cli/terminal.ts";
import { type Env, loadEnv } from "../lib/cli/settings.ts";
import { V8_FLAGS } from "../lib/cli/v8_flags.ts";

const PROJECT_DIR = projectDir();
const ENV_KEYS: readonly string[] = denoJson.permissions.default.env;

function projectDir(): string {
  const path = decodeURIComponent(new URL("..", import.meta.url).pathname).replace(/\/$/, "");
  // file:///C:/… on Windows.
  return Deno.build.os === "windows" ? path.replace(/^\//, "") : path;
}

/** The environment as main.ts will read it; a broken `.env` is main.ts's to report. */
async function readEnv(args: readonly string[]): Promise<Env> {
  const at = args.findIndex((a) => a === "--env-file" || a.startsWith("--env-file="));
  const envFile = at === -1
    ? undefined
    : args[at]!.includes("=")
    ? args[at]!.slice("--env-file=".length)
    : args[at + 1];
  try {
    return await loadEnv(envFile);
  } catch {
    return Object.fromEntries(ENV_KEYS.map((k) => [k, Deno.env.get(k)]));
  }
}

function tempDir(): string {
  for (const key of ["TMPDIR", "TMP", "TEMP"]) {
    const value = Deno.env.get(key);
    if (value) return value.replace(/[\\/]+$/, "");
  }
  return "/tmp";
}

/** `path` if it is a directory, else its nearest ancestor that is one. */
export function nearestDirectory(path: string): string {
  for (let p = path;; p = parentDirectory(p)) {
    try {
      if (Deno.statSync(p).isDirectory) return p;
    } catch {
      // Not there (or not readable): its parent, then.
    }
    if (parentDirectory(p) === p) return p;
  }
}

export async function launchFlags(args: readonly string[]): Promise<string[]> {
  const grant = grantFor({
    args,
    env: await readEnv(args),
    cwd: Deno.cwd(),
    tempDir: tempDir(),
    projectDir: PROJECT_DIR,
    nearestDirectory,
  });
  return denoFlags(grant, ENV_KEYS);
}

/**
 * glibc's malloc (Linux) serves a large block from its own heaps once a block that size was freed
 * (its mmap threshold rises), and keeps what is freed there. PGlite's first run frees many: the
 * first embedded run's main.ts peaked at 325-354 MB, and at 265-277 MB with the threshold held
 * at 128 KiB (as fast; a server's 1M-invoice day alike). Not where the user set it.
 */
export function mallocEnv(env = Deno.env.toObject()): Record<string, string> {
  const set = "MALLOC_MMAP_THRESHOLD_" in env || "GLIBC_TUNABLES" in env;
  return set ? {} : { MALLOC_MMAP_THRESHOLD_: String(128 * 1024) };
}

async function launch(args: string[]): Promise<number> {
  const flags = await launchFlags(args);
  if (Deno.env.get("CHINOOK_SIM_SHOW_PERMISSIONS")) {
    writeOut(flags.join("\n"));
    return 0;
  }
  const child = new Deno.Command("deno", {
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      "--config",
      `${PROJECT_DIR}/deno.json`,
      ...V8_FLAGS,
      ...flags,
      `${PROJECT_DIR}/main.ts`,
      ...args,
    ],
    env: mallocEnv(),
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  // Ctrl-C reaches main.ts from the terminal itself (it stops cleanly); this
  // process waits for it. A termination is passed on.
  Deno.addSignalListener("SIGINT", () => {});
  if (Deno.build.os !== "windows") {
    Deno.addSignalListener("SIGTERM", () => child.kill("SIGTERM"));
  }
  const status = await child.status;
  return status.signal ? 128 + (status.signal === "SIGINT" ? 2 : 15) : status.code;
}

if (import.meta.main) {
  // Its own failure (deno not found) speaks the log format asked for, too. It logs nothing
  // else: the logging library is main.ts's to load.
  setStderrFormat(logFormatInArgs(Deno.args));
  try {
    Deno.exit(await launch(Deno.args));
  } catch (error) {
    writeError(`error: Cannot start main.ts: ${(error as Error).message}`, { exitCode: 1 });
    Deno.exit(1);
  }
}
