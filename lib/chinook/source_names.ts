/**
 * The names of Chinook's sources: a leaf of its own, for the launcher grants
 * them (permissions.ts) without loading the dump parser.
 */

/**
 * The Chinook pg_dump published with the PostgreSQL sample databases for
 * Neon, at a fixed commit, and its checksum: what is downloaded by default
 * is exactly the file reviewed, or nothing is loaded.
 */
export const PUBLIC_CHINOOK_URL =
  "https://raw.githubusercontent.com/neondatabase/postgres-sample-dbs/ff2ccb50d16ca6309f93cc2682fb901fb9141331/chinook.sql";
export const PUBLIC_CHINOOK_SHA256 =
  "414f17776790b21c3ca94d71ff6c672a5c0a77364cfb7d567edcc7fef3ce6039";

/** Asks for the synthetic catalogue explicitly (also what an offline run falls back to). */
export const SYNTHETIC = "synthetic";
