/**
 * The shape every command has, and the one place commands are run: the
 * --help check, reading the environment, resolving settings, configuring
 * output. Help texts are generated from the flag table.
 */
import denoJson from "../../deno.json" with { type: "json" };
import { ExitCode } from "./errors.ts";
import {
  COMMON_FLAGS,
  type FlagDefaults,
  flagHelp,
  flagLabel,
  type FlagName,
  type FlagValues,
  tokenize,
} from "./flags.ts";
import { configureLogging, writeOut } from "./output.ts";
import { setLockTimeout } from "../db/connect.ts";
import { type Env, loadEnv, resolveSettings, type Settings, SYSTEM_RUNTIME } from "./settings.ts";

export const TOOL_VERSION: string = denoJson.version;

/** A titled list of flags in a command's help. */
export interface FlagGroup<N extends FlagName = FlagName> {
  title: string;
  flags: readonly N[];
}

/** What `run` gets besides its parsed input. */
export interface Context<N extends FlagName = FlagName> {
  env: Env;
  settings: Settings<N>;
  /** Colour allowed on stderr (a TTY, no NO_COLOR). */
  color: boolean;
}

export interface CommandSpec<N extends FlagName, P extends { flags: FlagValues<N> }> {
  name: string;
  summary: string;
  /** Usage lines: "chinook-sim setup [options]". */
  usage: readonly string[];
  /** What the command does: paragraphs separated by a blank line, wrapped for the terminal. */
  description: string;
  /** The command's own flags first, then shared groups; the common flags are added. */
  groups: readonly FlagGroup<N>[];
  /** Settings read from the environment although the command has no flag for them. */
  envOnly?: readonly N[];
  /** The command's own defaults, where the table's would not fit it (help shows them). */
  defaults?: FlagDefaults<N>;
  /** Pure: the typed input, or a UsageError. No environment, no files. */
  parse(args: string[]): P;
  run(input: P, context: Context<N>): Promise<number>;
}

export interface Command<N extends FlagName, P extends { flags: FlagValues<N> }>
  extends CommandSpec<N, P> {
  /** Every flag the command takes: its groups' and the common ones. */
  flags: readonly N[];
}

export function defineCommand<N extends FlagName, P extends { flags: FlagValues<N> }>(
  spec: CommandSpec<N, P>,
): Command<N, P> {
  const flags = [...new Set([...spec.groups.flatMap((g) => g.flags), ...COMMON_FLAGS])];
  return { ...spec, flags: flags as N[] };
}

/** Help lines stay within this width; descriptions within a terminal's 80 columns. */
const HELP_WIDTH = 96;
const TEXT_WIDTH = 78;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The command's help: summary, usage, description, then each group of flags from the table. */
export function helpText(command: {
  name: string;
  summary: string;
  usage: readonly string[];
  description: string;
  groups: readonly FlagGroup[];
  defaults?: FlagDefaults;
}): string {
  const groups = [...command.groups, { title: "Common options", flags: COMMON_FLAGS }];
  const labels = groups.flatMap((g) => g.flags.map(flagLabel));
  const column = Math.max(20, ...labels.map((l) => l.length)) + 2;
  const out = [
    `chinook-sim ${command.name}: ${command.summary}`,
    "",
    ...command.usage.map((u, i) => `${i === 0 ? "Usage:" : "      "} ${u}`),
    ...command.description.trim().split(/\n\s*\n/).flatMap((p) => ["", ...wrap(p, TEXT_WIDTH)]),
  ];
  for (const group of groups) {
    if (group.flags.length === 0) continue;
    out.push("", `${group.title}:`);
    for (const name of group.flags) {
      const [first = "", ...rest] = wrap(
        flagHelp(name, command.defaults?.[name]),
        HELP_WIDTH - column - 2,
      );
      out.push(`  ${flagLabel(name).padEnd(column)}${first}`);
      for (const line of rest) out.push(`  ${" ".repeat(column)}${line}`);
    }
  }
  return out.join("\n");
}

/** The top-level usage: every command and its summary, exit codes. */
export function usageText(commands: ReadonlyArray<{ name: string; summary: string }>): string {
  return `chinook-sim ${TOOL_VERSION}: a living sales system on the Chinook sample database

Usage: chinook-sim <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join("\n")}

Run "chinook-sim <command> --help" for a command's options.
Without DATABASE_URL (or PGHOST/PGDATABASE) the embedded database in
./.chinook-sim is used.
Exit codes: ${
    Object.entries(EXIT_CODE_MEANINGS).map(([code, meaning]) => `${code} ${meaning}`).join(", ")
  }.`;
}

const EXIT_CODE_MEANINGS: Record<number, string> = {
  [ExitCode.ok]: "ok",
  [ExitCode.failure]: "failure",
  [ExitCode.usage]: "usage",
  [ExitCode.config]: "configuration",
  [ExitCode.committedIncomplete]: "committed but incomplete",
  [ExitCode.interrupted]: "interrupted",
};

/**
 * Runs a command: help when asked (before any value is checked), else parse,
 * read the environment, resolve settings, configure output, run.
 */
export async function runCommand<N extends FlagName, P extends { flags: FlagValues<N> }>(
  command: Command<N, P>,
  args: string[],
): Promise<number> {
  if (tokenize(command.name, command.flags, args).help) {
    writeOut(helpText(command));
    return ExitCode.ok;
  }
  const input = command.parse(args);
  const env = await loadEnv(input.flags["env-file" as N] as string | undefined);
  const settings = resolveSettings(
    input.flags,
    env,
    [...command.flags, ...(command.envOnly ?? [])],
    SYSTEM_RUNTIME,
    command.defaults,
  ) as Settings<N>;
  const color = !settings.noColor && Deno.stderr.isTerminal();
  configureLogging({ level: settings.logLevel, format: settings.logFormat, color });
  setLockTimeout(settings.lockTimeoutMs);
  return await command.run(input, { env, settings, color });
}
