/**
 * `report --serve`: the dashboard page, live. GET / is the same page as
 * `report --html`, which then polls /version and reloads /facts.json when
 * the database changed. Reads only; everything else is refused. The
 * handler is plain Request → Response (lib/cli/http.ts listens).
 */
import type { EncodedFacts } from "./dashboard_facts.ts";
import { renderDashboardPage } from "./dashboard_page.ts";

export interface FactsSource {
  /** A cheap summary that changes whenever the facts may have. */
  version(): Promise<string>;
  facts(): Promise<EncodedFacts>;
}

export interface CachedSource extends FactsSource {
  /** The facts of the current version, read again only when the version moved. */
  current(): Promise<{ version: string; facts: EncodedFacts }>;
}

const TEXT = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" };

/** Reads facts once per version, one read at a time. */
export function cachedSource(source: FactsSource): CachedSource {
  let cached: { version: string; facts: EncodedFacts } | null = null;
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

export interface HandlerOptions {
  /** How often the page asks for the version. */
  refreshSeconds: number;
  /** A read that failed: the client gets 503, the error goes here (the server's log). */
  onError(error: unknown): void;
}

export function dashboardHandler(
  facts: CachedSource,
  options: HandlerOptions,
): (request: Request) => Promise<Response> {
  const answer = async (request: Request): Promise<Response> => {
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
  };
  return async (request) => {
    try {
      return await answer(request);
    } catch (error) {
      options.onError(error);
      return new Response("The dashboard could not read the database; see the server's log\n", {
        status: 503,
        headers: TEXT,
      });
    }
  };
}
