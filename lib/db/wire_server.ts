/**
 * The embedded database over the PostgreSQL wire protocol, for our own
 * commands and for psql, dbt or any ETL tool (serve). PGlite is a single
 * session, so clients take turns on it:
 *
 * - between two clients' turns, the session's settings are swapped: the
 *   one who leaves keeps its own (SET search_path …), the one who comes
 *   gets its own back and nobody else's (RESET ALL, then its settings);
 * - a client keeps the session from the start of a query until PGlite is
 *   idle again (ReadyForQuery "I"): to the end of an extended query, a COPY
 *   FROM STDIN, a whole transaction. The others wait,
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
import { concatArrays } from "./arrays.ts";
import type { PGlite } from "@electric-sql/pglite";
import { createServer, type Server, type Socket } from "node:net";
import { logger } from "../cli/output.ts";
import { DATA_DIR_LOST, DATA_DIR_UNUSABLE } from "./failure.ts";

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
  /** Bytes received since, kept apart until `need` bytes are there (no copy per chunk). */
  chunks: Uint8Array[];
  chunkBytes: number;
  /** How many bytes the next message needs, as far as known. */
  need: number;
  started: boolean;
  /** The session settings this client set, kept while others have the session. */
  settings: Setting[];
  /** It may have changed a setting (a SET, RESET or set_config) since they were last read. */
  dirty: boolean;
  closed: boolean;
  /** The lock_timeout it connected with: how long it waits for another's transaction. */
  lockTimeoutMs: number | null;
  /** Its query was refused mid-way: the rest of it is dropped up to its Sync. */
  skipToSync: boolean;
  /** The query under way was answered with an error: its Sync gets ReadyForQuery alone. */
  erred: boolean;
  /** Messages of its query have run: the next one is not its first. */
  midQuery: boolean;
  /** In a transaction, as the last ReadyForQuery it was sent said. */
  inTransaction: boolean;
  /** The query under way ends its transaction (COMMIT, ROLLBACK). */
  ending: boolean;
  /** A COPY … FROM STDIN being received (see frame). */
  copy: { parts: Uint8Array[]; size: number; overflow: boolean } | null;
}

interface Setting {
  name: string;
  setting: string;
}

interface Pending {
  client: Client;
  message: Uint8Array;
  /** The last message of a query (a simple query, a Sync): where a refused waiting query ends. */
  boundary: boolean;
  terminate: boolean;
  queuedAt: number;
  /** A whole COPY FROM STDIN: PGlite's own CopyInResponse is not passed on (the client had one). */
  copyIn?: boolean;
  /** A COMMIT or ROLLBACK (simple query or Parse). */
  ends?: boolean;
}

export interface WireServer {
  port: number;
  /** PGlite failed (or its files were lost): every query since was answered with that error. */
  readonly failed: boolean;
  close(): Promise<void>;
}

export interface WireServerOptions {
  host: string;
  port: number;
  maxClients?: number;
  /**
   * Why the database's files cannot be used any more (its data directory
   * removed: data_dir_guard.ts), or null. Asked before each query PGlite is
   * given: on such files it can loop for ever, so it is given nothing more.
   */
  lost?: () => { message: string; hint: string; kept?: boolean } | null;
}

