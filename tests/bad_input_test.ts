/**
 * Hostile and mistaken input: every case gets a one-line error naming the
 * problem, the right exit code, and an unchanged database.
 */
import assert from "node:assert/strict";
import { addDays, todayIn } from "../lib/sim/calendar.ts";
import { existsSync } from "node:fs";
import {
  chinookSource,
  cli,
  fingerprint,
  freshDatabase,
  ON_SERVER,
  SERVER_URL,
  setupDatabase,
  type Sql,
} from "./harness.ts";
import { syntheticChinookSql } from "../lib/chinook/synthetic/dump.ts";

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  stdin?: string;
  code: number;
  message: RegExp;
  /** Replace the database env (for connection cases). */
  replaceEnv?: boolean;
}

const SIM = ["simulate", "--date", "2026-03-10"];
const tmp = Deno.makeTempDirSync({ prefix: "chinook-sim-bad-" });
Deno.writeTextFileSync(`${tmp}/bad.json`, "{ not json");
Deno.writeTextFileSync(`${tmp}/unknown_key.json`, JSON.stringify({ baseInvoicePerDay: 5 }));
Deno.writeTextFileSync(`${tmp}/negative.json`, JSON.stringify({ baseInvoicesPerDay: -5 }));
Deno.writeTextFileSync(`${tmp}/share.json`, JSON.stringify({ newCustomerShare: 1.5 }));
Deno.mkdirSync(`${tmp}/a-directory.html`);
/** Model files, each wrong in one way (the key on line 3, so the line is named). */
const modelFile = (name: string, body: string) => {
  Deno.writeTextFileSync(`${tmp}/${name}.json`, `{\n  "trackZipf": 0.9,\n  ${body}\n}\n`);
  return `${tmp}/${name}.json`;
};
Deno.writeTextFileSync(
  `${tmp}/huge_model.json`,
  `{"trackZipf": 0.9, "pad": "${"x".repeat(1_100_000)}"}`,
);
const listModel = `${tmp}/list.json`;
Deno.writeTextFileSync(listModel, "[1, 2]");
/** A database name with a space: on the server, one that does not exist. */
function spacedDatabaseUrl(): string {
  const url = new URL(ON_SERVER ? SERVER_URL! : "postgres://u@127.0.0.1:1/db");
  url.pathname = "/no such db";
  return url.href;
}
/** .env files, each wrong in one way. */
const envFile = (name: string, text: string) => {
  Deno.writeTextFileSync(`${tmp}/${name}.env`, text);
  return `${tmp}/${name}.env`;
};
/** Data directories that are not an embedded database. */
Deno.mkdirSync(`${tmp}/foreign-dir`);
Deno.writeTextFileSync(`${tmp}/foreign-dir/notes.txt`, "mine");
Deno.mkdirSync(`${tmp}/pg15-dir`);
Deno.writeTextFileSync(`${tmp}/pg15-dir/PG_VERSION`, "15\n");
Deno.mkdirSync(`${tmp}/server-dir`);
Deno.writeTextFileSync(`${tmp}/server-dir/PG_VERSION`, "18\n");
Deno.writeTextFileSync(
  `${tmp}/server-dir/postmaster.opts`,
  "/usr/lib/postgresql/18/bin/postgres\n",
);
Deno.mkdirSync(`${tmp}/server-pid-dir`);
Deno.writeTextFileSync(`${tmp}/server-pid-dir/PG_VERSION`, "18\n");
Deno.writeTextFileSync(
  `${tmp}/server-pid-dir/postmaster.pid`,
  "4242\n/var/lib/postgresql/18/main\n",
);
Deno.mkdirSync(`${tmp}/locked-dir`, { mode: 0o000 });
Deno.chmodSync(`${tmp}/locked-dir`, 0o000);
/** A port in use while the cases run. */
const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const REPORT = ["report"];

