/**
 * Fresh databases for integration tests: on the PostgreSQL server at
 * TEST_DATABASE_URL (a new database per test, dropped afterwards), or, when
 * it is unset, the embedded database in a new temporary directory. The real
 * Chinook sample comes from CHINOOK_SQL; when it is unset the synthetic
 * catalogue is used, exactly as on a machine with nothing but Deno.
 */
import postgres from "postgres";
import denoJson from "../deno.json" with { type: "json" };
import { denoFlags, grantFor } from "../lib/cli/permissions.ts";
import { startEmbedded } from "../lib/db/embedded.ts";
import { nearestDirectory } from "../tools/launch.ts";

export type Sql = postgres.Sql;

export const SERVER_URL = Deno.env.get("TEST_DATABASE_URL");
export const ON_SERVER = SERVER_URL !== undefined && SERVER_URL !== "";
export const ROOT = new URL("..", import.meta.url).pathname;

/**
 * The Chinook file tests load: CHINOOK_SQL, else "synthetic". Never a file
 * found nearby: unset must mean the bare configuration, so that it is tested.
 */
export function chinookSource(): string {
  return Deno.env.get("CHINOOK_SQL") || "synthetic";
}

/** A test name that says, when it is skipped, why: it needs the PostgreSQL server. */
export function serverOnly(
  name: string,
  reason = "needs TEST_DATABASE_URL (a PostgreSQL server)",
): string {
  return ON_SERVER ? name : `${name} [skipped: ${reason}]`;
}

export const REAL_CHINOOK = chinookSource() !== "synthetic";

const OPTIONS = { onnotice: () => {}, max: 1, idle_timeout: 0, max_lifetime: null } as const;

