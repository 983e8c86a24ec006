/**
 * Reads a plain-text pg_dump file (such as the Chinook sample) into
 * statements and COPY blocks. Pure, so it can be tested without a database.
 */

export type DumpPart =
  | { kind: "statement"; text: string }
  | {
    kind: "copy";
    schema: string;
    table: string;
    columns: string[];
    rows: Array<Array<string | null>>;
  };

/** Session settings a dump carries that must not leak into our connection. */
const SKIPPED = /^(SET\s|SELECT\s+pg_catalog\.set_config\s*\()/i;
const COPY_HEAD = /^COPY\s+(.+?)\s*\((.*)\)\s+FROM\s+stdin;\s*$/i;

/** Splits `public."Invoice"` or `invoice` into its parts, unquoting. */
export function parseQualifiedName(text: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([A-Za-z_][A-Za-z0-9_$]*))\s*(\.|$)/y;
  let match: RegExpExecArray | null;
  let index = 0;
  while (index < text.length && (match = re.exec(text)) !== null) {
    parts.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2]!.toLowerCase());
    index = re.lastIndex;
    if (match[3] === "") break;
  }
  if (index !== text.length || parts.length === 0) {
    throw new SyntaxError(`Cannot parse the name ${JSON.stringify(text)} in the dump`);
  }
  return parts;
}

function splitColumns(text: string): string[] {
  return text.split(",").map((c) => {
    const [name] = parseQualifiedName(c.trim());
    return name!;
  });
}

const ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };

/** One field of COPY text format: `\N` is NULL, backslash escapes decoded. */
export function decodeCopyField(field: string): string | null {
  if (field === "\\N") return null;
  if (!field.includes("\\")) return field;
  return field.replace(/\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|.)/g, (_, esc: string) => {
    if (esc[0] === "x") return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (/^[0-7]/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    return ESCAPES[esc] ?? esc;
  });
}

export function parseDump(text: string): DumpPart[] {
  const parts: DumpPart[] = [];
  const lines = text.split("\n");
  let statement: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, "");
    if (statement.length === 0) {
      if (line.trim() === "" || line.startsWith("--")) continue;
      const copy = COPY_HEAD.exec(line);
      if (copy) {
        const name = parseQualifiedName(copy[1]!);
        const rows: Array<Array<string | null>> = [];
        for (i++; i < lines.length; i++) {
          const row = lines[i]!.replace(/\r$/, "");
          if (row === "\\.") break;
          rows.push(row.split("\t").map(decodeCopyField));
        }
        if (i >= lines.length) throw new SyntaxError(`COPY ${copy[1]} has no end marker "\\."`);
        parts.push({
          kind: "copy",
          schema: name.length > 1 ? name[0]! : "public",
          table: name[name.length - 1]!,
          columns: splitColumns(copy[2]!),
          rows,
        });
        continue;
      }
    }
    if (statement.length > 0 || line.trim() !== "") statement.push(line);
    if (/;\s*$/.test(line) && !line.startsWith("--")) {
      const sqlText = statement.join("\n").trim();
      statement = [];
      if (!SKIPPED.test(sqlText)) parts.push({ kind: "statement", text: sqlText });
    }
  }
  if (statement.join("").trim() !== "") {
    throw new SyntaxError("The dump ends in the middle of a statement");
  }
  return parts;
}
