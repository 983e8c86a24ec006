/**
 * People and moves: valid for their country by the format table and by independent references
 * (libphonenumber, postcode-validator), consistent with their city, unique emails, exact
 * determinism, and the invalid values the first generator made cannot come back.
 */
import assert from "node:assert/strict";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { postcodeValidator } from "postcode-validator";
import { Rng } from "../rng.ts";
import { placeProblems } from "./formats.ts";
import {
  asciiFold,
  countryData,
  countryWeights,
  emailFor,
  randomPerson,
  randomPlace,
  relocation,
} from "./generate.ts";
import { loadNames } from "./names.ts";
import { COUNTRIES, PEOPLE_RATES } from "./places.ts";
import type { Person } from "./types.ts";
import vendored from "./names.json" with { type: "json" };

const names = await loadNames();

/** Everything wrong with a person, by the format table, the references and Chinook's columns. */
function personProblems(person: Person, iso: string): string[] {
  const problems = placeProblems(person);
  for (const number of [person.phone, person.fax]) {
    if (number === null) continue;
    const parsed = parsePhoneNumberFromString(number);
    if (!parsed?.isValid() || parsed.country !== iso) problems.push(`${number} invalid for ${iso}`);
    else if (parsed.formatInternational() !== number) problems.push(`${number} display`);
  }
  if (!postcodeValidator(person.postalCode, iso)) problems.push(`${person.postalCode} rejected`);
  const limits: [keyof Person, number][] = [
    ["firstName", 40],
    ["lastName", 20],
    ["company", 80],
    ["address", 70],
    ["city", 40],
    ["state", 40],
    ["country", 40],
    ["postalCode", 10],
    ["phone", 24],
    ["fax", 24],
    ["email", 60],
  ];
  for (const [column, limit] of limits) {
    if ((person[column]?.length ?? 0) > limit) problems.push(`${column} longer than ${limit}`);
  }
  if (person.firstName.trim() === "" || person.lastName.trim() === "") problems.push("no name");
  if (!/^[a-z0-9._]+@[a-z0-9.-]+\.[a-z]+$/.test(person.email)) problems.push(`${person.email}`);
  return problems;
}

Deno.test("1,000 people of every country are valid and consistent with their city", async (t) => {
  for (const country of COUNTRIES) {
    await t.step(country.country, () => {
      const rng = new Rng(`valid/${country.country}`);
      const problems: string[] = [];
      const cities = new Set<string>();
      for (let id = 1; id <= 1000; id++) {
        const person = randomPerson(rng, names, id, country.country);
        assert.equal(person.country, country.country);
        cities.add(person.city);
        for (const problem of personProblems(person, country.iso)) {
          problems.push(`${problem} in ${JSON.stringify(person)}`);
        }
      }
      assert.deepEqual(problems.slice(0, 5), []);
      assert.ok(cities.size >= 3, `${country.country}: people in ${cities.size} cities`);
    });
  }
});

Deno.test("new customers follow the country weights", () => {
  const rng = new Rng("weights");
  const counts = new Map<string, number>();
  const n = 20_000;
  for (let id = 0; id < n; id++) {
    const { country } = randomPerson(rng, names, id);
    counts.set(country, (counts.get(country) ?? 0) + 1);
  }
  const total = [...countryWeights.values()].reduce((a, b) => a + b, 0);
  for (const [country, weight] of countryWeights) {
    const expected = (n * weight) / total;
    const seen = counts.get(country) ?? 0;
    assert.ok(
      Math.abs(seen - expected) < 5 * Math.sqrt(expected) + 5,
      `${country}: ${seen} vs ${expected}`,
    );
  }
  const top = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  assert.equal(top, "USA");
});

Deno.test("emails are unique over 100,000 people", () => {
  const rng = new Rng("emails");
  const seen = new Set<string>();
  for (let id = 1; id <= 100_000; id++) {
    const { email } = randomPerson(rng, names, id);
    assert.ok(!seen.has(email), `duplicate ${email}`);
    seen.add(email);
  }
});

