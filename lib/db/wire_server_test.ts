import assert from "node:assert/strict";
import {
  ReadyScanner,
  replaceMessages,
  startupLockTimeout,
  startupSettings,
  withoutMessages,
} from "./wire_server.ts";

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

/** A server message: type, length, body. */
function message(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setInt32(1, 4 + body.length);
  out.set(body, 5);
  return out;
}

Deno.test("wire server: the last ReadyForQuery's status, however the bytes are cut", async (t) => {
  const rows = message("D", new Uint8Array(300).fill(0x5a));
  const stream = new Uint8Array([
    ...message("C", new TextEncoder().encode("SELECT 1\0")),
    ...rows,
    ...message("Z", new TextEncoder().encode("T")),
    ...rows,
    ...message("Z", new TextEncoder().encode("I")),
  ]);
  for (const size of [1, 2, 5, 7, 64, stream.length]) {
    await t.step(`chunks of ${size} bytes`, () => {
      const scanner = new ReadyScanner();
      for (let i = 0; i < stream.length; i += size) scanner.feed(stream.subarray(i, i + size));
      assert.equal(scanner.status, "I");
    });
  }
  await t.step("no ReadyForQuery yet (mid extended query, COPY FROM STDIN)", () => {
    const scanner = new ReadyScanner();
    scanner.feed(message("G", new Uint8Array(3)));
    assert.equal(scanner.status, null);
  });
});

Deno.test("wire server: the last ErrorResponse is kept whole, its message readable", async (t) => {
  const fields = (m: string) => new TextEncoder().encode(`SERROR\0C53100\0M${m}\0\0`);
  const first = message("E", fields("first"));
  const last = message("E", fields("could not write to file: No space left on device"));
  const stream = new Uint8Array([...message("G", new Uint8Array(3)), ...first, ...last]);
  for (const size of [1, 3, 16, stream.length]) {
    await t.step(`chunks of ${size} bytes`, () => {
      const scanner = new ReadyScanner();
      for (let i = 0; i < stream.length; i += size) scanner.feed(stream.subarray(i, i + size));
      assert.deepEqual(scanner.lastError, last);
      assert.equal(scanner.lastErrorText, "could not write to file: No space left on device");
      // No ReadyForQuery after it: PGlite failed inside (the wire layer stops using it).
      assert.equal(scanner.status, null);
    });
  }
  await t.step("none yet", () => {
    const scanner = new ReadyScanner();
    scanner.feed(message("C", new TextEncoder().encode("SELECT 1\0")));
    assert.equal(scanner.lastError, null);
    assert.equal(scanner.lastErrorText, null);
  });
});

Deno.test("wire server: a COPY's answer without PGlite's CopyInResponse (the client had one)", () => {
  const g = message("G", new Uint8Array(3));
  const c = message("C", new TextEncoder().encode("COPY 3\0"));
  const z = message("Z", new TextEncoder().encode("I"));
  assert.deepEqual(
    withoutMessages(new Uint8Array([...g, ...c, ...z]), 0x47),
    new Uint8Array([...c, ...z]),
  );
});

Deno.test("wire server: an error replaced in whole messages, told by the scanner", () => {
  const e = message("E", new TextEncoder().encode("SERROR\0C58P01\0Mcould not open file\0\0"));
  const ours = message("E", new TextEncoder().encode("SERROR\0C58P01\0Mgone\0\0"));
  const z = message("Z", new TextEncoder().encode("E"));
  const scanner = new ReadyScanner();
  assert.equal(scanner.atBoundary, true);
  scanner.feed(e.subarray(0, 3));
  assert.equal(scanner.atBoundary, false, "mid-message: not replaced");
  scanner.feed(new Uint8Array([...e.subarray(3), ...z]));
  assert.equal(scanner.atBoundary, true);
  assert.equal(scanner.errors, 1);
  assert.deepEqual(
    replaceMessages(new Uint8Array([...e, ...z]), 0x45, ours),
    new Uint8Array([...ours, ...z]),
  );
});