export const CASES: Case[] = [
  {
    name: "letters",
    args: [...SIM, "--inserts", "abc"],
    code: 2,
    message: /Cannot parse --inserts "abc": expected a whole number/,
  },
  {
    name: "empty",
    args: [...SIM, "--inserts", ""],
    code: 2,
    message: /--inserts "": expected a whole number/,
  },
  { name: "whitespace", args: [...SIM, "--inserts", "  "], code: 2, message: /--inserts " {2}"/ },
  { name: "negative", args: [...SIM, "--inserts=-5"], code: 2, message: /--inserts "-5"/ },
  { name: "float", args: [...SIM, "--inserts", "1.5"], code: 2, message: /--inserts "1.5"/ },
  { name: "hex", args: [...SIM, "--inserts", "0x10"], code: 2, message: /--inserts "0x10"/ },
  { name: "exponent", args: [...SIM, "--inserts", "1e3"], code: 2, message: /--inserts "1e3"/ },
  {
    name: "unicode digits",
    args: [...SIM, "--inserts", "４２"],
    code: 2,
    message: /--inserts "４２"/,
  },
  {
    name: "arabic-indic digits",
    args: [...SIM, "--updates", "٣"],
    code: 2,
    message: /--updates "٣"/,
  },
  {
    name: "past 2^31",
    args: [...SIM, "--inserts", "2147483648"],
    code: 2,
    message: /from 0 to 2,000,000/,
  },
  {
    name: "huge",
    args: [...SIM, "--inserts", "99999999999999999999"],
    code: 2,
    message: /--inserts/,
  },
  {
    name: "memory exhausting",
    args: [...SIM, "--inserts", "500000000"],
    code: 2,
    message: /from 0 to 2,000,000/,
  },
  {
    name: "sql fragment",
    args: [...SIM, "--inserts", '1; DROP TABLE "Invoice"'],
    code: 2,
    message: /expected a whole number/,
  },
  { name: "negative updates", args: [...SIM, "--updates=-1"], code: 2, message: /--updates "-1"/ },
  {
    name: "deletes letters",
    args: [...SIM, "--deletes", "two"],
    code: 2,
    message: /--deletes "two"/,
  },
  { name: "missing value", args: [...SIM, "--inserts"], code: 2, message: /--inserts/ },
  {
    name: "unknown flag",
    args: [...SIM, "--insert", "5"],
    code: 2,
    message: /Unknown option "--insert"/,
  },
  {
    name: "extra argument",
    args: [...SIM, "today"],
    code: 2,
    message: /Unexpected argument "today"/,
  },
  { name: "unknown command", args: ["simulat"], code: 2, message: /Unknown command "simulat"/ },
  {
    name: "impossible date",
    args: ["simulate", "--date", "2026-02-30"],
    code: 2,
    message: /--date "2026-02-30": no such day/,
  },
  {
    name: "word date",
    args: ["simulate", "--date", "yesterday"],
    code: 2,
    message: /--date "yesterday": expected a date as YYYY-MM-DD/,
  },
  {
    name: "short date",
    args: ["simulate", "--date", "26-1-1"],
    code: 2,
    message: /expected a date as YYYY-MM-DD/,
  },
  {
    name: "date inside history",
    args: ["simulate", "--date", "2020-01-01"],
    code: 2,
    message: /historical data runs to 2026-03-08/,
  },
  {
    name: "bad zone",
    args: [...SIM, "--tz", "Mars/Phobos"],
    code: 2,
    message: /--tz "Mars\/Phobos": unknown time zone/,
  },
  {
    name: "empty zone",
    args: [...SIM, "--tz", ""],
    code: 2,
    message: /--tz "": expected an IANA time zone/,
  },
  {
    name: "bad zone env",
    args: SIM,
    env: { SIM_TIMEZONE: "Nowhere" },
    code: 2,
    message: /SIM_TIMEZONE "Nowhere"/,
  },
  { name: "seed letters", args: [...SIM, "--seed", "abc"], code: 2, message: /--seed "abc"/ },
  { name: "seed negative", args: [...SIM, "--seed=-1"], code: 2, message: /--seed "-1"/ },
  { name: "seed env", args: SIM, env: { SIM_SEED: "1.5" }, code: 2, message: /SIM_SEED "1.5"/ },
  {
    name: "window zero",
    args: [...SIM, "--window-days", "0"],
    code: 2,
    message: /--window-days "0": expected a whole number from 1/,
  },
  {
    name: "window huge",
    args: [...SIM, "--window-days", "99999"],
    code: 2,
    message: /--window-days/,
  },
  {
    name: "delete mode",
    args: [...SIM, "--delete-mode", "soft"],
    code: 2,
    message: /--delete-mode "soft": expected one of cancel, hard/,
  },
  {
    name: "messiness level",
    args: [...SIM, "--messiness", "extreme"],
    code: 2,
    message: /--messiness "extreme": expected one of none, low, medium, high/,
  },
  {
    name: "rate above 1",
    args: [...SIM, "--late-rate", "1.5"],
    code: 2,
    message: /--late-rate "1.5": expected a decimal from 0 to 1/,
  },
  {
    name: "rate percent",
    args: [...SIM, "--edit-rate", "5%"],
    code: 2,
    message: /--edit-rate "5%"/,
  },
  {
    name: "lock timeout",
    args: [...SIM, "--lock-timeout", "0"],
    code: 2,
    message: /--lock-timeout "0"/,
  },
  {
    name: "stdin two numbers",
    args: SIM,
    stdin: "1 2\n",
    code: 2,
    message: /counts from stdin "1 2": expected three whole numbers/,
  },
  {
    name: "stdin four numbers",
    args: SIM,
    stdin: "1 2 3 4",
    code: 2,
    message: /expected three whole numbers/,
  },
  { name: "stdin letters", args: SIM, stdin: "a b c", code: 2, message: /stdin "a b c"/ },
  { name: "stdin negative", args: SIM, stdin: "-1 2 3", code: 2, message: /stdin "-1 2 3"/ },
  { name: "stdin float", args: SIM, stdin: "1.5 2 3", code: 2, message: /stdin "1.5 2 3"/ },
  {
    name: "stdin too large",
    args: SIM,
    stdin: "3000000 0 0",
    code: 2,
    message: /--inserts "3000000"/,
  },
  {
    name: "stdin sql",
    args: SIM,
    stdin: "1 2 3; DROP TABLE x",
    code: 2,
    message: /expected three whole numbers/,
  },
  {
    name: "model missing",
    args: [...SIM, "--model", `${tmp}/nope.json`],
    code: 2,
    message: /--model ".*nope.json": no such file/,
  },
  {
    name: "model directory",
    args: [...SIM, "--model", tmp],
    code: 2,
    message: /Cannot read --model/,
  },
  {
    name: "model bad json",
    args: [...SIM, "--model", `${tmp}/bad.json`],
    code: 2,
    message: /not valid JSON/,
  },
  {
    name: "model unknown key",
    args: [...SIM, "--model", `${tmp}/unknown_key.json`],
    code: 2,
    message: /unknown key "baseInvoicePerDay"/,
  },
  {
    name: "model negative",
    args: [...SIM, "--model", `${tmp}/negative.json`],
    code: 2,
    message: /"baseInvoicesPerDay" must be a number/,
  },
  {
    name: "env file missing",
    args: [...SIM, "--env-file", `${tmp}/nope.env`],
    code: 3,
    message: /--env-file ".*nope.env": no such file/,
  },
  { name: "env file directory", args: [...SIM, "--env-file", tmp], code: 3, message: /--env-file/ },
  {
    name: "log level",
    args: SIM,
    env: { LOG_LEVEL: "loud" },
    code: 3,
    message: /LOG_LEVEL "loud"/,
  },
  {
    name: "log format",
    args: [...SIM, "--log-format", "xml"],
    code: 3,
    message: /--log-format "xml"/,
  },
  {
    name: "malformed url",
    args: SIM,
    env: { DATABASE_URL: "not a url" },
    replaceEnv: true,
    code: 3,
    message: /DATABASE_URL is not a valid URL/,
  },
  {
    name: "wrong scheme",
    args: SIM,
    env: { DATABASE_URL: "mysql://u:pw@localhost/db" },
    replaceEnv: true,
    code: 3,
    message: /scheme "mysql:"/,
  },
  {
    name: "bad sslmode",
    args: SIM,
    env: { DATABASE_URL: "postgres://u@localhost/db?sslmode=sometimes" },
    replaceEnv: true,
    code: 3,
    message: /sslmode "sometimes"/,
  },
  {
    name: "unreachable",
    args: SIM,
    env: { DATABASE_URL: "postgres://u:hunter2secret@127.0.0.1:1/db" },
    replaceEnv: true,
    code: 3,
    message: /Cannot connect to postgres:\/\/u@127.0.0.1:1\/db/,
  },
  {
    name: "a port in a host list",
    args: SIM,
    env: { DATABASE_URL: "postgres://u@db1:5432,db2:x/db" },
    replaceEnv: true,
    code: 3,
    message: /DATABASE_URL has port "x", not a port: expected a whole number from 1 to 65535/,
  },
  {
    name: "an empty host in a host list",
    args: SIM,
    env: { DATABASE_URL: "postgres://u@db1,/db" },
    replaceEnv: true,
    code: 3,
    message: /DATABASE_URL has host "", not HOST or HOST:PORT/,
  },
  {
    name: "a connect_timeout of 0 (for ever)",
    args: SIM,
    env: { DATABASE_URL: "postgres://u@db1,db2/db?connect_timeout=0" },
    replaceEnv: true,
    code: 3,
    message: /DATABASE_URL has connect_timeout "0": expected whole seconds from 1 to 3600/,
  },
  {
    name: "a PGPORT list with a bad port",
    args: SIM,
    env: { PGHOST: "db1,db2", PGPORT: "5432,0" },
    replaceEnv: true,
    code: 3,
    message: /PGPORT "5432,0" is not a port/,
  },
  {
    name: "serve on a port in use",
    args: ["serve", "--port", String(taken.addr.port)],
    env: { SIM_DATA_DIR: `${tmp}/serve-data` },
    replaceEnv: true,
    code: 2,
    message: /Cannot listen on port \d+: it is in use; pick another with --port/,
  },
  {
    name: "bad port",
    args: SIM,
    env: { PGHOST: "127.0.0.1", PGPORT: "99999" },
    replaceEnv: true,
    code: 3,
    message: /PGPORT "99999"/,
  },
  {
    name: "report --port without --serve",
    args: [...REPORT, "--port", "8080"],
    code: 2,
    message: /--port goes with --serve/,
  },
  {
    name: "report --port letters",
    args: [...REPORT, "--serve", "--port", "eighty"],
    code: 2,
    message: /Cannot parse --port "eighty": expected a whole number/,
  },
  {
    name: "report --port out of range",
    args: [...REPORT, "--serve", "--port", "70000"],
    code: 2,
    message: /--port "70000": expected a whole number from 0 to 65,535/,
  },
  {
    name: "report --serve with --html",
    args: [...REPORT, "--serve", "--html", `${tmp}/x.html`],
    code: 2,
    message: /Choose one of --serve, --csv, --html and --last/,
  },
  {
    name: "report --serve with --csv",
    args: [...REPORT, "--serve", "--csv"],
    code: 2,
    message: /Choose one of --serve/,
  },
  {
    name: "report --serve with --last",
    args: [...REPORT, "--serve", "--last"],
    code: 2,
    message: /Choose one of --serve/,
  },
  {
    name: "report --serve on a port in use",
    args: [...REPORT, "--serve", "--port", String(taken.addr.port)],
    code: 2,
    message: /Cannot listen on port \d+: it is in use; pick another with --port/,
  },
  {
    name: "report --serve from after the data",
    args: [...REPORT, "--serve", "--port", "0", "--from", "2030-01-01"],
    code: 2,
    message: /--from 2030-01-01 is after the last day with data/,
  },
  {
    name: "report --html without a path",
    args: [...REPORT, "--html", " "],
    code: 2,
    message: /Cannot use --html " ": give the path of the HTML file/,
  },
  {
    name: "report --html reversed range",
    args: [...REPORT, "--html", `${tmp}/x.html`, "--from", "2026-02-01", "--to", "2026-01-01"],
    code: 2,
    message: /--from 2026-02-01 is after --to 2026-01-01: swap them/,
  },
  {
    name: "report --html onto a directory",
    args: [...REPORT, "--html", `${tmp}/a-directory.html`],
    // Checked before the database is read: bad input.
    code: 2,
    message: /Cannot write --html ".*a-directory.html": it is a directory; give a file path/,
  },
];