Deno.test("emails keep the whole tag and fit 60 characters", async (t) => {
  const rng = new Rng("email edge cases");
  const cases: [string, string, number][] = [
    ["Maximiliane-Josephine", "Espinosa de los Monteros", 2_147_483_647],
    ["Ægir", "Øster", 7],
    ["李", "王", 12],
    ["O'Neill", "D'Arcy-Smith", 0],
  ];
  for (const [first, last, tag] of cases) {
    await t.step(`${first} ${last} #${tag}`, () => {
      for (let i = 0; i < 50; i++) {
        const email = emailFor(rng, first, last, tag, "Ireland");
        assert.ok(email.length <= 60, email);
        assert.match(email, new RegExp(`^[a-z._]*[a-z]${tag}@`));
      }
    });
  }
  assert.throws(() => emailFor(rng, "a", "b", -1), RangeError);
  assert.throws(() => emailFor(rng, "a", "b", 1.5), RangeError);
});

Deno.test("the same Rng state gives the same people; another seed gives others", () => {
  const make = (seed: string) => {
    const rng = new Rng(seed);
    return Array.from({ length: 300 }, (_, i) => randomPerson(rng, names, i + 1));
  };
  assert.deepEqual(make("seed-a"), make("seed-a"));
  const [a, b] = [make("seed-a"), make("seed-b")];
  const same = a.filter((p, i) => JSON.stringify(p) === JSON.stringify(b[i])).length;
  assert.equal(same, 0);
  // Moves too.
  const moves = (seed: string) => {
    const rng = new Rng(seed);
    return Array.from({ length: 300 }, () => relocation(rng, { country: "France", city: "Lyon" }));
  };
  assert.deepEqual(moves("m"), moves("m"));
});

Deno.test("a pinned library version gives these exact people (changes show up here)", () => {
  const rng = new Rng("golden");
  const people = [
    "Germany",
    "Czech Republic",
    "Czech Republic",
    "Poland",
    "Poland",
    "USA",
    "Brazil",
    "Italy",
  ].map((country, i) => randomPerson(rng, names, 1000 + i, country));
  assert.deepEqual(
    people.map((p) =>
      `${p.firstName} ${p.lastName} | ${p.address} | ${p.postalCode} ${p.city} | ${p.phone} | ${p.email}`
    ),
    GOLDEN,
  );
});

const GOLDEN: string[] = [
  "Timon Lepthin | Am Markt 140 | 81742 Munich | +49 89 51072273 | timon.lepthin1000@yahoo.de",
  "Palmira Jírová | Lidická 180 | 166 00 Prague | +420 290 945 446 | pjirova1001@email.cz",
  "Soběslava Krupičková | Zahradní 10 | 151 00 Prague | +420 291 419 182 | sobeslava.krupickova1002@email.cz",
  "Agata Janus | ul. Mickiewicza 95 | 31-741 Kraków | +48 12 819 41 31 | janus.agata1003@gmail.com",
  "Zygmunt Tomala | ul. Polna 143 | 03-353 Warsaw | +48 22 507 14 25 | zygmunttomala1004@op.pl",
  "Trace Phillips | 1171 Park Avenue | 10021 New York | +1 646 210 6099 | tphillips1005@icloud.com",
  "Carlos Batista | Rua Sete de Setembro, 1204 | 91231-447 Porto Alegre | +55 51 3324 2883 | batista.carlos1006@yahoo.com.br",
  "Giulia Marini | Via Garibaldi, 193 | 90127 Palermo | +39 091 246 3421 | giuliamarini1007@gmail.com",
];

