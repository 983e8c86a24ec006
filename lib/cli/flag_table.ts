/**
 * THE flag table: every flag of every command, once, with its type, short
 * alias, metavar, help line, environment variable, default and parser.
 * From it come each command's parseArgs options (flags.ts), its help text,
 * and the one resolution of flag > environment > `.env` > default
 * (settings.ts). No Node built-in here: the launcher reads this table, and
 * loading Node's compatibility layer there slows the start of every run.
 */
import type { DeleteMode } from "../sim/day_types.ts";
import { EVENT_FORMATS, type EventFormat, LANDING_FORMATS } from "../export/formats.ts";
import type { LandingFormat } from "../export/types.ts";

/** The file formats of --format, every command's (each refuses the ones it does not write). */
export const FILE_FORMATS = ["csv", "json", "jsonl", "parquet"] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];
import type { Count } from "../sim/plan.ts";
import { MESSINESS_LEVELS } from "../sim/messiness.ts";
import {
  type CountFlag,
  parseChoice,
  parseCount,
  parseDayValue,
  parseRate,
  parseSchemaName,
  parseSeconds,
  parseSeed,
  parseTimeOfDay,
  parseTimeZone,
  parseWarehouseUrl,
  parseWholeNumber,
  parseYears,
} from "./values.ts";

type MessinessLevel = keyof typeof MESSINESS_LEVELS;

/** What a default may depend on that only the running process knows. */
export interface Runtime {
  systemTimeZone(): string;
  drawSeed(): string;
}

export interface FlagSpec<T> {
  type: "string" | "boolean";
  short?: string;
  /** The value's placeholder in help, e.g. N in `--seed N`. */
  metavar?: string;
  help: string;
  /** The environment variable (or `.env` key) read when the flag is not given. */
  env?: string;
  /** The value when neither flag nor environment gives one. */
  default?: T | ((runtime: Runtime) => T);
  /** How the default reads in help when it is computed; "" when the help says it already. */
  defaultHelp?: string;
  /** Checks and converts a value; `name` is what to blame (--seed or SIM_SEED). null: use the default. */
  parse(text: string, name: string): T | null;
  /**
   * The value names a path the command reads or writes, or a source (a file,
   * or a URL to download), or another database (its hosts): it is granted to
   * the process (permissions.ts).
   */
  access?: "read" | "write" | "source" | "database";
}

const text = (value: string) => value;
const day = (value: string, name: string) => parseDayValue(name, value);

type StringFlag<T> = FlagSpec<T> & { type: "string" };
type Defaulted<T> = { default: T | ((runtime: Runtime) => T) };

function flag<T>(spec: Omit<FlagSpec<T>, "type"> & Defaulted<T>): StringFlag<T> & Defaulted<T>;
function flag<T>(spec: Omit<FlagSpec<T>, "type">): StringFlag<T>;
function flag<T>(spec: Omit<FlagSpec<T>, "type">): StringFlag<T> {
  return { type: "string", ...spec };
}

function toggle(help: string, short?: string): FlagSpec<boolean> & { type: "boolean" } {
  return { type: "boolean", short, help, parse: () => true };
}

/** A count: "auto" unless given (the help's group heading says so). */
function countFlag(name: CountFlag, help: string): StringFlag<Count> & Defaulted<Count> {
  return flag<Count>({
    metavar: "N",
    help,
    default: "auto",
    defaultHelp: "",
    parse: (value) => parseCount(name, value),
  });
}

/** A rate per new invoice, from 0 to 1; --messiness gives it unless set. */
function rateFlag(help: string): StringFlag<number> {
  return flag<number>({ metavar: "R", help, parse: (value, name) => parseRate(name, value) });
}