/** The ledger's flags and inputs: future days, rewind, verify on nothing, paths checked before writing. */
const FUTURE = addDays(todayIn("UTC", new Date()), 5);
CASES.push(
  {
    name: "a day not over yet",
    args: ["simulate", "--date", FUTURE],
    code: 2,
    message: new RegExp(
      `Cannot simulate ${FUTURE} \\(--date\\): it is after yesterday .*--allow-future`,
    ),
  },
  {
    name: "a day not over yet, dry run",
    args: ["simulate", "--date", FUTURE, "--dry-run"],
    code: 2,
    message: /it is after yesterday/,
  },
  {
    name: "a range ending after yesterday",
    args: ["backfill", "--from", "2026-03-10", "--to", FUTURE],
    code: 2,
    message: new RegExp(`Cannot simulate ${FUTURE} \\(--to\\)`),
  },
  {
    name: "allow-future with a value",
    args: [...SIM, "--allow-future=yes"],
    code: 2,
    message: /Option "--allow-future" does not take an argument/,
  },
  {
    name: "catch-up has no allow-future",
    args: ["catch-up", "--allow-future"],
    code: 2,
    message: /Unknown option "--allow-future"/,
  },
  { name: "rewind without --to", args: ["rewind"], code: 2, message: /rewind needs --to DAY/ },
  {
    name: "rewind to no such day",
    args: ["rewind", "--to", "2026-02-30"],
    code: 2,
    message: /--to "2026-02-30": no such day/,
  },
  {
    name: "rewind to an empty day",
    args: ["rewind", "--to", ""],
    code: 2,
    message: /--to "": expected a date as YYYY-MM-DD/,
  },
  {
    name: "rewind into the history",
    args: ["rewind", "--to", "2020-01-01"],
    code: 2,
    message: /Cannot rewind to 2020-01-01: the historical data runs to 2026-03-08/,
  },
  {
    name: "rewind into the history, dry run",
    args: ["rewind", "--to", "2020-01-01", "--dry-run"],
    code: 2,
    message: /the historical data runs to 2026-03-08/,
  },
  {
    name: "rewind with an extra argument",
    args: ["rewind", "--to", "2026-03-10", "now"],
    code: 2,
    message: /Unexpected argument "now"/,
  },
  {
    name: "rewind takes no --force",
    args: ["rewind", "--to", "2026-03-10", "--force"],
    code: 2,
    message: /Unknown option "--force"/,
  },
  {
    name: "allow-empty with a value",
    args: ["verify", "--allow-empty=no"],
    code: 2,
    message: /Option "--allow-empty" does not take an argument/,
  },
  {
    name: "status in an unknown zone",
    args: ["status", "--tz", "Mars/Phobos"],
    code: 2,
    message: /--tz "Mars\/Phobos": unknown time zone/,
  },
  {
    name: "manifest dir is a file",
    args: [...SIM, "--manifest-dir", `${tmp}/bad.json`],
    code: 2,
    message: /--manifest-dir ".*bad.json": it is a file, not a directory/,
  },
  {
    name: "manifest dir under a file",
    args: [...SIM, "--manifest-dir", `${tmp}/bad.json/days`],
    code: 2,
    message: /--manifest-dir ".*bad.json\/days": ".*bad.json" is a file/,
  },
  {
    name: "manifest dir empty",
    args: [...SIM, "--manifest-dir", ""],
    code: 2,
    message: /--manifest-dir "": give a directory, or "none"/,
  },
  {
    name: "manifest dir is a file, dry run",
    args: [...SIM, "--dry-run", "--manifest-dir", `${tmp}/bad.json`],
    code: 2,
    message: /it is a file/,
  },
  {
    name: "backfill's manifest dir is a file",
    args: [
      "backfill",
      "--from",
      "2026-03-10",
      "--to",
      "2026-03-11",
      "--manifest-dir",
      `${tmp}/bad.json`,
    ],
    code: 2,
    message: /it is a file/,
  },
  {
    name: "html into a missing directory",
    args: ["report", "--html", `${tmp}/nope/report.html`],
    code: 2,
    message: /the directory ".*nope" does not exist/,
  },
);

/** live: its clock and interval, checked before anything is opened. */
const LIVE = ["live", "--speed", "3600", "--date", "2026-03-10"];
CASES.push(
  {
    name: "live interval letters",
    args: [...LIVE, "--interval", "soon"],
    code: 2,
    message: /Cannot use --interval "soon": expected seconds from 0.05 to 3600/,
  },
  {
    name: "live interval zero",
    args: [...LIVE, "--interval", "0"],
    code: 2,
    message: /--interval "0"/,
  },
  {
    name: "live interval too long",
    args: [...LIVE, "--interval", "86400"],
    code: 2,
    message: /--interval "86400"/,
  },
  {
    name: "live interval negative",
    args: [...LIVE, "--interval=-1"],
    code: 2,
    message: /--interval "-1"/,
  },
  {
    name: "live interval exponent",
    args: [...LIVE, "--interval", "1e2"],
    code: 2,
    message: /--interval "1e2"/,
  },
  { name: "live speed zero", args: ["live", "--speed", "0"], code: 2, message: /--speed "0"/ },
  {
    name: "live speed decimal",
    args: ["live", "--speed", "1.5"],
    code: 2,
    message: /--speed "1.5"/,
  },
  {
    name: "live speed huge",
    args: ["live", "--speed", "99999999999"],
    code: 2,
    message: /--speed "99999999999": expected a whole number from 1 to 1,000,000/,
  },
  {
    name: "live until an impossible hour",
    args: [...LIVE, "--until", "25:00"],
    code: 2,
    message: /Cannot use --until "25:00": expected a time of day HH:MM/,
  },
  {
    name: "live until without minutes",
    args: [...LIVE, "--until", "18"],
    code: 2,
    message: /--until "18"/,
  },
  {
    name: "live until midnight at the start",
    args: [...LIVE, "--until", "00:00"],
    code: 2,
    message: /--until "00:00"/,
  },
  {
    name: "live date without speed",
    args: ["live", "--date", "2026-03-10"],
    code: 2,
    message: /Cannot use --date "2026-03-10" without --speed: live writes today/,
  },
  {
    name: "live bad date",
    args: ["live", "--speed", "60", "--date", "2026-02-30"],
    code: 2,
    message: /--date "2026-02-30"/,
  },
  {
    name: "live port without serve",
    args: [...LIVE, "--port", "5433"],
    code: 2,
    message: /Cannot use --port or --host without --serve/,
  },
  {
    name: "live a day after today",
    args: ["live", "--speed", "60", "--date", FUTURE],
    code: 2,
    message: new RegExp(`Cannot run ${FUTURE} live \\(--date\\): it is after today`),
  },
  {
    name: "live force is not a live flag",
    args: [...LIVE, "--force"],
    code: 2,
    message: /--force/,
  },
);

// The history's length (setup, and a day command's first run on an embedded database).
CASES.push(
  {
    name: "history years negative",
    args: ["setup", "--history-years=-1"],
    code: 2,
    message: /--history-years "-1": expected years from 0 to 20/,
  },
  {
    name: "history years too many",
    args: ["setup", "--history-years", "21"],
    code: 2,
    message: /--history-years "21": expected years from 0 to 20/,
  },
  {
    name: "history years letters",
    args: [...SIM, "--history-years", "three"],
    code: 2,
    message: /--history-years "three"/,
  },
  {
    name: "history years env",
    args: SIM,
    env: { SIM_HISTORY_YEARS: "1e3" },
    code: 2,
    message: /SIM_HISTORY_YEARS "1e3"/,
  },
  {
    name: "setup model with a share above 1",
    args: ["setup", "--model", `${tmp}/share.json`],
    code: 2,
    message: /"newCustomerShare" must be a number from 0 to 1/,
  },
);

