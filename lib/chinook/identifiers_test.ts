/**
 * Every quoted identifier in chinook-sim's SQL is a Chinook identifier of the
 * variant table (so a snake_case database gets it translated) or a name
 * known not to be one. The sources are imported as text, so the scan needs
 * no permissions; with read access a second test proves the list complete.
 */
import assert from "node:assert/strict";
import chinookPgDump from "./pg_dump.ts" with { type: "text" };
import chinookSchema from "./schema.ts" with { type: "text" };
import chinookSources from "./sources.ts" with { type: "text" };
import chinookSyntheticCustomers from "./synthetic/customers.ts" with { type: "text" };
import chinookSyntheticDraw from "./synthetic/draw.ts" with { type: "text" };
import chinookSyntheticDump from "./synthetic/dump.ts" with { type: "text" };
import chinookSyntheticEmployees from "./synthetic/employees.ts" with { type: "text" };
import chinookSyntheticHistory from "./synthetic/history.ts" with { type: "text" };
import chinookSyntheticPlaylists from "./synthetic/playlists.ts" with { type: "text" };
import chinookSyntheticReference from "./synthetic/reference.ts" with { type: "text" };
import chinookSyntheticTracks from "./synthetic/tracks.ts" with { type: "text" };
import chinookSyntheticWords from "./synthetic/words.ts" with { type: "text" };
import cliCommand from "../cli/command.ts" with { type: "text" };
import cliDayOptions from "../cli/day_options.ts" with { type: "text" };
import cliErrors from "../cli/errors.ts" with { type: "text" };
import cliFlags from "../cli/flags.ts" with { type: "text" };
import cliInputs from "../cli/inputs.ts" with { type: "text" };
import cliManifestFile from "../cli/manifest_file.ts" with { type: "text" };
import cliOutput from "../cli/output.ts" with { type: "text" };
import cliRedact from "../cli/redact.ts" with { type: "text" };
import cliRunDays from "../cli/run_days.ts" with { type: "text" };
import cliSettings from "../cli/settings.ts" with { type: "text" };
import cliValues from "../cli/values.ts" with { type: "text" };
import commandsBackfill from "../commands/backfill.ts" with { type: "text" };
import commandsCatchUp from "../commands/catch_up.ts" with { type: "text" };
import commandsReport from "../commands/report.ts" with { type: "text" };
import commandsServe from "../commands/serve.ts" with { type: "text" };
import commandsSetup from "../commands/setup.ts" with { type: "text" };
import commandsSimulate from "../commands/simulate.ts" with { type: "text" };
import commandsStatus from "../commands/status.ts" with { type: "text" };
import commandsVerify from "../commands/verify.ts" with { type: "text" };
import dbCdc from "../db/cdc.ts" with { type: "text" };
import dbChecks from "../db/checks.ts" with { type: "text" };
import dbConnect from "../db/connect.ts" with { type: "text" };
import dbDay from "../db/day.ts" with { type: "text" };
import dbEmbedded from "../db/embedded.ts" with { type: "text" };
import dbFailure from "../db/failure.ts" with { type: "text" };
import dbLedger from "../db/ledger.ts" with { type: "text" };
import dbLoadDump from "../db/load_dump.ts" with { type: "text" };
import dbReportData from "../db/report_data.ts" with { type: "text" };
import dbSetup from "../db/setup.ts" with { type: "text" };
import dbSnapshot from "../db/snapshot.ts" with { type: "text" };
import dbVariant from "../db/variant.ts" with { type: "text" };
import dbWrites from "../db/writes.ts" with { type: "text" };
import reportDays from "../report/days.ts" with { type: "text" };
import reportModel from "../report/model.ts" with { type: "text" };
import reportRender from "../report/render.ts" with { type: "text" };
import reportStatus from "../report/status.ts" with { type: "text" };
import simCalendar from "../sim/calendar.ts" with { type: "text" };
import simDayOutcome from "../sim/day_outcome.ts" with { type: "text" };
import simDayTypes from "../sim/day_types.ts" with { type: "text" };
import simDemand from "../sim/demand.ts" with { type: "text" };
import simManifest from "../sim/manifest.ts" with { type: "text" };
import simMoney from "../sim/money.ts" with { type: "text" };
import simPeople from "../sim/people.ts" with { type: "text" };
import simPlan from "../sim/plan.ts" with { type: "text" };
import simRng from "../sim/rng.ts" with { type: "text" };
import sqlAlignHistorySql from "../../sql/align_history.sql" with { type: "text" };
import sqlCdcSql from "../../sql/cdc.sql" with { type: "text" };
import sqlCdcUndoSql from "../../sql/cdc_undo.sql" with { type: "text" };
import sqlChinookConstraintsSql from "../../sql/chinook_constraints.sql" with { type: "text" };
import sqlChinookTablesSql from "../../sql/chinook_tables.sql" with { type: "text" };
import sqlSetupSql from "../../sql/setup.sql" with { type: "text" };
import { CHINOOK_IDENTIFIERS, quotedIdentifiers } from "./schema.ts";

