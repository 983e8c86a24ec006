/**
 * LOG_LEVEL=debug: each statement sent, with its time and row count. The
 * statement's text is shortened and its parameters are never logged (they
 * carry people's data, and a password can be one).
 */
import { logger } from "../cli/output.ts";

const log = logger("db", "statement");

/** The longest statement text a debug line shows. */
const TEXT_LIMIT = 160;

interface PendingQuery {
  strings: readonly string[];
  string?: string;
  handler: (query: unknown) => unknown;
}

function isPendingQuery(value: unknown): value is PendingQuery & Promise<unknown> {
  return value instanceof Promise &&
    typeof (value as Partial<PendingQuery>).handler === "function" &&
    Array.isArray((value as Partial<PendingQuery>).strings);
}

/** One line of SQL, at most TEXT_LIMIT characters: `$1`… where the values go. */
export function statementText(strings: readonly string[] | string): string {
  const joined = typeof strings === "string"
    ? strings
    : strings.map((part, i) => (i === 0 ? part : `$${i}${part}`)).join("");
  const text = joined.replace(/\s+/g, " ").trim();
  return text.length > TEXT_LIMIT ? `${text.slice(0, TEXT_LIMIT - 1)}…` : text;
}

/**
 * Times `query` (a postgres.js query, not yet run) from the moment it is sent
 * until it settles, and logs that at debug level. A fragment that is never
 * run logs nothing; anything else is passed through untouched.
 */
export function traceStatement<T>(query: T): T {
  if (!isPendingQuery(query) || !log.isEnabledFor("debug")) return query;
  const send = query.handler;
  let sentAt: number | undefined;
  query.handler = (q: unknown) => {
    sentAt = performance.now();
    return send(q);
  };
  const done = (rows: number | null, error?: string) => {
    if (sentAt === undefined) return;
    const ms = Math.round((performance.now() - sentAt) * 10) / 10;
    // The text as sent (identifiers and lists expanded) once the driver built it.
    const statement = statementText(query.string ?? query.strings);
    if (error === undefined) {
      log.debug("{ms} ms, {rows} rows: {statement}", { ms, rows, statement });
    } else log.debug("{ms} ms, failed ({error}): {statement}", { ms, error, statement });
  };
  // The native then: it watches the query without starting it (postgres.js
  // runs a query when its own then is called).
  Promise.prototype.then.call(
    query,
    (result) => {
      const count = (result as { count?: unknown } | undefined)?.count;
      done(typeof count === "number" ? count : null);
    },
    (error) => done(null, String((error as Error)?.message ?? error)),
  );
  return query;
}
