/**
 * Days after yesterday (D-1 in the store's zone) are not over: refused unless
 * --allow-future; status and catch-up warn about such days in the ledger, and
 * rewind undoes them.
 */
import assert from "node:assert/strict";
import { addDays, todayIn } from "../lib/sim/calendar.ts";
import { cli, fingerprint, withSetUpDatabase } from "./harness.ts";
import { ok } from "./ledger_helpers.ts";

const TODAY = todayIn("UTC", new Date());
const YESTERDAY = addDays(TODAY, -1);
const LATER = addDays(TODAY, 30);

Deno.test("days after yesterday: refused, allowed with --allow-future, warned about, rewound", async () => {
  await withSetUpDatabase(addDays(TODAY, -5), async (db) => {
    const before = await db.query(fingerprint);
    for (
      const args of [["simulate", "--date", TODAY], [
        "backfill",
        "--from",
        YESTERDAY,
        "--to",
        TODAY,
      ]]
    ) {
      const refused = await cli(args, { env: db.env });
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(
        refused.stderr,
        new RegExp(
          `error: Cannot simulate ${TODAY} \\(--(date|to)\\): it is after yesterday \\(${YESTERDAY} in UTC\\), not over yet; .*--allow-future`,
        ),
      );
    }
    assert.equal(await db.query(fingerprint), before, "nothing written");

    await ok(db, ["simulate", "--date", LATER, "--allow-future", "--inserts", "20"]);
    const warning = new RegExp(
      `WARNING.*1 day in the ledger is after yesterday \\(${YESTERDAY}\\): ${LATER}; "chinook-sim rewind --to ${YESTERDAY}" undoes it`,
    );
    const status = await ok(db, ["status", "--json"]);
    assert.match(status.stderr, warning);
    assert.deepEqual(JSON.parse(status.stdout).futureDays, [LATER]);
    const catchUp = await ok(db, ["catch-up", "--json"]);
    assert.match(catchUp.stderr, warning);
    assert.match(catchUp.stderr, /catch-up fills the days up to yesterday only/);
    // Not "up to date": the days up to yesterday are written.
    assert.deepEqual(
      JSON.parse(catchUp.stdout).days.map((d: { day: string }) => d.day),
      [YESTERDAY],
    );

    const rewound = await ok(db, ["rewind", "--to", YESTERDAY]);
    assert.match(
      rewound.stdout,
      new RegExp(`Days that can be simulated again: ${YESTERDAY}, ${LATER}\\.`),
    );
    // Yesterday's run was committed after the later day: undone too, and said so.
    assert.match(rewound.stdout, new RegExp(`Also undone: runs of ${YESTERDAY} committed after`));
    const again = await ok(db, ["catch-up", "--json"]);
    assert.doesNotMatch(again.stderr, /after yesterday/);
    assert.deepEqual(JSON.parse(again.stdout).days.map((d: { day: string }) => d.day), [YESTERDAY]);
    const clean = await ok(db, ["status", "--json"]);
    assert.deepEqual(JSON.parse(clean.stdout).futureDays, []);
    assert.doesNotMatch(clean.stderr, /WARNING/);
  });
});
