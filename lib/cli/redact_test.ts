import assert from "node:assert/strict";
import { describeUrl, redactSecrets, registerSecret } from "./redact.ts";

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
