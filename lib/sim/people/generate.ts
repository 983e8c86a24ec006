/**
 * People and places valid for their country: a city drawn by population, a postcode and a
 * landline area code that belong to that city, the state the country's addresses use, names of
 * the country's language and a unique email. Pure: randomness only from the Rng passed in.
 */
import type { Rng } from "../rng.ts";
import type { Names, Sex } from "./names.ts";
import { postcodeRange } from "./formats.ts";
import { COUNTRIES, COUNTRY_BY_NAME, GENERIC_EMAIL_DOMAINS, PEOPLE_RATES } from "./places.ts";
import type { CityData, CountryData, Person, Relocation } from "./types.ts";

/** Share of new customers per country (relative weights, data from places.ts). */
export const countryWeights: ReadonlyMap<string, number> = new Map(
  COUNTRIES.map((c) => [c.country, c.weight]),
);

/** Cumulative weights, so a weighted draw is one Rng call and a binary search. */
function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((w, i) => (out[i] = total += w));
  return out;
}

function drawIndex(rng: Rng, sums: Float64Array): number {
  const x = rng.next() * sums[sums.length - 1]!;
  let lo = 0;
  let hi = sums.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < sums[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

const COUNTRY_SUMS = cumulative(COUNTRIES.map((c) => c.weight));
const CITY_SUMS: ReadonlyMap<CountryData, Float64Array> = new Map(
  COUNTRIES.map((c) => [c, cumulative(c.cities.map((city) => city.weight))]),
);

/** The data of a country as Chinook spells it. */
export function countryData(country: string): CountryData {
  const found = COUNTRY_BY_NAME.get(country);
  if (found === undefined) {
    throw new RangeError(
      `Cannot make people for "${country}": no places are known there; use one of ${
        [...COUNTRY_BY_NAME.keys()].join(", ")
      }`,
    );
  }
  return found;
}

/** A country drawn by the new-customer weights. */
export function pickCountry(rng: Rng): CountryData {
  return COUNTRIES[drawIndex(rng, COUNTRY_SUMS)]!;
}

/** A city of the country drawn by population. */
export function pickCity(rng: Rng, country: CountryData): CityData {
  return country.cities[drawIndex(rng, CITY_SUMS.get(country)!)]!;
}

function cityData(country: CountryData, city: string): CityData {
  const found = country.cities.find((c) => c.name === city);
  if (found === undefined) {
    throw new RangeError(
      `Cannot place someone in "${city}": it is not among the cities of ${country.country}; use one of ${
        country.cities.map((c) => c.name).join(", ")
      }`,
    );
  }
  return found;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";

/** One entry of a city's postcodes as a concrete prefix: ranges are drawn from uniformly. */
function postcodePrefix(rng: Rng, entry: string): string {
  const range = postcodeRange(entry);
  if (range === null) return entry;
  return range.lead + String(rng.int(range.low, range.high)).padStart(range.width, "0");
}

/** Fills the country's postcode pattern, the prefix taking its leading places (or `*`). */
function fillPostcode(rng: Rng, spec: CountryData["postcode"], prefix: string): string {
  const letters = spec.letters ?? ALPHABET;
  const alphanumeric = DIGITS + letters;
  let out = "";
  let used = 0;
  for (const ch of spec.pattern) {
    if (ch === "*") {
      out += prefix;
      used = prefix.length;
    } else if (ch === " " || ch === "-") {
      out += ch;
    } else if (used < prefix.length) {
      out += prefix[used++];
    } else if (ch === "9") {
      out += DIGITS[rng.int(0, 9)];
    } else if (ch === "A") {
      out += rng.pick([...letters]);
    } else if (ch === "X") {
      out += rng.pick([...alphanumeric]);
    } else {
      out += ch;
    }
  }
  return out;
}

/** A postcode of the city, in the country's format. */
export function postcodeFor(rng: Rng, country: CountryData, city: CityData): string {
  for (;;) {
    const code = fillPostcode(rng, country.postcode, postcodePrefix(rng, rng.pick(city.postcodes)));
    if (!country.postcode.reject?.test(code)) return code;
  }
}

/** A landline of the city in international format: "+49 30 26550280". */
export function phoneFor(rng: Rng, country: CountryData, city: CityData): string {
  let out = `+${country.callingCode} `;
  const pattern = rng.pick(city.phones);
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "#") out += DIGITS[rng.int(0, 9)];
    else if (ch === "N") out += DIGITS[rng.int(2, 9)];
    else if (ch === "[") {
      // "[2-7]": a digit in the range.
      out += DIGITS[rng.int(Number(pattern[i + 1]), Number(pattern[i + 3]))];
      i += 4;
    } else out += ch;
  }
  return out;
}

/** A street line as the country writes it: "Hauptstraße 12", "12 rue Pasteur", "Via Roma, 12". */
export function streetAddress(rng: Rng, country: CountryData, city: CityData): string {
  const street = rng.pick(city.streets ?? country.streets);
  const number = rng.int(country.houseNumbers[0], country.houseNumbers[1]);
  return country.addressFormat.replace("{street}", street).replace("{n}", String(number));
}

/** A home in the country (a given city, or one drawn by population). */
export function randomPlace(rng: Rng, country: string | CountryData, city?: string): Relocation {
  const data = typeof country === "string" ? countryData(country) : country;
  const place = city === undefined ? pickCity(rng, data) : cityData(data, city);
  return placeIn(rng, data, place);
}

function placeIn(rng: Rng, country: CountryData, city: CityData): Relocation {
  return {
    address: streetAddress(rng, country, city),
    city: city.name,
    state: city.state,
    country: country.country,
    postalCode: postcodeFor(rng, country, city),
    phone: phoneFor(rng, country, city),
  };
}

const ASCII_ONLY = /^\p{ASCII}*$/u;

/** ASCII letters and digits only, lower case (for emails). */
export function asciiFold(text: string): string {
  // ASCII already (most names): decomposition and the letter mappings change nothing.
  if (ASCII_ONLY.test(text)) return text.replace(/[^A-Za-z0-9]/g, "").toLowerCase();
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ø/gi, "o")
    .replace(/æ/gi, "ae").replace(/ß/g, "ss").replace(/[łŁ]/g, "l").replace(/đ/gi, "d")
    .replace(/[^A-Za-z0-9]/g, "").toLowerCase();
}

