/**
 * A separate process that exports one Invoice partition, for the kill -9
 * test: `export_child.ts ROOT FORMAT ROWS SALT [STALL_AT]`. With STALL_AT it
 * prints "stalled" once that many rows are handed to the writer and waits to
 * be killed, so the kill lands mid-export every time.
 */
import { INVOICE } from "../lib/export/chinook_tables.ts";
import { checkLandingFormat, writeLandingPartition } from "../lib/export/landing.ts";
import type { Row } from "../lib/export/types.ts";

const [root, format, rowsArg, saltArg, stallArg] = Deno.args;
const rows = Number(rowsArg);
const salt = Number(saltArg);
const stallAt = stallArg === undefined ? Infinity : Number(stallArg);
const BATCH = 1000;

async function* batches(): AsyncGenerator<Row[]> {
  for (let start = 0; start < rows; start += BATCH) {
    if (start >= stallAt) {
      await Deno.stdout.write(new TextEncoder().encode("stalled\n"));
      await new Promise((resolve) => setTimeout(resolve, 600_000)); // Until killed.
    }
    yield Array.from({ length: Math.min(BATCH, rows - start) }, (_, k) => {
      const i = start + k;
      return {
        InvoiceId: i + 1,
        CustomerId: (i % 59) + 1,
        InvoiceDate: `2013-12-22 ${String(i % 24).padStart(2, "0")}:00:00`,
        BillingAddress: `${salt} Main Street, "Unit ${i % 100}"`,
        BillingCity: "Lisbon",
        BillingState: null,
        BillingCountry: "Portugal",
        BillingPostalCode: String(1000 + (i % 9000)),
        Total: (i * 37 + salt) % 2000,
      };
    });
  }
}

const files = await writeLandingPartition({
  root: root!,
  table: INVOICE,
  day: "2013-12-22",
  format: checkLandingFormat(format!),
  recordsPerPart: 20_000,
  parquet: { rowGroupRows: 5_000 },
}, batches());
await Deno.stdout.write(new TextEncoder().encode(JSON.stringify(files) + "\n"));
