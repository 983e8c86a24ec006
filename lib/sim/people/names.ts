/**
 * First and last names from the locale lists of @faker-js/faker (gendered name lists per
 * language, e.g. Czech "Novák"/"Nováková"), vendored in names.json (names_vendor.ts), drawn
 * with our Rng exactly as the library draws them: the same lists, the same draws in the same
 * order (names_test.ts compares both). A person depends on the Rng state alone. The lists are
 * loaded on first use only, which commands that make no people do not pay.
 */
import type { Rng } from "../rng.ts";
import type { NameLocale } from "./types.ts";

export type Sex = "female" | "male";

/** The part of a Faker instance the generator uses. */
export interface NameGenerator {
  person: {
    firstName(sex?: Sex): string;
    lastName(sex?: Sex): string;
  };
  helpers: { fake(pattern: string): string };
}

export interface Names {
  readonly locales: Readonly<Record<NameLocale, NameGenerator>>;
  /** Makes every generator draw from `rng` (before a person's names are drawn). */
  drawFrom(rng: Rng): void;
}

/** A definition the library keeps per sex: a generic one, and/or female and male ones. */
export type NameEntry<T> = { generic?: T; female?: T; male?: T };

interface Weighted<T> {
  value: T;
  weight: number;
}

/** names.json: the lists, each once, and each locale's entries by list index. */
export interface NameData {
  lists: string[][];
  locales: Record<NameLocale, {
    firstName: NameEntry<number>;
    lastName: NameEntry<number>;
    /** How a last name is composed, e.g. "{{person.last_name.generic}}-{{person.last_name.generic}}". */
    lastNamePattern?: NameEntry<Weighted<string>[]>;
  }>;
}

let loading: Promise<Names> | undefined;

/** The name generators of every locale in places.ts (loaded once per process). */
export function loadNames(): Promise<Names> {
  loading ??= import("./names.json", { with: { type: "json" } }).then((module) =>
    namesFrom(module.default as unknown as NameData)
  );
  return loading;
}

/** Generators over `data`, all drawing from one shared Rng slot. */
export function namesFrom(data: NameData): Names {
  let source: Rng | undefined;
  const next = (): number => {
    if (source === undefined) throw new Error("Names drawn before drawFrom(rng)");
    return source.next();
  };
  const locales = {} as Record<NameLocale, NameGenerator>;
  for (
    const [locale, entries] of Object.entries(data.locales) as [
      NameLocale,
      NameData["locales"][NameLocale],
    ][]
  ) {
    const lists = (entry: NameEntry<number>): NameEntry<string[]> =>
      Object.fromEntries(Object.entries(entry).map(([k, id]) => [k, data.lists[id]!]));
    locales[locale] = localeGenerator(next, {
      firstName: lists(entries.firstName),
      lastName: lists(entries.lastName),
      lastNamePattern: entries.lastNamePattern,
    });
  }
  return { locales, drawFrom: (rng) => (source = rng) };
}

/**
 * One locale's generator: the library's person.firstName, person.lastName and helpers.fake
 * (for last-name patterns), each draw taken from `next` where the library takes one.
 */
function localeGenerator(
  next: () => number,
  data: {
    firstName: NameEntry<string[]>;
    lastName: NameEntry<string[]>;
    lastNamePattern?: NameEntry<Weighted<string>[]>;
  },
): NameGenerator {
  // An element: a draw only when there is a choice.
  const element = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError("Cannot get value from empty dataset.");
    return items[items.length > 1 ? Math.floor(next() * items.length) : 0]!;
  };
  const weighted = <T>(items: readonly Weighted<T>[]): T => {
    if (items.length === 0) throw new RangeError("Cannot pick from an empty weighted list.");
    const total = items.reduce((sum, { weight }) => sum + weight, 0);
    const point = next() * total;
    let reached = 0;
    for (const { weight, value } of items) {
      reached += weight;
      if (point < reached) return value;
    }
    return items.at(-1)!.value;
  };
  // The list for a sex: without one, a sex is drawn first; a sex-specific list competes with
  // the generic one by the square roots of their lengths (3 to 1).
  const select = <T>(sex: Sex | undefined, entry: NameEntry<T[]>): T[] => {
    const chosen = sex ?? element<Sex>(["female", "male"]);
    const binary = chosen === "female" ? entry.female : entry.male;
    if (binary == null) return entry.generic ?? [];
    if (entry.generic == null) return binary;
    return weighted([
      { weight: 3 * Math.sqrt(binary.length), value: binary },
      { weight: Math.sqrt(entry.generic.length), value: entry.generic },
    ]);
  };
  // {{person.last_name.KEY}} placeholders, left to right, each one element of that list.
  const fake = (pattern: string): string => {
    let text = pattern;
    for (;;) {
      const start = text.search(/{{[a-z]/);
      const end = text.indexOf("}}", start);
      if (start === -1 || end === -1) return text;
      const path = text.substring(start + 2, end);
      const key = /^person\.last_name\.(generic|female|male)$/.exec(path)?.[1] as
        | keyof NameEntry<string[]>
        | undefined;
      const list = key === undefined ? undefined : data.lastName[key];
      if (list === undefined) throw new RangeError(`Cannot resolve the name pattern {{${path}}}`);
      text = text.substring(0, start) + element(list) + text.substring(end + 2);
    }
  };
  return {
    person: {
      firstName: (sex) => element(select(sex, data.firstName)),
      lastName: (sex) =>
        data.lastNamePattern != null
          ? fake(weighted(select(sex, data.lastNamePattern)))
          : element(select(sex, data.lastName)),
    },
    helpers: { fake },
  };
}
