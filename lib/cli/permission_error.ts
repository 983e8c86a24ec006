/**
 * A denied Deno permission as one clear line: what was denied, which
 * permission, and how to grant it. main.ts uses it before any other wording
 * (a denial often arrives wrapped in another error's message).
 */

export interface Denial {
  /** net, read, write, env, run, sys, ffi */
  permission: string;
  /** The host:port, path or name asked for. */
  target: string;
}

const REQUIRES = /Requires ([a-z]+) access to "([^"]+)"/;
/** node:dns under a denied --allow-net: "getaddrinfo EPERM host". */
const DNS_DENIED = /getaddrinfo EPERM (\S+)/;

/** The denial in `error` or its causes, by class or by Deno's message; null when there is none. */
export function findDenial(error: unknown): Denial | null {
  const seen = new Set<unknown>();
  for (let e = error; e !== undefined && e !== null && !seen.has(e); e = (e as Error).cause) {
    seen.add(e);
    const message = typeof e === "object" ? String((e as Error).message ?? "") : String(e);
    const requires = REQUIRES.exec(message);
    // "all" access is Deno's rule for system paths (/proc, /sys, /dev), not a grant to suggest:
    // an error that wraps it has already said so in its own words (lib/cli/paths.ts).
    if (requires?.[1] === "all" && e !== error) return null;
    if (requires) return { permission: requires[1]!, target: requires[2]! };
    const dns = DNS_DENIED.exec(message);
    if (dns && ((e as { code?: string }).code === "EPERM" || /EPERM/.test(message))) {
      return { permission: "net", target: dns[1]!.replace(/[.,;:]+$/, "") };
    }
    if ((e as Error)?.name === "NotCapable") return { permission: "unknown", target: message };
  }
  return null;
}

/** `Cannot <verb> "<target>": <why>; <fix>`. */
export function describeDenial(denial: Denial): string {
  const { permission, target } = denial;
  const why = `${permission} access to it is not granted to this process`;
  switch (permission) {
    case "net":
      return `Cannot connect to "${target}": ${why}; grant it with --allow-net=${target} ` +
        `(deno task cli grants the hosts of DATABASE_URL/PGHOST and --chinook-sql; a binary ` +
        `reaches the hosts it was built for: deno task compile --allow-db-host=${target})`;
    case "read":
    case "write":
      return `Cannot ${permission} "${target}": ${why}; use a path in the working, data or ` +
        `temporary directory or name it on the command line (deno task cli grants those), or ` +
        `grant it with --allow-${permission}=${target}`;
    case "env":
      return `Cannot read the environment variable "${target}": ${why}; grant it with ` +
        `--allow-env=${target} (deno.json's permission set lists the variables read)`;
    case "all":
      return `Cannot use "${target}": system paths (/proc, /sys, /dev…) are not read or written by ` +
        `chinook-sim; give a regular file or directory`;
    case "unknown":
      return `Cannot continue: a permission was denied (${target}); run with the permission it names`;
    default:
      return `Cannot use "${target}": ${why}; grant it with --allow-${permission}=${target}`;
  }
}
