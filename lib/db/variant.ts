/**
 * Two Chinook schemas are in circulation: quoted PascalCase ("Invoice"."InvoiceId",
 * the PostgreSQL sample) and snake_case (invoice.invoice_id, the current
 * upstream scripts). All SQL of chinook-sim is written once, in PascalCase;
 * for a snake_case database its quoted Chinook identifiers are mapped by the
 * one table below as each statement is sent.
 */
import type { Sql } from "./connect.ts";

export type Variant = "pascal" | "snake";

/** Every Chinook table and column name, as in the PostgreSQL sample. */
export const CHINOOK_IDENTIFIERS = [
  "Album",
  "AlbumId",
  "Title",
  "ArtistId",
  "Artist",
  "Name",
  "Customer",
  "CustomerId",
  "FirstName",
  "LastName",
  "Company",
  "Address",
  "City",
  "State",
  "Country",
  "PostalCode",
  "Phone",
  "Fax",
  "Email",
  "SupportRepId",
  "Employee",
  "EmployeeId",
  "ReportsTo",
  "BirthDate",
  "HireDate",
  "Genre",
  "GenreId",
  "Invoice",
  "InvoiceId",
  "InvoiceDate",
  "BillingAddress",
  "BillingCity",
  "BillingState",
  "BillingCountry",
  "BillingPostalCode",
  "Total",
  "InvoiceLine",
  "InvoiceLineId",
  "TrackId",
  "UnitPrice",
  "Quantity",
  "MediaType",
  "MediaTypeId",
  "Playlist",
  "PlaylistId",
  "PlaylistTrack",
  "Track",
  "Composer",
  "Milliseconds",
  "Bytes",
] as const;

/** "InvoiceLineId" → "invoice_line_id". */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

const SNAKE: ReadonlyMap<string, string> = new Map(
  CHINOOK_IDENTIFIERS.map((n) => [n, snakeCase(n)]),
);
const QUOTED = /"([A-Za-z]+)"/g;

/** Rewrites the quoted Chinook identifiers of a statement for `variant`; other text is untouched. */
export function translateSql(text: string, variant: Variant): string {
  if (variant === "pascal") return text;
  return text.replace(QUOTED, (whole, name: string) => SNAKE.get(name) ?? whole);
}

/** The name of a Chinook identifier in `variant` (for information_schema look-ups). */
export function nameIn(variant: Variant, name: (typeof CHINOOK_IDENTIFIERS)[number]): string {
  return variant === "pascal" ? name : SNAKE.get(name)!;
}

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
