/**
 * The answer key as files: CSV (a header, then one line per row; NULL is an
 * empty field, the empty string `""`; quoted when needed, quotes doubled;
 * LF line ends, as PostgreSQL's COPY … CSV HEADER reads them) or JSON (an
 * array of objects, money as exact decimal strings). Pure.
 */

export type AnswerFormat = "csv" | "json";

/** One file of the answer key: its base name, columns and rows. */
export interface AnswerPart<R> {
  name: string;
  columns: readonly (keyof R & string)[];
  rows: readonly R[];
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  if (text === "") return '""';
  return /[",\r\n]/.test(text) || text === "\\." ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv<R>(columns: readonly (keyof R & string)[], rows: readonly R[]): string {
  const lines = [columns.join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(","));
  return lines.join("\n") + "\n";
}

export function toJson<R>(columns: readonly (keyof R & string)[], rows: readonly R[]): string {
  const picked = rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null])));
  return JSON.stringify(picked, null, 1) + "\n";
}

/** The file name and text of a part in a format. */
export function renderPart<R>(
  part: AnswerPart<R>,
  format: AnswerFormat,
): { file: string; text: string } {
  return format === "csv"
    ? { file: `${part.name}.csv`, text: toCsv(part.columns, part.rows) }
    : { file: `${part.name}.json`, text: toJson(part.columns, part.rows) };
}
