/**
 * chinook-sim: dispatch by command name, map errors to exit codes. Running
 * a command (--help, settings, output) is lib/cli/command.ts.
 */
import { runCommand, TOOL_VERSION, usageText } from "./lib/cli/command.ts";
import { ExitCode, exitCodeFor, UsageError } from "./lib/cli/errors.ts";
import { configureLogging, logFormatInArgs, writeError, writeOut } from "./lib/cli/output.ts";
import { COMMAND_NAMES, loadCommand, loadCommands } from "./lib/commands/mod.ts";
import { describeDenial, findDenial } from "./lib/cli/permission_error.ts";
import { dataDirLost, describeDatabaseFailure } from "./lib/db/failure.ts";

async function main(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    writeOut(usageText(await loadCommands()));
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    writeOut(`chinook-sim ${TOOL_VERSION}`);
    return ExitCode.ok;
  }
  const command = await loadCommand(name);
  if (!command) {
    throw new UsageError(
      `Unknown command "${name}": expected one of ${COMMAND_NAMES.join(", ")}`,
    );
  }
  return await runCommand(command, rest);
}

if (import.meta.main) {
  // Until a command configures logging from its flags and environment.
  // JSON from the first line when asked: a usage error is reported as JSON too.
  configureLogging({ level: "info", format: logFormatInArgs(Deno.args), color: false });
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
    // A denied permission is the user's to grant: said first, as a usage error.
    const denial = findDenial(error);
    const message = denial
      ? describeDenial(denial)
      : describeDatabaseFailure(error) ?? (error as Error)?.message ?? String(error);
    // Its data directory gone or unusable: the day was not written, whichever step wrapped it.
    const exitCode = denial
      ? ExitCode.usage
      : dataDirLost(error) !== null
      ? ExitCode.failure
      : exitCodeFor(error);
    const stack = verbose && error instanceof Error ? error.stack : undefined;
    writeError(`error: ${message}`, { stack, exitCode });
    Deno.exitCode = exitCode;
  };
  try {
    Deno.exitCode = await main(Deno.args);
    if (stray !== undefined) report(stray);
  } catch (error) {
    report(error);
  }
  // A failed command ends here: a connection attempt still pending in the driver
  // (a host that never answers) must not keep the process alive past the timeout.
  if (Deno.exitCode !== ExitCode.ok) Deno.exit(Deno.exitCode);
}