/** Serves `db` on host:port (0: any free port); a port in use rejects with Node's EADDRINUSE. */
export async function startWireServer(
  db: PGlite,
  options: WireServerOptions,
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
  /** PGlite's error once it failed inside and can answer no more (see run). */
  let failure: Uint8Array | null = null;
  let waitTimer: ReturnType<typeof setTimeout> | undefined;
  let ownerSince = 0;

  /**
   * True when PGlite can be given a message: it has not failed, and its files are still there.
   * Files found gone are a failure like any other (see run), told in our own words.
   */
  const usable = (): boolean => {
    if (failure !== null) return false;
    const lost = options.lost?.() ?? null;
    if (lost === null) return true;
    failure = errorResponse("58P01", lost.message, {
      routine: lost.kept ? DATA_DIR_UNUSABLE : DATA_DIR_LOST,
      hint: lost.hint,
    });
    log.debug("{message}: the database is given nothing more", { message: lost.message });
    return false;
  };

  const admit = (socket: Socket) => {
    const client: Client = {
      id: nextId++,
      socket,
      address: `${socket.remoteAddress}:${socket.remotePort}`,
      buffer: new Uint8Array(0),
      chunks: [],
      chunkBytes: 0,
      need: 0,
      started: false,
      settings: [],
      dirty: false,
      closed: false,
      lockTimeoutMs: null,
      skipToSync: false,
      erred: false,
      midQuery: false,
      inTransaction: false,
      ending: false,
      copy: null,
    };
    clients.add(client);
    socket.setNoDelay(true);
    socket.on("data", (chunk: Uint8Array) => {
      client.chunks.push(chunk);
      client.chunkBytes += chunk.length;
      if (client.buffer.length + client.chunkBytes < client.need) return;
      // Messages are views into these bytes (never copied): a COPY's data is held once.
      client.buffer = client.buffer.length === 0 && client.chunks.length === 1
        ? client.chunks[0]!
        : concatAll([client.buffer, ...client.chunks]);
      client.chunks = [];
      client.chunkBytes = 0;
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
        if (b.length < 8) return void (client.need = 8);
        const length = view.getInt32(0);
        if (tooLong(client, length, 8)) return;
        if (b.length < length) return void (client.need = length);
        const code = view.getInt32(4);
        client.buffer = b.subarray(length);
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
        const message = b.slice(0, length);
        client.lockTimeoutMs = startupLockTimeout(message);
        client.settings = startupSettings(message);
        queue.push({ client, message, boundary: true, terminate: false, queuedAt: Date.now() });
        continue;
      }
      if (b.length < 5) return void (client.need = 5);
      const length = view.getInt32(1) + 1;
      if (tooLong(client, length, 5)) return;
      if (b.length < length) return void (client.need = length);
      const type = String.fromCharCode(b[0]!);
      client.buffer = b.subarray(length);
      if (client.skipToSync && type !== "X") {
        if (type === "S") {
          client.skipToSync = false;
          client.socket.write(READY_FOR_QUERY);
        }
        continue;
      }
      const message = b.subarray(0, length);
      if (client.copy !== null) {
        receiveCopy(client, type, message);
        continue;
      }
      // The statement's text (a Parse message's starts after the statement's name).
      const body = message.subarray(5);
      const text = type === "Q"
        ? DECODER.decode(body)
        : type === "P"
        ? DECODER.decode(body.subarray(body.indexOf(0) + 1))
        : "";
      if (COPY_FROM_STDIN.test(text)) {
        if (type === "Q") {
          // PGlite must get the COPY and all its data in one call (it reads the data as
          // it runs): the client is answered for PGlite meanwhile, and sends its rows.
          client.copy = { parts: [message], size: message.length, overflow: false };
          client.socket.write(COPY_IN_RESPONSE);
        } else {
          client.socket.write(
            errorResponse(
              "0A000",
              "COPY FROM STDIN in an extended query is not supported by serve; send it as a simple query (psql's \\copy does)",
            ),
          );
          client.skipToSync = true;
        }
        continue;
      }
      if (CHANGES_SETTINGS.test(text)) client.dirty = true;
      queue.push({
        client,
        message,
        boundary: type === "Q" || type === "S",
        terminate: type === "X",
        queuedAt: Date.now(),
        ends: ENDS_TRANSACTION.test(text),
      });
    }
  };

  /** CopyData is kept, CopyDone queues the whole COPY, CopyFail drops it. */
  const receiveCopy = (client: Client, type: string, message: Uint8Array) => {
    const copy = client.copy!;
    if (type === "d") {
      copy.size += message.length;
      if (copy.size > MAX_COPY_BYTES) copy.overflow = true;
      if (!copy.overflow) copy.parts.push(message);
    } else if (type === "c" || type === "f") {
      client.copy = null;
      const refusal = type === "f"
        ? "COPY from stdin failed: the client sent CopyFail"
        : copy.overflow
        ? `COPY FROM STDIN through serve takes at most ${
          MAX_COPY_BYTES / 2 ** 20
        } MiB at once; split the file`
        : null;
      if (refusal !== null) {
        client.socket.write(errorResponse("57014", refusal));
        client.socket.write(
          owner === client && db.isInTransaction() ? READY_IN_FAILED : READY_FOR_QUERY,
        );
        return;
      }
      copy.parts.push(message);
      queue.push({
        client,
        message: concatAll(copy.parts),
        boundary: true,
        terminate: false,
        queuedAt: Date.now(),
        copyIn: true,
      });
    } else if (type === "X") {
      client.copy = null;
      queue.push({ client, message, boundary: true, terminate: true, queuedAt: Date.now() });
    }
    // Flush and Sync mean nothing during COPY (as in PostgreSQL).
  };

  /** A length no message has: the client is told and disconnected (every input is bounded). */
  const tooLong = (client: Client, length: number, least: number): boolean => {
    if (length >= least && length <= MAX_MESSAGE_BYTES) return false;
    client.socket.write(
      errorResponse(
        "08P01",
        `invalid message length ${length}: at most ${MAX_MESSAGE_BYTES} bytes`,
      ),
    );
    client.socket.end();
    void leave(client);
    return true;
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
        try {
          await run(next);
        } catch (error) {
          // PGlite itself failed (not an SQL error, which is answered in the protocol): this
          // client's state is unknown, so it is told and disconnected; the others go on.
          // Its files gone, that is what it is told (see usable).
          const message = (error as Error)?.message ?? String(error);
          if (usable()) {
            log.error("The embedded database failed a message of client {id}: {error}", {
              id: next.client.id,
              error: message,
            });
          }
          next.client.socket.write(
            failure ?? errorResponse("XX000", `embedded database failure: ${message}`),
          );
          next.client.socket.end();
          void leave(next.client);
        }
      }
    } finally {
      pumping = false;
    }
  };

  const run = async (next: Pending) => {
    // The files are looked at once a query (a few stat calls): its messages come together.
    if (failure !== null || (!next.client.midQuery && !usable())) return answerAfterFailure(next);
    next.client.midQuery = !next.boundary;
    if (holder !== next.client) await switchSession(next.client);
    if (owner === null) ownerSince = Date.now();
    owner = next.client;
    const socket = next.client.socket;
    const ready = new ReadyScanner();
    const held: Uint8Array[] = [];
    await db.runExclusive(() =>
      db.execProtocolRawStream(next.message, {
        onRawData: (raw) => {
          const aligned = ready.atBoundary;
          const errors = ready.errors;
          ready.feed(raw);
          // An error because the files went away is told as that, in whole messages (the
          // usual case); from then on it answers everything (answerAfterFailure).
          const data = ready.errors !== errors && !usable() && aligned && ready.atBoundary
            ? replaceMessages(raw, 0x45, failure)
            : raw;
          if (next.copyIn) held.push(new Uint8Array(data));
          else if (!next.client.closed && socket.writable) socket.write(data);
        },
      })
    );
    if (next.copyIn && !next.client.closed && socket.writable) {
      socket.write(withoutMessages(concatAll(held), 0x47));
    }
    if (next.boundary && ready.status === null) {
      // A query or Sync always ends with ReadyForQuery: PGlite failed inside (its WAL could not
      // be written on a full disk, say) and cannot go on; without an answer the client would wait
      // for ever. It is told PGlite's own error, and so is every later message: nothing is
      // committed any more, and a restart recovers the database from its WAL.
      // Its files gone, that is the failure told from now on (usable sets it).
      if (usable()) {
        failure = ready.lastError ??
          errorResponse("XX000", "the embedded database stopped answering; run the command again");
        log.error("The embedded database failed and answers no more: {error}", {
          error: ready.lastErrorText ?? "no answer",
        });
      }
      if (ready.lastError === null && socket.writable) socket.write(failure!);
      // A transaction stays open, failed, until its COMMIT or ROLLBACK (see answerAfterFailure).
      next.client.erred = false;
      next.client.inTransaction &&= next.ends !== true;
      if (socket.writable) {
        socket.write(next.client.inTransaction ? READY_IN_FAILED : READY_FOR_QUERY);
      }
      owner = null;
      return;
    }
    next.client.erred = !next.boundary && (next.client.erred || ready.errors > 0);
    if (ready.status !== null) next.client.inTransaction = ready.status !== "I";
    // The session passes on only when PGlite says it is idle: a query's end outside a
    // transaction (not mid extended query, not in COPY FROM STDIN, not in a transaction).
    if (ready.status === "I") owner = null;
  };

  /**
   * After PGlite failed: nothing is run, each query is answered with its error. As PostgreSQL
   * does, an extended query's error comes at its first message, not at its Sync: a client
   * may wait for it before sending one (postgres.js sends Parse, Describe and Flush first).
   */
  const answerAfterFailure = (next: Pending) => {
    const client = next.client;
    if (client.closed || !client.socket.writable) return;
    if (!client.erred) client.socket.write(failure!);
    client.erred = !next.boundary;
    client.midQuery = !next.boundary;
    client.ending ||= next.ends === true;
    if (!next.boundary) return;
    // A transaction stays open, failed, until the client ends it: its COMMIT or ROLLBACK gets
    // the error too, and ends it. (Told idle while it thinks it is in one, postgres.js would drop
    // the transaction's connection and never send its ROLLBACK: the run would wait for ever.)
    if (client.ending) client.inTransaction = false;
    client.ending = false;
    client.socket.write(client.inTransaction ? READY_IN_FAILED : READY_FOR_QUERY);
    owner = null;
  };

  /** Says who holds the session when others have waited a while for it. */
  const noticeWait = () => {
    scheduleTimeouts();
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

  let timeoutTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * A waiting client whose lock_timeout passes gets PostgreSQL's own answer
   * (55P03) for the query it waits with, as it would behind a row lock.
   */
  const scheduleTimeouts = () => {
    clearTimeout(timeoutTimer);
    timeoutTimer = undefined;
    const due = queue.filter((p) => p.client !== owner && p.client.lockTimeoutMs !== null)
      .map((p) => p.queuedAt + p.client.lockTimeoutMs!);
    if (due.length === 0) return;
    timeoutTimer = setTimeout(() => {
      timeoutTimer = undefined;
      const now = Date.now();
      const expired = new Set(
        queue.filter((p) =>
          p.client !== owner && p.client.lockTimeoutMs !== null &&
          now >= p.queuedAt + p.client.lockTimeoutMs
        ).map((p) => p.client),
      );
      for (const client of expired) refuseQuery(client);
      if (owner !== null && queue.some((p) => p.client !== owner)) scheduleTimeouts();
    }, Math.max(0, Math.min(...due) - Date.now()) + 5);
  };

  /** Drops the client's waiting query (up to its Sync) and answers it with a lock timeout. */
  const refuseQuery = (client: Client) => {
    let end = -1;
    const mine = queue.filter((p) => p.client === client);
    for (let i = 0; i < mine.length; i++) {
      if (mine[i]!.boundary) {
        end = i;
        break;
      }
    }
    const dropped = end < 0 ? mine : mine.slice(0, end + 1);
    for (const p of dropped) queue.splice(queue.indexOf(p), 1);
    const startup = !client.socket.destroyed && dropped.some((p) => p.message[0] === 0);
    log.warning("Client {id} ({address}) gave up waiting after its lock_timeout", {
      id: client.id,
      address: client.address,
    });
    client.socket.write(LOCK_TIMEOUT_ERROR);
    if (startup) {
      client.socket.end();
      return;
    }
    if (end < 0) client.skipToSync = true;
    else client.socket.write(READY_FOR_QUERY);
  };

  /**
   * The leaving holder keeps its settings (read again only when it may have
   * changed one); the session gets the coming client's, unless they are the
   * same (our own commands' connections, read-only tools): then nothing runs.
   */
  const switchSession = async (to: Client) => {
    const from = holder;
    if (from !== null && !from.closed && from.dirty) {
      const rows = await db.query<Setting>(
        "SELECT name, setting FROM pg_settings WHERE source IN ('session', 'client')",
      );
      from.settings = rows.rows;
      from.dirty = false;
    }
    if (from === null || from.closed || !sameSettings(from.settings, to.settings)) {
      const assign = to.settings.map(({ name, setting }) =>
        `set_config(${literal(name)}, ${literal(setting)}, false)`
      );
      try {
        await db.exec(`RESET ALL;${assign.length ? ` SELECT ${assign.join(", ")};` : ""}`);
      } catch {
        // One setting that cannot be set again (read-only by now): the others one by one.
        for (const { name, setting } of to.settings) {
          await db.query("SELECT set_config($1, $2, false)", [name, setting]).catch(() => {});
        }
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
    if (owner === client && usable()) {
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
    get failed() {
      return failure !== null;
    },
    async close() {
      clearTimeout(waitTimer);
      clearTimeout(timeoutTimer);
      for (const socket of waiting) socket.destroy();
      for (const client of clients) {
        client.closed = true;
        client.socket.destroy();
      }
      // Bounded: a PGlite that failed inside may never finish the message in flight.
      for (let i = 0; pumping && i < 1000; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (!pumping && usable() && db.isInTransaction()) {
        await db.exec("ROLLBACK").catch(() => {});
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);
/** A statement that ends a transaction: COMMIT, ROLLBACK (not to a savepoint), and their synonyms. */
const ENDS_TRANSACTION = /^\s*(commit|rollback|abort|end)\b(?!\s+(to|prepared)\b)/i;
/** A query that reads rows from the client: COPY … FROM STDIN. */
const COPY_FROM_STDIN = /^\s*copy\b[\s\S]*\bfrom\s+stdin\b/i;
/** CopyInResponse: text format, no per-column formats (clients send their rows as they are). */
const COPY_IN_RESPONSE = new Uint8Array([0x47, 0, 0, 0, 7, 0, 0, 0]);
const MAX_COPY_BYTES = 256 * 2 ** 20;
/** The largest message taken from a client (PostgreSQL's own limit is 1 GiB). */
const MAX_MESSAGE_BYTES = 256 * 2 ** 20;
const READY_IN_FAILED = new Uint8Array([0x5a, 0, 0, 0, 5, 0x45]);

function concatAll(parts: Uint8Array[]): Uint8Array {
  return concatArrays(parts, (n) => new Uint8Array(n));
}

/** The server's messages without those of one type. */
export function withoutMessages(bytes: Uint8Array, type: number): Uint8Array {
  return replaceMessages(bytes, type, null);
}

/** The server's (whole) messages with each of one type replaced by `replacement` (null: dropped). */
export function replaceMessages(
  bytes: Uint8Array,
  type: number,
  replacement: Uint8Array | null,
): Uint8Array {
  const kept: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at + 5 <= bytes.length) {
    const end = at + 1 + view.getInt32(at + 1);
    if (bytes[at] !== type) kept.push(bytes.subarray(at, end));
    else if (replacement !== null) kept.push(replacement);
    at = end;
  }
  return concatAll(kept);
}

/**
 * Reads the server's messages as they stream by, keeping the status of the
 * last ReadyForQuery ("I" idle, "T" in a transaction, "E" in a failed one).
 */
export class ReadyScanner {
  status: string | null = null;
  /** The last ErrorResponse, whole (header included). */
  lastError: Uint8Array | null = null;
  /** How many ErrorResponses have been read. */
  errors = 0;
  #header: number[] = [];
  #type = 0;
  #remaining = 0;
  #error: number[] | null = null;

  /** The last ErrorResponse's message field (M), for a log line. */
  get lastErrorText(): string | null {
    if (this.lastError === null) return null;
    const body = this.lastError.subarray(5);
    for (let i = 0; i < body.length && body[i] !== 0;) {
      const end = body.indexOf(0, i + 1);
      if (body[i] === 0x4d) return DECODER.decode(body.subarray(i + 1, end));
      i = end + 1;
    }
    return null;
  }

  /** Between two messages: what is fed next starts a message. */
  get atBoundary(): boolean {
    return this.#remaining === 0 && this.#header.length === 0;
  }

  feed(data: Uint8Array): void {
    let i = 0;
    while (i < data.length) {
      if (this.#remaining > 0) {
        // ReadyForQuery's body is its one status byte.
        if (this.#type === 0x5a) this.status = String.fromCharCode(data[i]!);
        const n = Math.min(this.#remaining, data.length - i);
        this.#error?.push(...data.subarray(i, i + n));
        this.#remaining -= n;
        i += n;
        if (this.#remaining === 0) this.#endMessage();
        continue;
      }
      this.#header.push(data[i++]!);
      if (this.#header.length === 5) {
        const [type, a, b, c, d] = this.#header as [number, number, number, number, number];
        this.#type = type;
        this.#remaining = ((a << 24) | (b << 16) | (c << 8) | d) - 4;
        // ErrorResponses are short: kept whole, to be told again if PGlite fails (run).
        this.#error = type === 0x45 ? [...this.#header] : null;
        this.#header = [];
        if (this.#remaining === 0) this.#endMessage();
      }
    }
  }

  #endMessage(): void {
    if (this.#error !== null) {
      this.lastError = Uint8Array.from(this.#error);
      this.errors++;
    }
    this.#error = null;
  }
}
const DECODER = new TextDecoder();
/** A statement that may change a session setting (UPDATE … SET too: reading again is cheap enough). */
const CHANGES_SETTINGS = /\b(set|reset|set_config|discard)\b/i;
/** StartupMessage keys that are not settings. */
const NOT_SETTINGS = new Set(["user", "database", "replication", "options"]);

/** The settings a StartupMessage asks for (application_name, lock_timeout…). */
export function startupSettings(message: Uint8Array): Setting[] {
  const parts = DECODER.decode(message.subarray(8)).split("\0");
  const out: Setting[] = [];
  for (let i = 0; i + 1 < parts.length && parts[i] !== ""; i += 2) {
    if (!NOT_SETTINGS.has(parts[i]!)) out.push({ name: parts[i]!, setting: parts[i + 1]! });
  }
  return out;
}

function sameSettings(a: Setting[], b: Setting[]): boolean {
  const key = (list: Setting[]) =>
    JSON.stringify(list.map((s) => [s.name, s.setting]).sort((x, y) => x[0]! < y[0]! ? -1 : 1));
  return key(a) === key(b);
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
const READY_FOR_QUERY = new Uint8Array([0x5a, 0, 0, 0, 5, 0x49]);
const LOCK_TIMEOUT_ERROR = errorResponse(
  "55P03",
  "canceling statement due to lock timeout: another client of the embedded database has a transaction open",
);

/** An ErrorResponse message: severity, code, message, and a hint and routine if given. */
function errorResponse(
  code: string,
  message: string,
  more: { hint?: string; routine?: string } = {},
): Uint8Array {
  const encoder = new TextEncoder();
  const fields = [["S", "ERROR"], ["V", "ERROR"], ["C", code], ["M", message]]
    .concat(more.hint === undefined ? [] : [["H", more.hint]])
    .concat(more.routine === undefined ? [] : [["R", more.routine]])
    .map(([k, v]) => encoder.encode(`${k}${v}\0`));
  const length = 4 + fields.reduce((n, f) => n + f.length, 0) + 1;
  const out = new Uint8Array(1 + length);
  out[0] = 0x45;
  new DataView(out.buffer).setInt32(1, length);
  let at = 5;
  for (const f of fields) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}

/** lock_timeout from a StartupMessage's parameters, in ms (PostgreSQL's units), or null. */
export function startupLockTimeout(message: Uint8Array): number | null {
  const parts = new TextDecoder().decode(message.subarray(8)).split("\0");
  const at = parts.indexOf("lock_timeout");
  if (at < 0 || at % 2 !== 0) return null;
  const m = /^\s*([0-9]+)\s*(ms|s|min|h)?\s*$/.exec(parts[at + 1] ?? "");
  if (!m) return null;
  const value = Number(m[1]) * ({ ms: 1, s: 1000, min: 60_000, h: 3_600_000 }[m[2] ?? "ms"] ?? 1);
  return value > 0 ? value : null;
}
