/**
 * `deno task compile`: builds the single binary (dist/chinook-sim, the SQL
 * files embedded) with its permissions fixed in it.
 *
 *   deno task compile                                  the release grant: any host
 *   deno task compile --allow-db-host=HOST[:PORT],…    reaches only these hosts
 *   deno task compile --allow-db-host-from-env         only DATABASE_URL's (or PGHOST's) hosts
 *   … --target TRIPLE --output PATH                    passed on to deno compile
 *   … --print                                          prints the deno compile command instead
 *
 * Files: a binary reads and writes wherever its user can (the working and data
 * directories are only known when it runs); environment: exactly deno.json's
 * list. The hosts of a narrowed binary get no default port: HOST alone is any
 * port of HOST.
 */
import { parseArgs } from "node:util";
import denoJson from "../deno.json" with { type: "json" };
import { writeError, writeOut } from "../lib/cli/output.ts";
import { databaseHosts } from "../lib/cli/permissions.ts";
import { type Env, loadEnv } from "../lib/cli/settings.ts";
import { V8_FLAGS } from "../lib/cli/v8_flags.ts";

const ENV_KEYS: readonly string[] = denoJson.permissions.default.env;

/** The `deno compile` arguments for these options. */
export function compileArgs(
  options: { hosts: string[] | null; target?: string; output?: string },
): string[] {
  const net = options.hosts === null ? "--allow-net" : `--allow-net=${options.hosts.join(",")}`;
  return [
    "compile",
    "--no-prompt",
    net,
    "--allow-read",
    "--allow-write",
    `--allow-env=${ENV_KEYS.join(",")}`,
    "--allow-sys=statfs",
    ...V8_FLAGS,
    "--include",
    "sql",
    // The new embedded database's cluster (lib/db/cluster.ts reads it as a file).
    "--include",
    "lib/db/cluster.tar.br",
    ...(options.target ? ["--target", options.target] : []),
    "--output",
    options.output ?? "dist/chinook-sim",
    "main.ts",
  ];
}

/** `--allow-db-host` values: host or host:port, each checked (no scheme, path or space). */
export function parseHosts(text: string): string[] {
  const hosts = text.split(",").map((h) => h.trim()).filter((h) => h !== "");
  for (const host of hosts) {
    if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(host)) {
      throw new Error(
        `Cannot use --allow-db-host "${host}": expected HOST or HOST:PORT (no scheme, user or path)`,
      );
    }
  }
  if (hosts.length === 0) throw new Error('Cannot use --allow-db-host "": give HOST[:PORT],…');
  return hosts;
}

async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      "allow-db-host": { type: "string" },
      "allow-db-host-from-env": { type: "boolean" },
      target: { type: "string" },
      output: { type: "string" },
      print: { type: "boolean" },
    },
  });
  let hosts: string[] | null = null;
  if (values["allow-db-host"] !== undefined) hosts = parseHosts(values["allow-db-host"]);
  if (values["allow-db-host-from-env"]) {
    const env: Env = await loadEnv(undefined);
    const found = databaseHosts(env);
    if (found.hosts.length === 0 && found.sockets.length === 0) {
      throw new Error(
        "Cannot use --allow-db-host-from-env: neither DATABASE_URL nor PGHOST names a host; set one, or give --allow-db-host=HOST",
      );
    }
    hosts = [...(hosts ?? []), ...found.hosts, ...found.sockets.map((s) => `unix:${s}`)];
  }
  const compile = compileArgs({ hosts, target: values.target, output: values.output });
  if (values.print) {
    writeOut(["deno", ...compile].join(" "));
    return 0;
  }
  const root = new URL("..", import.meta.url).pathname;
  const status = await new Deno.Command("deno", { args: compile, cwd: root }).spawn().status;
  return status.code;
}

if (import.meta.main) {
  try {
    Deno.exitCode = await main(Deno.args);
  } catch (error) {
    writeError(`error: ${(error as Error).message}`);
    Deno.exitCode = 2;
  }
}
