/**
 * The embedded database over the PostgreSQL wire protocol, for our own
 * commands and for psql, dbt or any ETL tool (serve). PGlite is a single
 * session, so clients take turns on it:
 *
 * - between two clients' turns, the session's settings are swapped: the
 *   one who leaves keeps its own (SET search_path …), the one who comes
 *   gets its own back and nobody else's (RESET ALL, then its settings);
 * - a client keeps the session from the start of a query to its end (Sync
 *   or a simple query), and for the whole of a transaction: the others wait,
 *   and a wait longer than WAIT_NOTICE_MS is logged, naming who holds it;
 * - clients beyond MAX_CLIENTS wait for a free place instead of being
 *   turned away (logged);
 * - a client that goes away mid-transaction has it rolled back.
 *
 * What is not per client: temporary tables, prepared statements' names
 * (postgres.js draws random ones), session-level advisory locks, LISTEN.
 * pglite-socket (the package) turns clients beyond its limit away and shares
 * one session's settings among all clients, hence this layer.
 */
import type { PGlite } from "@electric-sql/pglite";
import { createServer, type Server, type Socket } from "node:net";
import { logger } from "../cli/output.ts";

export const MAX_CLIENTS = 16;
export const WAIT_NOTICE_MS = 2000;

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

interface Client {
  id: number;
  socket: Socket;
  address: string;
  buffer: Uint8Array;
  started: boolean;
  /** The session settings this client set, kept while others have the session. */
  settings: Array<{ name: string; setting: string }>;
  closed: boolean;
}

interface Pending {
  client: Client;
  message: Uint8Array;
  /** A message after which the session may pass to another client (unless in a transaction). */
  boundary: boolean;
  terminate: boolean;
}

export interface WireServer {
  port: number;
  close(): Promise<void>;
}

