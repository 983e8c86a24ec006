/**
 * The narrowest permissions a command line needs, worked out before it runs
 * (Deno's permissions are fixed when a process starts; tools/launch.ts then
 * runs main.ts with them). Network: loopback (the embedded database, the
 * dashboard), the database host(s), and where Chinook is downloaded from when
 * it may be; files: the working, data and temporary directories, the
 * project's own files, and the paths named on the command line. Pure.
 */
import { PUBLIC_CHINOOK_URL, SYNTHETIC } from "../chinook/source_names.ts";
import { FLAGS, type FlagSpec } from "./flag_table.ts";
import { type Env, resolveDatabaseTarget } from "./settings.ts";

export interface PermissionGrant {
  net: string[];
  read: string[];
  write: string[];
}

export interface GrantInput {
  /** The command line after the program: a command and its flags. */
  args: readonly string[];
  /** The environment as the tool reads it (the process's over `.env`). */
  env: Env;
  /** Absolute paths. */
  cwd: string;
  tempDir: string;
  /** Where main.ts and its node_modules are (the embedded database's files are read from there). */
  projectDir: string;
  /**
   * `path` when it is a directory, else its nearest ancestor that is one (a
   * file is written beside itself first, a new directory is checked in its
   * parent). Without it (pure callers) the path itself.
   */
  nearestDirectory?: (path: string) => string;
}

/**
 * The directory that holds `path`, as node:path's dirname gives it (POSIX; on
 * Windows `\\` separates too and a drive's root stays itself). Not node:path
 * itself: loading Node's compatibility layer in the launcher made every run
 * start about 20 ms later (its own start and main.ts's beside it).
 */
export function parentDirectory(path: string): string {
  const windows = Deno.build.os === "windows";
  const separator = windows ? /[\\/]/ : /\//;
  let end = path.length;
  while (end > 1 && separator.test(path[end - 1]!)) end--;
  let at = end - 1;
  while (at >= 0 && !separator.test(path[at]!)) at--;
  if (at < 0) return windows && /^[A-Za-z]:/.test(path) ? path.slice(0, 2) : ".";
  if (at === 0) return path[0]!;
  const parent = path.slice(0, at);
  return windows && /^[A-Za-z]:$/.test(parent) ? `${parent}${path[at]}` : parent;
}

/** Every address of this machine: the embedded database listens there, on a port of its own. */
export const LOOPBACK = ["127.0.0.1", "localhost", "[::1]"] as const;

/**
 * Commands that may load Chinook: setup, and on the embedded database the
 * commands that set it up on their first day (a server is set up explicitly).
 */
const EMBEDDED_LOADING_COMMANDS = new Set(["simulate", "backfill", "catch-up", "live", "serve"]);

/** The flags' values as written, by the flag table's types (main.ts checks them properly). */
export function flagTexts(args: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") break;
    if (!arg.startsWith("--")) continue;
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = (FLAGS as Record<string, FlagSpec<unknown>>)[name];
    if (spec === undefined || spec.type !== "string") continue;
    const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
    if (value !== undefined) values.set(name, value);
  }
  return values;
}

/**
 * Hosts (host:port) and Unix sockets (the socket file, libpq's
 * DIR/.s.PGSQL.PORT) of a server target, and its password file: exactly
 * what the tool resolves and connects to (settings.ts). A configuration the
 * tool refuses grants nothing: main.ts reports it.
 */
export function databaseHosts(
  env: Env,
): { hosts: string[]; sockets: string[]; passfile: string | null } {
  let target;
  try {
    target = resolveDatabaseTarget(env, "unused");
  } catch {
    return { hosts: [], sockets: [], passfile: null };
  }
  if (target.kind !== "server") return { hosts: [], sockets: [], passfile: null };
  const { address } = target;
  return {
    hosts: address.hosts.map(({ host, port }) =>
      `${host.includes(":") ? `[${host}]` : host}:${port}`
    ),
    sockets: address.socketDir === null
      ? []
      : [`${address.socketDir.replace(/\/+$/, "")}/.s.PGSQL.${address.port}`],
    passfile: target.passfile,
  };
}

/** `path` made absolute against `cwd` (no file system access). */
export function absolute(path: string, cwd: string): string {
  if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path)) return path;
  return `${cwd.replace(/[\\/]+$/, "")}/${path.replace(/^\.\//, "")}`;
}

