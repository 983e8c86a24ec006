import {
  COMMON_FLAGS,
  COMMON_HELP,
  parseFlags,
  parseWholeNumber,
  rejectPositionals,
} from "../cli/flags.ts";
import { prepare, withDatabase } from "../cli/context.ts";
import { ConfigError } from "../cli/errors.ts";
import { logger, writeOut } from "../cli/output.ts";
import { ensureReady } from "../db/setup.ts";
import { yesterdayIn } from "../sim/calendar.ts";

export const summary = "Serve the embedded database on a port for psql, dbt or any ETL tool";

export const help = `chinook-sim serve: ${summary}

Usage: chinook-sim serve [--port N] [--host ADDRESS]

Keeps the embedded database open and prints its connection string; stops
cleanly on Ctrl-C (or SIGTERM). Sets the database up first if it is empty.
Other commands can write to it meanwhile through that connection string
(DATABASE_URL); the data directory itself opens in one process at a time.

Options:
  --port N              Port to listen on (default 5432; 0 = any free port)
  --host ADDRESS        Address to bind (default 127.0.0.1)
  --chinook-sql FILE    Chinook to load when the database is empty
${COMMON_HELP}`;

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags("serve", args, {
    ...COMMON_FLAGS,
    port: { type: "string" },
    host: { type: "string" },
    "chinook-sql": { type: "string" },
  });
  if (values.help) {
    writeOut(help);
    return 0;
  }
  rejectPositionals("serve", positionals);
  const port = values.port === undefined
    ? 5432
    : parseWholeNumber("--port", values.port, { min: 0, max: 65535 });
  const context = await prepare(values);
  if (context.target.kind !== "embedded") {
    throw new ConfigError(
      `serve is for the embedded database, but ${context.target.display} is configured: unset DATABASE_URL/PGHOST/PGDATABASE`,
    );
  }
  const log = logger("serve");
  await withDatabase(context, async (db) => {
    await ensureReady(db, {
      firstDay: yesterdayIn(context.timeZone(), new Date()),
      chinookSql: values["chinook-sql"] ?? context.env.CHINOOK_SQL,
      lockTimeoutMs: context.lockTimeoutMs,
    });
    const url = db.url!;
    if (context.json) writeOut(JSON.stringify({ url }));
    else writeOut(`Serving the embedded database at ${url}\nConnect with: psql "${url}"`);
    log.info("Serving on {url}; Ctrl-C to stop", { url });
    await new Promise<void>((resolve) => {
      const stop = () => {
        Deno.removeSignalListener("SIGINT", stop);
        Deno.removeSignalListener("SIGTERM", stop);
        resolve();
      };
      Deno.addSignalListener("SIGINT", stop);
      Deno.addSignalListener("SIGTERM", stop);
    });
    log.info("Stopping: closing the database");
  }, { embeddedPort: port, embeddedHost: values.host ?? "127.0.0.1" });
  return 0;
}
