import assert from "node:assert/strict";
import { DATA_DIR_LOST, DataDirLostError, describeDatabaseFailure } from "./failure.ts";

Deno.test("database failures: one clear line that says nothing was written", async (t) => {
  const cases: Array<[string, unknown, RegExp | null]> = [
    [
      "lock timeout",
      { code: "55P03", message: "canceling statement due to lock timeout" },
      /^Timed out waiting for a lock .*raise --lock-timeout.*\(canceling statement due to lock timeout\); nothing was written$/,
    ],
    [
      "read-only",
      { code: "25006", message: "read-only" },
      /^The database is read-only .*point DATABASE_URL at a writable primary/,
    ],
    [
      "terminated",
      { code: "57P01", message: "terminating connection" },
      /^The server terminated the connection during the transaction; run again/,
    ],
    [
      "disk full",
      { code: "53100", message: "could not extend file" },
      /^The database server's disk is full/,
    ],
    [
      "connection lost",
      { code: "CONNECTION_CLOSED", message: "closed" },
      /^The connection to the database was lost \(closed\); nothing of the interrupted day was written: run again$/,
    ],
    [
      "another SQLSTATE",
      { code: "23505", message: "duplicate key" },
      /^The database refused the day: duplicate key \(SQLSTATE 23505\); nothing was written$/,
    ],
    [
      "the embedded data directory removed, however wrapped",
      new Error("Cannot set the database up: loading the history failed", {
        cause: {
          code: "58P01",
          routine: DATA_DIR_LOST,
          message:
            'Cannot use the embedded database in "d": its data directory was removed while it was open',
          hint: "run again",
        },
      }),
      /^Cannot use the embedded database in "d": its data directory was removed while it was open; nothing was written: run again$/,
    ],
    [
      "the same code from a server (no routine of ours)",
      { code: "58P01", message: 'could not open file "base/5/1"' },
      /^The database refused the day: could not open file .*\(SQLSTATE 58P01\); nothing was written$/,
    ],
    ["days committed, then the directory removed", new DataDirLostError("whole"), /^whole$/],
    ["not a database error", new RangeError("x"), null],
    ["a code that is no SQLSTATE", { code: "ENOENT", message: "no file" }, null],
    ["not an object", "text", null],
  ];
  for (const [name, error, expected] of cases) {
    await t.step(name, () => {
      const message = describeDatabaseFailure(error);
      if (expected === null) assert.equal(message, null);
      else assert.match(message ?? "", expected);
    });
  }
});
