/**
 * Every command, in the order `chinook-sim --help` lists them. A command's
 * module is loaded only when that command runs: each graph (the database
 * driver, Parquet, the embedded database, the dashboard) costs start-up time
 * the other commands should not pay. The names are the keys; a test checks
 * each module's own name against its key.
 */
import type { Command } from "../cli/command.ts";
import type { FlagName, FlagValues } from "../cli/flags.ts";

/** Any command, by the common shape runCommand takes. */
export type AnyCommand = Command<FlagName, { flags: FlagValues<FlagName> }>;

const LOADERS: Readonly<Record<string, () => Promise<{ command: unknown }>>> = {
  setup: () => import("./setup.ts"),
  simulate: () => import("./simulate.ts"),
  backfill: () => import("./backfill.ts"),
  "catch-up": () => import("./catch_up.ts"),
  live: () => import("./live.ts"),
  rewind: () => import("./rewind.ts"),
  serve: () => import("./serve.ts"),
  status: () => import("./status.ts"),
  verify: () => import("./verify.ts"),
  report: () => import("./report.ts"),
  export: () => import("./export.ts"),
  expect: () => import("./expect.ts"),
  audit: () => import("./audit.ts"),
};

export const COMMAND_NAMES: readonly string[] = Object.keys(LOADERS);

/** The command named `name` (its module loaded now), or undefined for no such command. */
export async function loadCommand(name: string): Promise<AnyCommand | undefined> {
  const load = Object.hasOwn(LOADERS, name) ? LOADERS[name] : undefined;
  return load ? (await load()).command as AnyCommand : undefined;
}

/** Every command, in order (the top-level help, the tests). */
export function loadCommands(): Promise<AnyCommand[]> {
  return Promise.all(COMMAND_NAMES.map(async (name) => (await loadCommand(name))!));
}
