/**
 * The place data checked against independent references: every phone pattern against
 * libphonenumber's numbering-plan metadata (a valid landline of the right country, displayed in
 * its international format), every US ZIP range against a US ZIP database (each ZIP exists and
 * belongs to the city and state), and the shape of every city entry.
 */
import assert from "node:assert/strict";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import zipcodes from "zipcodes";
import { Rng } from "../rng.ts";
import { cityPhonePrefixes, FORMATS, postcodeRange } from "./formats.ts";
import { COUNTRIES } from "./places.ts";

/** The countries of the public Chinook sample's Customer table. */
const CHINOOK_COUNTRIES = [
  "Argentina",
  "Australia",
  "Austria",
  "Belgium",
  "Brazil",
  "Canada",
  "Chile",
  "Czech Republic",
  "Denmark",
  "Finland",
  "France",
  "Germany",
  "Hungary",
  "India",
  "Ireland",
  "Italy",
  "Netherlands",
  "Norway",
  "Poland",
  "Portugal",
  "Spain",
  "Sweden",
  "USA",
  "United Kingdom",
];

Deno.test("every Chinook country has places, a format and several cities", () => {
  const known = new Set(COUNTRIES.map((c) => c.country));
  for (const country of CHINOOK_COUNTRIES) {
    assert.ok(known.has(country), country);
    assert.ok(FORMATS[country] !== undefined, `${country} has a format`);
    const data = COUNTRIES.find((c) => c.country === country)!;
    assert.ok(data.cities.length >= 4, `${country} has ${data.cities.length} cities`);
    assert.ok(data.weight > 0);
  }
  assert.equal(COUNTRIES.length, new Set(COUNTRIES.map((c) => c.iso)).size);
});

Deno.test("city entries are well formed and unambiguous", async (t) => {
  for (const country of COUNTRIES) {
    await t.step(country.country, () => {
      const names = country.cities.map((c) => c.name);
      assert.equal(new Set(names).size, names.length, "city names are unique");
      for (const city of country.cities) {
        assert.ok(city.name.length <= 40 && city.weight > 0, city.name);
        assert.ok(city.postcodes.length > 0 && city.phones.length > 0, city.name);
        const states = FORMATS[country.country]!.states;
        if (states === null) assert.equal(city.state, null, city.name);
        else assert.ok(states.has(city.state ?? ""), `${city.name}: ${city.state}`);
        for (const entry of city.postcodes) {
          const range = postcodeRange(entry);
          if (range !== null) assert.ok(range.low <= range.high, `${city.name} ${entry}`);
        }
        for (const prefix of cityPhonePrefixes(city)) assert.match(prefix, /^\d+$/, city.name);
      }
    });
  }
});

/** Every completion of a phone pattern's first two placeholders, the rest drawn at random. */
function* patternNumbers(pattern: string, rng: Rng): Generator<string> {
  const slots = [...pattern.matchAll(/#|N|\[(\d)-(\d)\]/g)];
  const choices = (m: RegExpMatchArray): number[] => {
    const [low, high] = m[0] === "#"
      ? [0, 9]
      : m[0] === "N"
      ? [2, 9]
      : [Number(m[1]), Number(m[2])];
    return Array.from({ length: high - low + 1 }, (_, i) => low + i);
  };
  const first = slots[0] ? choices(slots[0]) : [0];
  const second = slots[1] ? choices(slots[1]) : [0];
  for (const a of first) {
    for (const b of second) {
      for (let repeat = 0; repeat < 2; repeat++) {
        let slot = 0;
        yield pattern.replace(/#|N|\[(\d)-(\d)\]/g, (token, low, high) => {
          const value = slot === 0
            ? a
            : slot === 1
            ? b
            : token === "#"
            ? rng.int(0, 9)
            : token === "N"
            ? rng.int(2, 9)
            : rng.int(Number(low), Number(high));
          slot++;
          return String(value);
        });
      }
    }
  }
}

Deno.test("every phone pattern gives valid landlines of its country, in international format", async (t) => {
  const rng = new Rng("phone patterns");
  for (const country of COUNTRIES) {
    await t.step(country.country, () => {
      const problems: string[] = [];
      for (const city of country.cities) {
        for (const pattern of city.phones) {
          for (const national of patternNumbers(pattern, rng)) {
            const display = `+${country.callingCode} ${national}`;
            const parsed = parsePhoneNumberFromString(display);
            const type = parsed?.getType();
            if (!parsed?.isValid() || parsed.country !== country.iso) {
              problems.push(`${city.name}: ${display} is not a valid ${country.iso} number`);
            } else if (type !== "FIXED_LINE" && type !== "FIXED_LINE_OR_MOBILE") {
              problems.push(`${city.name}: ${display} is a ${type}, not a landline`);
            } else if (parsed.formatInternational() !== display) {
              problems.push(`${city.name}: ${display} displays as ${parsed.formatInternational()}`);
            }
            if (!FORMATS[country.country]!.phone.test(display)) {
              problems.push(`${city.name}: ${display} fails the format table`);
            }
          }
        }
      }
      assert.deepEqual(problems.slice(0, 20), []);
    });
  }
});

Deno.test("every ZIP of every US city exists and belongs to that city and state", () => {
  const usa = COUNTRIES.find((c) => c.country === "USA")!;
  const problems: string[] = [];
  let checked = 0;
  for (const city of usa.cities) {
    for (const entry of city.postcodes) {
      const range = postcodeRange(entry) ??
        { lead: "", low: Number(entry), high: Number(entry), width: 5 };
      for (let zip = range.low; zip <= range.high; zip++) {
        const code = String(zip).padStart(5, "0");
        const found = zipcodes.lookup(code);
        checked++;
        if (found?.city !== city.name || found.state !== city.state) {
          problems.push(
            `${city.name} ${code}: ${found ? `${found.city}, ${found.state}` : "no such ZIP"}`,
          );
        }
      }
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(checked > 500, `${checked} ZIPs checked`);
});
