import assert from "node:assert/strict";
import { UsageError } from "./errors.ts";
import { exportTargetFrom } from "./export_days.ts";

Deno.test("--export, --export-format and --events of the day commands", async (t) => {
  await t.step("without --export: no export", () => {
    assert.equal(exportTargetFrom({}), null);
  });
  await t.step("--export alone: Parquet, no events", () => {
    assert.deepEqual(exportTargetFrom({ export: "landing" }), {
      dir: "landing",
      format: "parquet",
      events: null,
      flag: "--export",
    });
  });
  await t.step("with a format and events", () => {
    const target = exportTargetFrom({
      export: "landing",
      "export-format": "csv",
      events: "cdc-flat",
    });
    assert.deepEqual([target?.format, target?.events], ["csv", "cdc-flat"]);
  });
  const refused: Array<[string, Parameters<typeof exportTargetFrom>[0], RegExp]> = [
    ["--events alone", { events: "debezium" }, /^Cannot use --events without --export DIR/],
    ["--export-format alone", { "export-format": "csv" }, /^Cannot use --export-format without/],
  ];
  for (const [name, settings, message] of refused) {
    await t.step(name, () => {
      assert.throws(
        () => exportTargetFrom(settings),
        (e: Error) => e instanceof UsageError && message.test(e.message),
      );
    });
  }
});