/** Serves `db` on host:port (0: any free port); a port in use rejects with Node's EADDRINUSE. */
export async function startWireServer(
  db: PGlite,
  options: { host: string; port: number; maxClients?: number },
): Promise<WireServer> {
  const log = logger("serve");
  const maxClients = options.maxClients ?? MAX_CLIENTS;
  const clients = new Set<Client>();
  const waiting: Socket[] = [];
  const queue: Pending[] = [];
  let nextId = 1;
  /** The client whose query or transaction is under way: only its messages run. */
  let owner: Client | null = null;
  /** The client whose settings the session holds. */
  let holder: Client | null = null;
  let pumping = false;
  let waitTimer: ReturnType<typeof setTimeout> | undefined;
  let ownerSince = 0;

  const admit = (socket: Socket) => {
    const client: Client = {
      id: nextId++,
      socket,
      address: `${socket.remoteAddress}:${socket.remotePort}`,
      buffer: new Uint8Array(0),
      started: false,
      settings: [],
      closed: false,
    };
    clients.add(client);
    socket.setNoDelay(true);
    socket.on("data", (chunk: Uint8Array) => {
      client.buffer = concat(client.buffer, chunk);
      frame(client);
      void pump();
    });
    socket.on("error", () => {});
    socket.on("close", () => void leave(client));
  };

  const onConnection = (socket: Socket) => {
    if (clients.size < maxClients) return admit(socket);
    log.info("A client waits for a free place ({count} clients connected, the limit)", {
      count: clients.size,
    });
    waiting.push(socket);
    socket.on("close", () => {
      const at = waiting.indexOf(socket);
      if (at >= 0) waiting.splice(at, 1);
    });
  };

  /** Splits the client's bytes into protocol messages and queues them. */
  const frame = (client: Client) => {
    while (!client.closed) {
      const b = client.buffer;
      const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      if (!client.started) {
        if (b.length < 8) return;
        const length = view.getInt32(0);
        if (b.length < length) return;
        const code = view.getInt32(4);
        client.buffer = b.slice(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          client.socket.write(new TextEncoder().encode("N"));
          continue;
        }
        if (code === CANCEL_REQUEST) {
          // Cancelling is not supported: the request's connection just ends.
          client.socket.end();
          return;
        }
        if (code !== PROTOCOL_3) {
          client.socket.end();
          return;
        }
        client.started = true;
        queue.push({ client, message: b.slice(0, length), boundary: true, terminate: false });
        continue;
      }
      if (b.length < 5) return;
      const length = view.getInt32(1) + 1;
      if (b.length < length) return;
      const type = String.fromCharCode(b[0]!);
      client.buffer = b.slice(length);
      queue.push({
        client,
        message: b.slice(0, length),
        boundary: type === "Q" || type === "S",
        terminate: type === "X",
      });
    }
  };

  /** Runs queued messages in order, the session's owner's first; one pump at a time. */
  const pump = async () => {
    if (pumping) return;
    pumping = true;
    try {
      while (queue.length > 0) {
        const at = owner === null ? 0 : queue.findIndex((p) => p.client === owner);
        if (at < 0) {
          noticeWait();
          break;
        }
        const [next] = queue.splice(at, 1) as [Pending];
        if (next.client.closed) continue;
        if (next.terminate) {
          next.client.socket.end();
          continue;
        }
        if (holder !== next.client) await switchSession(next.client);
        if (owner === null) ownerSince = Date.now();
        owner = next.client;
        const socket = next.client.socket;
        await db.runExclusive(() =>
          db.execProtocolRawStream(next.message, {
            onRawData: (data) => {
              if (!next.client.closed && socket.writable) socket.write(data);
            },
          })
        );
        if (next.boundary && !db.isInTransaction()) owner = null;
      }
    } catch (error) {
      log.error("The embedded server failed: {error}", { error: (error as Error).message });
    } finally {
      pumping = false;
    }
  };

  /** Says who holds the session when others have waited a while for it. */
  const noticeWait = () => {
    if (waitTimer !== undefined) return;
    waitTimer = setTimeout(() => {
      waitTimer = undefined;
      if (owner === null || !queue.some((p) => p.client !== owner)) return;
      const waiters = new Set(queue.filter((p) => p.client !== owner).map((p) => p.client.id));
      log.warning(
        "{count} client(s) wait: client {owner} ({address}) has had a transaction open for {seconds} s; the embedded database runs one at a time",
        {
          count: waiters.size,
          owner: owner.id,
          address: owner.address,
          seconds: Math.round((Date.now() - ownerSince) / 1000),
        },
      );
      noticeWait();
    }, WAIT_NOTICE_MS);
  };

  /** The leaving holder keeps its settings; the session gets the coming client's. */
  const switchSession = async (to: Client) => {
    if (holder !== null && !holder.closed) {
      const rows = await db.query<{ name: string; setting: string }>(
        "SELECT name, setting FROM pg_settings WHERE source IN ('session', 'client')",
      );
      holder.settings = rows.rows;
    }
    await db.exec("RESET ALL");
    for (const { name, setting } of to.settings) {
      try {
        await db.query("SELECT set_config($1, $2, false)", [name, setting]);
      } catch {
        // A setting that cannot be set again (read-only at this point) stays at its default.
      }
    }
    holder = to;
  };

  const leave = async (client: Client) => {
    if (client.closed) return;
    client.closed = true;
    clients.delete(client);
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.client === client) queue.splice(i, 1);
    if (holder === client) holder = null;
    if (owner === client) {
      // Gone mid-query or mid-transaction: end the query and roll its transaction back.
      while (pumping) await new Promise((resolve) => setTimeout(resolve, 5));
      await db.runExclusive(() => db.execProtocolRawStream(SYNC, { onRawData: () => {} })).catch(
        () => {},
      );
      if (db.isInTransaction()) await db.exec("ROLLBACK").catch(() => {});
      owner = null;
    }
    const socket = waiting.shift();
    if (socket !== undefined) admit(socket);
    void pump();
  };

  const server: Server = createServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  return {
    port,
    async close() {
      clearTimeout(waitTimer);
      for (const socket of waiting) socket.destroy();
      for (const client of clients) {
        client.closed = true;
        client.socket.destroy();
      }
      while (pumping) await new Promise((resolve) => setTimeout(resolve, 5));
      if (db.isInTransaction()) await db.exec("ROLLBACK").catch(() => {});
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return new Uint8Array(b);
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
