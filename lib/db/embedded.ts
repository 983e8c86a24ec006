/**
 * The embedded PostgreSQL (PGlite, persisted in a data directory) served on
 * loopback so the same postgres.js code path runs everything.
 */
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** `dataDir` null: a database in memory, gone when closed (a dry run on a directory not created yet). */
export async function startEmbedded(
  dataDir: string | null,
  options: { port?: number; host?: string } = {},
): Promise<EmbeddedServer> {
  if (dataDir !== null) await Deno.mkdir(dataDir, { recursive: true });
  const db = dataDir === null ? await PGlite.create() : await PGlite.create(dataDir);
  const host = options.host ?? "127.0.0.1";
  const server = new PGLiteSocketServer({ db, host, port: options.port ?? 0, maxConnections: 4 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  // getServerConn() is "host:port" once listening; with port 0 the OS chose it.
  const port = Number(server.getServerConn().split(":").pop());
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    port,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
