/** Listening for HTTP on one address (report --serve). */
import { UsageError } from "./errors.ts";

export interface Listening {
  /** Where it listens: http://HOST:PORT/ (the port the system chose, for port 0). */
  url: string;
  /** Stops accepting, lets requests in flight finish. */
  shutdown(): Promise<void>;
}

/** Serves `handler` on `hostname:port`; a port in use is a usage error naming --port. */
export async function listen(
  handler: (request: Request) => Promise<Response>,
  address: { hostname: string; port: number },
): Promise<Listening> {
  const listening = Promise.withResolvers<string>();
  let server: Deno.HttpServer;
  try {
    server = Deno.serve({
      hostname: address.hostname,
      port: address.port,
      onListen: ({ hostname, port }) => listening.resolve(`http://${hostname}:${port}/`),
    }, handler);
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new UsageError(
        `Cannot listen on port ${address.port}: it is in use; pick another with --port (0: any free port)`,
        { cause: error },
      );
    }
    throw error;
  }
  return { url: await listening.promise, shutdown: () => server.shutdown() };
}

/**
 * Fails at once, before anything is opened, when `port` is taken (a local
 * PostgreSQL on serve's default 5432, most often). Port 0 is always free.
 */
export function ensurePortFree(hostname: string, port: number): void {
  if (port === 0) return;
  try {
    Deno.listen({ hostname, port }).close();
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new UsageError(
        `Cannot listen on port ${port}: it is in use; pick another with --port (0: any free port)`,
        { cause: error },
      );
    }
    throw error;
  }
}
