/**
 * Hostile and mistaken input: every case gets a one-line error naming the
 * problem, the right exit code, and an unchanged database.
 */
import assert from "node:assert/strict";
import { addDays, todayIn } from "../lib/sim/calendar.ts";
import { cli, fingerprint, freshDatabase, setupDatabase } from "./harness.ts";

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

Deno.test("bad input: a clear one-line error, the right exit code, nothing written", async (t) => {
  const db = await freshDatabase();
  try {
    await setupDatabase(db, ["--history-end", "2026-03-08"]);
    const before = await db.query(fingerprint);
    for (const c of CASES) {
      await t.step(c.name, async () => {
        const env = c.replaceEnv ? { ...c.env } : { ...db.env, ...c.env };
        const result = await cli(c.args, { env, stdin: c.stdin });
        assert.equal(result.code, c.code, `exit code for ${c.name}: ${result.stderr}`);
        const errors = result.stderr.split("\n").filter((l) => l.startsWith("error: "));
        assert.equal(errors.length, 1, `one error line: ${result.stderr}`);
        assert.match(errors[0]!, c.message);
        assert.equal(result.stdout, "", "nothing on stdout");
        assert.doesNotMatch(result.stderr, /hunter2secret/);
        assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace without --verbose");
      });
    }
    assert.equal(await db.query(fingerprint), before, "the database is unchanged");
    assert.ok(CASES.length >= 40);
    const written = [...Deno.readDirSync(tmp)].map((e) => e.name).filter((n) =>
      !n.endsWith(".json")
    );
    assert.deepEqual(written, ["a-directory.html"], "no page, no temporary file left behind");
  } finally {
    taken.close();
    await db.drop();
    await Deno.remove(tmp, { recursive: true });
  }
});
