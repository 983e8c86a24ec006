import assert from "node:assert/strict";
import { translateTemplateParts } from "./variant.ts";

Deno.test("a tagged template is translated as one text: a literal may span a parameter", () => {
  assert.deepEqual(
    translateTemplateParts([
      `SELECT "Total", 'x `,
      ` "Total"' FROM "Invoice" WHERE "InvoiceId" = `,
      "",
    ], "snake"),
    [`SELECT total, 'x `, ` "Total"' FROM invoice WHERE invoice_id = `, ""],
  );
});
