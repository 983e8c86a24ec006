/** The format table: what it accepts and, above all, what it rejects. */
import assert from "node:assert/strict";
import { type PlaceColumns, placeProblems } from "./formats.ts";

const row = (
  country: string,
  city: string,
  state: string | null,
  postalCode: string,
  phone: string,
): PlaceColumns => ({ country, city, state, postalCode, phone });

Deno.test("valid rows pass", async (t) => {
  const valid: PlaceColumns[] = [
    row("Germany", "Berlin", null, "10789", "+49 30 26550280"),
    row("Germany", "Stuttgart", null, "70174", "+49 711 2842222"),
    row("USA", "Chicago", "IL", "60611", "+1 312 332 3232"),
    row("Canada", "Montréal", "QC", "H2G 1A7", "+1 514 721 4711"),
    row("United Kingdom", "London", null, "N1 5LH", "+44 20 7707 0707"),
    row("United Kingdom", "Edinburgh", null, "EH4 1HH", "+44 131 315 3300"),
    row("Hungary", "Budapest", null, "1073", "+36 1 234 5678"),
    row("France", "Paris", null, "75009", "+33 1 49 70 65 65"),
    row("Italy", "Rome", "RM", "00192", "+39 06 3973 3434"),
    row("Ireland", "Dublin", "Dublin", "D02 X285", "+353 1 679 2424"),
    row("Netherlands", "Amsterdam", null, "1016 AB", "+31 20 622 3130"),
    row("Argentina", "Buenos Aires", null, "C1106ABC", "+54 11 4311 4333"),
    row("Brazil", "São Paulo", "SP", "01310-200", "+55 11 3055 3278"),
    row("Australia", "Sydney", "NSW", "2010", "+61 2 9332 3633"),
  ];
  for (const columns of valid) {
    await t.step(`${columns.city} ${columns.postalCode} ${columns.phone}`, () => {
      assert.deepEqual(placeProblems(columns), []);
    });
  }
});

Deno.test("invalid rows are caught, each for its reason", async (t) => {
  const cases: [string, PlaceColumns, RegExp][] = [
    [
      "German trunk 0",
      row("Germany", "Munich", null, "80331", "+49 089 1234567"),
      /phone .* format/,
    ],
    [
      "Hungarian leading 0",
      row("Hungary", "Budapest", null, "0159", "+36 1 234 5678"),
      /postcode "0159" is not in/,
    ],
    [
      "Chicago with a Kentucky ZIP",
      row("USA", "Chicago", "IL", "41700", "+1 312 332 3232"),
      /not one of Chicago's/,
    ],
    [
      "Berlin with a Munich postcode",
      row("Germany", "Berlin", null, "80331", "+49 30 26550280"),
      /not one of Berlin's/,
    ],
    [
      "Paris 75021",
      row("France", "Paris", null, "75021", "+33 1 49 70 65 65"),
      /not one of Paris's/,
    ],
    [
      "London with Edinburgh's code",
      row("United Kingdom", "London", null, "N1 5LH", "+44 131 315 3300"),
      /no area code of London/,
    ],
    [
      "Italy without its 0",
      row("Italy", "Rome", "RM", "00192", "+39 6 3973 3434"),
      /phone .* format/,
    ],
    ["USA without a state", row("USA", "Chicago", null, "60611", "+1 312 332 3232"), /state null/],
    [
      "Chicago in New York state",
      row("USA", "Chicago", "NY", "60611", "+1 312 332 3232"),
      /not Chicago's/,
    ],
    [
      "France with a state",
      row("France", "Paris", "IDF", "75009", "+33 1 49 70 65 65"),
      /state "IDF"/,
    ],
    [
      "UK inward code with a C",
      row("United Kingdom", "London", null, "N1 5CH", "+44 20 7707 0707"),
      /postcode/,
    ],
    ["Canadian D", row("Canada", "Toronto", "ON", "M5D 1A1", "+1 416 363 8888"), /postcode/],
    ["Dutch SS", row("Netherlands", "Amsterdam", null, "1016 SS", "+31 20 622 3130"), /postcode/],
    ["NANP exchange 1xx", row("USA", "Chicago", "IL", "60611", "+1 312 132 3232"), /phone/],
    [
      "unknown city",
      row("USA", "Springfield", "IL", "62701", "+1 217 555 0100"),
      /not a known city/,
    ],
    ["unknown country", row("Atlantis", "Poseidonia", null, "1", "+0 1"), /no known format/],
    ["no phone", { ...row("Spain", "Madrid", null, "28015", ""), phone: null }, /phone null/],
    ["fax of another city", {
      ...row("Spain", "Madrid", null, "28015", "+34 914 45 44 54"),
      fax: "+34 932 12 34 56",
    }, /fax .* Madrid/],
    // The public sample's own rows fail too: tests of simulated rows must skip the originals.
    [
      "Chinook's Stuttgart",
      row("Germany", "Stuttgart", null, "70174", "+49 0711 2842222"),
      /phone/,
    ],
    [
      "Chinook's Budapest",
      row("Hungary", "Budapest", null, "H-1073", "+36 1 234 5678"),
      /postcode/,
    ],
    [
      "Chinook's Boston",
      row("USA", "Boston", "MA", "2113", "+1 (617) 522-1333"),
      /postcode.*phone|phone/s,
    ],
  ];
  for (const [name, columns, expected] of cases) {
    await t.step(name, () => {
      const problems = placeProblems(columns);
      assert.ok(problems.length > 0, "caught");
      assert.match(problems.join("; "), expected);
    });
  }
});
