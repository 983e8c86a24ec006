/**
 * chinook-sim: parse the command, dispatch, map errors to exit codes.
 */
import * as backfill from "./lib/commands/backfill.ts";
import * as catchUp from "./lib/commands/catch_up.ts";
import * as report from "./lib/commands/report.ts";
import * as serve from "./lib/commands/serve.ts";
import * as setup from "./lib/commands/setup.ts";
import * as simulate from "./lib/commands/simulate.ts";
import * as status from "./lib/commands/status.ts";
import * as verify from "./lib/commands/verify.ts";
import { TOOL_VERSION } from "./lib/cli/context.ts";
import { describeDatabaseFailure } from "./lib/db/failure.ts";
import { ExitCode, exitCodeFor, UsageError } from "./lib/cli/errors.ts";
import { configureLogging, writeError, writeOut } from "./lib/cli/output.ts";

interface Command {
  summary: string;
  help: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  setup,
  simulate,
  backfill,
  "catch-up": catchUp,
  serve,
  status,
  verify,
  report,
};

const USAGE = `chinook-sim ${TOOL_VERSION}: a living sales system on the Chinook sample database

Usage: chinook-sim <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`).join("\n")}

Run "chinook-sim <command> --help" for a command's options.
Without DATABASE_URL (or PGHOST/PGDATABASE) the embedded database in
./.chinook-sim is used. Exit codes: 0 ok, 1 failure, 2 usage, 3 configuration.`;

async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    writeOut(USAGE);
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    writeOut(`chinook-sim ${TOOL_VERSION}`);
    return ExitCode.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    throw new UsageError(
      `Unknown command "${name}": expected one of ${Object.keys(COMMANDS).join(", ")}`,
    );
  }
  return await command.run(rest);
}

if (import.meta.main) {
  // Until a command configures logging from its flags and environment.
  configureLogging({ level: "info", format: "text", color: false });
  const verbose = Deno.args.includes("--verbose") || Deno.args.includes("-v");
  // A broken connection can also surface as an error thrown inside the driver's
  // socket handling; keep it from ending the process before the command's own
  // (clearer) error is reported.
  let stray: unknown;
  globalThis.addEventListener("error", (event) => {
    event.preventDefault();
    stray ??= event.error;
  });
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    stray ??= event.reason;
  });
  const report = (error: unknown) => {
    const message = describeDatabaseFailure(error) ?? (error as Error)?.message ?? String(error);
    writeError(`error: ${message}`);
    if (verbose && error instanceof Error && error.stack) writeError(error.stack);
    Deno.exitCode = exitCodeFor(error);
  };
  try {
    Deno.exitCode = await main(Deno.args);
    if (stray !== undefined) report(stray);
  } catch (error) {
    report(error);
  }
}
