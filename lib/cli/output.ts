/**
 * The one place that writes to the terminal: logs to stderr through LogTape;
 * results, the final error and progress through terminal.ts (re-exported
 * here). Writes are synchronous so lines keep their order and nothing is
 * lost when the process exits.
 */
import {
  configureSync,
  getAnsiColorFormatter,
  getJsonLinesFormatter,
  getLogger,
  getTextFormatter,
  type LogLevel,
  type LogRecord,
  resetSync,
  type TextFormatter,
} from "@logtape/logtape";
import { printable, safeOutput } from "./redact.ts";
import { type CliLogLevel, type LogFormat, setStderrFormat } from "./terminal.ts";

export {
  type CliLogLevel,
  LOG_LEVELS,
  type LogFormat,
  logFormatInArgs,
  progressOnTerminal,
  promptLine,
  writeError,
  writeOut,
  writeProgress,
} from "./terminal.ts";

const encoder = new TextEncoder();

export function configureLogging(
  options: { level: CliLogLevel; format: LogFormat; color: boolean },
): void {
  setStderrFormat(options.format);
  const formatter: TextFormatter = options.format === "json"
    ? getJsonLinesFormatter()
    : options.color
    ? getAnsiColorFormatter({ timestamp: "time", level: "FULL", value: "bare" })
    : getTextFormatter({ timestamp: "time", level: "FULL", value: "bare" });
  const styled = options.format === "text" && options.color;
  const stderrSink = (record: LogRecord) => {
    // The message's own text is escaped before the colour formatter adds its styles.
    const clean: LogRecord = styled
      ? {
        ...record,
        message: record.message.map((part) => typeof part === "string" ? printable(part) : part),
      }
      : record;
    Deno.stderr.writeSync(encoder.encode(safeOutput(formatter(clean), { styled })));
  };
  resetSync();
  configureSync({
    reset: true,
    sinks: { stderr: stderrSink },
    loggers: [
      { category: ["chinook-sim"], lowestLevel: options.level as LogLevel, sinks: ["stderr"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["stderr"] },
    ],
  });
}

export function logger(...category: string[]) {
  return getLogger(["chinook-sim", ...category]);
}