/** The grant for one command line. */
export function grantFor(input: GrantInput): PermissionGrant {
  const { args, env, cwd } = input;
  const command = args[0] ?? "";
  const flags = flagTexts(args.slice(1));
  const net = new Set<string>(LOOPBACK);
  const read = new Set<string>([cwd, input.tempDir, input.projectDir]);
  const write = new Set<string>([cwd, input.tempDir]);
  const setting = (name: string): string | undefined => {
    const spec = (FLAGS as Record<string, FlagSpec<unknown>>)[name];
    return flags.get(name) ?? (spec?.env ? env[spec.env] : undefined);
  };

  const { hosts, sockets, passfile } = databaseHosts(env);
  for (const host of hosts) net.add(host);
  for (const socket of sockets) {
    net.add(`unix:${socket}`);
    read.add(socket);
    write.add(socket);
  }

  // libpq's password file, for a server: PGPASSFILE, else ~/.pgpass (read only).
  if (passfile) read.add(absolute(passfile, cwd));

  const dataDir = setting("data-dir");
  if (dataDir) (read.add(absolute(dataDir, cwd)), write.add(absolute(dataDir, cwd)));
  // serve --host: an address to bind; an IPv6 one is bracketed for the grant.
  const host = flags.get("host")?.trim();
  if (host) net.add(host.includes(":") && !host.startsWith("[") ? `[${host}]` : host);

  for (const [name, spec] of Object.entries(FLAGS as Record<string, FlagSpec<unknown>>)) {
    if (!spec.access || name === "data-dir") continue;
    const value = setting(name);
    if (value === undefined || value.trim() === "") continue;
    if (spec.access === "database") {
      // Another database (a warehouse): its hosts and sockets, like DATABASE_URL's.
      const other = databaseHosts({ DATABASE_URL: value });
      for (const h of other.hosts) net.add(h);
      for (const socket of other.sockets) {
        (net.add(`unix:${socket}`), read.add(socket), write.add(socket));
      }
      continue;
    }
    if (spec.access === "source") {
      if (value === SYNTHETIC) continue;
      if (/^https?:\/\//i.test(value)) {
        const url = URL.canParse(value) ? new URL(value) : null;
        if (url) net.add(url.host);
      } else read.add(absolute(value, cwd));
      continue;
    }
    if (spec.access === "write" && value === "none" && name === "manifest-dir") continue;
    const path = absolute(value, cwd);
    read.add(path);
    if (spec.access === "write") {
      const where = input.nearestDirectory?.(path) ?? path;
      for (const p of new Set([path, where])) (read.add(p), write.add(p));
    }
  }
  const chinook = setting("chinook-sql");
  const embedded = hosts.length === 0 && sockets.length === 0;
  const loads = command === "setup" || (embedded && EMBEDDED_LOADING_COMMANDS.has(command));
  if ((chinook === undefined || chinook.trim() === "") && loads) {
    net.add(new URL(PUBLIC_CHINOOK_URL).host);
  }
  return { net: [...net], read: [...read], write: [...write] };
}

/**
 * A host Deno takes in --allow-net: a name (labels of letters, digits, `_`,
 * `-`), an IPv4 address or a bracketed IPv6 one, with an optional port; or a
 * Unix socket. Anything else would make Deno refuse to start before the tool
 * could say why: it is left out, and its use is then denied with the clear line.
 */
const NET_ENTRY =
  /^(?:unix:\/.+|(?:\[[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?\]|[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)(?::[0-9]{1,5})?)$/;

/** The grant as `deno run` flags (nothing granted: no flag, for Deno refuses an empty list). */
export function denoFlags(grant: PermissionGrant, envKeys: readonly string[]): string[] {
  // Deno reads a comma inside a path as a separator: such a path is left out (and denied, clearly).
  const flag = (name: string, items: readonly string[]) => {
    const kept = items.filter((i) =>
      i !== "" && !i.includes(",") && (name !== "net" || NET_ENTRY.test(i))
    );
    return kept.length === 0 ? [] : [`--allow-${name}=${kept.join(",")}`];
  };
  return [
    ...flag("net", grant.net),
    ...flag("read", grant.read),
    ...flag("write", grant.write),
    ...flag("env", envKeys),
    // The free space of a data directory's disk (why a database that stopped on it cannot open).
    "--allow-sys=statfs",
  ];
}