Deno.test("the known invalid values cannot come back", async (t) => {
  const rng = new Rng("known bad cases");
  const many = (country: string, n = 2000) =>
    Array.from({ length: n }, (_, i) => randomPerson(rng, names, i, country));
  await t.step("no trunk 0 after the country code (Italy's 0 belongs to the number)", () => {
    for (const country of COUNTRIES) {
      for (let i = 0; i < 200; i++) {
        const { phone } = randomPlace(rng, country);
        if (country.country === "Italy") assert.match(phone, /^\+39 0/);
        else assert.doesNotMatch(phone, new RegExp(`^\\+${country.callingCode} 0`), phone);
      }
    }
    assert.ok(many("Germany").every((p) => /^\+49 [1-9]/.test(p.phone)));
  });
  await t.step("Hungarian postcodes are four digits starting 1–9", () => {
    assert.ok(many("Hungary").every((p) => /^[1-9]\d{3}$/.test(p.postalCode)));
  });
  await t.step("a US postcode belongs to its city (Chicago 606xx)", () => {
    const people = many("USA", 5000);
    const chicago = people.filter((p) => p.city === "Chicago");
    assert.ok(chicago.length > 100);
    assert.ok(chicago.every((p) => /^606\d\d$/.test(p.postalCode) && p.state === "IL"));
    assert.ok(chicago.every((p) => /^\+1 (312|773) /.test(p.phone)));
  });
  await t.step("Berlin 10xxx–14xxx with 30, Munich 80xxx–81xxx with 89, Paris 75001–75020", () => {
    const germans = many("Germany", 5000);
    for (const p of germans.filter((p) => p.city === "Berlin")) {
      assert.match(p.postalCode, /^1[0-4]\d{3}$/);
      assert.match(p.phone, /^\+49 30 /);
    }
    for (const p of germans.filter((p) => p.city === "Munich")) {
      assert.match(p.postalCode, /^8[01]\d{3}$/);
      assert.match(p.phone, /^\+49 89 /);
    }
    for (const p of many("France", 3000).filter((p) => p.city === "Paris")) {
      const n = Number(p.postalCode);
      assert.ok(n >= 75001 && n <= 75020, p.postalCode);
      assert.match(p.phone, /^\+33 1 /);
    }
  });
  await t.step("Czech women's surnames take the feminine form", () => {
    const czechs = many("Czech Republic", 3000);
    const female = new Set(czechs.filter((p) => /á$/.test(p.lastName)).map((p) => p.firstName));
    const male = new Set(czechs.filter((p) => !/á$/.test(p.lastName)).map((p) => p.firstName));
    assert.ok(female.size > 50 && male.size > 50);
    const both = [...female].filter((name) => male.has(name));
    assert.ok(both.length <= 2, `first names with both forms: ${both.join(", ")}`);
  });
  await t.step("Polish women's surnames take the feminine form", () => {
    const poles = many("Poland", 3000);
    // Surnames ending -ski/-cki occur only for men: the library's list has masculine forms.
    const endings = poles.map((p) => p.lastName).filter((n) => /(sk|ck|dzk)[ia]$/.test(n));
    assert.ok(endings.length > 100);
    const female = new Set(
      poles.filter((p) => /ska$|cka$|dzka$/.test(p.lastName)).map((p) => p.firstName),
    );
    const male = new Set(
      poles.filter((p) => /ski$|cki$|dzki$/.test(p.lastName)).map((p) => p.firstName),
    );
    const both = [...female].filter((name) => male.has(name));
    assert.ok(both.length <= 2, `first names with both forms: ${both.join(", ")}`);
  });
});

Deno.test("moves stay mostly in the country, sometimes go abroad, and stay valid", () => {
  const rng = new Rng("moves");
  const n = 10_000;
  let abroad = 0;
  let sameCity = 0;
  for (let i = 0; i < n; i++) {
    const move = relocation(rng, { country: "Germany", city: "Berlin" });
    assert.deepEqual(placeProblems(move), [], JSON.stringify(move));
    if (move.country !== "Germany") abroad++;
    else if (move.city === "Berlin") sameCity++;
  }
  const expectedAbroad = n * PEOPLE_RATES.moveAbroad * (1 - countryWeights.get("Germany")! / 100);
  assert.ok(Math.abs(abroad - expectedAbroad) < 0.25 * expectedAbroad, `${abroad} abroad`);
  assert.ok(sameCity > n * PEOPLE_RATES.moveWithinCity * 0.8, `${sameCity} in the same city`);
  // Without a known home, a move goes anywhere by the weights.
  const anywhere = new Set(Array.from({ length: 2000 }, () => relocation(rng).country));
  assert.ok(anywhere.size > 15);
});

Deno.test("unknown countries and cities are refused with the fix", () => {
  const rng = new Rng("bad input");
  assert.throws(() => randomPerson(rng, names, 1, "Atlantis"), {
    name: "RangeError",
    message: /^Cannot make people for "Atlantis": no places are known there; use one of USA, /,
  });
  assert.throws(() => randomPlace(rng, "France", "Berlin"), /Cannot place someone in "Berlin"/);
  assert.equal(countryData("Italy").iso, "IT");
});

Deno.test("asciiFold: the ASCII shortcut folds as the full path does", () => {
  const full = (text: string) =>
    text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ø/gi, "o")
      .replace(/æ/gi, "ae").replace(/ß/g, "ss").replace(/[łŁ]/g, "l").replace(/đ/gi, "d")
      .replace(/[^A-Za-z0-9]/g, "").toLowerCase();
  const texts = [...vendored.lists.flat(), "O'Brien-Smith Jr.", "", " \t~!", "ABC xyz 123", "\x7f"];
  for (const text of texts) assert.equal(asciiFold(text), full(text), text);
});
