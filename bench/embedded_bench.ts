/**
 * The embedded database's headline runs, as a user starts them (`deno task simulate`, through
 * tools/launch.ts, which starts a second deno): the first run on a fresh data directory (PGlite's
 * cluster, the catalogue, three years of history, D-1), then a 10k-invoice day on it. Beside them,
 * in the same run: the process-start floor (`--version`) and opening the existing directory
 * (`status`). Wall time and the peak resident memory of the whole process tree (sampled with ps
 * every 25 ms), median of `--runs` fresh directories.
 *
 *   deno task bench:embedded [--runs N]     (default 3)
 */
import { parseArgs } from "node:util";
import { out, ROOT } from "./common.ts";

const { values } = parseArgs({ args: Deno.args, options: { runs: { type: "string" } } });
const runs = Number(values.runs ?? 3);

const LAUNCH = [
  "run",
  "--quiet",
  "--no-prompt",
  "--allow-env",
  "--allow-read",
  "--allow-run=deno",
  `${ROOT}tools/launch.ts`,
];
const ENV = { NO_COLOR: "1", SIM_TIMEZONE: "UTC", LOG_LEVEL: "warning" };

export interface TreeRun {
  seconds: number;
  /** The largest sum of the resident memory of the process and all its descendants. */
  peakMb: number;
}

/**
 * The resident memory of `pid` and all its descendants, in KiB, from one `ps` (reading /proc
 * directly needs --allow-all in Deno).
 */
async function treeResidentKb(pid: number): Promise<number> {
  const ps = await new Deno.Command("ps", {
    args: ["-e", "-o", "pid=,ppid=,rss="],
    stdout: "piped",
    stderr: "null",
  }).output();
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const row of new TextDecoder().decode(ps.stdout).split("\n")) {
    const [p, parent, kb] = row.trim().split(/\s+/).map(Number) as [number, number, number];
    if (!p) continue;
    rss.set(p, kb);
    children.set(parent, [...(children.get(parent) ?? []), p]);
  }
  let total = 0;
  for (const queue = [pid]; queue.length > 0;) {
    const p = queue.pop()!;
    total += rss.get(p) ?? 0;
    queue.push(...(children.get(p) ?? []));
  }
  return total;
}

/** Runs `deno args`, sampling the whole tree's resident memory; fails on a non-zero exit. */
export async function measureTree(
  args: string[],
  env: Record<string, string> = {},
): Promise<TreeRun> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { ...ENV, ...env },
    clearEnv: false,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  let peakKb = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peakKb = Math.max(peakKb, await treeResidentKb(child.pid));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  const result = await child.output();
  running = false;
  await sampler;
  const seconds = (performance.now() - started) / 1000;
  if (!result.success) {
    throw new Error(`deno ${args.join(" ")} failed: ${new TextDecoder().decode(result.stderr)}`);
  }
  return { seconds, peakMb: peakKb / 1024 };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function line(label: string, results: TreeRun[]): string {
  const s = results.map((r) => r.seconds);
  const m = results.map((r) => r.peakMb);
  return `${label.padEnd(34)} ${median(s).toFixed(2)} s (${
    s.map((x) => x.toFixed(2)).join(", ")
  }), peak ${median(m).toFixed(0)} MB (${m.map((x) => x.toFixed(0)).join(", ")})`;
}

if (import.meta.main) {
  // The embedded database only: no server, no sample (the synthetic catalogue).
  for (const key of ["DATABASE_URL", "CHINOOK_SQL", "PGHOST", "SIM_DATA_DIR"]) Deno.env.delete(key);
  const floor: TreeRun[] = [];
  const first: TreeRun[] = [];
  const open: TreeRun[] = [];
  const day: TreeRun[] = [];
  const tmp = await Deno.makeTempDir({ prefix: "embedded_bench" });
  try {
    for (let i = 0; i < runs; i++) {
      const dir = `${tmp}/run${i}`;
      const dataDir = ["--data-dir", dir];
      const manifests = ["--manifest-dir", `${tmp}/manifests${i}`];
      floor.push(await measureTree([...LAUNCH, "--version"]));
      first.push(await measureTree([...LAUNCH, "simulate", ...dataDir, ...manifests]));
      open.push(await measureTree([...LAUNCH, "status", ...dataDir]));
      day.push(
        await measureTree([
          ...LAUNCH,
          "simulate",
          ...dataDir,
          ...manifests,
          "--inserts",
          "10000",
          "--updates",
          "500",
          "--deletes",
          "200",
          "--force",
        ]),
      );
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
  out(`embedded database, ${runs} runs each (median (each run)), wall and peak RSS of the tree`);
  out(line("process start (--version)", floor));
  out(line("first run (fresh --data-dir)", first));
  out(line("open only (status)", open));
  out(line("10k day (10000/500/200)", day));
}
