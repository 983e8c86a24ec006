/** `status` and `report --last`: the ledger's status on stdout, a warning for days after yesterday. */
import { withDatabase } from "../db/connect.ts";
import { readStatus } from "../db/ledger.ts";
import { liveDays } from "../db/live.ts";
import { clockText } from "../sim/live.ts";
import { futureDaysWarning, renderStatus } from "../report/status.ts";
import { yesterdayIn } from "../sim/calendar.ts";
import { logger, writeOut } from "./output.ts";
import type { BaseSettings } from "./settings.ts";

export async function showStatus(settings: BaseSettings & { tz: string }): Promise<void> {
  const yesterday = yesterdayIn(settings.tz, new Date());
  const status = await withDatabase(settings.target, async (db) => {
    const status = await readStatus(db, yesterday);
    if (!status.setUp) return status;
    const live = await liveDays(db.sql, { unfinished: true });
    return {
      ...status,
      live: live.map((l) => ({
        day: l.day,
        position: l.position,
        total: l.total,
        clock: clockText(l.clock),
        commits: l.commits,
        updatedAt: l.updatedAt,
      })),
    };
  });
  const warning = futureDaysWarning(status);
  if (warning) logger("status").warn(warning);
  writeOut(renderStatus(status, settings.json));
}
