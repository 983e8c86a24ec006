/** What `status` (and `report --last`) shows, and its text form. Pure. */
export interface Status {
  database: string;
  variant: string;
  setUp: boolean;
  historyEndsOn: string | null;
  days: number;
  firstDay: string | null;
  lastDay: string | null;
  lastWrittenAt: string | null;
  lastRun:
    | { inserts: number; updates: number; deletes: number; revenue: string; seed: string }
    | null;
  missingDays: number;
}

export function renderStatus(status: Status, json: boolean): string {
  if (json) return JSON.stringify(status);
  if (!status.setUp) {
    return `${status.database}: not set up yet (run "chinook-sim setup" or "chinook-sim simulate")`;
  }
  if (status.lastDay === null) {
    return `No day simulated yet; the history ends on ${status.historyEndsOn}.`;
  }
  const run = status.lastRun!;
  return [
    `Last simulated day: ${status.lastDay} (written ${status.lastWrittenAt})`,
    `  ${run.inserts} invoices, ${run.updates} updated, ${run.deletes} cancelled, revenue ${run.revenue}, seed ${run.seed}`,
    `Days in the ledger: ${status.days} (${status.firstDay} to ${status.lastDay}` +
    (status.missingDays > 0 ? `, ${status.missingDays} missing in between: run backfill)` : ")"),
    `History ends on ${status.historyEndsOn}; Chinook ${status.variant} schema in ${status.database}`,
  ].join("\n");
}
