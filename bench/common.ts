/** What the benchmarks share: the local server, the repository, the Chinook sample, output. */
import { treeRssKb } from "./bench_lib.ts";

/** The server the benchmarks create their databases on. */
export const ADMIN_URL = Deno.env.get("BENCH_DATABASE_URL") ??
  "postgres://postgres@127.0.0.1:5432/postgres";
export const ROOT = new URL("..", import.meta.url).pathname;
export const CHINOOK = Deno.env.get("CHINOOK_SQL") ?? `${ROOT}../shared/chinook/chinook.sql`;

/** A result line on stdout. */
export function out(line: string) {
  // deno-lint-ignore no-console
  console.log(line);
}

/** The URL of `database` on the benchmarks' server. */
export function urlOf(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.href;
}

const decoder = new TextDecoder();

export interface RunOptions {
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** Removed from it (e.g. DATABASE_URL, for the embedded database). */
  unset?: string[];
  cwd?: string;
  /** Sample memory (default); off for short runs timed to the millisecond. */
  sample?: boolean;
}

/** The resident memory of a process and all its descendants, from one `ps` listing. */
async function sampleTree(pid: number) {
  const ps = await new Deno.Command("ps", {
    args: ["-e", "-o", "pid=,ppid=,rss="],
    stdout: "piped",
    stderr: "null",
  }).output();
  return treeRssKb(decoder.decode(ps.stdout), pid);
}

/** GNU time, where there is one: the CPU time of a whole process tree, exactly. */
const GNU_TIME = "/usr/bin/time";
const hasGnuTime = await Deno.stat(GNU_TIME).then((s) => s.isFile, () => false);

/**
 * Runs a command, sampling the resident memory of its whole process tree with
 * `ps` every 100 ms (reading /proc needs --allow-all in Deno): `deno task`
 * and the launcher start child processes, and their memory counts too.
 * peakMb is the largest sum over the tree; largestMb the largest single process.
 * With GNU time, cpuSeconds is the tree's user + system time (the waited-for
 * descendants' included): a figure the machine's load changes far less than
 * the wall time. The database server's own work is in neither.
 */
export async function timed(cmd: string, args: string[], opts: RunOptions = {}) {
  const env = { ...Deno.env.toObject(), ...opts.env };
  for (const key of opts.unset ?? []) delete env[key];
  const rusage = hasGnuTime ? await Deno.makeTempFile({ prefix: "bench-rusage-" }) : undefined;
  const started = performance.now();
  const child = new Deno.Command(rusage ? GNU_TIME : cmd, {
    args: rusage ? ["-f", "%U %S %M", "-o", rusage, cmd, ...args] : args,
    env,
    clearEnv: true,
    cwd: opts.cwd,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  let peakKb = 0;
  let largestKb = 0;
  let sampling = opts.sample ?? true;
  const sampler = (async () => {
    while (sampling) {
      const { totalKb, largestKb: one } = await sampleTree(child.pid);
      peakKb = Math.max(peakKb, totalKb);
      largestKb = Math.max(largestKb, one);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const result = await child.output();
  const seconds = (performance.now() - started) / 1000;
  sampling = false;
  await sampler;
  let cpuSeconds = NaN;
  if (rusage) {
    // The last line: GNU time writes "Command exited with non-zero status N" before it.
    const last = (await Deno.readTextFile(rusage)).trim().split("\n").at(-1) ?? "";
    await Deno.remove(rusage);
    const [user, system, maxKb] = last.split(" ").map(Number);
    cpuSeconds = user! + system!;
    if (Number.isFinite(maxKb)) largestKb = Math.max(largestKb, maxKb!);
  }
  if (!result.success) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed (exit ${result.code}): ${
        decoder.decode(result.stderr).trim().slice(-2000)
      }`,
    );
  }
  return {
    seconds,
    cpuSeconds,
    peakMb: Math.max(peakKb, largestKb) / 1024,
    largestMb: largestKb / 1024,
    stdout: decoder.decode(result.stdout),
  };
}

/** Quiet, UTC, no colour: what every benchmarked run gets. */
const QUIET = { NO_COLOR: "1", SIM_TIMEZONE: "UTC", LOG_LEVEL: "warning" };
/** Settings of this shell that would change what a benchmarked run does. */
const UNSET = ["SIM_SEED", "SIM_HISTORY_YEARS", "SIM_DATA_DIR", "CHINOOK_SQL"];

/** Runs main.ts against a database, timed, with quiet UTC settings. */
export function runCli(databaseUrl: string, args: string[]) {
  return timed(Deno.execPath(), ["run", "--quiet", "-P", `${ROOT}main.ts`, ...args], {
    env: { ...QUIET, DATABASE_URL: databaseUrl },
    unset: UNSET,
  });
}

/** The settings that would point a run at a server instead of the embedded database. */
export const SERVER_SETTINGS = [
  "DATABASE_URL",
  "PGHOST",
  "PGPORT",
  "PGUSER",
  "PGPASSWORD",
  "PGDATABASE",
];

/**
 * Runs a `deno task` of the repository (e.g. `simulate`, through the launcher,
 * as a user would) on a server database (`databaseUrl`) or, with null, on the
 * embedded database: `--data-dir` is then up to the caller's arguments.
 */
export function runTask(
  task: string,
  databaseUrl: string | null,
  args: string[],
  options: Pick<RunOptions, "sample"> = {},
) {
  return timed(Deno.execPath(), ["task", "--quiet", task, ...args], {
    ...options,
    cwd: ROOT,
    env: databaseUrl === null ? QUIET : { ...QUIET, DATABASE_URL: databaseUrl },
    unset: databaseUrl === null ? [...UNSET, ...SERVER_SETTINGS] : UNSET,
  });
}