/** Every .ts under lib/ (tests aside) and every sql/*.sql, by path from the repository root. */
const SOURCES: Record<string, string> = {
  "lib/chinook/pg_dump.ts": chinookPgDump,
  "lib/chinook/schema.ts": chinookSchema,
  "lib/chinook/sources.ts": chinookSources,
  "lib/chinook/synthetic/customers.ts": chinookSyntheticCustomers,
  "lib/chinook/synthetic/draw.ts": chinookSyntheticDraw,
  "lib/chinook/synthetic/dump.ts": chinookSyntheticDump,
  "lib/chinook/synthetic/employees.ts": chinookSyntheticEmployees,
  "lib/chinook/synthetic/history.ts": chinookSyntheticHistory,
  "lib/chinook/synthetic/playlists.ts": chinookSyntheticPlaylists,
  "lib/chinook/synthetic/reference.ts": chinookSyntheticReference,
  "lib/chinook/synthetic/tracks.ts": chinookSyntheticTracks,
  "lib/chinook/synthetic/words.ts": chinookSyntheticWords,
  "lib/cli/command.ts": cliCommand,
  "lib/cli/day_options.ts": cliDayOptions,
  "lib/cli/errors.ts": cliErrors,
  "lib/cli/flags.ts": cliFlags,
  "lib/cli/inputs.ts": cliInputs,
  "lib/cli/manifest_file.ts": cliManifestFile,
  "lib/cli/output.ts": cliOutput,
  "lib/cli/redact.ts": cliRedact,
  "lib/cli/run_days.ts": cliRunDays,
  "lib/cli/settings.ts": cliSettings,
  "lib/cli/values.ts": cliValues,
  "lib/commands/backfill.ts": commandsBackfill,
  "lib/commands/catch_up.ts": commandsCatchUp,
  "lib/commands/report.ts": commandsReport,
  "lib/commands/serve.ts": commandsServe,
  "lib/commands/setup.ts": commandsSetup,
  "lib/commands/simulate.ts": commandsSimulate,
  "lib/commands/status.ts": commandsStatus,
  "lib/commands/verify.ts": commandsVerify,
  "lib/db/cdc.ts": dbCdc,
  "lib/db/checks.ts": dbChecks,
  "lib/db/connect.ts": dbConnect,
  "lib/db/day.ts": dbDay,
  "lib/db/embedded.ts": dbEmbedded,
  "lib/db/failure.ts": dbFailure,
  "lib/db/ledger.ts": dbLedger,
  "lib/db/load_dump.ts": dbLoadDump,
  "lib/db/report_data.ts": dbReportData,
  "lib/db/setup.ts": dbSetup,
  "lib/db/snapshot.ts": dbSnapshot,
  "lib/db/variant.ts": dbVariant,
  "lib/db/writes.ts": dbWrites,
  "lib/report/days.ts": reportDays,
  "lib/report/model.ts": reportModel,
  "lib/report/render.ts": reportRender,
  "lib/report/status.ts": reportStatus,
  "lib/sim/calendar.ts": simCalendar,
  "lib/sim/day_outcome.ts": simDayOutcome,
  "lib/sim/day_types.ts": simDayTypes,
  "lib/sim/demand.ts": simDemand,
  "lib/sim/manifest.ts": simManifest,
  "lib/sim/money.ts": simMoney,
  "lib/sim/people.ts": simPeople,
  "lib/sim/plan.ts": simPlan,
  "lib/sim/rng.ts": simRng,
  "sql/align_history.sql": sqlAlignHistorySql,
  "sql/cdc.sql": sqlCdcSql,
  "sql/cdc_undo.sql": sqlCdcUndoSql,
  "sql/chinook_constraints.sql": sqlChinookConstraintsSql,
  "sql/chinook_tables.sql": sqlChinookTablesSql,
  "sql/setup.sql": sqlSetupSql,
};

/** Quoted names in SQL that are not Chinook columns or tables: the sample's constraint and index names. */
const NOT_CHINOOK = /^(PK|FK|IFK)_[A-Za-z]+$/;

/** What a quoted name must look like to be taken for a Chinook-style identifier. */
const IDENTIFIER_LIKE = /^[A-Z][A-Za-z0-9_]*$/;

