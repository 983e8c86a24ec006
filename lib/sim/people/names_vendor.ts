/**
 * The name lists of the locales places.ts uses, vendored from @faker-js/faker
 * (pinned in deno.json) into names.json: importing the library's 20 locale
 * modules costs tens of milliseconds in every process that makes people,
 * parsing the lists alone a few. names.ts draws from them as the library does
 * (names_test.ts compares the lists and the draws with the library's own).
 *
 * Regenerate after changing the pin:  deno task vendor-names
 * Check that the committed file matches the pin:  deno task vendor-names --check
 */
import { nameGenerators } from "./faker_locales.ts";
import type { NameData, NameEntry } from "./names.ts";
import type { NameLocale } from "./types.ts";

export const NAMES_PATH = new URL("./names.json", import.meta.url);

/** What the library holds for each locale: its first and last names and last-name patterns. */
export function vendoredNames(): NameData {
  const lists: string[][] = [];
  const ids = new Map<string, number>();
  // Locales share lists (de and de_AT, fr and fr_CA): each list is stored once.
  const listId = (list: readonly string[]): number => {
    const key = JSON.stringify(list);
    let id = ids.get(key);
    if (id === undefined) ids.set(key, id = lists.push([...list]) - 1);
    return id;
  };
  const entry = (raw: Record<string, readonly string[]>): NameEntry<number> =>
    Object.fromEntries(
      (["generic", "female", "male"] as const).filter((k) => raw[k] != null).map((k) => [
        k,
        listId(raw[k]!),
      ]),
    );
  const locales = {} as NameData["locales"];
  const generators = nameGenerators().locales;
  for (const locale of (Object.keys(generators) as NameLocale[]).sort()) {
    const person = (generators[locale] as unknown as {
      rawDefinitions: { person: Record<string, Record<string, never>> };
    }).rawDefinitions.person;
    locales[locale] = {
      firstName: entry(person.first_name!),
      lastName: entry(person.last_name!),
      ...(person.last_name_pattern ? { lastNamePattern: person.last_name_pattern } : {}),
    };
  }
  return { lists, locales };
}

export function namesText(): string {
  return `${JSON.stringify(vendoredNames(), null, 2)}\n`;
}

if (import.meta.main) {
  const text = namesText();
  if (Deno.args.includes("--check")) {
    if ((await Deno.readTextFile(NAMES_PATH)) !== text) {
      Deno.stderr.writeSync(
        new TextEncoder().encode(
          `error: ${NAMES_PATH.pathname} differs from the pinned name library; run "deno task vendor-names"\n`,
        ),
      );
      Deno.exit(1);
    }
  } else {
    await Deno.writeTextFile(NAMES_PATH, text);
  }
}