export const FLAGS = {
  // Every command.
  "env-file": flag({
    metavar: "PATH",
    help: "Read configuration from PATH instead of ./.env",
    parse: text,
    access: "read",
  }),
  "data-dir": flag({
    metavar: "DIR",
    help: "Embedded database directory",
    env: "SIM_DATA_DIR",
    default: ".chinook-sim",
    parse: text,
    access: "write",
  }),
  "lock-timeout": flag({
    metavar: "SECS",
    help: "Give up after waiting SECS seconds for a lock",
    default: 60,
    parse: (value, name) => parseWholeNumber(name, value, { min: 1, max: 86_400 }),
  }),
  "log-format": flag({
    metavar: "FORMAT",
    help: "Log lines on stderr as text or json; their level comes from env LOG_LEVEL",
    default: "text",
    // Checked with LOG_LEVEL, as configuration (settings.ts).
    parse: text,
  }),
  json: toggle("Print the result as JSON on stdout"),
  verbose: toggle("Show stack traces on errors", "v"),
  help: toggle("Show this help", "h"),

  // The simulated day.
  seed: flag({
    metavar: "N",
    help: "Seed for reproducible days",
    env: "SIM_SEED",
    default: (runtime) => runtime.drawSeed(),
    defaultHelp: "drawn and recorded in the ledger",
    parse: (value, name) => parseSeed(name, value),
  }),
  tz: flag({
    metavar: "ZONE",
    help: 'Time zone of the store\'s days; it defines "yesterday"',
    env: "SIM_TIMEZONE",
    default: (runtime) => runtime.systemTimeZone(),
    defaultHelp: "the system's",
    parse: (value, name) => parseTimeZone(name, value),
  }),
  "window-days": flag({
    metavar: "N",
    help: "Updates and cancellations hit invoices of the last N days",
    default: 90,
    parse: (value, name) => parseWholeNumber(name, value, { min: 1, max: 3650 }),
  }),
  "delete-mode": flag<DeleteMode>({
    metavar: "MODE",
    help:
      "What a cancellation does: cancel removes the lines and sets Total 0, hard removes the rows",
    default: "cancel",
    parse: (value, name) => parseChoice(name, value, ["cancel", "hard"] as const),
  }),
  model: flag({
    metavar: "FILE",
    help: "JSON file overriding demand model parameters (see README)",
    parse: text,
    access: "read",
  }),
  "chinook-sql": flag({
    metavar: "FILE|URL",
    help:
      'Chinook pg_dump to load into an empty database, or "synthetic" for a generated catalogue',
    env: "CHINOOK_SQL",
    defaultHelp: "the public sample; offline, the synthetic catalogue",
    parse: text,
    access: "source",
  }),
  "manifest-dir": flag({
    metavar: "DIR",
    help:
      'Where each committed day\'s change manifest (JSON) is written; "none": in the ledger only',
    default: "manifests",
    parse: text,
    access: "write",
  }),
  messiness: flag<MessinessLevel>({
    metavar: "LEVEL",
    help: `Late and messy changes: ${Object.keys(MESSINESS_LEVELS).join(", ")}`,
    default: "none",
    parse: (value, name) =>
      parseChoice(
        name,
        value,
        Object.keys(MESSINESS_LEVELS) as Array<keyof typeof MESSINESS_LEVELS>,
      ),
  }),
  "late-rate": rateFlag("Share of new invoices dated 1-7 days earlier (late-arriving)"),
  "edit-rate": rateFlag("Quantity edits to invoices of earlier days, per new invoice"),
  "duplicate-rate": rateFlag("Share of invoices submitted twice, the copy cancelled minutes later"),
  "dry-run": toggle("Report what would be done without writing anything, anywhere"),
  force: toggle("Simulate a day again although the ledger has it"),
  "allow-future": toggle(
    "Also simulate days after yesterday in the store's time zone (refused otherwise: not over yet)",
  ),

  // Counts: a whole number or "auto" (the demand model's).
  inserts: countFlag("inserts", "New invoices"),
  updates: countFlag("updates", "Invoices that get one more track"),
  deletes: countFlag("deletes", "Invoices cancelled (or removed with --delete-mode hard)"),
  "new-customers": countFlag("new-customers", "Customers who sign up (and buy) on the day"),
  "customer-changes": countFlag("customer-changes", "Customers who change address or email"),

  // Days and ranges.
  date: flag({ metavar: "DAY", help: "One day, YYYY-MM-DD", parse: day }),
  from: flag({ metavar: "DAY", help: "First day of the range, YYYY-MM-DD", parse: day }),
  to: flag({ metavar: "DAY", help: "Last day of the range, YYYY-MM-DD", parse: day }),

  // setup
  "history-end": flag({
    metavar: "DAY",
    help: "Last day of the shifted history; may move again while no day has been simulated",
    defaultHelp: 'D-2, the day before "yesterday"',
    parse: day,
  }),
  "history-years": flag({
    metavar: "YEARS",
    help: "Years of history the demand model makes before the first simulated day (0: " +
      "Chinook's invoices only); Chinook's invoices stay the earliest. Day commands: for an " +
      "embedded database's first run",
    env: "SIM_HISTORY_YEARS",
    default: 3,
    parse: (value, name) => parseYears(name, value),
  }),
  cdc: toggle(
    "Also make the store CDC-ready: created_at/updated_at audit columns (a trigger keeps " +
      "updated_at), REPLICA IDENTITY FULL on Invoice and InvoiceLine, publication chinook_sim_sales",
  ),
  undo: toggle("With --cdc: remove exactly what --cdc added"),
  web: toggle(
    "Also install the web shop (schema chinook_web: session, event, review): from then on " +
      "every day writes its clickstream in its own transaction",
  ),

  // serve, report --serve
  port: flag({
    metavar: "N",
    help: "Port to listen on; 0: any free port",
    default: 5432,
    parse: (value, name) => parseWholeNumber(name, value, { min: 0, max: 65535 }),
  }),
  host: flag({ metavar: "ADDRESS", help: "Address to bind", default: "127.0.0.1", parse: text }),

  // report, verify
  csv: toggle("The per-day table as CSV on stdout"),
  html: flag({
    metavar: "FILE",
    help: "Write the dashboard to FILE: one self-contained page that works offline, with " +
      "filters and charts over the whole store; it opens on --from/--to (default: the " +
      "simulated days)",
    parse: text,
    access: "write",
  }),
  serve: toggle(
    "report: serve the dashboard live from the database (read-only) on 127.0.0.1; it reloads " +
      "its data when the database changes. live: serve the embedded database on --port while writing",
  ),
  last: toggle('What day was simulated last, and when (as "status")'),
  manifest: flag({
    metavar: "FILE",
    help: "Check the database against a day's change manifest (JSON file)",
    parse: text,
    access: "read",
  }),
  "allow-empty": toggle("Pass when there is no simulated day to check (default: exit 1)"),

  // live
  interval: flag({
    metavar: "S",
    help: "Commit the changes that fell due every S seconds of real time",
    default: 5,
    parse: (value, name) => parseSeconds(name, value, { min: 0.05, max: 3600 }),
  }),
  speed: flag({
    metavar: "N",
    help: "Run the simulated clock N times faster, from the day's midnight (or where it stopped)",
    parse: (value, name) => parseWholeNumber(name, value, { min: 1, max: 1_000_000 }),
  }),
  until: flag({
    metavar: "HH:MM",
    help: "Stop once the simulated clock reaches HH:MM (the day stays open; run again to go on)",
    parse: (value, name) => parseTimeOfDay(name, value),
  }),
  once: toggle("Stop after the current day is finished instead of going on with the next"),
  // expect, audit, export
  out: flag({
    metavar: "DIR",
    help: "Directory to write the files to (created if missing)",
    access: "write",
    parse: text,
  }),
  "as-of": flag({
    metavar: "DAY",
    help: "The answer as it stood at the end of DAY: later days' changes are left out",
    defaultHelp: "the newest simulated day",
    parse: day,
  }),
  // One flag, several commands: each takes its own formats (expect: csv, json; export:
  // csv, jsonl, parquet) and refuses the others in its parse.
  format: flag<FileFormat>({
    metavar: "FORMAT",
    help: "File format: csv or json (expect); csv, jsonl or parquet (export)",
    default: "csv",
    parse: (value, name) => parseChoice(name, value, FILE_FORMATS),
  }),
  warehouse: flag({
    metavar: "URL",
    help: "The warehouse to audit: postgres://USER@HOST:PORT/DB",
    access: "database",
    defaultHelp: "the chinook-sim database itself",
    parse: (value, name) => parseWarehouseUrl(name, value),
  }),
  schema: flag({
    metavar: "NAME",
    help: "The warehouse's schema (fact_sales, dim_customer, dim_track, dim_date)",
    default: "warehouse",
    parse: (value, name) => parseSchemaName(name, value),
  }),

  // export, and --export on the commands that write days
  snapshot: toggle(
    "Also write a full extract of every Chinook table as it was after the last day " +
      "(DIR/snapshot/<table>/dt=<--to>)",
  ),
  events: flag<EventFormat>({
    metavar: "KIND",
    help: `Also write the day's change events: ${
      EVENT_FORMATS.join(" or ")
    } (DIR/events/…/dt=YYYY-MM-DD)`,
    parse: (value, name) => parseChoice(name, value, EVENT_FORMATS),
  }),
  export: flag({
    metavar: "DIR",
    help: "After each committed day, export it to DIR (as the export command does)",
    access: "write",
    parse: text,
  }),
  "export-format": flag<LandingFormat>({
    metavar: "FORMAT",
    help: `Landing file format of --export: ${LANDING_FORMATS.join(", ")}`,
    // No default here: given without --export, it is refused (export_days.ts).
    defaultHelp: "parquet",
    parse: (value, name) => parseChoice(name, value, LANDING_FORMATS),
  }),
} as const;

