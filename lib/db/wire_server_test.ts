import assert from "node:assert/strict";
import { startupLockTimeout, startupSettings } from "./wire_server.ts";

/** A StartupMessage (protocol 3.0) with these parameters. */
function startup(params: Record<string, string>): Uint8Array {
  const body = new TextEncoder().encode(
    Object.entries(params).map(([k, v]) => `${k}\0${v}\0`).join("") + "\0",
  );
  const out = new Uint8Array(8 + body.length);
  const view = new DataView(out.buffer);
  view.setInt32(0, out.length);
  view.setInt32(4, 196608);
  out.set(body, 8);
  return out;
}

Deno.test("wire server: a client's lock_timeout from its StartupMessage, in PostgreSQL's units", async (t) => {
  const cases: Array<[string, Record<string, string>, number | null]> = [
    ["milliseconds by default", { user: "u", lock_timeout: "60000" }, 60_000],
    ["seconds", { lock_timeout: "2s" }, 2000],
    ["minutes", { lock_timeout: "1min" }, 60_000],
    ["zero: no timeout", { lock_timeout: "0" }, null],
    ["absent", { user: "u", database: "d" }, null],
    ["not a duration", { lock_timeout: "soon" }, null],
    ["a value named lock_timeout is not the key", { application_name: "lock_timeout" }, null],
  ];
  for (const [name, params, expected] of cases) {
    await t.step(name, () => assert.equal(startupLockTimeout(startup(params)), expected));
  }
});

Deno.test("wire server: a StartupMessage's settings, without user, database and options", () => {
  assert.deepEqual(
    startupSettings(
      startup({
        user: "u",
        database: "d",
        application_name: "x",
        lock_timeout: "5",
        options: "-c a=b",
      }),
    ),
    [{ name: "application_name", setting: "x" }, { name: "lock_timeout", setting: "5" }],
  );
});
