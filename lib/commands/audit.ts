/** audit: a warehouse against the answer key at the end of a day; exit 1 on any difference. */
import { type Context, defineCommand } from "../cli/command.ts";
import { ExitCode, UsageError } from "../cli/errors.ts";
import { type CommonFlag, type FlagValues, parseFlags } from "../cli/flags.ts";
import { logger, writeOut } from "../cli/output.ts";
import { describeUrl, registerSecret } from "../cli/redact.ts";
import { resolveDatabaseTarget } from "../cli/settings.ts";
import { type AuditCheck, auditWarehouse } from "../db/audit.ts";
import { type Database, openDatabase, withDatabase } from "../db/connect.ts";
import { requireInstalled } from "../db/ledger.ts";

type Flag = "warehouse" | "schema" | "as-of" | CommonFlag;

export interface AuditInput {
  flags: FlagValues<Flag>;
  asOf: string;
}

export function parse(args: string[]): AuditInput {
  const flags = parseFlags(command.name, command.flags, args);
  if (!flags["as-of"]) {
    throw new UsageError(
      'Cannot audit without --as-of DAY: the day whose end the warehouse was loaded to; see "chinook-sim audit --help"',
    );
  }
  return { flags, asOf: flags["as-of"] };
}

export async function run(input: AuditInput, { settings }: Context<Flag>): Promise<number> {
  const url = settings.warehouse;
  const shown = url === undefined ? "the chinook-sim database" : describeUrl(new URL(url));
  if (url !== undefined) registerSecret(decodeURIComponent(new URL(url).password));
  const checks = await withDatabase(settings.target, async (db) => {
    await requireInstalled(db);
    logger("audit").info("Auditing {schema} in {warehouse} as of the end of {asOf}", {
      schema: settings.schema,
      warehouse: shown,
      asOf: input.asOf,
    });
    let warehouse: Database | undefined;
    try {
      if (url !== undefined) {
        // The warehouse's address read like DATABASE_URL: hosts, sockets, the password file.
        warehouse = await openDatabase(resolveDatabaseTarget({ DATABASE_URL: url }, ""), {
          applicationName: "chinook-sim audit",
        });
      }
      return await auditWarehouse(db.sql, (warehouse ?? db).sql, {
        schema: settings.schema,
        asOf: input.asOf,
      });
    } finally {
      await warehouse?.close();
    }
  });
  const ok = checks.every((c) => c.ok);
  writeOut(
    settings.json
      ? JSON.stringify({
        command: "audit",
        asOf: input.asOf,
        warehouse: shown,
        schema: settings.schema,
        ok,
        checks,
      })
      : renderAudit(checks, input.asOf, settings.schema, ok),
  );
  return ok ? ExitCode.ok : ExitCode.failure;
}

function renderAudit(checks: AuditCheck[], asOf: string, schema: string, ok: boolean): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) =>
    `${c.name.padEnd(width)}  ${c.ok ? "ok  " : "FAIL"}  ${
      c.ok
        ? c.expected
        : `expected ${c.expected}, found ${c.found}${
          c.examples.length > 0 ? `; e.g. ${c.examples.join("; ")}` : ""
        }`
    }`
  );
  const failed = checks.filter((c) => !c.ok).length;
  return [
    ...lines,
    ok
      ? `All ${checks.length} checks passed: ${schema} matches the answer key as of the end of ${asOf}.`
      : `${failed} of ${checks.length} checks FAILED: ${schema} differs from the answer key as of the end of ${asOf}.`,
  ].join("\n");
}

export const command = defineCommand<Flag, AuditInput>({
  name: "audit",
  summary: "Compare a warehouse with the answer key (exit 1 on any difference)",
  usage: ["chinook-sim audit --as-of DAY [--warehouse URL] [--schema NAME] [--json]"],
  description: `
Compares a warehouse built from this store with what a correct one holds at
the end of --as-of (the answer key of "chinook-sim expect"), one line per
check: the contract's tables and columns; fact_sales (row count, every line
once, each line's values, revenue per day); dim_customer as SCD Type 2 (one
current row per customer, no overlapping validity, versions matching the
recorded changes); dim_track; dim_date covering the sales days. The
contract is in the README ("The warehouse contract").

--warehouse: the warehouse's PostgreSQL (default: the chinook-sim database
itself); --schema: its schema. Both databases are only read. Exit code 1
when any check fails: usable as a CI gate; --json for machines.`,
  groups: [{ title: "Options", flags: ["as-of", "warehouse", "schema"] }],
  parse,
  run,
});
