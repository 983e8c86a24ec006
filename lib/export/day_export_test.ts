import assert from "node:assert/strict";
import { manifestPath } from "./day_export.ts";

Deno.test("manifest paths: one per day and format, the extract's apart", async (t) => {
  const cases: Array<[string, Parameters<typeof manifestPath>, string]> = [
    [
      "changes as Parquet",
      ["2026-03-02", "parquet", "changes"],
      "_manifests/2026-03-02.parquet.json",
    ],
    ["changes as CSV", ["2026-03-02", "csv", "changes"], "_manifests/2026-03-02.csv.json"],
    [
      "the extract",
      ["2026-03-02", "jsonl", "snapshot"],
      "_manifests/snapshot-2026-03-02.jsonl.json",
    ],
  ];
  for (const [name, args, path] of cases) {
    await t.step(name, () => assert.equal(manifestPath(...args), path));
  }
  await t.step("no such day", () => {
    assert.throws(() => manifestPath("2026-02-30", "csv", "changes"), /expected YYYY-MM-DD/);
  });
});
