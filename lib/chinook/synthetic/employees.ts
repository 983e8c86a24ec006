/** The store's staff: the sample's hierarchy with invented people in Alberta. Pure. */
import {
  address,
  asciiFold,
  fillPattern,
  FIRST_NAMES,
  LAST_NAMES,
  phoneNumber,
} from "../../sim/people.ts";
import { Rng } from "../../sim/rng.ts";
import { dayInYear, shuffled } from "./draw.ts";
import { OFFICE_PLACES, STAFF } from "./reference.ts";

export interface Employee {
  id: number;
  lastName: string;
  firstName: string;
  title: string;
  reportsTo: number | null;
  birthDate: string;
  hireDate: string;
  address: string;
  city: string;
  state: string;
  country: string;
  postalCode: string;
  phone: string;
  fax: string;
  email: string;
}

export function makeEmployees(base: string, historyStart: string): Employee[] {
  const rng = new Rng(`${base}/employees`);
  const firstNames = shuffled(rng, FIRST_NAMES.filter((n) => n.length <= 20));
  const startYear = Number(historyStart.slice(0, 4));
  return STAFF.map(({ title, reportsTo }, i) => {
    const id = i + 1;
    const firstName = firstNames[i]!;
    const lastName = rng.pick(LAST_NAMES);
    const place = i < 6 ? OFFICE_PLACES[i === 0 ? 1 : 0]! : OFFICE_PLACES[2]!;
    // Hired before the history begins, managers first.
    const hireYear = startYear - (i < 2 ? 8 : i < 6 ? rng.int(6, 7) : 6);
    const hireDate = dayInYear(rng, hireYear);
    const birthDate = dayInYear(rng, hireYear - rng.int(i < 2 ? 40 : 25, i < 2 ? 50 : 55));
    const phone = phoneNumber(rng, place);
    return {
      id,
      lastName,
      firstName,
      title,
      reportsTo,
      birthDate: `${birthDate} 00:00:00`,
      hireDate: `${hireDate} 00:00:00`,
      address: address(rng, place),
      city: place.city,
      state: place.state ?? "AB",
      country: place.country,
      postalCode: fillPattern(rng, place.postal),
      phone,
      fax: phoneNumber(rng, place),
      email: `${asciiFold(firstName)}@chinookcorp.com`,
    };
  });
}