const EMAIL_LIMIT = 60;

/**
 * An email unique by construction: the local part is letters from the name followed by the
 * decimal `uniqueTag` (the customer id), so two different tags never give the same address.
 * Fits Chinook's 60 characters by shortening the name part, never the tag.
 */
export function emailFor(
  rng: Rng,
  firstName: string,
  lastName: string,
  uniqueTag: number,
  country?: string,
): string {
  if (!Number.isSafeInteger(uniqueTag) || uniqueTag < 0) {
    throw new RangeError(`Cannot make an email for tag ${uniqueTag}: use a whole number ≥ 0`);
  }
  const first = asciiFold(firstName).replace(/\d/g, "") || "customer";
  const last = asciiFold(lastName).replace(/\d/g, "") || "customer";
  const domains =
    (country === undefined ? undefined : COUNTRY_BY_NAME.get(country)?.emailDomains) ??
      GENERIC_EMAIL_DOMAINS;
  const domain = rng.pick(domains);
  const style = rng.int(0, 4);
  const letters = style === 0
    ? `${first}.${last}`
    : style === 1
    ? `${first}${last}`
    : style === 2
    ? `${first[0]}${last}`
    : style === 3
    ? `${first}_${last}`
    : `${last}.${first}`;
  const tag = String(uniqueTag);
  // The name part must end in a letter so that the digits after it are exactly the tag.
  const room = EMAIL_LIMIT - tag.length - 1 - domain.length;
  const name = letters.slice(0, room).replace(/[._]+$/, "");
  return `${name}${tag}@${domain}`;
}

/** Polish women's surnames take the feminine adjective ending: Kowalski → Kowalska. */
function feminine(lastName: string): string {
  return lastName.replace(/(sk|ck|dzk)i$/, "$1a");
}

const LAST_NAME_LIMIT = 20;
const FIRST_NAME_LIMIT = 40;

function personName(
  rng: Rng,
  names: Names,
  country: CountryData,
  city: CityData,
): { firstName: string; lastName: string; sex: Sex } {
  const sex: Sex = rng.bernoulli(PEOPLE_RATES.female) ? "female" : "male";
  const locale = city.names ?? country.names;
  names.drawFrom(rng);
  const generator = names.locales[locale];
  const firstName = generator.person.firstName(sex).slice(0, FIRST_NAME_LIMIT);
  const drawLast = () =>
    country.singleSurname
      ? generator.helpers.fake("{{person.last_name.generic}}")
      : generator.person.lastName(sex);
  let lastName = country.surnames ? rng.pick(country.surnames) : drawLast();
  for (let tries = 0; lastName.length > LAST_NAME_LIMIT && tries < 20; tries++) {
    lastName = drawLast();
  }
  if (locale === "pl" && sex === "female") lastName = feminine(lastName);
  return { firstName, lastName: lastName.slice(0, LAST_NAME_LIMIT).trim(), sex };
}

/**
 * A new customer: in `country` when given, else in a country drawn by the new-customer weights.
 * `uniqueTag` (the customer id) makes the email unique.
 */
export function randomPerson(rng: Rng, names: Names, uniqueTag: number, country?: string): Person {
  const data = country === undefined ? pickCountry(rng) : countryData(country);
  const city = pickCity(rng, data);
  const { firstName, lastName } = personName(rng, names, data, city);
  const place = placeIn(rng, data, city);
  const company = rng.bernoulli(PEOPLE_RATES.company)
    ? `${
      data.surnames
        ? rng.pick(data.surnames)
        : names.locales[city.names ?? data.names].person.lastName()
    } ${rng.pick(data.companySuffixes)}`
    : null;
  const fax = company !== null && rng.bernoulli(PEOPLE_RATES.fax)
    ? phoneFor(rng, data, city)
    : null;
  return {
    firstName,
    lastName,
    company,
    ...place,
    fax,
    email: emailFor(rng, firstName, lastName, uniqueTag, data.country),
  };
}

/**
 * A move: mostly within the country (a new street in the same city or another city), sometimes
 * abroad. Returns every column that depends on the home, the landline included, so the phone's
 * area code keeps matching the city.
 */
export function relocation(rng: Rng, from?: { country: string; city: string }): Relocation {
  const home = from === undefined ? undefined : COUNTRY_BY_NAME.get(from.country);
  if (home === undefined || rng.bernoulli(PEOPLE_RATES.moveAbroad)) {
    const country = pickCountry(rng);
    return placeIn(rng, country, pickCity(rng, country));
  }
  const sameCity = home.cities.find((c) => c.name === from!.city);
  if (sameCity !== undefined && rng.bernoulli(PEOPLE_RATES.moveWithinCity)) {
    return placeIn(rng, home, sameCity);
  }
  return placeIn(rng, home, pickCity(rng, home));
}
