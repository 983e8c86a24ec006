import assert from "node:assert/strict";
import { renderPart, toCsv, toJson } from "./answer_key.ts";

interface Row {
  a: string | null;
  b: number;
}

Deno.test("answer key files", async (t) => {
  const cases: Array<{ name: string; rows: Row[]; csv: string }> = [
    { name: "no rows: the header only", rows: [], csv: "a,b\n" },
    { name: "plain", rows: [{ a: "x", b: 1 }], csv: "a,b\nx,1\n" },
    {
      name: "NULL is empty, the empty string quoted",
      rows: [{ a: null, b: 0 }, { a: "", b: 2 }],
      csv: 'a,b\n,0\n"",2\n',
    },
    {
      name: "quoting",
      rows: [{ a: 'say "hi", twice\n', b: 3 }],
      csv: 'a,b\n"say ""hi"", twice\n",3\n',
    },
    { name: "COPY's end marker", rows: [{ a: "\\.", b: 4 }], csv: 'a,b\n"\\.",4\n' },
  ];
  for (const c of cases) {
    await t.step(c.name, () => assert.equal(toCsv<Row>(["a", "b"], c.rows), c.csv));
  }
  await t.step("JSON keeps the columns' order and NULL", () => {
    assert.equal(
      toJson<Row>(["b", "a"], [{ a: null, b: 1 }]),
      '[\n {\n  "b": 1,\n  "a": null\n }\n]\n',
    );
  });
  await t.step("file names", () => {
    const part = { name: "daily_sales", columns: ["a", "b"] as const, rows: [] as Row[] };
    assert.equal(renderPart(part, "csv").file, "daily_sales.csv");
    assert.equal(renderPart(part, "json").file, "daily_sales.json");
  });
});
