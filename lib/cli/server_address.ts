/**
 * Where a server is, libpq's way: a URL's host may be a list
 * (`postgres://u@h1:5432,h2:5433/db`, tried in order) or a Unix-socket
 * directory (`?host=/var/run/postgresql`, or the directory percent-encoded
 * as the host); PGHOST may be a list or a directory too. Pure.
 */

export interface HostPort {
  host: string;
  port: number;
}

/** The parts of a server's address that the URL class cannot hold (a host list, a socket). */
export interface ServerAddress {
  /** The URL with "localhost" standing in for the hosts: user, password, database, parameters. */
  url: URL;
  /** TCP hosts in order; empty for a Unix socket. */
  hosts: HostPort[];
  /** A Unix-socket directory (libpq: a host starting with "/"), or null. */
  socketDir: string | null;
  /** The port (of the socket, or the first host). */
  port: number;
  /** libpq's ?connect_timeout=SECONDS: the wait for any host to answer, in all; null: the default. */
  connectTimeoutSeconds: number | null;
}

const NOT_A_URL = "is not a valid URL: expected postgres://USER:PASSWORD@HOST:PORT/DATABASE";
const badPort = (port: string) =>
  `has port "${port}", not a port: expected a whole number from 1 to 65535`;

const AUTHORITY = /^([a-z][a-z0-9+.-]*:)\/\/(?:([^@/?#]*)@)?([^/?#]*)(.*)$/is;

/** A URL's address, or a problem (a phrase after "DATABASE_URL ", no secret in it). */
export function parseServerUrl(text: string): ServerAddress | { problem: string } {
  const match = AUTHORITY.exec(text);
  if (!match) return { problem: NOT_A_URL };
  const [, scheme, userinfo, hostList, rest] = match as unknown as string[];
  let url: URL;
  try {
    url = new URL(`${scheme}//${userinfo === undefined ? "" : `${userinfo}@`}localhost${rest}`);
  } catch {
    return { problem: NOT_A_URL };
  }
  const hostParam = url.searchParams.get("host");
  url.searchParams.delete("host");
  const portParam = url.searchParams.get("port");
  url.searchParams.delete("port");
  const timeoutParam = url.searchParams.get("connect_timeout");
  url.searchParams.delete("connect_timeout");
  let connectTimeoutSeconds: number | null = null;
  if (timeoutParam !== null) {
    // libpq's 0 (wait for ever) is refused: every command ends within its timeouts.
    if (!/^[0-9]{1,4}$/.test(timeoutParam) || +timeoutParam < 1 || +timeoutParam > 3600) {
      return {
        problem: `has connect_timeout "${timeoutParam}": expected whole seconds from 1 to 3600`,
      };
    }
    connectTimeoutSeconds = Number(timeoutParam);
  }
  let defaultPort = portParam ?? "5432";
  let socketDir: string | null = null;
  if (hostParam !== null && hostParam.startsWith("/")) socketDir = hostParam;
  else if (/^%2F/i.test(hostList ?? "")) {
    // A socket directory percent-encoded as the host, maybe with a port.
    const [, dir, port] = /^([^:]*)(?::(.*))?$/.exec(hostList!)!;
    try {
      socketDir = decodeURIComponent(dir!);
    } catch {
      return { problem: `has host "${dir}", not valid percent-encoding` };
    }
    if (port !== undefined) defaultPort = port;
  }
  const list = socketDir !== null ? "" : hostParam ?? hostList ?? "";
  const hosts: HostPort[] = [];
  for (const item of list === "" ? [] : list.split(",")) {
    const parsed = parseHostPort(item, defaultPort);
    if ("problem" in parsed) return parsed;
    hosts.push(parsed);
  }
  if (socketDir === null && hosts.length === 0) {
    return { problem: "has no host: expected postgres://USER@HOST/DB" };
  }
  const port = socketDir !== null ? portOf(defaultPort) : hosts[0]!.port;
  if (Number.isNaN(port)) return { problem: badPort(defaultPort) };
  return { url, hosts, socketDir, port, connectTimeoutSeconds };
}

function parseHostPort(item: string, defaultPort: string): HostPort | { problem: string } {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]*)(?::([^:]*))?$/i.exec(item);
  if (!m || m[1] === "") return { problem: `has host "${item}", not HOST or HOST:PORT` };
  const port = portOf(m[2] ?? defaultPort);
  if (Number.isNaN(port)) {
    return { problem: badPort(m[2] ?? defaultPort) };
  }
  return { host: m[1]!.replace(/^\[(.*)\]$/, "$1"), port };
}

function portOf(text: string): number {
  return /^[0-9]{1,5}$/.test(text) && Number(text) >= 1 && Number(text) <= 65535
    ? Number(text)
    : NaN;
}

/** `postgres://user@h1:5432,h2:5433/db`, or `postgres://user@/db?host=/dir`: never the password. */
export function describeAddress(address: ServerAddress): string {
  const { url } = address;
  const user = url.username ? `${decodeURIComponent(url.username)}@` : "";
  const where = address.socketDir === null
    ? address.hosts.map(({ host, port }) =>
      `${host.includes(":") ? `[${host}]` : host}${port === 5432 ? "" : `:${port}`}`
    ).join(",")
    : "";
  const socket = address.socketDir === null
    ? ""
    : `?host=${address.socketDir}${address.port === 5432 ? "" : `&port=${address.port}`}`;
  return `${url.protocol}//${user}${where}${url.pathname}${socket}`;
}

/** PGHOST's TCP hosts (a list) with PGPORT (one port, or one per host) as a URL's host part. */
export function hostsFromEnv(pghost: string, pgport: string): string {
  const ports = pgport.split(",");
  return pghost.split(",").map((h, i) => {
    const host = h.includes(":") && !h.startsWith("[") ? `[${h}]` : h;
    return `${host}:${ports[i] ?? ports[0]}`;
  }).join(",");
}
