/**
 * The password file, libpq's way (PGPASSFILE, else ~/.pgpass): lines of
 * `hostname:port:database:username:password`, `*` matching anything, `\:`
 * and `\\` escaped, `#` comments; the first matching line wins. A file that
 * others may read is ignored with a warning, as libpq does.
 */

export interface PgpassQuery {
  /** The hosts tried, in order (a socket connection: its directory; "localhost" matches it too). */
  hosts: string[];
  port: number;
  database: string;
  user: string;
}

/** The password of the first line matching `query`, or null. Pure. */
export function pgpassLookup(text: string, query: PgpassQuery): string | null {
  const entries = text.split(/\r?\n/).filter((line) => line !== "" && !line.startsWith("#"))
    .map(splitFields).filter((fields) => fields.length === 5);
  for (const host of query.hosts) {
    for (const [h, port, database, user, password] of entries) {
      const matches = (field: string | undefined, value: string) =>
        field === "*" || field === value;
      if (
        matches(h, host) && matches(port, String(query.port)) &&
        matches(database, query.database) && matches(user, query.user)
      ) return password ?? "";
    }
  }
  return null;
}

function splitFields(line: string): string[] {
  const fields: string[] = [];
  let current = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "\\" && i + 1 < line.length) current += line[++i];
    else if (c === ":" && fields.length < 4) {
      fields.push(current);
      current = "";
    } else current += c;
  }
  fields.push(current);
  return fields;
}

/** Where the password file is: PGPASSFILE, else ~/.pgpass (null when there is no HOME). */
export function pgpassPath(env: { PGPASSFILE?: string; HOME?: string }): string | null {
  if (env.PGPASSFILE) return env.PGPASSFILE;
  return env.HOME ? `${env.HOME}/.pgpass` : null;
}

/**
 * The password from the file at `path` for `query`; null when the file is
 * absent, unreadable, or readable by others (then `warn` says so, as libpq).
 */
export async function readPgpass(
  path: string,
  query: PgpassQuery,
  warn: (message: string) => void,
): Promise<string | null> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    return null;
  }
  if (!info.isFile) {
    warn(`password file "${path}" is not a plain file`);
    return null;
  }
  if (info.mode !== null && (info.mode & 0o077) !== 0) {
    warn(
      `password file "${path}" has group or world access; permissions should be u=rw (0600) or less`,
    );
    return null;
  }
  try {
    return pgpassLookup(await Deno.readTextFile(path), query);
  } catch {
    return null;
  }
}
