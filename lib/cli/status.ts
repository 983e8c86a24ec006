/** `status` and `report --last`: the ledger's status on stdout, a warning for days after yesterday. */
import { withDatabase } from "../db/connect.ts";
import { readStatus } from "../db/ledger.ts";
import { futureDaysWarning, renderStatus } from "../report/status.ts";
import { yesterdayIn } from "../sim/calendar.ts";
import { logger, writeOut } from "./output.ts";
import type { BaseSettings } from "./settings.ts";

export async function showStatus(settings: BaseSettings & { tz: string }): Promise<void> {
  const yesterday = yesterdayIn(settings.tz, new Date());
  const status = await withDatabase(settings.target, (db) => readStatus(db, yesterday));
  const warning = futureDaysWarning(status);
  if (warning) logger("status").warn(warning);
  writeOut(renderStatus(status, settings.json));
}
