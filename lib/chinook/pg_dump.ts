/**
 * Reads a plain-text pg_dump file (such as the Chinook sample) into
 * statements and COPY blocks, and refuses anything a Chinook dump does not
 * legitimately hold. Pure, so it can be tested without a database.
 *
 * A dump is code run on the server: an appended `COPY … TO PROGRAM` runs a
 * shell command there, a `DROP TABLE` drops someone's table. So nothing is
 * trusted by default: only an allowlist of statement kinds on the Chinook
 * tables is kept (CREATE TABLE, CREATE INDEX, ALTER TABLE … ADD CONSTRAINT,
 * their keys' sequences and identities, COPY … FROM stdin), pg_dump's
 * session settings are recognised and skipped, and the first anything else
 * is refused, with its line, before a single statement runs.
 */
import { CHINOOK_TABLES, snakeCase } from "./schema.ts";

export type DumpPart =
  | { kind: "statement"; line: number; text: string }
  | {
    kind: "copy";
    line: number;
    schema: string;
    table: string;
    columns: string[];
    rows: Array<Array<string | null>>;
  };

/** A statement a Chinook dump does not hold: where it is and what it is. */
export class DumpRefusedError extends SyntaxError {
  override name = "DumpRefusedError";
  constructor(readonly line: number, readonly excerpt: string, readonly why: string) {
    super(`line ${line}: ${excerpt} ${why}`);
  }
}

const COPY_HEAD = /^COPY\s+(.+?)\s*\((.*)\)\s+FROM\s+stdin;\s*$/i;

/** The 11 Chinook tables, in either naming (quoted PascalCase or snake_case). */
const TABLE_NAMES = new Set<string>(CHINOOK_TABLES.flatMap((t) => [t, snakeCase(t)]));

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

/** A statement's first words on one line, for messages. */
export function excerpt(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}

export function parseDump(text: string): DumpPart[] {
  const parts: DumpPart[] = [];
  const lines = text.split("\n");
  let statement: string[] = [];
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, "");
    if (statement.length === 0) {
      if (line.trim() === "" || line.startsWith("--")) continue;
      start = i + 1;
      const copy = COPY_HEAD.exec(line);
      if (copy) {
        const name = parseQualifiedName(copy[1]!);
        const table = chinookTable(name);
        if (table === undefined) {
          throw new DumpRefusedError(start, excerpt(line), NOT_CHINOOK_TABLE);
        }
        const rows: Array<Array<string | null>> = [];
        for (i++; i < lines.length; i++) {
          const row = lines[i]!.replace(/\r$/, "");
          if (row === "\\.") break;
          rows.push(row.split("\t").map(decodeCopyField));
        }
        if (i >= lines.length) throw new SyntaxError(`COPY ${copy[1]} has no end marker "\\."`);
        parts.push({
          kind: "copy",
          line: start,
          schema: "public",
          table,
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
      if (classifyStatement(sqlText, start) === "load") {
        parts.push({ kind: "statement", line: start, text: sqlText });
      }
    }
  }
  if (statement.join("").trim() !== "") {
    throw new SyntaxError("The dump ends in the middle of a statement");
  }
  return parts;
}

const NOT_CHINOOK_TABLE = "is not one of the 11 Chinook tables";
const NOT_ALLOWED = "is not part of a Chinook dump";

/** The table's name when `name` is a Chinook table (unqualified or in public). */
function chinookTable(name: string[]): string | undefined {
  if (name.length > 2 || (name.length === 2 && name[0] !== "public")) return undefined;
  const table = name[name.length - 1]!;
  return TABLE_NAMES.has(table) ? table : undefined;
}

interface Token {
  kind: "word" | "ident" | "string" | "number" | "punct";
  /** Words lower-cased, identifiers and strings unquoted. */
  value: string;
}

/** SQL tokens; null for anything outside the small language of a Chinook dump. */
function tokenize(sql: string): Token[] | null {
  const tokens: Token[] = [];
  const re =
    /\s+|--[^\n]*|"((?:[^"]|"")*)"|'((?:[^']|'')*)'|([A-Za-z_][A-Za-z0-9_]*)|([0-9]+(?:\.[0-9]+)?)|(::|[(),.;=-])/y;
  let match: RegExpExecArray | null;
  while (re.lastIndex < sql.length) {
    const at = re.lastIndex;
    match = re.exec(sql);
    if (match === null || re.lastIndex === at) return null;
    if (match[1] !== undefined) tokens.push({ kind: "ident", value: match[1].replace(/""/g, '"') });
    else if (match[2] !== undefined) {
      tokens.push({ kind: "string", value: match[2].replace(/''/g, "'") });
    } else if (match[3] !== undefined) {
      tokens.push({ kind: "word", value: match[3].toLowerCase() });
    } else if (match[4] !== undefined) tokens.push({ kind: "number", value: match[4] });
    else if (match[5] !== undefined) tokens.push({ kind: "punct", value: match[5] });
  }
  return tokens;
}

