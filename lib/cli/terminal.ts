/**
 * Writing to the terminal without the logging library: results to stdout,
 * the final error, progress and prompts on stderr, in the format stderr
 * speaks. The launcher needs only these (output.ts adds the logs, through
 * LogTape, and re-exports them). Writes are synchronous so lines keep their
 * order and nothing is lost when the process exits.
 */
import { safeOutput } from "./redact.ts";

export type LogFormat = "text" | "json";
export const LOG_LEVELS = ["debug", "info", "warning", "error"] as const;
export type CliLogLevel = typeof LOG_LEVELS[number];

const encoder = new TextEncoder();

/** The format stderr speaks now: every line the process writes there follows it. */
let stderrFormat: LogFormat = "text";

/** Set by configureLogging (output.ts); the launcher, which logs nothing, sets it alone. */
export function setStderrFormat(format: LogFormat): void {
  stderrFormat = format;
}

/**
 * `--log-format json` as written on a command line, before any flag is
 * checked: so that even a usage error is reported as JSON.
 */
export function logFormatInArgs(args: readonly string[]): LogFormat {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--") break;
    if (args[i] === "--log-format=json") return "json";
    if (args[i] === "--log-format" && args[i + 1] === "json") return "json";
  }
  return "text";
}

/**
 * Results for people or machines: stdout, one write, secrets masked and
 * control characters escaped (JSON stays exact). `styled`: the text carries
 * the renderer's own colours, which are kept.
 */
export function writeOut(text: string, options: { styled?: boolean } = {}): void {
  const safe = safeOutput(text, options);
  Deno.stdout.writeSync(encoder.encode(safe.endsWith("\n") ? safe : safe + "\n"));
}

/**
 * The final error on stderr: the `error: …` line (and the stack when asked),
 * or, with --log-format json, one JSON object shaped like the log lines.
 */
export function writeError(
  text: string,
  details: { stack?: string; exitCode?: number } = {},
): void {
  if (stderrFormat === "json") {
    const properties: Record<string, unknown> = {};
    if (details.exitCode !== undefined) properties.exitCode = details.exitCode;
    if (details.stack !== undefined) properties.stack = details.stack;
    const line = JSON.stringify({
      "@timestamp": new Date().toISOString(),
      level: "ERROR",
      message: text.replace(/^error: /, ""),
      logger: "chinook-sim",
      properties,
    });
    // Masked and escaped as serialised: the JSON stays valid and exact.
    Deno.stderr.writeSync(encoder.encode(safeOutput(line) + "\n"));
    return;
  }
  const lines = details.stack === undefined ? text : `${text}\n${details.stack}`;
  Deno.stderr.writeSync(encoder.encode(safeOutput(lines) + "\n"));
}

/**
 * Progress redraws itself on a terminal, with text logs; elsewhere (a pipe, a
 * file, JSON logs) it is logged as lines from time to time.
 */
export function progressOnTerminal(): boolean {
  return stderrFormat === "text" && Deno.stderr.isTerminal();
}

/** A line that redraws itself on a TTY (progress); a no-op elsewhere, and with JSON logs. */
export function writeProgress(text: string, done = false): void {
  if (stderrFormat === "json") return;
  Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${safeOutput(text)}${done ? "\n" : ""}`));
}

/** Prompt on a terminal (stderr) and read one line from stdin. */
export function promptLine(question: string): string | null {
  // prompt() writes to stdout; keep stdout for results only.
  Deno.stderr.writeSync(encoder.encode(safeOutput(question)));
  const buffer = new Uint8Array(1024);
  const n = Deno.stdin.readSync(buffer);
  if (n === null) return null;
  return new TextDecoder().decode(buffer.subarray(0, n)).replace(/\r?\n$/, "");
}
