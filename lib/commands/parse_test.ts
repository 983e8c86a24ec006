/** Every command's parse(args): pure, typed, and a UsageError for what no run could fix. */
import assert from "node:assert/strict";
import { helpText } from "../cli/command.ts";
import { UsageError } from "../cli/errors.ts";
import { COMMON_FLAGS, flagLabel, type FlagName, FLAGS } from "../cli/flags.ts";
import { COMMAND_NAMES, loadCommands } from "./mod.ts";
import { command as audit } from "./audit.ts";
import { command as backfill } from "./backfill.ts";
import { command as catchUp } from "./catch_up.ts";
import { command as expect } from "./expect.ts";
import { command as exportCommand } from "./export.ts";
import { command as live } from "./live.ts";
import { command as report } from "./report.ts";
import { command as serve } from "./serve.ts";
import { command as setup } from "./setup.ts";
import { command as simulate } from "./simulate.ts";
import { command as status } from "./status.ts";
import { command as verify } from "./verify.ts";

Deno.test("parse: the typed input of each command", async (t) => {
  await t.step("simulate with counts", () => {
    assert.deepEqual(simulate.parse(["--date", "2026-03-01", "--inserts", "5"]), {
      flags: { date: "2026-03-01", inserts: 5 },
      countsGiven: true,
    });
  });
  await t.step("simulate without counts reads them later", () => {
    assert.equal(simulate.parse(["--seed", "3"]).countsGiven, false);
  });
  await t.step("expect: the range, the directory, --as-of when given", () => {
    const args = ["--from", "2026-03-01", "--to", "2026-03-04", "--out", "key"];
    assert.deepEqual(
      [expect.parse(args).asOf, expect.parse([...args, "--as-of", "2026-03-09"]).asOf],
      [undefined, "2026-03-09"],
    );
    assert.throws(() => expect.parse([...args, "--as-of", "2026-03-03"]), UsageError);
  });
  await t.step("audit: --as-of, the warehouse URL and schema checked", () => {
    const input = audit.parse([
      ...["--as-of", "2026-03-09", "--warehouse", "postgres://u@h:5433/dw", "--schema", "dw_1"],
    ]);
    assert.deepEqual(input, {
      asOf: "2026-03-09",
      flags: { "as-of": "2026-03-09", warehouse: "postgres://u@h:5433/dw", schema: "dw_1" },
    });
    assert.throws(() => audit.parse([]), UsageError);
    assert.throws(() => audit.parse(["--as-of", "2026-03-09", "--schema", "A"]), UsageError);
    assert.throws(
      () => audit.parse(["--as-of", "2026-03-09", "--warehouse", "https://h/db"]),
      UsageError,
    );
  });
  await t.step("backfill's range", () => {
    const input = backfill.parse(["--from", "2026-03-01", "--to", "2026-03-04", "--seed", "5"]);
    assert.equal(input.from, "2026-03-01");
    assert.equal(input.to, "2026-03-04");
    assert.equal(input.flags.seed, "5");
  });
  await t.step("export's range, directory and formats", () => {
    const input = exportCommand.parse([
      "--from",
      "2026-03-01",
      "--to",
      "2026-03-02",
      "--out",
      "landing",
      "--format",
      "csv",
      "--events",
      "cdc-flat",
      "--snapshot",
    ]);
    assert.deepEqual([input.from, input.to, input.out], ["2026-03-01", "2026-03-02", "landing"]);
    assert.deepEqual(
      [input.flags.format, input.flags.events, input.flags.snapshot],
      ["csv", "cdc-flat", true],
    );
  });
  await t.step("simulate --export with its format and events", () => {
    const { flags } = simulate.parse(["--export", "out", "--export-format", "jsonl"]);
    assert.deepEqual([flags.export, flags["export-format"]], ["out", "jsonl"]);
  });
  await t.step("verify --date is a one-day range", () => {
    const input = verify.parse(["--date", "2026-03-02"]);
    assert.deepEqual([input.from, input.to], ["2026-03-02", "2026-03-02"]);
  });
  await t.step("verify without days: the ledger's", () => {
    const input = verify.parse([]);
    assert.deepEqual([input.from, input.to], [undefined, undefined]);
  });
  await t.step("setup --cdc --undo", () => {
    assert.deepEqual(setup.parse(["--cdc", "--undo"]).flags, { cdc: true, undo: true });
  });
  await t.step("report --last", () => assert.equal(report.parse(["--last"]).flags.last, true));
  await t.step("serve --port 0", () => assert.equal(serve.parse(["--port", "0"]).flags.port, 0));
  await t.step("report --serve --port 0", () => {
    assert.deepEqual(report.parse(["--serve", "--port", "0", "--json"]).flags, {
      serve: true,
      port: 0,
      json: true,
    });
  });
  await t.step("status and catch-up", () => {
    assert.deepEqual(status.parse(["--json"]).flags, { json: true });
    assert.deepEqual(catchUp.parse(["--messiness", "low"]).flags, { messiness: "low" });
  });
});

