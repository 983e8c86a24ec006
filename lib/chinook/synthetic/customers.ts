/** The store's first customers: every place at least once, then the big markets. Pure. */
import {
  address,
  fillPattern,
  type Person,
  phoneNumber,
  PLACES,
  randomPerson,
} from "../../sim/people.ts";
import { Rng } from "../../sim/rng.ts";
import { shuffled } from "./draw.ts";
import { BIG_MARKETS, CUSTOMER_COUNT, SUPPORT_AGENT_IDS } from "./reference.ts";

export interface Customer extends Person {
  id: number;
  supportRepId: number;
}

export function makeCustomers(base: string): Customer[] {
  const rng = new Rng(`${base}/customers`);
  // Every place once (so at least as many countries as PLACES has), then the big markets again.
  const places = shuffled(rng, PLACES).slice(0, CUSTOMER_COUNT);
  const big = PLACES.filter((p) => BIG_MARKETS.includes(p.country));
  while (places.length < CUSTOMER_COUNT) {
    places.push(rng.bernoulli(0.75) ? rng.pick(big) : rng.pick(PLACES));
  }
  const order = shuffled(rng, places);
  const names = new Set<string>();
  return order.map((place, i) => {
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
    const phone = phoneNumber(rng, place);
    return {
      id,
      firstName: person.firstName,
      lastName: person.lastName.slice(0, 20),
      company: person.company,
      address: address(rng, place),
      city: place.city,
      state: place.state,
      country: place.country,
      postalCode: fillPattern(rng, place.postal).slice(0, 10),
      phone,
      fax: person.company !== null && rng.bernoulli(0.6) ? phoneNumber(rng, place) : null,
      email: person.email,
      supportRepId: rng.pick(SUPPORT_AGENT_IDS),
    };
  });
}