/** export, and --export on the commands that write days: refused before anything is written. */
const EXPORT = ["export", "--from", "2026-03-10", "--to", "2026-03-10"];
CASES.push(
  { name: "export without --out", args: EXPORT, code: 2, message: /export needs --out DIR/ },
  {
    name: "export without a range",
    args: ["export", "--out", `${tmp}/out`],
    code: 2,
    message: /export needs --from DAY and --to DAY/,
  },
  {
    name: "export --out empty",
    args: [...EXPORT, "--out", ""],
    code: 2,
    message: /Cannot export to --out "": give a directory/,
  },
  {
    name: "export --out is a file",
    args: [...EXPORT, "--out", `${tmp}/bad.json`],
    code: 2,
    message: /Cannot export to --out ".*bad.json": it is a file, not a directory/,
  },
  {
    name: "export --out under a file",
    args: [...EXPORT, "--out", `${tmp}/bad.json/landing`],
    code: 2,
    message: /--out ".*bad.json\/landing": ".*bad.json" is a file/,
  },
  {
    name: "export --format unknown",
    args: [...EXPORT, "--out", `${tmp}/out`, "--format", "xlsx"],
    code: 2,
    message: /Cannot use --format "xlsx": expected one of csv, json, jsonl, parquet/,
  },
  {
    name: "export --format json (expect's)",
    args: [...EXPORT, "--out", `${tmp}/out`, "--format", "json"],
    code: 2,
    message:
      /Cannot export as --format "json": landing files are csv, jsonl \(JSON Lines\) or parquet/,
  },
  {
    name: "expect --format parquet (export's)",
    args: [
      "expect",
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-05",
      "--out",
      `${tmp}/expect-out`,
      "--format",
      "parquet",
    ],
    code: 2,
    message: /Cannot use --format "parquet" for the answer key: expected csv or json/,
  },
  {
    name: "export --format without a value",
    args: [...EXPORT, "--out", `${tmp}/out`, "--format"],
    code: 2,
    message: /--format/,
  },
  {
    name: "export --events unknown",
    args: [...EXPORT, "--out", `${tmp}/out`, "--events", "kafka"],
    code: 2,
    message: /Cannot use --events "kafka": expected one of debezium, cdc-flat/,
  },
  {
    name: "export --snapshot with a value",
    args: [...EXPORT, "--out", `${tmp}/out`, "--snapshot=yes"],
    code: 2,
    message: /Option "--snapshot" does not take an argument/,
  },
  {
    name: "export of a day not simulated",
    args: [...EXPORT, "--out", `${tmp}/out`],
    code: 2,
    message: /Cannot export 2026-03-10: not committed \(not in the ledger\); simulate it first/,
  },
  {
    name: "export reversed",
    args: ["export", "--from", "2026-03-10", "--to", "2026-03-01", "--out", `${tmp}/out`],
    code: 2,
    message: /--from 2026-03-10 is after --to 2026-03-01: swap them/,
  },
  {
    name: "export too many days",
    args: ["export", "--from", "2000-01-01", "--to", "2026-03-01", "--out", `${tmp}/out`],
    code: 2,
    message: /Cannot export 9557 days: at most 3660 in one call/,
  },
  {
    name: "export from no such day",
    args: ["export", "--from", "2026-02-30", "--to", "2026-03-01", "--out", `${tmp}/out`],
    code: 2,
    message: /--from "2026-02-30": no such day/,
  },
  {
    name: "simulate --export is a file",
    args: [...SIM, "--export", `${tmp}/bad.json`],
    code: 2,
    message: /Cannot export to --export ".*bad.json": it is a file, not a directory/,
  },
  {
    name: "simulate --export is a file, dry run",
    args: [...SIM, "--dry-run", "--export", `${tmp}/bad.json`],
    code: 2,
    message: /--export ".*bad.json": it is a file/,
  },
  {
    name: "simulate --export empty",
    args: [...SIM, "--export", ""],
    code: 2,
    message: /Cannot export to --export "": give a directory/,
  },
  {
    name: "simulate --export-format unknown",
    args: [...SIM, "--export", `${tmp}/out`, "--export-format", "avro"],
    code: 2,
    message: /Cannot use --export-format "avro": expected one of csv, jsonl, parquet/,
  },
  {
    name: "simulate --events without --export",
    args: [...SIM, "--events", "debezium"],
    code: 2,
    message: /Cannot use --events without --export DIR/,
  },
  {
    name: "simulate --export-format without --export",
    args: [...SIM, "--export-format", "csv"],
    code: 2,
    message: /Cannot use --export-format without --export DIR/,
  },
  {
    name: "backfill --export under a file",
    args: [
      "backfill",
      "--from",
      "2026-03-10",
      "--to",
      "2026-03-11",
      "--export",
      `${tmp}/bad.json/x`,
    ],
    code: 2,
    message: /--export ".*bad.json\/x": ".*bad.json" is a file/,
  },
  {
    name: "catch-up --events unknown",
    args: ["catch-up", "--export", `${tmp}/out`, "--events", "maxwell"],
    code: 2,
    message: /Cannot use --events "maxwell": expected one of debezium, cdc-flat/,
  },
);

const EXPECT = ["expect", "--from", "2026-03-01", "--to", "2026-03-05"];
CASES.push(
  {
    name: "expect without --out",
    args: EXPECT,
    code: 2,
    message: /Cannot write the answer key: --out missing/,
  },
  {
    name: "expect without a range",
    args: ["expect", "--out", `${tmp}/expect-out`],
    code: 2,
    message: /--from, --to missing/,
  },
  {
    name: "expect range reversed",
    args: ["expect", "--from", "2026-03-05", "--to", "2026-03-01", "--out", `${tmp}/expect-out`],
    code: 2,
    message: /Cannot use --from "2026-03-05": it is after --to 2026-03-01; swap them/,
  },
  {
    name: "expect --as-of before --to",
    args: [...EXPECT, "--as-of", "2026-03-02", "--out", `${tmp}/expect-out`],
    code: 2,
    message: /Cannot use --as-of "2026-03-02": it is before --to 2026-03-05/,
  },
  {
    name: "expect --as-of not a day",
    args: [...EXPECT, "--as-of", "2026-02-30", "--out", `${tmp}/expect-out`],
    code: 2,
    message: /Cannot parse --as-of "2026-02-30"/,
  },
  {
    name: "expect --as-of empty",
    args: [...EXPECT, "--as-of", "", "--out", `${tmp}/expect-out`],
    code: 2,
    message: /Cannot parse --as-of ""/,
  },
  {
    name: "expect --format unknown",
    args: [...EXPECT, "--format", "xml", "--out", `${tmp}/expect-out`],
    code: 2,
    message: /Cannot use --format "xml": expected one of csv, json/,
  },
  {
    name: "expect --out is a file",
    args: [...EXPECT, "--out", `${tmp}/bad.json`],
    code: 2,
    message: /Cannot write to --out ".*bad.json": it is a file; give a directory/,
  },
  {
    name: "expect --from not a day",
    args: ["expect", "--from", "yesterday", "--to", "2026-03-05", "--out", `${tmp}/expect-out`],
    code: 2,
    message: /Cannot parse --from "yesterday"/,
  },
);

