import assert from "node:assert/strict";
import { ConfigError } from "./errors.ts";
import { describeDenial, findDenial } from "./permission_error.ts";

Deno.test("a denied permission, found in the error or its causes, as one line", async (t) => {
  const notCapable = (message: string) => Object.assign(new Error(message), { name: "NotCapable" });
  const cases: Array<[string, unknown, RegExp | null]> = [
    [
      "read, by Deno's message",
      notCapable('Requires read access to "/etc/hostname", run again with the --allow-read flag'),
      /^Cannot read "\/etc\/hostname": read access to it is not granted.*--allow-read=\/etc\/hostname/,
    ],
    [
      "write, wrapped in a configuration error",
      new ConfigError(
        'Cannot open the embedded database in "/x": Requires write access to "/x", run again with the --allow-write flag',
      ),
      /^Cannot write "\/x": .*--allow-write=\/x/,
    ],
    [
      "net, as a cause",
      new Error("Cannot download", {
        cause: notCapable('Requires net access to "example.com:443", run again'),
      }),
      /^Cannot connect to "example.com:443": net access.*--allow-net=example.com:443/,
    ],
    [
      "net, as node:dns says it",
      new ConfigError(
        "Cannot connect to postgres://u@db.example.com/x: getaddrinfo EPERM db.example.com. Check",
      ),
      /^Cannot connect to "db.example.com": .*--allow-db-host=db.example.com\)$/,
    ],
    [
      "env",
      notCapable('Requires env access to "PGHOST", run again with the --allow-env flag'),
      /^Cannot read the environment variable "PGHOST": .*--allow-env=PGHOST/,
    ],
    [
      "a system path, raw",
      notCapable(
        'Requires all access to "/proc/self/environ", run again with the --allow-all flag',
      ),
      /^Cannot use "\/proc\/self\/environ": system paths .* give a regular file or directory$/,
    ],
    [
      "a system path, already worded by the error that wraps it",
      new ConfigError('Cannot read --chinook-sql "/proc/self/environ": system paths…', {
        cause: notCapable('Requires all access to "/proc/self/environ", run again'),
      }),
      null,
    ],
    ["an ordinary error", new Error("connection refused"), null],
    ["an OS permission error is not a grant", new Error("Permission denied (os error 13)"), null],
  ];
  for (const [name, error, expected] of cases) {
    await t.step(name, () => {
      const denial = findDenial(error);
      if (expected === null) return assert.equal(denial, null);
      const line = describeDenial(denial!);
      assert.match(line, expected);
      assert.doesNotMatch(line, /\n/);
    });
  }
});
