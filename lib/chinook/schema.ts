/**
 * The Chinook schema as chinook-sim knows it: the eleven tables and every
 * identifier, in the two variants in circulation. Quoted PascalCase
 * ("Invoice"."InvoiceId", the PostgreSQL sample) and snake_case
 * (invoice.invoice_id, the current upstream scripts). All SQL of chinook-sim
 * is written once, in PascalCase; for a snake_case database its quoted
 * Chinook identifiers are mapped by the one table below. Pure.
 */

export type Variant = "pascal" | "snake";

/** Every Chinook table and its columns, in the order of the PostgreSQL sample. */
export const CHINOOK_COLUMNS = {
  Album: "AlbumId Title ArtistId",
  Artist: "ArtistId Name",
  Customer:
    "CustomerId FirstName LastName Company Address City State Country PostalCode Phone Fax Email SupportRepId",
  Employee:
    "EmployeeId LastName FirstName Title ReportsTo BirthDate HireDate Address City State Country PostalCode Phone Fax Email",
  Genre: "GenreId Name",
  Invoice:
    "InvoiceId CustomerId InvoiceDate BillingAddress BillingCity BillingState BillingCountry BillingPostalCode Total",
  InvoiceLine: "InvoiceLineId InvoiceId TrackId UnitPrice Quantity",
  MediaType: "MediaTypeId Name",
  Playlist: "PlaylistId Name",
  PlaylistTrack: "PlaylistId TrackId",
  Track: "TrackId Name AlbumId MediaTypeId GenreId Composer Milliseconds Bytes UnitPrice",
} as const;

export type ChinookTable = keyof typeof CHINOOK_COLUMNS;
type Words<S extends string> = S extends `${infer Head} ${infer Tail}` ? Head | Words<Tail> : S;
export type ChinookIdentifier = ChinookTable | Words<(typeof CHINOOK_COLUMNS)[ChinookTable]>;

export const CHINOOK_TABLES = Object.keys(CHINOOK_COLUMNS) as ChinookTable[];

/** A table's columns, in the sample's order. */
export function columnsOf(table: ChinookTable): ChinookIdentifier[] {
  return CHINOOK_COLUMNS[table].split(" ") as ChinookIdentifier[];
}

/** Every Chinook table and column name, as in the PostgreSQL sample. */
export const CHINOOK_IDENTIFIERS: readonly ChinookIdentifier[] = [
  ...new Set(CHINOOK_TABLES.flatMap((t) => [t, ...columnsOf(t)])),
];

/** "InvoiceLineId" → "invoice_line_id". */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

const SNAKE: ReadonlyMap<string, string> = new Map(
  CHINOOK_IDENTIFIERS.map((n) => [n, snakeCase(n)]),
);

/** Where a piece of SQL text that is not an identifier ends, from `start` (at its opening). */
function skipNonIdentifier(text: string, start: number): number {
  const c = text[start];
  const next = text[start + 1];
  if (c === "'") {
    // E'…' takes backslash escapes; '' is a quote inside any literal.
    const escapes = /[eE]/.test(text[start - 1] ?? "") && !/[\w$]/.test(text[start - 2] ?? "");
    for (let i = start + 1; i < text.length; i++) {
      if (escapes && text[i] === "\\") i++;
      else if (text[i] === "'") {
        if (text[i + 1] !== "'") return i + 1;
        i++;
      }
    }
    return text.length;
  }
  if (c === "-" && next === "-") {
    const end = text.indexOf("\n", start);
    return end === -1 ? text.length : end;
  }
  if (c === "/" && next === "*") {
    // Block comments nest in PostgreSQL.
    let depth = 0;
    for (let i = start; i < text.length - 1; i++) {
      const pair = text[i]! + text[i + 1]!;
      if (pair === "/*") {
        depth++;
        i++;
      } else if (pair === "*/") {
        depth--;
        i++;
        if (depth === 0) return i + 1;
      }
    }
    return text.length;
  }
  if (c === "$" && !/[\w$]/.test(text[start - 1] ?? "")) {
    const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(start, start + 64))?.[0];
    if (tag) {
      const end = text.indexOf(tag, start + tag.length);
      return end === -1 ? text.length : end + tag.length;
    }
  }
  return start;
}

/**
 * The quoted identifiers of a statement ("Invoice"), with where each starts
 * and ends; nothing inside string literals ('…', E'…'), dollar-quoted
 * bodies ($$…$$, $tag$…$tag$) or comments (line or nested block) counts.
 */
export function quotedIdentifiers(
  text: string,
): Array<{ name: string; start: number; end: number }> {
  const found: Array<{ name: string; start: number; end: number }> = [];
  for (let i = 0; i < text.length;) {
    if (text[i] === '"') {
      let end = i + 1;
      while (end < text.length && !(text[end] === '"' && text[end + 1] !== '"')) {
        end += text[end] === '"' ? 2 : 1;
      }
      found.push({ name: text.slice(i + 1, end).replaceAll('""', '"'), start: i, end: end + 1 });
      i = end + 1;
      continue;
    }
    const skipped = skipNonIdentifier(text, i);
    i = skipped > i ? skipped : i + 1;
  }
  return found;
}

/** Rewrites the quoted Chinook identifiers of a statement for `variant`; nothing else changes. */
export function translateSql(text: string, variant: Variant): string {
  if (variant === "pascal") return text;
  let out = "";
  let copied = 0;
  for (const { name, start, end } of quotedIdentifiers(text)) {
    const mapped = SNAKE.get(name);
    if (mapped === undefined) continue;
    out += text.slice(copied, start) + mapped;
    copied = end;
  }
  return out + text.slice(copied);
}

/** The name of a Chinook identifier in `variant` (for information_schema look-ups). */
export function nameIn(variant: Variant, name: ChinookIdentifier): string {
  return variant === "pascal" ? name : SNAKE.get(name)!;
}

/** The one-line explanation of what a Chinook database must contain. */
export const EXPECTED_CHINOOK = `the 11 Chinook tables, either quoted PascalCase (${
  CHINOOK_TABLES.map((t) => `"${t}"`).join(", ")
}) or snake_case (${CHINOOK_TABLES.map((t) => snakeCase(t)).join(", ")})`;
