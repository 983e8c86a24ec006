import assert from "node:assert/strict";
import { encodeCopyRow, encodeCopyValue } from "./copy.ts";

Deno.test("encodeCopyValue: COPY text format", async (t) => {
  const cases: Array<[string, Parameters<typeof encodeCopyValue>[0], string]> = [
    ["null is \\N", null, "\\N"],
    ["plain text unchanged", "Rua Dr. Falcão Filho, 155", "Rua Dr. Falcão Filho, 155"],
    ["backslash doubled", "a\\b", "a\\\\b"],
    ["tab escaped", "a\tb", "a\\tb"],
    ["newline escaped", "a\nb", "a\\nb"],
    ["carriage return escaped", "a\rb", "a\\rb"],
    ["the text \\N is not NULL", "\\N", "\\\\N"],
    ["numbers as written", 1.99, "1.99"],
    ["bigint", 9007199254740993n, "9007199254740993"],
    ["boolean", true, "true"],
    ["empty string stays empty (not NULL)", "", ""],
  ];
  for (const [name, value, expected] of cases) {
    await t.step(name, () => assert.equal(encodeCopyValue(value), expected));
  }
});

Deno.test("encodeCopyRow: tab-separated, newline-terminated", () => {
  assert.equal(encodeCopyRow([1, "x\ty", null]), "1\tx\\ty\t\\N\n");
  assert.equal(encodeCopyRow([]), "\n");
});
