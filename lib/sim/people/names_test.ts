/** The vendored name lists and their draws are the library's own (see names_vendor.ts). */
import assert from "node:assert/strict";
import { Rng } from "../rng.ts";
import { nameGenerators } from "./faker_locales.ts";
import { loadNames, type Sex } from "./names.ts";
import { vendoredNames } from "./names_vendor.ts";
import committed from "./names.json" with { type: "json" };
import type { NameLocale } from "./types.ts";

Deno.test("names.json: the pinned library's lists (deno task vendor-names)", () => {
  assert.deepEqual(committed, vendoredNames());
});

Deno.test("names: every draw as the library's, and the Rng left where it leaves it", async () => {
  const ours = await loadNames();
  const library = nameGenerators();
  const sexes: Array<Sex | undefined> = [undefined, "female", "male"];
  for (const locale of Object.keys(library.locales) as NameLocale[]) {
    for (let i = 0; i < 3000; i++) {
      const sex = sexes[i % 3];
      const draws: Array<[string, (g: typeof ours.locales.de) => string]> = [
        ["firstName", (g) => g.person.firstName(sex)],
        ["lastName", (g) => g.person.lastName(sex)],
        ["generic", (g) => g.helpers.fake("{{person.last_name.generic}}")],
      ];
      for (const [what, draw] of draws) {
        const a = new Rng(`${locale}/${i}/${what}`);
        const b = new Rng(`${locale}/${i}/${what}`);
        ours.drawFrom(a);
        library.drawFrom(b);
        const label = `${locale} ${what} ${sex ?? "any"} #${i}`;
        assert.equal(draw(ours.locales[locale]), draw(library.locales[locale]), label);
        assert.equal(a.nextUint32(), b.nextUint32(), `${label}: draws taken`);
      }
    }
  }
});
