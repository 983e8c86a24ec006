/**
 * Whether the optional schemas exist (live mode's table, the web shop's
 * schema): apart from the code that writes them, so that a day loads that
 * code only on a database that has them.
 */
import type { Sql, Tx } from "./connect.ts";

/** chinook_sim.live_day: created the first time live mode runs. */
export async function liveTableExists(sql: Sql | Tx): Promise<boolean> {
  const [row] = await sql<{ ok: boolean }[]>`
    SELECT to_regclass('chinook_sim.live_day') IS NOT NULL AS ok`;
  return row?.ok ?? false;
}

/** chinook_web: setup --web. */
export async function webInstalled(sql: Sql | Tx): Promise<boolean> {
  const [row] = await sql<{ ok: boolean }[]>`
    SELECT to_regclass('chinook_web.review') IS NOT NULL AS ok`;
  return row?.ok ?? false;
}