/** The static text of every template literal in TypeScript source, placeholders as NUL. */
export function templateTexts(source: string): string[] {
  const found: string[] = [];
  let i = 0;
  // The last significant character of code, to tell a regular expression from a division.
  let last = "";
  const skipString = (quote: string) => {
    for (i++; i < source.length && source[i] !== quote; i++) if (source[i] === "\\") i++;
    i++;
  };
  const skipRegex = () => {
    let inClass = false;
    for (i++; i < source.length; i++) {
      const c = source[i];
      if (c === "\\") i++;
      else if (c === "[") inClass = true;
      else if (c === "]") inClass = false;
      else if (c === "/" && !inClass) break;
    }
    i++;
    while (/[a-z]/.test(source[i] ?? "")) i++;
  };
  // Code until an unmatched "}" (the end of a ${…}) or the end of the source.
  const code = (nested: boolean) => {
    let depth = 0;
    while (i < source.length) {
      const c = source[i]!;
      const next = source[i + 1];
      if (c === "/" && next === "/") {
        const end = source.indexOf("\n", i);
        i = end === -1 ? source.length : end;
      } else if (c === "/" && next === "*") {
        const end = source.indexOf("*/", i + 2);
        i = end === -1 ? source.length : end + 2;
      } else if (c === "'" || c === '"') {
        skipString(c);
        last = "a";
      } else if (c === "`") {
        template();
        last = "a";
      } else if (c === "/" && (last === "" || "(,=:[!&|?{};+-*%<>~^".includes(last))) {
        skipRegex();
        last = "a";
      } else {
        if (c === "{") depth++;
        if (c === "}") {
          if (depth === 0 && nested) {
            i++;
            return;
          }
          depth--;
        }
        if (!/\s/.test(c)) last = c;
        i++;
      }
    }
  };
  const template = () => {
    let text = "";
    for (i++; i < source.length && source[i] !== "`";) {
      if (source[i] === "\\") {
        text += source.slice(i, i + 2);
        i += 2;
      } else if (source[i] === "$" && source[i + 1] === "{") {
        i += 2;
        code(true);
        text += "\0";
      } else text += source[i++];
    }
    i++;
    found.push(text);
  };
  code(false);
  return found;
}

/** The SQL of a source: a .sql file whole, a .ts file's template literals. */
function sqlTexts(path: string, source: string): string[] {
  return path.endsWith(".sql") ? [source] : templateTexts(source);
}

Deno.test("every quoted identifier in lib/ and sql/ is in the variant table or known", () => {
  const known = new Set<string>(CHINOOK_IDENTIFIERS);
  const unknown: string[] = [];
  for (const [path, source] of Object.entries(SOURCES)) {
    for (const text of sqlTexts(path, source)) {
      for (const { name } of quotedIdentifiers(text)) {
        if (IDENTIFIER_LIKE.test(name) && !known.has(name) && !NOT_CHINOOK.test(name)) {
          unknown.push(`${path}: "${name}"`);
        }
      }
    }
  }
  assert.deepEqual(unknown, [], "add each to CHINOOK_IDENTIFIERS (lib/chinook/schema.ts)");
});

Deno.test("the scan finds quoted identifiers in SQL, not in literals, comments or code", async (t) => {
  const cases: Array<[string, string, string[]]> = [
    ["a template", 'const q = sql`SELECT "Xyz" FROM public."Invoice"`;', ["Xyz", "Invoice"]],
    ["a placeholder", 'sql`SELECT ${a} FROM "Track" WHERE x = ${"Nope"}`', ["Track"]],
    ["a literal", "sql`SELECT '\"Nope\"' AS x`", []],
    ["a comment", 'sql`SELECT 1 -- "Nope"\n`', []],
    ["a string in code", 'const x = "Nope"; sql`SELECT "Album"`', ["Album"]],
    ["a regular expression", 'const re = /"([A-Z]+)"/g; sql`SELECT "Genre"`', ["Genre"]],
  ];
  for (const [name, source, expected] of cases) {
    await t.step(name, () => {
      const names = templateTexts(source).flatMap((text) => quotedIdentifiers(text))
        .map((q) => q.name);
      assert.deepEqual(names, expected);
    });
  }
});

const ROOT = new URL("../../", import.meta.url);
const canRead = Deno.permissions.querySync({ name: "read", path: ROOT }).state === "granted";

Deno.test({
  name: "the scan covers every .ts under lib/ and every sql/*.sql",
  ignore: !canRead,
  fn() {
    const walk = (dir: URL): string[] =>
      [...Deno.readDirSync(dir)].flatMap((entry) =>
        entry.isDirectory ? walk(new URL(`${entry.name}/`, dir)) : [new URL(entry.name, dir).href]
      );
    const files = [...walk(new URL("lib/", ROOT)), ...walk(new URL("sql/", ROOT))]
      .map((href) => href.slice(ROOT.href.length))
      .filter((path) =>
        (path.endsWith(".ts") && !path.endsWith("_test.ts")) || path.endsWith(".sql")
      )
      .sort();
    assert.deepEqual(files, Object.keys(SOURCES).sort(), "list each in SOURCES, imported as text");
  },
});
