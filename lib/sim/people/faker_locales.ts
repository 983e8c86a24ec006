/**
 * The name library's locales used by places.ts. Pinned in deno.json: a new library version may
 * change its lists, and with them the people a seed makes (generate_test.ts pins samples).
 * Read by names_vendor.ts (the lists vendored in names.json, which names.ts draws from) and by
 * names_test.ts (the draws compared), never at run time: loading these 20 locale modules costs
 * tens of milliseconds. The per-locale entry points are used, not the package root, which loads
 * all 70 locales.
 */
import type { Faker, Randomizer } from "@faker-js/faker";
import { faker as cs_CZ } from "@faker-js/faker/locale/cs_CZ";
import { faker as da } from "@faker-js/faker/locale/da";
import { faker as de } from "@faker-js/faker/locale/de";
import { faker as de_AT } from "@faker-js/faker/locale/de_AT";
import { faker as en_AU } from "@faker-js/faker/locale/en_AU";
import { faker as en_IN } from "@faker-js/faker/locale/en_IN";
import { faker as en_US } from "@faker-js/faker/locale/en_US";
import { faker as es } from "@faker-js/faker/locale/es";
import { faker as fi } from "@faker-js/faker/locale/fi";
import { faker as fr } from "@faker-js/faker/locale/fr";
import { faker as fr_CA } from "@faker-js/faker/locale/fr_CA";
import { faker as hu } from "@faker-js/faker/locale/hu";
import { faker as it } from "@faker-js/faker/locale/it";
import { faker as nb_NO } from "@faker-js/faker/locale/nb_NO";
import { faker as nl } from "@faker-js/faker/locale/nl";
import { faker as nl_BE } from "@faker-js/faker/locale/nl_BE";
import { faker as pl } from "@faker-js/faker/locale/pl";
import { faker as pt_BR } from "@faker-js/faker/locale/pt_BR";
import { faker as pt_PT } from "@faker-js/faker/locale/pt_PT";
import { faker as sv } from "@faker-js/faker/locale/sv";
import type { Rng } from "../rng.ts";
import type { Names } from "./names.ts";
import type { NameLocale } from "./types.ts";

const PREBUILT: Record<NameLocale, Faker> = {
  cs_CZ,
  da,
  de,
  de_AT,
  en_AU,
  en_IN,
  en_US,
  es,
  fi,
  fr,
  fr_CA,
  hu,
  it,
  nb_NO,
  nl,
  nl_BE,
  pl,
  pt_BR,
  pt_PT,
  sv,
};

/**
 * Faker's randomness, taken from the Rng of the person being made (never its own seed). Faker
 * calls these unbound, hence arrow functions over a shared slot.
 */
function rngRandomizer(): Randomizer & { use(rng: Rng): void } {
  let source: Rng | undefined;
  return {
    next: () => {
      if (source === undefined) throw new Error("Names drawn before drawFrom(rng)");
      return source.next();
    },
    seed: () => {
      throw new Error("Names are seeded by the Rng passed to drawFrom");
    },
    use: (rng) => {
      source = rng;
    },
  };
}

/** One generator per locale (its merged locale data), all drawing from one shared randomizer. */
export function nameGenerators(): Names {
  const randomizer = rngRandomizer();
  const locales = {} as Record<NameLocale, Faker>;
  for (const [locale, prebuilt] of Object.entries(PREBUILT) as [NameLocale, Faker][]) {
    // The entry points export instances only; their class takes the same merged definitions.
    const FakerClass = prebuilt.constructor as typeof Faker;
    locales[locale] = new FakerClass({ locale: prebuilt.rawDefinitions, randomizer });
  }
  return {
    locales,
    drawFrom: randomizer.use,
  };
}
