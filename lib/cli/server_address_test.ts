import assert from "node:assert/strict";
import { describeAddress, hostsFromEnv, parseServerUrl } from "./server_address.ts";

Deno.test("server addresses: host lists, Unix sockets, IPv6, bad ports", async (t) => {
  const cases: Array<[string, string, string | RegExp, unknown?]> = [
    ["one host", "postgres://u:p@db:6543/shop", "postgres://u@db:6543/shop"],
    ["default port", "postgres://u@db/shop", "postgres://u@db/shop"],
    ["a list, in order", "postgres://u@a:5432,b:5433/d", "postgres://u@a,b:5433/d", [
      { host: "a", port: 5432 },
      { host: "b", port: 5433 },
    ]],
    ["IPv6 in a list", "postgres://u@[::1]:5433,db/d", "postgres://u@[::1]:5433,db/d", [
      { host: "::1", port: 5433 },
      { host: "db", port: 5432 },
    ]],
    [
      "socket as ?host=",
      "postgres://u@/d?host=/var/run/postgresql",
      "postgres://u@/d?host=/var/run/postgresql",
    ],
    ["socket percent-encoded", "postgres://u@%2Ftmp/d", "postgres://u@/d?host=/tmp"],
    [
      "socket with a port",
      "postgres://u@/d?host=/tmp&port=5433",
      "postgres://u@/d?host=/tmp&port=5433",
    ],
    ["a port out of range", "postgres://u@a:70000/d", /has port "70000", not a port/],
    ["a port in a list", "postgres://u@a:1,b:x/d", /has port "x", not a port/],
    ["an empty host in a list", "postgres://u@a,/d", /has host "", not HOST/],
    ["no host", "postgres://u@/d", /has no host/],
    ["not a URL", "nothing here", /is not a valid URL: expected postgres:\/\//],
  ];
  for (const [name, text, expected, hosts] of cases) {
    await t.step(name, () => {
      const address = parseServerUrl(text);
      if (expected instanceof RegExp) {
        assert.ok("problem" in address && expected.test(address.problem), JSON.stringify(address));
        return;
      }
      assert.ok(!("problem" in address), JSON.stringify(address));
      assert.equal(describeAddress(address), expected);
      if (hosts) assert.deepEqual(address.hosts, hosts);
      assert.equal(address.url.password === "" || !describeAddress(address).includes(":p@"), true);
    });
  }
});

Deno.test("server addresses: libpq's connect_timeout, bounded", () => {
  const timeout = (text: string) => {
    const address = parseServerUrl(text);
    return "problem" in address ? address.problem : address.connectTimeoutSeconds;
  };
  assert.equal(timeout("postgres://u@a,b/d?connect_timeout=3"), 3);
  assert.equal(timeout("postgres://u@a/d"), null);
  assert.match(String(timeout("postgres://u@a/d?connect_timeout=0")), /whole seconds from 1/);
  assert.match(String(timeout("postgres://u@a/d?connect_timeout=soon")), /"soon"/);
});

Deno.test("server addresses: PGHOST lists take PGPORT's ports in order, or its one port", () => {
  assert.equal(hostsFromEnv("a,b", "5433"), "a:5433,b:5433");
  assert.equal(hostsFromEnv("a,b", "1,2"), "a:1,b:2");
  assert.equal(hostsFromEnv("::1", "5432"), "[::1]:5432");
});
