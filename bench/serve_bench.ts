/**
 * deno run -P=bench bench/serve_bench.ts [--queries N]: the embedded
 * database's wire layer (lib/db/wire_server.ts) against the pglite-socket
 * package's server on the same in-memory PGlite: N queries one after the
 * other, N pipelined, and N alternating between two clients (each switch
 * swaps the session's settings). Reported, not enforced: this machine is
 * shared and noisy.
 */
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import postgres from "postgres";
import { startWireServer } from "../lib/db/wire_server.ts";
import { out } from "./common.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { queries: { type: "string", default: "1000" } },
});
const N = Number(values.queries);
const db = await PGlite.create();

async function serveWith(kind: string): Promise<{ port: number; close(): Promise<void> }> {
  if (kind === "wire_server") {
    const server = await startWireServer(db, { host: "127.0.0.1", port: 0 });
    return server;
  }
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 4 });
  await server.start();
  return { port: Number(server.getServerConn().split(":").pop()), close: () => server.stop() };
}

const options = { max: 1, onnotice: () => {}, idle_timeout: 0 } as const;
for (const kind of ["pglite-socket", "wire_server", "pglite-socket", "wire_server"]) {
  const server = await serveWith(kind);
  const url = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
  const a = postgres(url, options);
  const b = postgres(url, options);
  await a`SET search_path = public`;
  await b`SELECT 1`;
  let started = performance.now();
  for (let i = 0; i < N; i++) await a`SELECT ${i}::int AS i`;
  const serial = performance.now() - started;
  started = performance.now();
  await Promise.all(Array.from({ length: N }, (_, i) => a`SELECT ${i}::int AS i`));
  const pipelined = performance.now() - started;
  started = performance.now();
  for (let i = 0; i < N; i++) await (i % 2 ? a : b)`SELECT ${i}::int AS i`;
  const alternating = performance.now() - started;
  await a.end();
  await b.end();
  await server.close();
  const perQuery = (ms: number) => `${(ms * 1000 / N).toFixed(0)} µs/query`;
  out(
    `${kind.padEnd(14)} serial ${perQuery(serial)}, pipelined ${perQuery(pipelined)}, ` +
      `two clients alternating ${perQuery(alternating)}`,
  );
}
await db.close();
