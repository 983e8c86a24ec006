/**
 * First and last names come from @faker-js/faker's locale data (gendered name lists per
 * language, e.g. Czech "Novák"/"Nováková"), drawn with our Rng: the library's generators are
 * built with a randomizer that reads the Rng of the person being made, so a person depends on
 * the Rng state alone. The library is imported on first use only: its locales cost tens of
 * milliseconds to load, which commands that make no people should not pay.
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

let loading: Promise<Names> | undefined;

/** The name generators of every locale in places.ts (loaded once per process). */
export function loadNames(): Promise<Names> {
  loading ??= import("./faker_locales.ts").then((module) => module.nameGenerators());
  return loading;
}
