/**
 * `report --serve`: the dashboard page, live. GET / is the same page as
 * `report --html`, which then polls /version and reloads /facts.json when
 * the database changed. Reads only; everything else is refused.
 */
import type { EncodedFacts } from "./dashboard_facts.ts";
import { renderDashboardPage } from "./dashboard_page.ts";

export interface FactsSource {
  /** A cheap summary that changes whenever the facts may have. */
  version(): Promise<string>;
  facts(): Promise<EncodedFacts>;
}

export interface ServeOptions {
  /** Facts already read, with their version. */
  initial?: { version: string; facts: EncodedFacts };
  hostname: string;
  port: number;
  refreshSeconds: number;
  onListen(address: { hostname: string; port: number }): void;
  onError(error: unknown): void;
}

const TEXT = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };

/** Reads facts once per version, one read at a time. */
export function cachedSource(
  source: FactsSource,
  initial: { version: string; facts: EncodedFacts } | null = null,
): FactsSource & { current(): Promise<{ version: string; facts: EncodedFacts }> } {
  let cached = initial;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => {});
    return next;
  };
  const current = () =>
    serial(async () => {
      const version = await source.version();
      if (cached?.version !== version) cached = { version, facts: await source.facts() };
      return cached;
    });
  return {
    version: () => serial(() => source.version()),
    facts: async () => (await current()).facts,
    current,
  };
}

export function serveDashboard(source: FactsSource, options: ServeOptions): Deno.HttpServer {
  const facts = cachedSource(source, options.initial ?? null);
  return Deno.serve({
    hostname: options.hostname,
    port: options.port,
    onListen: options.onListen,
    onError(error) {
      options.onError(error);
      return new Response("The dashboard could not read the database; see the server's log\n", {
        status: 503,
        headers: TEXT,
      });
    },
  }, async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("Read-only: only GET\n", {
        status: 405,
        headers: { ...TEXT, allow: "GET, HEAD" },
      });
    }
    const path = new URL(request.url).pathname;
    if (path === "/") {
      const { version, facts: encoded } = await facts.current();
      const page = renderDashboardPage(encoded, {
        live: {
          factsPath: "facts.json",
          versionPath: "version",
          version,
          refreshSeconds: options.refreshSeconds,
        },
      });
      return new Response(page, {
        headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
      });
    }
    if (path === "/facts.json") {
      return new Response(JSON.stringify(await facts.facts()), {
        headers: { "content-type": "application/json", "cache-control": "no-store" },
      });
    }
    if (path === "/version") return new Response(await facts.version(), { headers: TEXT });
    return new Response("Not found: the dashboard is at /\n", { status: 404, headers: TEXT });
  });
}
