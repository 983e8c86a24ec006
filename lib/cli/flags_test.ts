import assert from "node:assert/strict";
import { UsageError } from "./errors.ts";
import { COMMON_FLAGS, flagHelp, flagLabel, type FlagName, FLAGS, parseFlags } from "./flags.ts";

const ALL = Object.keys(FLAGS) as FlagName[];

Deno.test("parseFlags: each value through its flag's parser", async (t) => {
  const cases: Array<[string, string[], Record<string, unknown>]> = [
    ["a count", ["--inserts", "42"], { inserts: 42 }],
    ["auto", ["--updates", "auto"], { updates: "auto" }],
    ["a day", ["--date", "2026-02-28"], { date: "2026-02-28" }],
    ["a seed", ["--seed", " 7 "], { seed: "7" }],
    ["an empty seed asks for a drawn one", ["--seed", ""], { seed: null }],
    ["a zone", ["--tz", "Europe/Paris"], { tz: "Europe/Paris" }],
    ["a choice", ["--delete-mode", "hard"], { "delete-mode": "hard" }],
    ["a rate", ["--late-rate", ".05"], { "late-rate": 0.05 }],
    ["seconds", ["--lock-timeout=5"], { "lock-timeout": 5 }],
    ["short switches", ["-v", "-h"], { verbose: true, help: true }],
    ["a path as given", ["--chinook-sql", ""], { "chinook-sql": "" }],
  ];
  for (const [name, args, expected] of cases) {
    await t.step(name, () => assert.deepEqual({ ...parseFlags("test", ALL, args) }, expected));
  }
});

Deno.test("parseFlags: bad input is a one-line UsageError naming the flag and the fix", async (t) => {
  const cases: Array<[string, string[], RegExp]> = [
    ["letters", ["--inserts", "abc"], /^Cannot parse --inserts "abc": expected a whole number$/],
    [
      "too many",
      ["--inserts", "2000001"],
      /^Cannot use --inserts "2000001": .* from 0 to 2,000,000$/,
    ],
    ["unicode digits", ["--deletes", "４２"], /--deletes "４２"/],
    ["no such day", ["--date", "2026-02-30"], /^Cannot parse --date "2026-02-30": no such day/],
    ["a zone", ["--tz", "Mars/Base"], /^Cannot use --tz "Mars\/Base": unknown time zone/],
    ["a choice", ["--messiness", "extreme"], /expected one of none, low, medium, high$/],
    ["a rate", ["--edit-rate", "5%"], /^Cannot parse --edit-rate "5%": expected a decimal/],
    ["a port", ["--port", "70000"], /from 0 to 65,535$/],
    [
      "unknown flag",
      ["--insert", "5"],
      /^Unknown option "--insert": see "chinook-sim test --help"$/,
    ],
    ["missing value", ["--inserts"], /^Option "--inserts <value>" argument missing: see/],
    [
      "a value that starts with a dash",
      ["--inserts", "-5"],
      /^Option "--inserts" argument is ambiguous\. .* use "--inserts=-XYZ": see "chinook-sim test --help"$/,
    ],
    ["an argument", ["today"], /^Unexpected argument "today"\. .*: see "chinook-sim test --help"$/],
  ];
  for (const [name, args, message] of cases) {
    await t.step(name, () => {
      assert.throws(() => parseFlags("test", ALL, args), (e: Error) => {
        assert.ok(e instanceof UsageError);
        assert.match(e.message, message);
        assert.doesNotMatch(e.message, /\n/);
        return true;
      });
    });
  }
});

Deno.test("parseFlags: only the command's own flags", () => {
  assert.throws(() => parseFlags("status", COMMON_FLAGS, ["--inserts", "5"]), /Unknown option/);
  assert.deepEqual({ ...parseFlags("status", COMMON_FLAGS, ["--json"]) }, { json: true });
});

Deno.test("help lines come from the table: metavar, short alias, env and default", async (t) => {
  const cases: Array<[FlagName, string, RegExp]> = [
    [
      "seed",
      "--seed N",
      /^Seed for .* \(env SIM_SEED; default: drawn and recorded in the ledger\)$/,
    ],
    ["window-days", "--window-days N", /\(default: 90\)$/],
    ["data-dir", "--data-dir DIR", /\(env SIM_DATA_DIR; default: \.chinook-sim\)$/],
    ["verbose", "-v, --verbose", /^Show stack traces on errors$/],
    ["inserts", "--inserts N", /^New invoices$/],
    ["model", "--model FILE", /^JSON file/],
  ];
  for (const [name, label, help] of cases) {
    await t.step(name, () => {
      assert.equal(flagLabel(name), label);
      assert.match(flagHelp(name), help);
    });
  }
});