CASES.push(
  {
    name: "audit without --as-of",
    args: ["audit"],
    code: 2,
    message: /Cannot audit without --as-of DAY/,
  },
  {
    name: "audit --as-of not a day",
    args: ["audit", "--as-of", "2026-13-01"],
    code: 2,
    message: /Cannot parse --as-of "2026-13-01"/,
  },
  {
    name: "audit --warehouse not a URL",
    args: ["audit", "--as-of", "2026-03-05", "--warehouse", "warehouse db"],
    code: 2,
    message: /Cannot parse --warehouse "warehouse db": expected a URL/,
  },
  {
    name: "audit --warehouse of another kind, password hidden",
    args: ["audit", "--as-of", "2026-03-05", "--warehouse", "mysql://u:hunter2secret@h/db"],
    code: 2,
    message: /Cannot use --warehouse "mysql:\/\/u:\*\*\*\*@h\/db": expected postgres:\/\//,
  },
  {
    name: "audit --warehouse without a host",
    args: ["audit", "--as-of", "2026-03-05", "--warehouse", "postgres:///db"],
    code: 2,
    message: /Cannot use --warehouse "postgres:\/\/\/db"/,
  },
  {
    name: "audit --warehouse unreachable, password hidden",
    args: [
      "audit",
      "--as-of",
      "2026-03-05",
      "--warehouse",
      "postgres://u:hunter2secret@127.0.0.1:1/db",
    ],
    code: 3,
    message: /Cannot connect to postgres:\/\/u@127.0.0.1:1\/db/,
  },
  {
    name: "audit --schema with capitals",
    args: ["audit", "--as-of", "2026-03-05", "--schema", "Warehouse"],
    code: 2,
    message: /Cannot use --schema "Warehouse": expected a lower-case identifier/,
  },
  {
    name: "audit --schema with a quote",
    args: ["audit", "--as-of", "2026-03-05", "--schema", 'dw"; DROP TABLE x; --'],
    code: 2,
    message: /Cannot use --schema/,
  },
  {
    name: "audit --schema empty",
    args: ["audit", "--as-of", "2026-03-05", "--schema", ""],
    code: 2,
    message: /Cannot use --schema ""/,
  },
  {
    name: "audit --schema too long",
    args: ["audit", "--as-of", "2026-03-05", "--schema", "a".repeat(64)],
    code: 2,
    message: /Cannot use --schema "a{64}"/,
  },
);

// setup --web and the clickstream.
CASES.push(
  {
    name: "web with a value",
    args: ["setup", "--web=yes"],
    code: 2,
    message: /Option "--web" does not take an argument/,
  },
  {
    name: "web with --undo",
    args: ["setup", "--web", "--undo"],
    code: 2,
    message: /--undo goes with --cdc/,
  },
  {
    name: "web is a setup option",
    args: [...SIM, "--web"],
    code: 2,
    message: /Unknown option "--web"/,
  },
);

