import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { ConfigError, UsageError } from "./errors.ts";
import type { FlagName, FlagValues, Runtime } from "./flags.ts";
import {
  DRIVER_ENV_KEYS,
  type Env,
  ENV_KEYS,
  parseEnvText,
  resolveDatabaseTarget,
  resolveSettings,
} from "./settings.ts";

const RUNTIME: Runtime = { systemTimeZone: () => "Asia/Tokyo", drawSeed: () => "12345" };
const NAMES = ["seed", "tz", "window-days", "chinook-sql", "data-dir", "lock-timeout"] as const;

function resolve(flags: FlagValues<FlagName>, env: Env) {
  return resolveSettings(flags, env, NAMES, RUNTIME);
}

/** Each case's environment fails resolution with its message, as an error of `type`. */
async function throwsEach(
  t: Deno.TestContext,
  cases: Array<[string, Env, RegExp]>,
  type: new (message: string) => Error,
): Promise<void> {
  for (const [name, env, message] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => resolve({}, env),
        (e: Error) => e instanceof type && message.test(e.message),
      );
    });
  }
}

Deno.test("settings: flag > environment (and .env, merged before) > default", async (t) => {
  const cases: Array<[string, FlagValues<FlagName>, Env, Record<string, unknown>]> = [
    ["defaults", {}, {}, {
      seed: "12345",
      tz: "Asia/Tokyo",
      "window-days": 90,
      lockTimeoutMs: 60_000,
    }],
    ["environment", {}, { SIM_SEED: "8", SIM_TIMEZONE: "UTC" }, { seed: "8", tz: "UTC" }],
    ["flag over environment", { seed: "9", tz: "Europe/Paris" }, {
      SIM_SEED: "8",
      SIM_TIMEZONE: "UTC",
    }, {
      seed: "9",
      tz: "Europe/Paris",
    }],
    ["an empty seed draws one, whatever SIM_SEED says", { seed: null }, { SIM_SEED: "8" }, {
      seed: "12345",
    }],
    ["an empty SIM_SEED draws one", {}, { SIM_SEED: " " }, { seed: "12345" }],
    ["a flag without environment variable", { "window-days": 7, "lock-timeout": 2 }, {}, {
      "window-days": 7,
      lockTimeoutMs: 2000,
    }],
    ["an empty --chinook-sql wins over CHINOOK_SQL", { "chinook-sql": "" }, {
      CHINOOK_SQL: "x.sql",
    }, {
      "chinook-sql": "",
    }],
    ["CHINOOK_SQL", {}, { CHINOOK_SQL: "synthetic" }, { "chinook-sql": "synthetic" }],
    ["no default", {}, {}, { "chinook-sql": undefined }],
  ];
  for (const [name, flags, env, expected] of cases) {
    await t.step(name, () => {
      const settings = resolve(flags, env) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(settings[key], value, key);
      }
    });
  }
});

Deno.test("settings: a bad environment value names the variable", async (t) => {
  const cases: Array<[string, Env, RegExp]> = [
    ["SIM_SEED", { SIM_SEED: "1.5" }, /^Cannot parse SIM_SEED "1\.5": expected a whole number$/],
    [
      "SIM_TIMEZONE",
      { SIM_TIMEZONE: "Nowhere/City" },
      /^Cannot use SIM_TIMEZONE "Nowhere\/City": /,
    ],
    [
      "an empty SIM_TIMEZONE",
      { SIM_TIMEZONE: "" },
      /^Cannot use SIM_TIMEZONE "": expected an IANA/,
    ],
  ];
  await throwsEach(t, cases, UsageError);
});

Deno.test("settings: log level and format are checked together, as configuration", () => {
  assert.throws(
    () => resolve({ "log-format": "xml" }, { LOG_LEVEL: "loud" }),
    (e: Error) =>
      e instanceof ConfigError &&
      e.message ===
        'Cannot configure: LOG_LEVEL "loud": expected one of debug, info, warning, error; --log-format "xml": expected text or json',
  );
  const settings = resolve({ json: true, "log-format": "json" }, {
    LOG_LEVEL: "DEBUG",
    NO_COLOR: "1",
  });
  assert.deepEqual(
    [settings.json, settings.logFormat, settings.logLevel, settings.noColor],
    [true, "json", "debug", true],
  );
  assert.equal(resolve({}, { NO_COLOR: "" }).noColor, false);
});

Deno.test("settings: only the settings asked for are read from the environment", () => {
  // status has no seed: a bad SIM_SEED is none of its business.
  const settings = resolveSettings({}, { SIM_SEED: "abc" }, ["json"], RUNTIME);
  assert.equal((settings as unknown as Record<string, unknown>).seed, undefined);
});

Deno.test("settings: a command's own default replaces the table's; a flag still wins", () => {
  const port = (flags: FlagValues<"port">, defaults = {}) =>
    resolveSettings(flags, {}, ["port"], RUNTIME, defaults).port;
  assert.equal(port({}), 5432, "the table's (serve)");
  assert.equal(port({}, { port: 8080 }), 8080, "the command's (report --serve)");
  assert.equal(port({ port: 0 }, { port: 8080 }), 0, "the flag");
});

