/** serve: the embedded database on a port, for psql, dbt or any ETL tool. */
import { type Context, defineCommand } from "../cli/command.ts";
import { ConfigError } from "../cli/errors.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { logger, writeOut } from "../cli/output.ts";
import { prepareOptions } from "../cli/settings.ts";
import { ensurePortFree } from "../cli/http.ts";
import { untilStopped } from "../cli/signals.ts";
import { withDatabase } from "../db/connect.ts";
import { ensureReady } from "../db/setup.ts";
import { yesterdayIn } from "../sim/calendar.ts";

type Flag = "port" | "host" | "chinook-sql" | "tz" | CommonFlag;

export interface ServeInput {
  flags: FlagValues<Flag>;
}

export function parse(args: string[]): ServeInput {
  return { flags: parseFlags(command.name, command.flags, args) };
}

export async function run(_input: ServeInput, { settings }: Context<Flag>): Promise<number> {
  const { target } = settings;
  if (target.kind !== "embedded") {
    throw new ConfigError(
      `serve is for the embedded database, but ${target.display} is configured: unset DATABASE_URL/PGHOST/PGDATABASE`,
    );
  }
  const log = logger("serve");
  ensurePortFree(settings.host ?? "127.0.0.1", settings.port);
  await withDatabase(target, async (db) => {
    await ensureReady(db, {
      ...prepareOptions(settings),
      firstDay: yesterdayIn(settings.tz, new Date()),
    });
    const url = db.url!;
    if (settings.json) writeOut(JSON.stringify({ url }));
    else writeOut(`Serving the embedded database at ${url}\nConnect with: psql "${url}"`);
    log.info("Serving on {url}; Ctrl-C to stop", { url });
    // Its data directory lost, it stops (one line, exit 1) rather than refuse every client for ever.
    await Promise.race([untilStopped(), ...(db.untilLost ? [db.untilLost()] : [])]);
    log.info("Stopping: closing the database");
  }, { embeddedPort: settings.port, embeddedHost: settings.host, serving: true });
  return 0;
}

export const command = defineCommand<Flag, ServeInput>({
  name: "serve",
  summary: "Serve the embedded database on a port for psql, dbt or any ETL tool",
  usage: ["chinook-sim serve [--port N] [--host ADDRESS]"],
  description: `
Keeps the embedded database open and prints its connection string; stops
cleanly on Ctrl-C (or SIGTERM). Sets the database up first if it is empty
(its history ending the day before yesterday in the store's zone, env
SIM_TIMEZONE). Other commands can write to it meanwhile through that
connection string (DATABASE_URL); the data directory itself opens in one
process at a time, and a command started on it is told this URL.

Clients take turns on the one embedded session: each keeps its own
settings; a client in a transaction makes the others wait (logged after
2 s); up to 16 clients at once, more wait for a place. A port in use is
a usage error: pick another with --port (0: any free port).`,
  groups: [{ title: "Options", flags: ["port", "host", "chinook-sql"] }],
  envOnly: ["tz"],
  parse,
  run,
});
