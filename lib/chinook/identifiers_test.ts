/**
 * Every quoted identifier in chinook-sim's SQL is a Chinook identifier of the
 * variant table (so a snake_case database gets it translated) or a name
 * known not to be one. The scan walks lib/ and sql/, so a new file is covered
 * without being listed anywhere (it needs read access: \`deno task test\`).
 */
import assert from "node:assert/strict";
import { CHINOOK_IDENTIFIERS, quotedIdentifiers } from "./schema.ts";

const ROOT = new URL("../../", import.meta.url);
const canRead = Deno.permissions.querySync({ name: "read", path: ROOT }).state === "granted";

/** Every .ts under lib/ (tests aside) and every sql/*.sql, by path from the repository root. */
function sources(): Record<string, string> {
  const walk = (dir: URL): string[] =>
    [...Deno.readDirSync(dir)].flatMap((entry) =>
      entry.isDirectory ? walk(new URL(`${entry.name}/`, dir)) : [new URL(entry.name, dir).href]
    );
  const files = [...walk(new URL("lib/", ROOT)), ...walk(new URL("sql/", ROOT))]
    .map((href) => href.slice(ROOT.href.length))
    .filter((path) => (path.endsWith(".ts") && !path.endsWith("_test.ts")) || path.endsWith(".sql"))
    .sort();
  return Object.fromEntries(
    files.map((path) => [path, Deno.readTextFileSync(new URL(path, ROOT))]),
  );
}

/** Quoted names in SQL that are not Chinook columns or tables: the sample's constraint and index names. */
const NOT_CHINOOK = /^(PK|FK|IFK)_[A-Za-z]+$/;

/** What a quoted name must look like to be taken for a Chinook-style identifier. */
const IDENTIFIER_LIKE = /^[A-Z][A-Za-z0-9_]*$/;

/** The static text of every template literal in TypeScript source, placeholders as NUL. */
export function templateTexts(source: string): string[] {
  const found: string[] = [];
  let i = 0;
  // The last significant character of code, to tell a regular expression from a division.
  let last = "";
  const skipString = (quote: string) => {
    for (i++; i < source.length && source[i] !== quote; i++) if (source[i] === "\\") i++;
    i++;
  };
  const skipRegex = () => {
    let inClass = false;
    for (i++; i < source.length; i++) {
      const c = source[i];
      if (c === "\\") i++;
      else if (c === "[") inClass = true;
      else if (c === "]") inClass = false;
      else if (c === "/" && !inClass) break;
    }
    i++;
    while (/[a-z]/.test(source[i] ?? "")) i++;
  };
  // Code until an unmatched "}" (the end of a ${…}) or the end of the source.
  const code = (nested: boolean) => {
    let depth = 0;
    while (i < source.length) {
      const c = source[i]!;
      const next = source[i + 1];
      if (c === "/" && next === "/") {
        const end = source.indexOf("\n", i);
        i = end === -1 ? source.length : end;
      } else if (c === "/" && next === "*") {
        const end = source.indexOf("*/", i + 2);
        i = end === -1 ? source.length : end + 2;
      } else if (c === "'" || c === '"') {
        skipString(c);
        last = "a";
      } else if (c === "`") {
        template();
        last = "a";
      } else if (c === "/" && (last === "" || "(,=:[!&|?{};+-*%<>~^".includes(last))) {
        skipRegex();
        last = "a";
      } else {
        if (c === "{") depth++;
        if (c === "}") {
          if (depth === 0 && nested) {
            i++;
            return;
          }
          depth--;
        }
        if (!/\s/.test(c)) last = c;
        i++;
      }
    }
  };
  const template = () => {
    let text = "";
    for (i++; i < source.length && source[i] !== "`";) {
      if (source[i] === "\\") {
        text += source.slice(i, i + 2);
        i += 2;
      } else if (source[i] === "$" && source[i + 1] === "{") {
        i += 2;
        code(true);
        text += "\0";
      } else text += source[i++];
    }
    i++;
    found.push(text);
  };
  code(false);
  return found;
}

/** The SQL of a source: a .sql file whole, a .ts file's template literals. */
function sqlTexts(path: string, source: string): string[] {
  return path.endsWith(".sql") ? [source] : templateTexts(source);
}

Deno.test({
  name: "every quoted identifier in lib/ and sql/ is in the variant table or known" +
    (canRead ? "" : " [skipped: needs read access to lib/ and sql/; run deno task test]"),
  ignore: !canRead,
  fn() {
    const known = new Set<string>(CHINOOK_IDENTIFIERS);
    const unknown: string[] = [];
    for (const [path, source] of Object.entries(sources())) {
      for (const text of sqlTexts(path, source)) {
        for (const { name } of quotedIdentifiers(text)) {
          if (IDENTIFIER_LIKE.test(name) && !known.has(name) && !NOT_CHINOOK.test(name)) {
            unknown.push(`${path}: "${name}"`);
          }
        }
      }
    }
    assert.deepEqual(unknown, [], "add each to CHINOOK_IDENTIFIERS (lib/chinook/schema.ts)");
  },
});

Deno.test("the scan finds quoted identifiers in SQL, not in literals, comments or code", async (t) => {
  const cases: Array<[string, string, string[]]> = [
    ["a template", 'const q = sql`SELECT "Xyz" FROM public."Invoice"`;', ["Xyz", "Invoice"]],
    ["a placeholder", 'sql`SELECT ${a} FROM "Track" WHERE x = ${"Nope"}`', ["Track"]],
    ["a literal", "sql`SELECT '\"Nope\"' AS x`", []],
    ["a comment", 'sql`SELECT 1 -- "Nope"\n`', []],
    ["a string in code", 'const x = "Nope"; sql`SELECT "Album"`', ["Album"]],
    ["a regular expression", 'const re = /"([A-Z]+)"/g; sql`SELECT "Genre"`', ["Genre"]],
  ];
  for (const [name, source, expected] of cases) {
    await t.step(name, () => {
      const names = templateTexts(source).flatMap((text) => quotedIdentifiers(text))
        .map((q) => q.name);
      assert.deepEqual(names, expected);
    });
  }
});