/** Issue 13: bounds, strict files, clear configuration errors, output safe for a terminal. */
CASES.push(
  {
    name: "a day in year 9999",
    args: ["simulate", "--date", "9999-12-31"],
    code: 2,
    message: /Cannot parse --date "9999-12-31": expected a year from 1970 to 2199/,
  },
  {
    name: "a day in year 9999, allowed in the future",
    args: ["simulate", "--date", "9999-12-31", "--allow-future"],
    code: 2,
    message: /--date "9999-12-31": expected a year from 1970 to 2199/,
  },
  {
    name: "a day in year 1",
    args: ["simulate", "--date", "0001-01-01"],
    code: 2,
    message: /--date "0001-01-01": expected a year from 1970 to 2199/,
  },
  {
    name: "a day in year 99",
    args: ["simulate", "--date", "0099-01-01"],
    code: 2,
    message: /expected a year from 1970 to 2199/,
  },
  {
    name: "backfill from year 1",
    args: ["backfill", "--from", "0001-01-01", "--to", "2026-03-10"],
    code: 2,
    message: /--from "0001-01-01": expected a year from 1970/,
  },
  {
    name: "backfill over centuries",
    args: ["backfill", "--from", "2026-03-09", "--to", "2199-12-31", "--allow-future"],
    code: 2,
    message: /Cannot backfill [0-9]+ days: at most 3660 in one call/,
  },
  {
    name: "rewind to year 9999",
    args: ["rewind", "--to", "9999-12-31"],
    code: 2,
    message: /--to "9999-12-31": expected a year from 1970 to 2199/,
  },
  {
    name: "report over 230 years",
    args: ["report", "--from", "1970-01-01", "--to", "2199-12-31"],
    code: 2,
    message: /Cannot report 1970-01-01 to 2199-12-31: 84,006 days, at most 36,525 \(100 years\)/,
  },
  {
    name: "report --html over 150 years",
    args: ["report", "--html", `${tmp}/x.html`, "--from", "2000-01-01", "--to", "2150-01-01"],
    code: 2,
    message: /at most 36,525 \(100 years\); narrow --from and --to/,
  },
  {
    name: "report --json to year 9999",
    args: ["report", "--json", "--to", "9999-12-31"],
    code: 2,
    message: /--to "9999-12-31": expected a year/,
  },
  {
    name: "model: growthAnchor not a day",
    args: [...SIM, "--model", modelFile("anchor", '"growthAnchor": "2025-13-45"')],
    code: 2,
    message:
      /Cannot use --model ".*anchor.json": line 3: "growthAnchor" must be a date YYYY-MM-DD from 1970-01-01 to 2199-12-31 \(not "2025-13-45"\); fix the file/,
  },
  {
    name: "model: growthAnchor a number",
    args: [...SIM, "--model", modelFile("anchor_number", '"growthAnchor": 20250101')],
    code: 2,
    message: /line 3: "growthAnchor" must be a date/,
  },
  {
    name: "model: growthAnchor in year 1",
    args: [...SIM, "--model", modelFile("anchor_early", '"growthAnchor": "0001-01-01"')],
    code: 2,
    message: /line 3: "growthAnchor" must be a date YYYY-MM-DD from 1970-01-01/,
  },
  {
    name: "model: constructor",
    args: [...SIM, "--model", modelFile("constructor", '"constructor": 1')],
    code: 2,
    message: /line 3: unknown key "constructor"/,
  },
  {
    name: "model: __proto__",
    args: [...SIM, "--model", modelFile("proto", '"__proto__": {"baseInvoicesPerDay": 5}')],
    code: 2,
    message: /line 3: unknown key "__proto__"/,
  },
  {
    name: "model: toString",
    args: [...SIM, "--model", modelFile("tostring", '"toString": "2025-01-01"')],
    code: 2,
    message: /line 3: unknown key "toString"/,
  },
  {
    name: "model: hasOwnProperty",
    args: [...SIM, "--model", modelFile("hasown", '"hasOwnProperty": 3')],
    code: 2,
    message: /unknown key "hasOwnProperty"/,
  },
  {
    name: "model: a number that overflows",
    args: [...SIM, "--model", modelFile("overflow", '"baseInvoicesPerDay": 1e309')],
    code: 2,
    message: /line 3: "baseInvoicesPerDay" must be a number from 0 to 100,000 \(not Infinity\)/,
  },
  {
    name: "model: past its range",
    args: [...SIM, "--model", modelFile("too_many", '"baseInvoicesPerDay": 5000000')],
    code: 2,
    message: /"baseInvoicesPerDay" must be a number from 0 to 100,000 \(not 5000000\)/,
  },
  {
    name: "model: a list element past its range",
    args: [...SIM, "--model", modelFile("factors", '"weekdayFactors": [1, 1, 1, 1, 1, 1, 1e9]')],
    code: 2,
    message: /"weekdayFactors" must be 7 non-negative numbers, each from 0 to 10/,
  },
  {
    name: "model: a number as text",
    args: [...SIM, "--model", modelFile("text_number", '"annualGrowth": "0.1"')],
    code: 2,
    message: /"annualGrowth" must be a number from 0 to 1 \(not "0.1"\)/,
  },
  {
    name: "model: null",
    args: [...SIM, "--model", modelFile("null_value", '"trackZipf": null')],
    code: 2,
    message: /line 2: "trackZipf" must be a number/,
  },
  {
    name: "model: volumes compounding past the --inserts cap",
    args: [
      ...SIM,
      "--model",
      modelFile(
        "compounding",
        '"baseInvoicesPerDay": 100000, "annualGrowth": 1, "growthAnchor": "2000-01-01"',
      ),
    ],
    code: 2,
    message:
      /Cannot simulate 2026-03-10: the demand model expects [0-9,]+ invoices that day, past the cap of 2,000,000; lower baseInvoicesPerDay/,
  },
  {
    name: "model: larger than 1 MiB",
    args: [...SIM, "--model", `${tmp}/huge_model.json`],
    code: 2,
    message: /Cannot read --model ".*huge_model.json": it is larger than 1 MiB/,
  },
  {
    name: "model: /dev/zero",
    args: [...SIM, "--model", "/dev/zero"],
    code: 2,
    message: /Cannot read --model "\/dev\/zero": it is larger than 1 MiB/,
  },
  {
    name: "model: under /proc",
    args: [...SIM, "--model", "/proc/self/environ"],
    code: 2,
    message: /--model "\/proc\/self\/environ": system paths \(\/proc, \/sys, \/dev…\) are not read/,
  },
  {
    name: "model: a JSON list",
    args: [...SIM, "--model", listModel],
    code: 2,
    message: /Cannot use --model ".*list.json": expected a JSON object of model parameters/,
  },
  {
    name: "env file: a line without =",
    args: [
      ...SIM,
      "--env-file",
      envFile("no_equals", "SIM_SEED=1\nDATABASE_URL postgres://u:hunter2secret@h/db\n"),
    ],
    code: 3,
    message:
      /Cannot read --env-file ".*no_equals.env": line 2 is not KEY=VALUE \(no "="\); write it as KEY=VALUE or comment it out with #/,
  },
  {
    name: "env file: an unterminated quote",
    args: [
      ...SIM,
      "--env-file",
      envFile("quote", '# db\nDATABASE_URL="postgres://u:hunter2secret@h/db\n'),
    ],
    code: 3,
    message: /line 2 has an unterminated or trailing-text "quoted" value/,
  },
  {
    name: "env file: a bad variable name",
    args: [...SIM, "--env-file", envFile("bad_name", "DATABASE-URL=postgres://h/db\n")],
    code: 3,
    message: /line 1 does not start with a variable name/,
  },
  {
    name: "env file: a space in the name",
    args: [...SIM, "--env-file", envFile("space_name", "\n\nSIM SEED=4\n")],
    code: 3,
    message: /line 3 does not start with a variable name/,
  },
  {
    name: "env file: text after a quoted value",
    args: [...SIM, "--env-file", envFile("trailing", "SIM_TIMEZONE='UTC' Europe\n")],
    code: 3,
    message: /line 1 has an unterminated or trailing-text 'quoted' value/,
  },
  {
    name: "env file: /dev/zero",
    args: [...SIM, "--env-file", "/dev/zero"],
    code: 3,
    message: /Cannot read --env-file "\/dev\/zero": it is larger than 1 MiB/,
  },
  {
    name: "env file: under /proc",
    args: [...SIM, "--env-file", "/proc/self/environ"],
    code: 3,
    message: /--env-file "\/proc\/self\/environ": system paths/,
  },
  {
    name: "env file: a good line, then a bad value",
    args: [...SIM, "--env-file", envFile("bad_value", "SIM_SEED=seven\n")],
    code: 2,
    message: /SIM_SEED "seven"/,
  },
  {
    name: "stdin: endless counts",
    args: SIM,
    stdin: "1 2 3\n".repeat(2000),
    code: 2,
    message:
      /Cannot read the counts from stdin: more than 4,096 bytes; pipe one line "INSERTS UPDATES DELETES"/,
  },
  {
    name: "stdin: a long line",
    args: SIM,
    stdin: "9".repeat(10_000),
    code: 2,
    message: /more than 4,096 bytes/,
  },
  {
    name: "url: %ZZ in the password",
    args: SIM,
    env: { DATABASE_URL: "postgres://u:hunter2secret%ZZ@127.0.0.1:1/db" },
    replaceEnv: true,
    code: 3,
    message: /DATABASE_URL has a malformed %-escape in its password part; write a literal % as %25/,
  },
  {
    name: "url: a lone % in the user",
    args: SIM,
    env: { DATABASE_URL: "postgres://u%@127.0.0.1:1/db" },
    replaceEnv: true,
    code: 3,
    message: /malformed %-escape in its user name part/,
  },
  {
    name: "url: %ZZ in the database name",
    args: SIM,
    env: { DATABASE_URL: "postgres://u@127.0.0.1:1/shop%ZZ" },
    replaceEnv: true,
    code: 3,
    message: /malformed %-escape in its database name part/,
  },
  {
    name: "url: a / in the database name",
    args: SIM,
    env: { DATABASE_URL: "postgres://u@127.0.0.1:1/my/shop" },
    replaceEnv: true,
    code: 3,
    message: /DATABASE_URL has a "\/" in its database name "my\/shop": write it as %2F/,
  },
  {
    name: "url: a database name with a space",
    args: SIM,
    env: { DATABASE_URL: spacedDatabaseUrl() },
    replaceEnv: true,
    code: 3,
    message: ON_SERVER
      ? /Cannot connect to .*: database "no such db" does not exist/
      : /Cannot connect to postgres:\/\/u@127.0.0.1:1\/no%20such%20db/,
  },
  {
    name: "url: an IPv6 host in brackets",
    args: SIM,
    env: { DATABASE_URL: "postgres://u:hunter2secret@[::1]:1/db" },
    replaceEnv: true,
    code: 3,
    message:
      /Cannot connect to postgres:\/\/u@\[::1\]:1\/db: .*(ECONNREFUSED|refused|unreachable|not available)/i,
  },
  {
    name: "url: a password in the query",
    args: SIM,
    env: { DATABASE_URL: "postgres://u@127.0.0.1:1/db?password=hunter2secret" },
    replaceEnv: true,
    code: 3,
    message: /Cannot connect to postgres:\/\/u@127.0.0.1:1\/db/,
  },
  {
    name: "data dir: a directory of other files",
    args: SIM,
    env: { SIM_DATA_DIR: `${tmp}/foreign-dir` },
    replaceEnv: true,
    code: 3,
    message:
      /Cannot open the embedded database in ".*foreign-dir": it holds other files \(notes.txt\) and no database; give a new or empty directory/,
  },
  {
    name: "data dir: another PostgreSQL's",
    args: ["status", "--data-dir", `${tmp}/pg15-dir`],
    env: {},
    replaceEnv: true,
    code: 3,
    message: /".*pg15-dir": it is a PostgreSQL "15" data directory, not the embedded database/,
  },
  {
    name: "data dir: a server's of the same version",
    args: ["status", "--data-dir", `${tmp}/server-dir`],
    env: {},
    replaceEnv: true,
    code: 3,
    message:
      /".*server-dir": it is a PostgreSQL server's data directory \(it has postmaster.opts\); use it through its server \(DATABASE_URL\), never directly/,
  },
  {
    name: "data dir: a running server's (postmaster.pid with a real pid)",
    args: ["status", "--data-dir", `${tmp}/server-pid-dir`],
    env: {},
    replaceEnv: true,
    code: 3,
    message:
      /".*server-pid-dir": it is a PostgreSQL server's data directory \(it has postmaster.pid\)/,
  },
  {
    name: "data dir: no permissions",
    args: ["status", "--data-dir", `${tmp}/locked-dir`],
    env: {},
    replaceEnv: true,
    code: 3,
    message:
      /".*locked-dir": its permissions \(000\) do not let its owner read, write and enter it/,
  },
  {
    name: "data dir: a file",
    args: ["status", "--data-dir", `${tmp}/bad.json`],
    env: {},
    replaceEnv: true,
    code: 3,
    message: /".*bad.json": it is a file; give a directory/,
  },
  {
    name: "data dir: under /proc",
    args: [...SIM, "--data-dir", "/proc/self"],
    env: {},
    replaceEnv: true,
    code: 3,
    message: /"\/proc\/self": system paths \(\/proc, \/sys, \/dev…\) are not read or written/,
  },
  {
    name: "manifest: under /proc",
    args: ["verify", "--manifest", "/proc/self/status"],
    code: 2,
    message: /Cannot read --manifest "\/proc\/self\/status": system paths/,
  },
  {
    name: "manifest dir under /proc",
    args: [...SIM, "--manifest-dir", "/proc/self/manifests"],
    code: 2,
    message:
      /Cannot use --manifest-dir "\/proc\/self\/manifests": system paths \(\/proc, \/sys, \/dev…\) are not read or written by chinook-sim; give another path/,
  },
  {
    name: "html under /proc",
    args: ["report", "--html", "/proc/self/report.html"],
    code: 2,
    message: /Cannot use --html "\/proc\/self\/report.html": system paths .*; give another path/,
  },
  {
    name: "expect --out under /sys",
    args: [...EXPECT, "--out", "/sys/kernel/answers"],
    code: 2,
    message:
      /Cannot write to --out "\/sys\/kernel\/answers": system paths .*; give another directory/,
  },
  {
    name: "an escape sequence in a value",
    args: [...SIM, "--tz", "\x1b[2J\x1b[HEurope/Paris"],
    code: 2,
    message: /--tz "\\u001b\[2J\\u001b\[HEurope\/Paris": unknown time zone/,
  },
  {
    name: "a carriage return in a value",
    args: [...SIM, "--inserts", "5\rdone"],
    code: 2,
    message: /--inserts "5\\u000ddone": expected a whole number/,
  },
  {
    name: "a bidi override in a value",
    args: [...SIM, "--delete-mode", "hard\u202e"],
    code: 2,
    message: /--delete-mode "hard\\u202e": expected one of cancel, hard/,
  },
  {
    name: "an escape sequence in a command",
    args: ["\x1b]0;owned\x07"],
    code: 2,
    message: /Unknown command "\\u001b\]0;owned\\u0007"/,
  },
);

