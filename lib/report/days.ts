/** The summary of simulated days, as text or JSON: one day, or a multi-day run. Pure. */
import type { DayResult, DaysOutcome } from "../sim/day_types.ts";
import { formatCents } from "../sim/money.ts";

/** The result as a plain JSON-ready object (money as decimal strings). */
export function dayResultJson(result: DayResult) {
  return {
    day: result.day,
    status: result.status,
    seed: result.seed,
    runId: result.runId,
    runNumber: result.runNumber,
    requested: result.requested,
    done: result.done,
    shortfall: result.shortfall,
    revenue: formatCents(result.revenueCents),
    averageSale: result.done.inserts > 0
      ? formatCents(Math.round(result.revenueCents / result.done.inserts))
      : null,
    firstInvoiceId: result.firstInvoiceId,
    lastInvoiceId: result.lastInvoiceId,
    updatedTotals: result.updatedTotals,
    ...(result.web ? { web: result.web } : {}),
    elapsedMs: result.elapsedMs,
  };
}

/** One day's result for stdout: one JSON object, or one line. */
export function renderDayResult(result: DayResult, json: boolean): string {
  return json ? JSON.stringify(dayResultJson(result)) : dayResultText(result);
}

export function dayResultText(result: DayResult): string {
  if (result.status === "skipped") {
    return `${result.day} is already simulated (see the ledger); nothing written. Use --force to add another run.`;
  }
  const d = result.done;
  const average = d.inserts > 0 ? formatCents(Math.round(result.revenueCents / d.inserts)) : "-";
  const prefix = result.status === "dry-run" ? "Dry run, nothing written: " : "";
  return `${prefix}${result.day}: ${d.inserts} invoices (${d.lines} lines), revenue ${
    formatCents(result.revenueCents)
  }, average sale ${average}; ${d.updates} updated, ${d.deletes} cancelled; ` +
    `${d.newCustomers} new customers, ${d.customerChanges} customer changes; ` +
    (result.web
      ? `web: ${result.web.sessions} sessions, ${result.web.events} events, ${result.web.reviews} reviews; `
      : "") +
    `seed ${result.seed}; ${(result.elapsedMs / 1000).toFixed(2)} s`;
}

/** The final summary of a multi-day run, as text or one JSON object. */
export function daysReport(command: string, outcome: DaysOutcome, json: boolean): string {
  // A dry run's days are what it would write.
  const written = outcome.results.filter((r) => r.status === "written" || r.status === "dry-run");
  const dryRun = outcome.results.some((r) => r.status === "dry-run");
  const sum = (pick: (r: (typeof written)[number]) => number) =>
    written.reduce((a, r) => a + pick(r), 0);
  const totals = {
    days: written.length,
    inserts: sum((r) => r.done.inserts),
    lines: sum((r) => r.done.lines),
    updates: sum((r) => r.done.updates),
    deletes: sum((r) => r.done.deletes),
    newCustomers: sum((r) => r.done.newCustomers),
    revenue: formatCents(sum((r) => r.revenueCents)),
  };
  const from = written[0]?.day ?? null;
  const to = written[written.length - 1]?.day ?? null;
  if (json) {
    return JSON.stringify({
      command,
      dryRun,
      from,
      to,
      interrupted: outcome.interrupted,
      failure: outcome.failure,
      elapsedMs: outcome.elapsedMs,
      totals,
      days: outcome.results.map(dayResultJson),
    });
  }
  if (written.length === 0) {
    return `${command}: nothing ${outcome.results.length > 0 ? "new " : ""}to simulate${
      outcome.interrupted ? " (interrupted)" : ""
    }`;
  }
  return `${command}${
    dryRun ? " (dry run, nothing written)" : ""
  }: ${totals.days} days ${from} to ${to}: ${totals.inserts} invoices (${totals.lines} lines), ` +
    `revenue ${totals.revenue}, ${totals.updates} updated, ${totals.deletes} cancelled, ` +
    `${totals.newCustomers} new customers in ${(outcome.elapsedMs / 1000).toFixed(1)} s` +
    (outcome.interrupted ? " (interrupted: run again to resume)" : "") +
    (outcome.failure !== null ? " (then stopped: see the error)" : "");
}