/** Words that may stand before "(" in a table's definition: types, keys, identity options. */
const OPENERS = new Set([
  "varying",
  "varchar",
  "character",
  "char",
  "numeric",
  "decimal",
  "timestamp",
  "time",
  "key",
  "unique",
  "identity",
  "btree",
]);

/** pg_dump's settings for its own session, never run here. */
const SETTING = /^SET\s+[a-z_]+\s*=\s*(?:'[^';]*'|[\w.-]+(?:\s*,\s*[\w.-]+)*)\s*;$/i;
const SEARCH_PATH = /^SELECT\s+pg_catalog\.set_config\('search_path',\s*'',\s*false\);$/i;

/** A reader over one statement's tokens. */
class Tokens {
  #i = 0;
  constructor(readonly tokens: Token[]) {}
  peek(offset = 0): Token | undefined {
    return this.tokens[this.#i + offset];
  }
  /** Takes the next token when it is one of these words. */
  word(...words: string[]): string | undefined {
    const t = this.peek();
    if (t?.kind === "word" && words.includes(t.value)) {
      this.#i++;
      return t.value;
    }
    return undefined;
  }
  /** A possibly qualified name. */
  name(): string[] | undefined {
    const parts: string[] = [];
    for (;;) {
      const t = this.peek();
      if (t?.kind !== "word" && t?.kind !== "ident") return undefined;
      parts.push(t.value);
      this.#i++;
      if (this.peek()?.kind !== "punct" || this.peek()?.value !== ".") return parts;
      this.#i++;
    }
  }
  table(): string | undefined {
    const name = this.name();
    return name ? chinookTable(name) : undefined;
  }
  /** The tokens left, the final ";" excluded; undefined unless there is exactly one, at the end. */
  rest(): Token[] | undefined {
    const rest = this.tokens.slice(this.#i);
    const last = rest.pop();
    if (last?.kind !== "punct" || last.value !== ";") return undefined;
    return rest.some((t) => t.kind === "punct" && t.value === ";") ? undefined : rest;
  }
}

/**
 * A table definition's or constraint's tokens hold no code: parentheses
 * balance, a word before "(" is a type, a key or a Chinook table
 * (REFERENCES), and the only string is a sequence in `nextval('…'::regclass)`.
 */
function plainDefinition(tokens: Token[]): boolean {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (t.kind === "word" && t.value === "nextval") {
      const [open, seq, cast, type, close] = tokens.slice(i + 1, i + 6);
      if (
        open?.value !== "(" || seq?.kind !== "string" || cast?.value !== "::" ||
        type?.value !== "regclass" || close?.value !== ")" || !publicName(seq.value)
      ) return false;
      i += 5;
      continue;
    }
    if (t.kind === "string" || (t.kind === "punct" && !["(", ")", ",", "."].includes(t.value))) {
      return false;
    }
    if (next?.kind === "punct" && next.value === "(") {
      if (t.kind === "punct") {
        if (t.value !== "(" && t.value !== ",") return false;
      } else if (!OPENERS.has(t.value) && !TABLE_NAMES.has(t.value)) return false;
    }
    if (t.value === "(" && t.kind === "punct") depth++;
    if (t.value === ")" && t.kind === "punct" && --depth < 0) return false;
  }
  return depth === 0;
}

/** `( … )` and nothing after: a table's columns, an index's keys (no `AS SELECT …`, no `WHERE …`). */
function onlyParenthesised(tokens: Token[]): boolean {
  if (tokens[0]?.kind !== "punct" || tokens[0].value !== "(") return false;
  let depth = 0;
  for (const [i, t] of tokens.entries()) {
    if (t.kind !== "punct") continue;
    if (t.value === "(") depth++;
    if (t.value === ")" && --depth === 0) return i === tokens.length - 1;
  }
  return false;
}

/** A sequence name in a string: unqualified or in public, nothing else. */
function publicName(text: string): boolean {
  try {
    const name = parseQualifiedName(text);
    return name.length === 1 || (name.length === 2 && name[0] === "public");
  } catch {
    return false;
  }
}

/** Only names, numbers and the words of a sequence's options. */
function plainOptions(tokens: Token[]): boolean {
  return tokens.every((t) =>
    t.kind === "word" || t.kind === "ident" || t.kind === "number" ||
    (t.kind === "punct" && (t.value === "." || t.value === "-"))
  );
}

/**
 * "load" for a statement of a Chinook dump, "skip" for pg_dump's own session
 * settings and ownership; anything else throws a DumpRefusedError.
 */
export function classifyStatement(text: string, line: number): "load" | "skip" {
  if (SETTING.test(text) || SEARCH_PATH.test(text)) return "skip";
  const refuse = (why = NOT_ALLOWED): never => {
    throw new DumpRefusedError(line, excerpt(text), why);
  };
  const tokens = tokenize(text);
  if (tokens === null) return refuse();
  const s = new Tokens(tokens);
  const tableOr = (): string => s.table() ?? refuse(NOT_CHINOOK_TABLE);
  if (s.word("create")) {
    if (s.word("table")) {
      tableOr();
      const rest = s.rest();
      return rest && onlyParenthesised(rest) && plainDefinition(rest) ? "load" : refuse();
    }
    s.word("unique");
    if (s.word("index")) {
      if (s.word("if") && !(s.word("not") && s.word("exists"))) return refuse();
      if (!s.name() || !s.word("on")) return refuse();
      s.word("only");
      tableOr();
      if (s.word("using") && !s.word("btree")) return refuse();
      const rest = s.rest();
      return rest && onlyParenthesised(rest) && plainDefinition(rest) ? "load" : refuse();
    }
    if (s.word("sequence")) {
      const name = s.name();
      const rest = s.rest();
      if (!name || !publicName(name.map((n) => `"${n}"`).join(".")) || !rest) return refuse();
      return plainOptions(rest) ? "load" : refuse();
    }
    return refuse();
  }
  if (s.word("alter")) {
    if (s.word("sequence")) {
      const name = s.name();
      if (!name || !s.word("owned") || !s.word("by")) return refuse();
      const column = s.name();
      if (!column || column.length < 2 || !chinookTable(column.slice(0, -1))) {
        return refuse(NOT_CHINOOK_TABLE);
      }
      return s.rest()?.length === 0 ? "load" : refuse();
    }
    if (!s.word("table")) return refuse();
    s.word("only");
    tableOr();
    if (s.word("owner")) {
      // Ownership is the loading user's; the statement is skipped, not run.
      return s.word("to") && s.name() && s.rest()?.length === 0 ? "skip" : refuse();
    }
    if (s.word("add")) {
      if (!s.word("constraint") || !s.name()) return refuse();
      const rest = s.rest();
      const kind = rest?.[0]?.value;
      return rest && (kind === "primary" || kind === "unique" || kind === "foreign") &&
          plainDefinition(rest)
        ? "load"
        : refuse();
    }
    if (s.word("alter")) {
      s.word("column");
      if (!s.name()) return refuse();
      const rest = s.rest();
      if (!rest) return refuse();
      const words = rest.slice(0, 2).map((t) => t.value).join(" ");
      // A serial key's default, an identity key, NOT NULL: nothing else.
      if (words === "set default" && rest[2]?.value === "nextval" && rest.length === 8) {
        return plainDefinition(rest) ? "load" : refuse();
      }
      if (words === "add generated") return plainDefinition(rest) ? "load" : refuse();
      if (words === "set not" && rest[2]?.value === "null" && rest.length === 3) return "load";
    }
    return refuse();
  }
  if (s.word("select")) {
    // A sequence's value: SELECT pg_catalog.setval('public.seq', 42, true);
    const fn = s.name();
    const [open, seq, c1, value, c2, called, close] = tokens.slice(4);
    const ok = fn?.join(".") === "pg_catalog.setval" && open?.value === "(" &&
      seq?.kind === "string" && publicName(seq.value) && c1?.value === "," &&
      value?.kind === "number" && c2?.value === "," &&
      (called?.value === "true" || called?.value === "false") && close?.value === ")" &&
      tokens.length === 12;
    return ok ? "load" : refuse();
  }
  return refuse();
}