Deno.test("the database: DATABASE_URL, else PG*, else the embedded one in the data directory", async (t) => {
  const cases: Array<[string, Env, string | undefined, Record<string, unknown>]> = [
    ["embedded by default", {}, ".chinook-sim", { kind: "embedded", dataDir: ".chinook-sim" }],
    ["SIM_DATA_DIR via --data-dir's resolution", { SIM_DATA_DIR: "/tmp/x" }, undefined, {
      kind: "embedded",
      dataDir: "/tmp/x",
    }],
    ["a URL", { DATABASE_URL: "postgres://u:p@db.example:6543/shop?sslmode=require" }, undefined, {
      kind: "server",
      display: "postgres://u@db.example:6543/shop",
    }],
    ["a URL without user", { DATABASE_URL: "postgresql://db/shop", PGUSER: "ann" }, undefined, {
      kind: "server",
      url: "postgresql://ann@db/shop",
    }],
    [
      "PG variables",
      { PGHOST: "h", PGPORT: "5433", PGDATABASE: "d", PGPASSWORD: "s e" },
      undefined,
      {
        kind: "server",
        url: "postgres://postgres:s%20e@h:5433/d",
        display: "postgres://postgres@h:5433/d",
      },
    ],
  ];
  for (const [name, env, dataDir, expected] of cases) {
    await t.step(name, () => {
      const target = dataDir === undefined
        ? resolve({}, env).target
        : resolveDatabaseTarget(env, dataDir);
      for (const [key, value] of Object.entries(expected)) {
        assert.equal((target as Record<string, unknown>)[key], value, key);
      }
    });
  }
});

Deno.test("the database: every problem in one configuration error", async (t) => {
  const cases: Array<[string, Env, RegExp]> = [
    ["not a URL", { DATABASE_URL: "not a url" }, /DATABASE_URL is not a valid URL/],
    ["a scheme", { DATABASE_URL: "mysql://x@y/z" }, /scheme "mysql:": expected postgres:\/\//],
    ["sslmode", { DATABASE_URL: "postgres://x@y/z?sslmode=bogus" }, /sslmode "bogus"/],
    [
      "a port",
      { PGHOST: "h", PGPORT: "99999", PGSSLMODE: "nope" },
      /PGPORT "99999" .*; PGSSLMODE "nope"/,
    ],
    ["an empty data directory", { SIM_DATA_DIR: "" }, /SIM_DATA_DIR is empty/],
  ];
  await throwsEach(t, cases, ConfigError);
});

Deno.test("the environment read is exactly the permission set's env list", () => {
  const set = (denoJson as unknown as { permissions: { default: { env: string[] } } })
    .permissions.default.env;
  assert.deepEqual([...set].sort(), [...ENV_KEYS, ...DRIVER_ENV_KEYS].sort());
});

Deno.test("parseEnvText: KEY=VALUE lines, comments, quotes", () => {
  const text = [
    "# a comment",
    "",
    "DATABASE_URL=postgres://u:p@h/db # the shop",
    "export SIM_SEED = 42",
    "SIM_TIMEZONE='Europe/Paris'",
    'LOG_LEVEL="debug" # loud',
    'PGPASSWORD="a \\"b\\" #c"',
    "PGAPPNAME=two words\r",
  ].join("\n");
  assert.deepEqual({ ...parseEnvText(text, ".env") }, {
    DATABASE_URL: "postgres://u:p@h/db",
    SIM_SEED: "42",
    SIM_TIMEZONE: "Europe/Paris",
    LOG_LEVEL: "debug",
    PGPASSWORD: 'a "b" #c',
    PGAPPNAME: "two words",
  });
  assert.equal(Object.getPrototypeOf(parseEnvText("", ".env")), null);
});

Deno.test("parseEnvText: a malformed line names the file and line, never its text", async (t) => {
  const cases: Array<[string, string, RegExp]> = [
    [
      "no equals sign",
      "SIM_SEED=1\nDATABASE_URL postgres://u:hunter2@h/db",
      /line 2 is not KEY=VALUE/,
    ],
    ["a bad name", "1DATABASE_URL=x", /line 1 does not start with a variable name/],
    ["a space in the name", "DATABASE URL=x", /line 1 does not start with a variable name/],
    [
      "an unterminated quote",
      'DATABASE_URL="postgres://u:hunter2@h/db',
      /line 1 has an unterminated/,
    ],
    ["text after the quote", "SIM_SEED='1' 2", /line 1 has an unterminated or trailing-text/],
    ["a lone word", "\n\n  hello", /line 3 is not KEY=VALUE/],
  ];
  for (const [name, text, message] of cases) {
    await t.step(name, () => {
      assert.throws(() => parseEnvText(text, "my.env"), (e: Error) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /^Cannot read --env-file "my.env": /);
        assert.match(e.message, message);
        assert.match(e.message, /; write it as KEY=VALUE or comment it out with #$/);
        assert.doesNotMatch(e.message, /hunter2/);
        return true;
      });
    });
  }
});