export type FlagName = keyof typeof FLAGS;
type Spec<K extends FlagName> = (typeof FLAGS)[K];

/** The value a flag holds once parsed. */
export type FlagValue<K extends FlagName> = Spec<K> extends FlagSpec<infer T> ? T : never;

/** The flags given on a command line, parsed (null: given, but asks for the default). */
export type FlagValues<N extends FlagName = FlagName> = { [K in N]?: FlagValue<K> | null };

/** A command's own defaults for some of its flags, where they differ from the table's. */
export type FlagDefaults<N extends FlagName = FlagName> = { readonly [K in N]?: FlagValue<K> };

/** Flags every command takes. */
export const COMMON_FLAGS = [
  "env-file",
  "data-dir",
  "lock-timeout",
  "log-format",
  "json",
  "verbose",
  "help",
] as const satisfies readonly FlagName[];
export type CommonFlag = (typeof COMMON_FLAGS)[number];

/** `--seed N` or `-v, --verbose`: how a flag is shown in help. */
export function flagLabel(name: FlagName): string {
  const spec: FlagSpec<unknown> = FLAGS[name];
  const long = spec.metavar ? `--${name} ${spec.metavar}` : `--${name}`;
  return spec.short ? `-${spec.short}, ${long}` : long;
}

/**
 * A flag's help line with where its value comes from when not given;
 * `commandDefault`: the command's own default, when it has one.
 */
export function flagHelp(name: FlagName, commandDefault?: unknown): string {
  const spec: FlagSpec<unknown> = FLAGS[name];
  const notes: string[] = [];
  if (spec.env) notes.push(`env ${spec.env}`);
  const shown = commandDefault !== undefined ? String(commandDefault) : spec.defaultHelp ??
    (spec.default === undefined || typeof spec.default === "function"
      ? undefined
      : String(spec.default));
  if (shown) notes.push(`default: ${shown}`);
  return notes.length > 0 ? `${spec.help} (${notes.join("; ")})` : spec.help;
}