/** A local web server for dumps given as URLs. */
const PWNED = `${tmp}/pwned`;
const chinookText = chinookSource() === "synthetic"
  ? syntheticChinookSql({ seed: "chinook", lastHistoryDay: "2026-03-08" })
  : Deno.readTextFileSync(chinookSource());
const dumps = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
  const path = new URL(request.url).pathname;
  if (path === "/evil.sql") {
    return new Response(`${chinookText}\nCOPY (SELECT 1) TO PROGRAM 'touch ${PWNED}';\n`);
  }
  if (path === "/endless.sql") {
    let sent = 0;
    const chunk = new TextEncoder().encode(`-- ${"x".repeat(1020)}\n`);
    return new Response(
      new ReadableStream({
        pull(controller) {
          if (sent++ > 40 * 1024) controller.close();
          else controller.enqueue(chunk);
        },
      }),
    );
  }
  return new Response("no", { status: 404 });
});
const DUMPS = `http://127.0.0.1:${dumps.addr.port}`;
/** The Chinook dump with one statement more, written to a file. */
const dumpWith = (name: string, extra: string, before = false) => {
  Deno.writeTextFileSync(
    `${tmp}/${name}.sql`,
    before ? `${extra}\n${chinookText}` : `${chinookText}\n${extra}\n`,
  );
  return `${tmp}/${name}.sql`;
};
Deno.writeFileSync(`${tmp}/binary.sql`, new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0x81]));
Deno.writeTextFileSync(`${tmp}/empty.sql`, "");
const SETUP = ["setup", "--history-end", "2026-03-08", "--chinook-sql"];
const REFUSED = /; nothing was executed: give an unmodified Chinook pg_dump file/;

/** Setup on an empty database with a dump that is not Chinook's: refused before anything runs. */
const SETUP_CASES: Case[] = [
  {
    name: "dump: COPY … TO PROGRAM appended",
    args: [...SETUP, dumpWith("program", `COPY (SELECT 1) TO PROGRAM 'touch ${PWNED}';`)],
    code: 3,
    message: new RegExp(
      `Cannot load --chinook-sql ".*program.sql": line \\d+: "COPY \\(SELECT 1\\) TO PROGRAM 'touch .*" is not part of a Chinook dump${REFUSED.source}`,
    ),
  },
  {
    name: "dump: COPY … FROM PROGRAM into a Chinook table",
    args: [
      ...SETUP,
      dumpWith("from_program", `COPY public."Genre" ("GenreId", "Name") FROM PROGRAM 'id';`),
    ],
    code: 3,
    message: /line \d+: "COPY public."Genre" .*FROM PROGRAM 'id';" is not part of a Chinook dump/,
  },
  {
    name: "dump: DROP TABLE of another table",
    args: [...SETUP, dumpWith("drop", "DROP TABLE public.accounts;")],
    code: 3,
    message: /"DROP TABLE public.accounts;" is not part of a Chinook dump/,
  },
  {
    name: "dump: DROP TABLE first",
    args: [...SETUP, dumpWith("drop_first", 'DROP TABLE IF EXISTS public."Invoice";', true)],
    code: 3,
    message: /line 1: "DROP TABLE IF EXISTS public."Invoice";" is not part/,
  },
  {
    name: "dump: another table",
    args: [...SETUP, dumpWith("other_table", "CREATE TABLE public.accounts (id integer);")],
    code: 3,
    message: /"CREATE TABLE public.accounts \(id integer\);" is not one of the 11 Chinook tables/,
  },
  {
    name: "dump: a Chinook table in another schema",
    args: [...SETUP, dumpWith("other_schema", 'CREATE TABLE audit."Invoice" (id integer);')],
    code: 3,
    message: /is not one of the 11 Chinook tables/,
  },
  {
    name: "dump: COPY into another table",
    args: [...SETUP, dumpWith("copy_other", "COPY public.accounts (id) FROM stdin;\n1\n\\.")],
    code: 3,
    message: /"COPY public.accounts \(id\) FROM stdin;" is not one of the 11 Chinook tables/,
  },
  {
    name: "dump: a DO block",
    args: [...SETUP, dumpWith("do_block", "DO $$ BEGIN PERFORM pg_sleep(0); END $$;")],
    code: 3,
    message: /"DO \$\$ BEGIN PERFORM pg_sleep\(0\); END \$\$;" is not part of a Chinook dump/,
  },
  {
    name: "dump: a function",
    args: [
      ...SETUP,
      dumpWith(
        "function",
        "CREATE FUNCTION public.f() RETURNS integer\n    LANGUAGE sql AS $$ SELECT 1 $$;",
      ),
    ],
    code: 3,
    message: /"CREATE FUNCTION public.f\(\) RETURNS integer LANGUAGE sql .*" is not part/,
  },
  {
    name: "dump: a trigger",
    args: [
      ...SETUP,
      dumpWith(
        "trigger",
        'CREATE TRIGGER t AFTER INSERT ON public."Invoice" FOR EACH ROW EXECUTE FUNCTION f();',
      ),
    ],
    code: 3,
    message: /"CREATE TRIGGER t AFTER INSERT .*" is not part of a Chinook dump/,
  },
  {
    name: "dump: a default that calls a function",
    args: [
      ...SETUP,
      dumpWith(
        "default_call",
        'CREATE TABLE public."Genre" ("GenreId" integer DEFAULT public.f());',
        true,
      ),
    ],
    code: 3,
    message: /line 1: "CREATE TABLE public."Genre" \("GenreId" integer DEFAULT publ.*" is not part/,
  },
  {
    name: "dump: two statements on one line",
    args: [
      ...SETUP,
      dumpWith("two", 'CREATE INDEX i ON public."Genre" USING btree ("Name"); DROP TABLE x;'),
    ],
    code: 3,
    message: /is not part of a Chinook dump/,
  },
  {
    name: "dump: GRANT",
    args: [...SETUP, dumpWith("grant", 'GRANT ALL ON TABLE public."Invoice" TO PUBLIC;')],
    code: 3,
    message: /"GRANT ALL ON TABLE public."Invoice" TO PUBLIC;" is not part/,
  },
  {
    name: "dump: ALTER SYSTEM",
    args: [...SETUP, dumpWith("alter_system", "ALTER SYSTEM SET archive_command = 'id';")],
    code: 3,
    message: /"ALTER SYSTEM SET archive_command = 'id';" is not part/,
  },
  {
    name: "dump: SET ROLE",
    args: [...SETUP, dumpWith("set_role", "SET ROLE postgres;", true)],
    code: 3,
    message: /line 1: "SET ROLE postgres;" is not part of a Chinook dump/,
  },
  {
    name: "dump: moving chinook-sim's sequence",
    args: [
      ...SETUP,
      dumpWith("setval", "SELECT pg_catalog.setval('chinook_sim.invoice_id_seq', 1, false);"),
    ],
    code: 3,
    message: /"SELECT pg_catalog.setval\('chinook_sim.invoice_id_seq'.*" is not part/,
  },
  {
    name: "dump: /dev/zero",
    args: [...SETUP, "/dev/zero"],
    code: 3,
    message:
      /Cannot load --chinook-sql "\/dev\/zero": it is larger than 32 MiB, far more than a Chinook dump/,
  },
  {
    name: "dump: under /proc",
    args: [...SETUP, "/proc/self/environ"],
    code: 3,
    message: /Cannot read --chinook-sql "\/proc\/self\/environ": system paths/,
  },
  {
    name: "dump: a directory",
    args: [...SETUP, tmp],
    code: 3,
    message:
      /Cannot read --chinook-sql ".*": it is a directory; give the path of a Chinook pg_dump file/,
  },
  {
    name: "dump: not UTF-8",
    args: [...SETUP, `${tmp}/binary.sql`],
    code: 3,
    message: /".*binary.sql": it is not UTF-8 text; give a plain-text Chinook pg_dump file/,
  },
  {
    name: "dump: empty",
    args: [...SETUP, `${tmp}/empty.sql`],
    code: 3,
    message: /".*empty.sql": it has no COPY data blocks; give a plain-text Chinook pg_dump file/,
  },
  {
    name: "dump: a URL with a token, refused",
    args: [...SETUP, `${DUMPS.replace("://", "://user:tok3nsecret@")}/evil.sql`],
    code: 3,
    message:
      /Cannot load --chinook-sql "http:\/\/user:\*\*\*\*@127.0.0.1:\d+\/evil.sql": line \d+: "COPY \(SELECT 1\) TO PROGRAM/,
  },
  {
    name: "dump: a URL that never ends",
    args: [...SETUP, `${DUMPS}/endless.sql`],
    code: 3,
    message: /".*endless.sql": it is larger than 32 MiB/,
  },
  {
    name: "dump: a URL not found, with a token",
    args: [...SETUP, `${DUMPS.replace("://", "://tok3nsecret@")}/missing.sql?token=tok3nsecret`],
    code: 3,
    message:
      /Cannot download http:\/\/\*\*\*\*@127.0.0.1:\d+\/missing.sql\?token=\*\*\*\*: HTTP 404/,
  },
];

