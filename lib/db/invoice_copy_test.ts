import assert from "node:assert/strict";
import type { DayPlan, NewCustomer } from "../sim/plan.ts";
import {
  billingText,
  customerCopyChunks,
  invoiceCopyChunks,
  lineCopyChunks,
} from "./invoice_copy.ts";

/** Two invoices: one at 13:05:09 on the day, one late (two days early, 00:00:01). */
const plan = {
  day: "2026-03-01",
  firstInvoiceId: 500,
  invoiceCustomerIds: Int32Array.of(7, 8),
  invoiceSeconds: Int32Array.of(13 * 3600 + 5 * 60 + 9, 1),
  invoiceDaysEarly: Int32Array.of(0, 2),
  invoiceTotalCents: Int32Array.of(198, 5),
  lineStart: Int32Array.of(0, 2, 3),
  firstLineId: 900,
  lineTrackIds: Int32Array.of(3, 4, 10),
  linePriceCents: Int32Array.of(99, 99, 5),
  newCustomers: [{
    id: 8,
    firstName: "Ana",
    lastName: "O\\Neil",
    company: null,
    address: "2",
    city: "Y",
    state: "S",
    country: "D",
    postalCode: "1",
    phone: "+1 2",
    fax: null,
    email: "a@b.c",
    supportRepId: 3,
  }],
} as unknown as DayPlan;

Deno.test("invoice rows: the timestamp, money and billing address as the SQL path makes them", () => {
  const billing = new Map([
    [7, billingText({ address: "1 A\tB", city: "X", state: null, country: "C", postalCode: "9" })],
    [8, billingText({ address: "2", city: "Y\\", state: "S", country: "D", postalCode: null })],
  ]);
  assert.equal(
    [...invoiceCopyChunks(plan, billing)].join(""),
    "500\t7\t2026-03-01 13:05:09\t1 A\\tB\tX\t\\N\tC\t9\t1.98\n" +
      "501\t8\t2026-02-27 00:00:01\t2\tY\\\\\tS\tD\t\\N\t0.05\n",
  );
  assert.equal(
    [...invoiceCopyChunks(plan, billing, 1, 2)].join("").split("\n")[0]!.slice(0, 3),
    "501",
  );
  assert.throws(() => [...invoiceCopyChunks(plan, new Map())], /customer 7 is missing/);
});

Deno.test("line rows: ids follow the plan, each with its invoice", () => {
  assert.equal(
    [...lineCopyChunks(plan)].join(""),
    "900\t500\t3\t0.99\t1\n901\t500\t4\t0.99\t1\n902\t501\t10\t0.05\t1\n",
  );
  assert.equal([...lineCopyChunks(plan, 1, 2)].join(""), "902\t501\t10\t0.05\t1\n");
});

Deno.test("customer rows: every column, NULLs and escapes", () => {
  assert.equal(
    [...customerCopyChunks(plan.newCustomers as unknown as NewCustomer[])].join(""),
    "8\tAna\tO\\\\Neil\t\\N\t2\tY\tS\tD\t1\t+1 2\t\\N\ta@b.c\t3\n",
  );
});
