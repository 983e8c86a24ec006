/**
 * Speaking the database's Chinook variant: detect it when connecting, and
 * translate every statement sent (see lib/chinook/schema.ts).
 */
import { translateSql, type Variant } from "../chinook/schema.ts";
import type { Sql } from "./connect.ts";
import { traceStatement } from "./trace.ts";

/** Which variant a database holds, or null when it has neither. */
export async function detectVariant(sql: Sql): Promise<Variant | null> {
  const rows = await sql<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_name IN ('Invoice', 'invoice')`;
  if (rows.some((r) => r.table_name === "Invoice")) return "pascal";
  if (rows.some((r) => r.table_name === "invoice")) return "snake";
  return null;
}

/** The fragments of a tagged template, translated as one text (a literal may span a parameter). */
export function translateTemplateParts(parts: readonly string[], variant: Variant): string[] {
  const joined = translateSql(parts.join("\0"), variant).split("\0");
  // NUL never occurs in SQL text; should it, translate the fragments one by one.
  return joined.length === parts.length ? joined : parts.map((p) => translateSql(p, variant));
}

/**
 * A postgres.js client whose tagged queries, `unsafe` texts, transactions,
 * savepoints and reserved connections are translated for the variant held in
 * `variant.current` (it may change when setup loads Chinook). `file` is
 * refused: its text would reach the server untranslated. Every statement
 * passes `traceStatement` (timed at LOG_LEVEL=debug).
 */
export function translatingSql(sql: Sql, variant: { current: Variant }): Sql {
  const cache = new WeakMap<TemplateStringsArray, TemplateStringsArray>();
  const translateTemplate = (strings: TemplateStringsArray): TemplateStringsArray => {
    if (variant.current === "pascal") return strings;
    let mapped = cache.get(strings);
    if (!mapped) {
      const parts = translateTemplateParts(strings, variant.current);
      mapped = Object.assign(parts, { raw: parts }) as unknown as TemplateStringsArray;
      cache.set(strings, mapped);
    }
    return mapped;
  };
  const wrap = (target: Sql): Sql =>
    new Proxy(target, {
      apply(fn, thisArg, args: unknown[]) {
        const [first, ...rest] = args;
        if (Array.isArray(first) && "raw" in first) {
          return traceStatement(Reflect.apply(fn, thisArg, [
            translateTemplate(first as unknown as TemplateStringsArray),
            ...rest,
          ]));
        }
        return Reflect.apply(fn, thisArg, args);
      },
      get(fn, property) {
        const value = Reflect.get(fn, property);
        if (property === "begin" || property === "savepoint") {
          // The callback's client (the transaction or savepoint) speaks the variant too.
          return (...args: unknown[]) => {
            const callback = args[args.length - 1] as (tx: Sql) => unknown;
            return (value as (...a: unknown[]) => unknown).call(
              fn,
              ...args.slice(0, -1),
              (tx: Sql) => callback(wrap(tx)),
            );
          };
        }
        if (property === "reserve") {
          return async () => wrap(await (value as () => Promise<Sql>).call(fn));
        }
        if (property === "unsafe") {
          return (text: string, ...rest: unknown[]) =>
            traceStatement(
              (value as (...a: unknown[]) => unknown).call(
                fn,
                translateSql(text, variant.current),
                ...rest,
              ),
            );
        }
        if (property === "file") {
          return () => {
            throw new Error(
              "sql.file() would send its SQL untranslated for the Chinook variant: import the file as text and use unsafe()",
            );
          };
        }
        return typeof value === "function" ? value.bind(fn) : value;
      },
    });
  return wrap(sql);
}