/**
 * The rows themselves (hashes of every row of the written tables) and
 * chinook-sim's own record: runs, counters, the change log. Any write shows.
 */
async function rowHashes(sql: Sql): Promise<string> {
  const [tables] = await sql`
    SELECT (SELECT md5(coalesce(string_agg(i::text, '|' ORDER BY "InvoiceId"), '')) FROM public."Invoice" i) AS invoices,
           (SELECT md5(coalesce(string_agg(l::text, '|' ORDER BY "InvoiceLineId"), '')) FROM public."InvoiceLine" l) AS lines,
           (SELECT md5(coalesce(string_agg(c::text, '|' ORDER BY "CustomerId"), '')) FROM public."Customer" c) AS customers,
           (SELECT count(*) FROM public."Genre") AS genres`;
  const own = await sql`
    SELECT (SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY run_id), '')) FROM chinook_sim.run r) AS runs,
           (SELECT md5(coalesce(string_agg(c::text, '|' ORDER BY name), '')) FROM chinook_sim.counter c) AS counters,
           (SELECT count(*) FROM chinook_sim.change) AS changes`;
  return JSON.stringify({ ...tables, ...own[0], fingerprint: await fingerprint(sql) });
}

/** Runs one case and asserts the promises of bad input. */
async function check(c: Case, env: Record<string, string>): Promise<void> {
  const result = await cli(c.args, { env, stdin: c.stdin });
  assert.equal(result.code, c.code, `exit code for ${c.name}: ${result.stderr}`);
  const errors = result.stderr.split("\n").filter((l) => l.startsWith("error: "));
  assert.equal(errors.length, 1, `one error line: ${result.stderr}`);
  assert.match(errors[0]!, c.message);
  assert.equal(result.stdout, "", "nothing on stdout");
  assert.doesNotMatch(result.stderr, /hunter2secret|tok3nsecret/);
  assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace without --verbose");
  assert.doesNotMatch(result.stderr, /--allow-all|URI malformed|PGlite failed/);
  // deno-lint-ignore no-control-regex -- no raw control character reaches the terminal
  assert.doesNotMatch(result.stderr, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
}

Deno.test("bad input: a clear one-line error, the right exit code, nothing written", async (t) => {
  const db = await freshDatabase();
  try {
    await setupDatabase(db, ["--history-end", "2026-03-08"]);
    const before = await db.query(rowHashes);
    for (const c of CASES) {
      await t.step(c.name, async () => {
        const env = c.replaceEnv ? { ...c.env } : { ...db.env, ...c.env };
        await check(c, env);
        // The rows before and after each case (the embedded database: after every 10th, and at the end).
        if (db.kind === "server" || CASES.indexOf(c) % 10 === 9) {
          assert.equal(await db.query(rowHashes), before, "the database is unchanged");
        }
      });
    }
    assert.equal(await db.query(rowHashes), before, "the database is unchanged");
    assert.ok(CASES.length + SETUP_CASES.length >= 100, `${CASES.length} + ${SETUP_CASES.length}`);
    const written = [...Deno.readDirSync(tmp)].map((e) => e.name).filter((n) =>
      !n.endsWith(".json") && !n.endsWith(".env") && !n.endsWith("-dir") && !n.endsWith(".sql")
    );
    assert.deepEqual(written, ["a-directory.html"], "no page, no temporary file left behind");
    for (const dir of ["foreign-dir", "pg15-dir", "locked-dir", "server-dir", "server-pid-dir"]) {
      Deno.chmodSync(`${tmp}/${dir}`, 0o755);
      const names = [...Deno.readDirSync(`${tmp}/${dir}`)].map((e) => e.name).sort();
      assert.deepEqual(
        names,
        {
          "foreign-dir": ["notes.txt"],
          "pg15-dir": ["PG_VERSION"],
          "locked-dir": [],
          "server-dir": ["PG_VERSION", "postmaster.opts"],
          "server-pid-dir": ["PG_VERSION", "postmaster.pid"],
        }[dir],
        `${dir} untouched`,
      );
    }
  } finally {
    taken.close();
    await db.drop();
  }
});

/** Everything in the database besides PostgreSQL's own: an empty one must stay empty. */
async function userObjects(sql: Sql): Promise<string[]> {
  return (await sql<{ name: string }[]>`
    SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text AS name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
     UNION ALL
    SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
     ORDER BY 1`).map((r) => r.name);
}

Deno.test("bad input: a dump refused before anything of it runs, an empty database left empty", async (t) => {
  const db = await freshDatabase();
  try {
    for (const c of SETUP_CASES) {
      await t.step(c.name, async () => {
        await check(c, { ...db.env, ...c.env });
        assert.deepEqual(await db.query(userObjects), [], "nothing created, nothing run");
      });
    }
    assert.equal(existsSync(PWNED), false, "no shell command ran");
  } finally {
    await db.drop();
    await dumps.shutdown();
    // A directory without permissions cannot be emptied by an ordinary user.
    await Deno.chmod(`${tmp}/locked-dir`, 0o755).catch(() => {});
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("bad input: a day past the largest id is refused before any write", async () => {
  const db = await freshDatabase();
  try {
    await setupDatabase(db, ["--history-end", "2026-03-08"]);
    // Near the end of the integer keys: ids are never issued twice, so they run out.
    await db.query((sql) =>
      sql`
      INSERT INTO chinook_sim.counter (name, value) VALUES ('invoice', 2147483640)
      ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`
    );
    const before = await db.query(rowHashes);
    await check({
      name: "id exhaustion",
      args: [...SIM, "--inserts", "10", "--seed", "1"],
      code: 3,
      message:
        /Cannot simulate 2026-03-10: its 10 new invoice rows need ids up to 2,147,483,650, past 2,147,483,647, the largest the integer key "InvoiceId" holds .*; nothing was written: ask for fewer rows/,
    }, db.env);
    assert.equal(await db.query(rowHashes), before, "the database is unchanged");
    const last = await cli([...SIM, "--inserts", "7", "--updates", "0", "--deletes", "0"], {
      env: db.env,
    });
    assert.equal(last.code, 0, last.stderr);
    const [max] = await db.query((sql) => sql`SELECT max("InvoiceId") AS id FROM public."Invoice"`);
    assert.equal(Number(max!.id), 2147483647, "the last id is used, not one past it");
  } finally {
    await db.drop();
  }
});
