/**
 * Speaking the database's Chinook variant: detect it when connecting, and
 * translate every statement sent (see lib/chinook/schema.ts).
 */
import { translateSql, type Variant } from "../chinook/schema.ts";
import type { Sql } from "./connect.ts";

/** Which variant a database holds, or null when it has neither. */
export async function detectVariant(sql: Sql): Promise<Variant | null> {
  const rows = await sql<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_name IN ('Invoice', 'invoice')`;
  if (rows.some((r) => r.table_name === "Invoice")) return "pascal";
  if (rows.some((r) => r.table_name === "invoice")) return "snake";
  return null;
}

/**
 * A postgres.js client whose tagged queries, `unsafe` texts and transactions
 * are translated for the variant held in `variant.current` (it may change
 * when setup loads Chinook).
 */
export function translatingSql(sql: Sql, variant: { current: Variant }): Sql {
  const cache = new WeakMap<TemplateStringsArray, TemplateStringsArray>();
  const translateTemplate = (strings: TemplateStringsArray): TemplateStringsArray => {
    if (variant.current === "pascal") return strings;
    let mapped = cache.get(strings);
    if (!mapped) {
      const parts = strings.map((s) => translateSql(s, variant.current));
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
          return Reflect.apply(fn, thisArg, [
            translateTemplate(first as unknown as TemplateStringsArray),
            ...rest,
          ]);
        }
        return Reflect.apply(fn, thisArg, args);
      },
      get(fn, property) {
        if (property === "begin") {
          return (...args: unknown[]) => {
            const callback = args[args.length - 1] as (tx: Sql) => unknown;
            return (fn.begin as (...a: unknown[]) => unknown)(
              ...args.slice(0, -1),
              (tx: Sql) => callback(wrap(tx)),
            );
          };
        }
        if (property === "unsafe") {
          return (text: string, ...rest: unknown[]) =>
            (fn.unsafe as (...a: unknown[]) => unknown)(
              translateSql(text, variant.current),
              ...rest,
            );
        }
        const value = Reflect.get(fn, property);
        return typeof value === "function" ? value.bind(fn) : value;
      },
    });
  return wrap(sql);
}
