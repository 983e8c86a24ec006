import assert from "node:assert/strict";
import { describeUrl, printable, redactSecrets, registerSecret, safeOutput } from "./redact.ts";

Deno.test("redactSecrets: URL passwords, password keywords, registered secrets", async (t) => {
  registerSecret("s3cr3t/pw");
  const cases: Array<[string, string, string]> = [
    ["a URL", "postgres://ann:hunter2@db/shop", "postgres://ann:****@db/shop"],
    [
      "two URLs",
      "a https://u:p@x b postgresql://v:q@y",
      "a https://u:****@x b postgresql://v:****@y",
    ],
    ["no password", "postgres://ann@db/shop", "postgres://ann@db/shop"],
    ["a keyword", "password=abc host=x", "password=**** host=x"],
    ["PGPASSWORD", "PGPASSWORD: 'a b'", "PGPASSWORD: ****"],
    ["a registered secret", "it was s3cr3t/pw!", "it was ****!"],
    ["encoded", "pw s3cr3t%2Fpw end", "pw **** end"],
    [
      "a web token as user",
      "from https://ghp_abc123@raw.example/x",
      "from https://****@raw.example/x",
    ],
    ["a token URL", "http://user:tok3n@host/c.sql", "http://user:****@host/c.sql"],
    ["a query token", "https://h/c.sql?token=abc&x=1", "https://h/c.sql?token=****&x=1"],
    [
      "a signed URL",
      "https://s3/c.sql?X-Amz-Signature=f00d",
      "https://s3/c.sql?X-Amz-Signature=****",
    ],
    [
      "a port, then an @ later on the line",
      '{"url":"postgres://db:5432/shop","mail":"a@b"}',
      '{"url":"postgres://db:5432/shop","mail":"a@b"}',
    ],
    ["in JSON", '{"origin":"http://u:pw@h/x"}', '{"origin":"http://u:****@h/x"}'],
    [
      "a query token inside JSON-escaped quotes",
      '{"m":"from \\"http://h/c.sql?token=abc\\""}',
      '{"m":"from \\"http://h/c.sql?token=****\\""}',
    ],
    ["a quoted keyword in JSON", '{"c":"password=\\"abc\\" x"}', '{"c":"password=**** x"}'],
    ["a keyword in JSON", '{"c":"host=x password=abc"}', '{"c":"host=x password=****"}'],
  ];
  for (const [name, text, expected] of cases) {
    await t.step(name, () => assert.equal(redactSecrets(text), expected));
  }
});

Deno.test("describeUrl: where, without password or options", () => {
  assert.equal(
    describeUrl(new URL("postgres://ann:pw@db.example:6543/shop?sslmode=require")),
    "postgres://ann@db.example:6543/shop",
  );
  assert.equal(describeUrl(new URL("postgres://db/shop")), "postgres://db/shop");
});

Deno.test("printable: control characters escaped, tab and newline kept, styles on request", async (t) => {
  const cases: Array<[string, string, string]> = [
    ["clear screen", "Rock\x1b[2J\x1b[H", "Rock\\u001b[2J\\u001b[H"],
    ["carriage return", "ok\rFAKE", "ok\\u000dFAKE"],
    ["bell, DEL, C1 CSI", "a\x07b\x7fc\x9bd", "a\\u0007b\\u007fc\\u009bd"],
    ["bidi override", "abc\u202edcba", "abc\\u202edcba"],
    ["tab and newline", "a\tb\nc", "a\tb\nc"],
    ["plain unicode", "Müller · 東京 ♪", "Müller · 東京 ♪"],
  ];
  for (const [name, text, expected] of cases) {
    await t.step(name, () => assert.equal(printable(text), expected));
  }
  await t.step("styles kept, others escaped", () => {
    assert.equal(
      printable("\x1b[1mTop\x1b[0m \x1b[2J", { styled: true }),
      "\x1b[1mTop\x1b[0m \\u001b[2J",
    );
  });
});

Deno.test("safeOutput: JSON stays exact", () => {
  const value = { genre: "Rock\x1b[2J\u009b\u202e", n: 1, line: "a\nb" };
  const out = safeOutput(JSON.stringify(value));
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  assert.doesNotMatch(out, /[\x00-\x1f\x7f-\x9f\u202e]/);
  assert.deepEqual(JSON.parse(out), value);
});
