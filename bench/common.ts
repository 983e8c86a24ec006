/** What the benchmarks share: the local server, the repository, the Chinook sample, output. */

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