export interface TestDatabase {
  kind: "server" | "embedded";
  /** Environment for the CLI: DATABASE_URL or SIM_DATA_DIR. */
  env: Record<string, string>;
  /** Runs queries for assertions (the embedded one is opened only meanwhile: one process at a time). */
  query<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

function adminUrl(database: string): string {
  const url = new URL(SERVER_URL!);
  url.pathname = `/${database}`;
  return url.href;
}

export async function freshDatabase(): Promise<TestDatabase> {
  if (ON_SERVER) {
    const name = `chinook_sim_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
    const admin = postgres(SERVER_URL!, OPTIONS);
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = adminUrl(name);
    const sql = postgres(url, OPTIONS);
    return {
      kind: "server",
      env: { DATABASE_URL: url },
      query: (work) => work(sql),
      async drop() {
        await sql.end();
        const admin = postgres(SERVER_URL!, OPTIONS);
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  return embeddedDatabase(await Deno.makeTempDir({ prefix: "chinook-sim-test-" }));
}

/** The embedded database in `dir` (whatever TEST_DATABASE_URL says); drop() removes the directory. */
export function embeddedDatabase(dir: string): TestDatabase {
  return {
    kind: "embedded",
    env: { SIM_DATA_DIR: dir },
    query: (work) => queryEmbedded(dir, work),
    async drop() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Opens the embedded database in `dir` for `work` only: one process at a time. */
export async function queryEmbedded<T>(dir: string, work: (sql: Sql) => Promise<T>): Promise<T> {
  const server = await startEmbedded(dir);
  const sql = postgres(server.url, OPTIONS);
  try {
    return await work(sql);
  } finally {
    await sql.end();
    await server.close();
  }
}

/**
 * Permission flags of the shipped tool, from the one place they are defined;
 * with CHINOOK_SIM_TEST_PERMISSIONS=narrow, the narrowed flags the launcher
 * (tools/launch.ts) would give this command line and environment.
 */
export function permissionFlags(
  args: string[] = [],
  env: Record<string, string> = {},
  cwd: string = WORK_DIR,
): string[] {
  if (Deno.env.get("CHINOOK_SIM_TEST_PERMISSIONS") !== "narrow") return ["-P"];
  const grant = grantFor({
    args,
    env,
    cwd,
    tempDir: Deno.env.get("TMPDIR")?.replace(/\/+$/, "") || "/tmp",
    projectDir: ROOT.replace(/\/$/, ""),
    nearestDirectory,
  });
  return ["--no-prompt", ...denoFlags(grant, denoJson.permissions.default.env)];
}

/** Where CLI runs happen: no stray .env, manifests or data in the repository. */
export const WORK_DIR = Deno.makeTempDirSync({ prefix: "chinook-sim-cwd-" });
globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(WORK_DIR, { recursive: true });
  } catch {
    // Already gone.
  }
});

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  cwd?: string;
  stdin?: "piped" | "null";
  stdout?: "piped" | "null";
  stderr?: "piped" | "null";
  /** Permission flags instead of the shipped set (e.g. to take the network away). */
  permissions?: string[];
}

/**
 * Starts main.ts exactly as users do (its own permission set, a clean
 * environment) and hands back the running process, for tests that hold it:
 * kill it mid-day, read its output as it comes, stop it with a signal.
 */
export function spawnCli(args: string[], options: SpawnOptions = {}): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--config",
      `${ROOT}deno.json`,
      ...(options.permissions ??
        permissionFlags(args, {
          NO_COLOR: "1",
          LOG_LEVEL: "info",
          SIM_TIMEZONE: "UTC",
          ...options.env,
        }, options.cwd)),
      `${ROOT}main.ts`,
      ...args,
    ],
    cwd: options.cwd ?? WORK_DIR,
    // No model-made history unless a test asks for it: most tests need only Chinook's invoices.
    env: {
      NO_COLOR: "1",
      LOG_LEVEL: "info",
      SIM_TIMEZONE: "UTC",
      SIM_HISTORY_YEARS: "0",
      ...options.env,
    },
    clearEnv: true,
    stdin: options.stdin ?? "null",
    stdout: options.stdout ?? "piped",
    stderr: options.stderr ?? "piped",
  }).spawn();
}

/** A running CLI's output as text, read as far as needed (cancel the reader when done with it). */
export function textReader(
  stream: ReadableStream<Uint8Array<ArrayBuffer>>,
): ReadableStreamDefaultReader<string> {
  return stream.pipeThrough(new TextDecoderStream()).getReader();
}

/** Reads until `marker` appears (or the stream ends); what was read. */
export async function readUntil(
  reader: ReadableStreamDefaultReader<string>,
  marker: string,
): Promise<string> {
  let text = "";
  while (!text.includes(marker)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  return text;
}

/** Runs main.ts to the end: exit code, stdout and stderr. */
export async function cli(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string; cwd?: string } = {},
): Promise<CliResult> {
  const child = spawnCli(args, {
    env: options.env,
    cwd: options.cwd,
    stdin: options.stdin === undefined ? "null" : "piped",
  });
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  const decoder = new TextDecoder();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr).replace(
      /^.*Permissions in the config file is an experimental.*\n/gm,
      "",
    ),
  };
}

/**
 * Sets up a fresh database with the Chinook sample through the CLI's `setup`.
 * An embedded one is set up once per run and distinct arguments (loading Chinook
 * and its history takes seconds), then its closed data directory is copied.
 */
export async function setupDatabase(db: TestDatabase, extra: string[] = []): Promise<void> {
  const args = ["setup", "--chinook-sql", chinookSource(), ...extra];
  const dir = db.env.SIM_DATA_DIR;
  if (db.kind === "embedded" && dir !== undefined && TEMPLATES && await isEmpty(dir)) {
    await copyDirectory(await template(args), dir);
    return;
  }
  await runSetup(args, db.env);
}

async function runSetup(args: string[], env: Record<string, string>): Promise<void> {
  const result = await cli(args, { env });
  if (result.code !== 0) throw new Error(`setup failed (${result.code}): ${result.stderr}`);
}

/** Where `deno task test` (tests/run.ts) keeps this run's set-up data directories. */
const TEMPLATES = Deno.env.get("CHINOOK_SIM_TEST_TEMPLATES");

/**
 * The data directory `setup` made with these arguments, built by the first
 * test that needs it; test modules run in parallel, so a lock file serialises them.
 */
async function template(args: string[]): Promise<string> {
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(args.join("\0")));
  const name = [...new Uint8Array(hash).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0"))
    .join("");
  const dir = `${TEMPLATES}/${name}`;
  using lock = await Deno.open(`${dir}.lock`, { create: true, write: true });
  await lock.lock(true);
  if (!(await exists(dir))) {
    // Built aside and renamed: an interrupted build never passes for a template.
    const building = `${dir}.building`;
    await Deno.remove(building, { recursive: true }).catch(() => {});
    await runSetup(args, { SIM_DATA_DIR: building });
    await Deno.rename(building, dir);
  }
  return dir;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function isEmpty(dir: string): Promise<boolean> {
  for await (const _ of Deno.readDir(dir)) return false;
  return true;
}

async function copyDirectory(from: string, to: string): Promise<void> {
  const out = await new Deno.Command("cp", { args: ["-R", `${from}/.`, to], stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(`Cannot copy ${from} to ${to}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/**
 * Runs `work` on a fresh database, set up with history ending on
 * `historyEnd` unless that is null; drops it afterwards.
 */
export async function withSetUpDatabase(
  historyEnd: string | null,
  work: (db: TestDatabase) => Promise<void>,
): Promise<void> {
  const db = await freshDatabase();
  try {
    if (historyEnd !== null) await setupDatabase(db, ["--history-end", historyEnd]);
    await work(db);
  } finally {
    await db.drop();
  }
}

/** A test that needs the PostgreSQL server, on a database of its own (see withSetUpDatabase). */
export function serverTest(
  name: string,
  historyEnd: string | null,
  work: (db: TestDatabase) => Promise<void>,
  reason?: string,
): void {
  Deno.test({
    name: serverOnly(name, reason),
    ignore: !ON_SERVER,
    fn: () => withSetUpDatabase(historyEnd, work),
  });
}

/** A summary of everything the simulator may touch: equal before and after ⇒ nothing written. */
export async function fingerprint(sql: Sql): Promise<string> {
  const [tables] = await sql`
    SELECT
      (SELECT count(*) FROM public."Invoice") AS invoices,
      (SELECT coalesce(sum("Total"), 0) FROM public."Invoice") AS total,
      (SELECT coalesce(sum(extract(epoch FROM "InvoiceDate")), 0) FROM public."Invoice") AS dates,
      (SELECT count(*) FROM public."InvoiceLine") AS lines,
      (SELECT coalesce(sum("TrackId"::bigint * "InvoiceId"), 0) FROM public."InvoiceLine") AS line_sum,
      (SELECT md5(string_agg(c::text, ',' ORDER BY "CustomerId")) FROM public."Customer" c) AS customers,
      to_regclass('chinook_sim.ledger') IS NOT NULL AS installed`;
  const ledger = tables?.installed
    ? await sql`SELECT md5(coalesce(string_agg(l::text, ',' ORDER BY sim_date), '')) AS h FROM chinook_sim.ledger l`
    : [];
  return JSON.stringify({ ...tables, ledger: ledger[0]?.h ?? null });
}