Deno.test("parse: combinations no run could fix are usage errors", async (t) => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    [
      "backfill without --to",
      () => backfill.parse(["--from", "2026-03-01"]),
      /needs --from DAY and --to DAY/,
    ],
    [
      "backfill reversed",
      () => backfill.parse(["--from", "2026-03-10", "--to", "2026-03-01"]),
      /^--from 2026-03-10 is after --to 2026-03-01: swap them$/,
    ],
    [
      "backfill too long",
      () => backfill.parse(["--from", "2000-01-01", "--to", "2026-03-01"]),
      /^Cannot backfill 9557 days: at most 3660 in one call$/,
    ],
    [
      "catch-up has no --date",
      () => catchUp.parse(["--date", "2026-01-01"]),
      /Unknown option "--date"/,
    ],
    [
      "report: two formats",
      () => report.parse(["--csv", "--json"]),
      /Choose one of --csv, --json and --html/,
    ],
    [
      "report: an empty --html",
      () => report.parse(["--html", ""]),
      /give the path of the HTML file/,
    ],
    [
      "report reversed",
      () => report.parse(["--from", "2026-03-10", "--to", "2026-03-01"]),
      /swap them/,
    ],
    [
      "report: --port without --serve",
      () => report.parse(["--port", "8080"]),
      /^--port goes with --serve: "chinook-sim report --serve --port 8080"$/,
    ],
    [
      "report: --serve and --last",
      () => report.parse(["--serve", "--last"]),
      /^Choose one of --serve, --csv, --html and --last$/,
    ],
    [
      "verify: --date and a range",
      () => verify.parse(["--date", "2026-03-10", "--from", "2026-03-01"]),
      /Give either --date or --from\/--to, not both/,
    ],
    ["setup --undo alone", () => setup.parse(["--undo"]), /--undo goes with --cdc/],
    [
      "export without --out",
      () => exportCommand.parse(["--from", "2026-03-01", "--to", "2026-03-01"]),
      /export needs --out DIR/,
    ],
    [
      "export without a range",
      () => exportCommand.parse(["--out", "x"]),
      /export needs --from DAY and --to DAY/,
    ],
    [
      "export reversed",
      () => exportCommand.parse(["--from", "2026-03-10", "--to", "2026-03-01", "--out", "x"]),
      /swap them/,
    ],
    [
      "export: an unknown format",
      () => exportCommand.parse(["--format", "xlsx"]),
      /Cannot use --format "xlsx": expected one of csv, json, jsonl, parquet/,
    ],
    [
      "export: unknown events",
      () => exportCommand.parse(["--events", "kafka"]),
      /Cannot use --events "kafka": expected one of debezium, cdc-flat/,
    ],
    ["status takes no argument", () => status.parse(["extra"]), /Unexpected argument "extra"/],
  ];
  for (const [name, parse, message] of cases) {
    await t.step(name, () => {
      assert.throws(parse, (e: Error) => e instanceof UsageError && message.test(e.message));
    });
  }
});

Deno.test("commands: each loads under its own name, in the listed order", async () => {
  assert.deepEqual((await loadCommands()).map((c) => c.name), COMMAND_NAMES);
});

Deno.test("help: generated from the table, every flag of the command, the common ones last", async () => {
  const used = new Set<FlagName>();
  for (const command of await loadCommands()) {
    const help = helpText(command);
    assert.match(help, new RegExp(`^chinook-sim ${command.name}: `));
    assert.match(help, /\nUsage: chinook-sim /);
    for (const flag of command.flags) {
      used.add(flag);
      assert.ok(help.includes(`  ${flagLabel(flag)} `), `${command.name}: ${flag}`);
    }
    assert.ok(help.indexOf("Common options:") > help.indexOf("Usage:"));
    for (const line of help.split("\n")) assert.ok(line.length <= 100, line);
  }
  for (const flag of COMMON_FLAGS) assert.ok(used.has(flag));
  const unused = (Object.keys(FLAGS) as FlagName[]).filter((f) => !used.has(f));
  assert.deepEqual(unused, [], "every flag of the table belongs to a command");
});

Deno.test("help: a command's own default is the one its help shows", () => {
  const portLine = (help: string) => help.split("\n").find((l) => l.startsWith("  --port N"));
  assert.match(portLine(helpText(serve))!, /\(default: 5432\)$/);
  assert.match(portLine(helpText(report))!, /\(default: 8080\)$/);
});

Deno.test("parse: live's clock", async (t) => {
  await t.step("speed, day, interval and stop time, typed", () => {
    assert.deepEqual(
      live.parse([
        "--speed",
        "3600",
        "--date",
        "2026-03-01",
        "--interval",
        "0.5",
        "--until",
        "18:30",
      ])
        .flags,
      { speed: 3600, date: "2026-03-01", interval: 0.5, until: 18 * 3600 + 30 * 60 },
    );
  });
  await t.step("--until 24:00 is the day's end", () => {
    assert.equal(live.parse(["--until", "24:00"]).flags.until, 86_400);
  });
  await t.step("--date needs --speed", () => {
    assert.throws(() => live.parse(["--date", "2026-03-01"]), UsageError);
  });
});
