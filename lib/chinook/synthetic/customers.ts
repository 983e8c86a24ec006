/** The store's first customers: every place at least once, then the big markets. Pure. */
import { type Person, randomPerson } from "../../sim/people.ts";
import { COUNTRIES, randomPlace } from "../../sim/people/mod.ts";
import { Rng } from "../../sim/rng.ts";
import { shuffled } from "./draw.ts";
import { BIG_MARKETS, CUSTOMER_COUNT, SUPPORT_AGENT_IDS } from "./reference.ts";

export interface Customer extends Person {
  id: number;
  supportRepId: number;
}

export function makeCustomers(base: string): Customer[] {
  const rng = new Rng(`${base}/customers`);
  // Every country of the people data once (24, as Chinook's customers), then the big markets.
  const countries = shuffled(rng, COUNTRIES.map((c) => c.country)).slice(0, CUSTOMER_COUNT);
  const big = COUNTRIES.map((c) => c.country).filter((c) => BIG_MARKETS.includes(c));
  while (countries.length < CUSTOMER_COUNT) {
    countries.push(rng.bernoulli(0.75) ? rng.pick(big) : rng.pick(COUNTRIES).country);
  }
  const order = shuffled(rng, countries);
  const names = new Set<string>();
  return order.map((country, i) => {
    const id = i + 1;
    let person = randomPerson(rng, id);
    for (
      let tries = 0;
      names.has(`${person.firstName} ${person.lastName}`) && tries < 10;
      tries++
    ) {
      person = randomPerson(rng, id);
    }
    names.add(`${person.firstName} ${person.lastName}`);
    // The home from the per-country people data: a postcode, phone and state valid there.
    const home = randomPlace(rng, country);
    return {
      id,
      firstName: person.firstName,
      lastName: person.lastName.slice(0, 20),
      company: person.company,
      ...home,
      fax: person.company !== null && rng.bernoulli(0.6)
        ? randomPlace(rng, home.country, home.city).phone
        : null,
      email: person.email,
      supportRepId: rng.pick(SUPPORT_AGENT_IDS),
    };
  });
}
