/**
 * What `report --html FILE` and `report --serve` do: read the facts from the
 * database (read-only), then write the page or serve it live.
 */
import type { Context } from "../context.ts";
import { withDatabase } from "../context.ts";
import type { Database } from "../db/connect.ts";
import { type DashboardRange, dashboardVersion, readDashboardFacts } from "../db/dashboard_data.ts";
import { simulatorInstalled } from "../db/setup.ts";
import { ConfigError, UsageError } from "../errors.ts";
import { logger, writeOut } from "../log.ts";
import { type EncodedFacts, encodeFacts } from "./dashboard_facts.ts";
import { renderDashboardPage } from "./dashboard_page.ts";
import { serveDashboard } from "./dashboard_server.ts";

export const DEFAULT_DASHBOARD_PORT = 8080;
const REFRESH_SECONDS = 5;

async function requireInstalled(db: Database): Promise<void> {
  if (!(await simulatorInstalled(db.sql))) {
    throw new ConfigError(`${db.target.display} is not set up: run "chinook-sim setup" first`);
  }
}

async function readEncoded(db: Database, range: DashboardRange): Promise<EncodedFacts> {
  const facts = await readDashboardFacts(db.sql, range, new Date());
  if (range.from !== undefined && range.from > facts.lastDay) {
    throw new UsageError(`--from ${range.from} is after the last day with data, ${facts.lastDay}`);
  }
  return await encodeFacts(facts);
}

export async function writeDashboard(
  context: Context,
  path: string,
  range: DashboardRange,
): Promise<void> {
  const started = performance.now();
  const facts = await withDatabase(context, async (db) => {
    await requireInstalled(db);
    return await readEncoded(db, range);
  });
  const page = renderDashboardPage(facts);
  // Written beside the target, then renamed: a reader never sees half a page.
  const partial = `${path}.${crypto.randomUUID().slice(0, 8)}.partial`;
  try {
    await Deno.writeTextFile(partial, page);
    await Deno.rename(partial, path);
  } catch (error) {
    await Deno.remove(partial).catch(() => {});
    throw new Error(
      `Cannot write the dashboard to "${path}": ${
        (error as Error).message
      }; check that its folder exists and is writable`,
      {
        cause: error,
      },
    );
  }
  logger("report").info(
    "Dashboard written to {path}: {bytes} bytes, {invoices} invoices, {ms} ms",
    {
      path,
      bytes: new TextEncoder().encode(page).length,
      invoices: facts.counts.invoices,
      ms: Math.round(performance.now() - started),
    },
  );
  if (context.json) {
    writeOut(
      JSON.stringify({ html: path, from: facts.initialRange.from, to: facts.initialRange.to }),
    );
  }
}

export async function serveDashboardLive(
  context: Context,
  options: { range: DashboardRange; port: number },
): Promise<void> {
  const log = logger("report");
  await withDatabase(context, async (db) => {
    await requireInstalled(db);
    // Read before listening: a wrong range fails here, and the first page is ready.
    const version = await dashboardVersion(db.sql);
    const initial = { version, facts: await readEncoded(db, options.range) };
    let resolveListening: (url: string) => void;
    const listening = new Promise<string>((resolve) => (resolveListening = resolve));
    let server: Deno.HttpServer;
    try {
      server = serveDashboard({
        version: () => dashboardVersion(db.sql),
        facts: () => readEncoded(db, options.range),
      }, {
        initial,
        hostname: "127.0.0.1",
        port: options.port,
        refreshSeconds: REFRESH_SECONDS,
        onListen: ({ hostname, port }) => resolveListening(`http://${hostname}:${port}/`),
        onError: (error) =>
          log.error("Cannot serve the dashboard: {error}", { error: (error as Error).message }),
      });
    } catch (error) {
      if (error instanceof Deno.errors.AddrInUse) {
        throw new UsageError(
          `Cannot listen on port ${options.port}: it is in use; pick another with --port (0 = any free port)`,
          { cause: error },
        );
      }
      throw error;
    }
    const url = await listening;
    // The embedded database is served too: a simulation can write through it meanwhile.
    const databaseUrl = db.target.kind === "embedded" ? db.url ?? null : null;
    if (context.json) writeOut(JSON.stringify({ url, databaseUrl }));
    else {
      writeOut(
        `Serving the dashboard at ${url} (read-only; Ctrl-C to stop)` +
          (databaseUrl
            ? `\nOther commands can write to the embedded database meanwhile: DATABASE_URL=${databaseUrl}`
            : ""),
      );
    }
    log.info("Serving the dashboard at {url}", { url });
    await new Promise<void>((resolve) => {
      const stop = () => {
        Deno.removeSignalListener("SIGINT", stop);
        Deno.removeSignalListener("SIGTERM", stop);
        resolve();
      };
      Deno.addSignalListener("SIGINT", stop);
      Deno.addSignalListener("SIGTERM", stop);
    });
    log.info("Stopping the dashboard");
    await server.shutdown();
  });
}
