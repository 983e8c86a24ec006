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
  /** D-1 in the store's time zone, and the ledger days after it (simulated before they were over). */
  yesterday: string;
  futureDays: string[];
  /** Days live mode is writing (not finished yet): how far each got. */
  live?: LiveDayStatus[];
}

export interface LiveDayStatus {
  day: string;
  /** Changes committed, of the day's plan. */
  position: number;
  total: number;
  /** The simulated time of day the commits reach, HH:MM:SS. */
  clock: string;
  commits: number;
  updatedAt: string;
}

function liveLines(status: Status): string[] {
  return (status.live ?? []).map((l) =>
    `Live: ${l.day} up to ${l.clock}, ${l.position} of ${l.total} changes in ${l.commits} commits (last ${l.updatedAt}); "chinook-sim live" goes on with it`
  );
}

/** The warning about ledger days after yesterday, or null when there are none. */
export function futureDaysWarning(
  status: { yesterday: string; futureDays: string[] },
): string | null {
  const days = status.futureDays;
  if (days.length === 0) return null;
  const shown = days.length > 3 ? `${days.slice(0, 3).join(", ")}, …` : days.join(", ");
  return `${days.length} ${days.length === 1 ? "day" : "days"} in the ledger ${
    days.length === 1 ? "is" : "are"
  } after yesterday (${status.yesterday}): ${shown}; "chinook-sim rewind --to ${status.yesterday}" undoes ${
    days.length === 1 ? "it" : "them"
  }`;
}

export function renderStatus(status: Status, json: boolean): string {
  if (json) return JSON.stringify(status);
  if (!status.setUp) {
    return `${status.database}: not set up yet (run "chinook-sim setup" or "chinook-sim simulate")`;
  }
  if (status.lastDay === null) {
    return [
      `No day simulated yet; the history ends on ${status.historyEndsOn}.`,
      ...liveLines(status),
    ]
      .join("\n");
  }
  const run = status.lastRun!;
  return [
    `Last simulated day: ${status.lastDay} (written ${status.lastWrittenAt})`,
    `  ${run.inserts} invoices, ${run.updates} updated, ${run.deletes} cancelled, revenue ${run.revenue}, seed ${run.seed}`,
    `Days in the ledger: ${status.days} (${status.firstDay} to ${status.lastDay}` +
    (status.missingDays > 0 ? `, ${status.missingDays} missing in between: run backfill)` : ")"),
    `History ends on ${status.historyEndsOn}; Chinook ${status.variant} schema in ${status.database}`,
    ...liveLines(status),
  ].join("\n");
}
