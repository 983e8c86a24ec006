/**
 * What a valid customer address and phone look like, per country: the postcode format, the phone
 * display (international, "+CC" then the national number without a trunk 0, grouped as in the
 * ITU/libphonenumber international format), the states the country uses, and whether the city
 * agrees with its postcode and area code. Written from each country's postal and numbering rules,
 * independently of the patterns generate.ts fills, so the one checks the other; also used by the
 * integration and realism tests on database rows.
 */
import { COUNTRY_BY_NAME } from "./places.ts";
import type { CityData, CountryData } from "./types.ts";

export interface CountryFormat {
  postcode: RegExp;
  phone: RegExp;
  /** The State values allowed; null when addresses of the country carry no state. */
  states: ReadonlySet<string> | null;
}

const set = (values: string) => new Set(values.split(" "));

const NANP_PHONE = /^\+1 [2-9]\d{2} [2-9]\d{2} \d{4}$/;

export const FORMATS: Readonly<Record<string, CountryFormat>> = {
  "USA": {
    postcode: /^\d{5}$/,
    phone: NANP_PHONE,
    states: set(
      "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY",
    ),
  },
  "Canada": {
    // No D, F, I, O, Q, U anywhere; no W or Z as the first letter.
    postcode: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$/,
    phone: NANP_PHONE,
    states: set("AB BC MB NB NL NS NT NU ON PE QC SK YT"),
  },
  "Brazil": {
    postcode: /^\d{5}-\d{3}$/,
    // Two-digit DDD area code (no 0), eight-digit landline starting 2–5.
    phone: /^\+55 [1-9][1-9] [2-5]\d{3} \d{4}$/,
    states: set("AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO"),
  },
  "France": {
    postcode: /^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$/,
    phone: /^\+33 [1-5](?: \d{2}){4}$/,
    states: null,
  },
  "Germany": {
    postcode: /^(?:0[1-9]|[1-9]\d)\d{3}$/,
    // Area code 2–5 digits without the trunk 0, then the subscriber number; 10–11 digits in all.
    phone: /^\+49 (?=[\d ]{11,12}$)[2-9]\d{1,4} [1-9]\d{4,8}$/,
    states: null,
  },
  "United Kingdom": {
    postcode:
      /^(?:[A-PR-UWYZ]\d{1,2}|[A-PR-UWYZ][A-HK-Y]\d{1,2}|[A-PR-UWYZ]\d[A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y]\d[ABEHMNPRVWXY]) \d[ABD-HJLNP-UW-Z]{2}$/,
    phone: /^\+44 (?:2\d \d{4} \d{4}|1\d{2} \d{3} \d{4})$/,
    states: null,
  },
  "Portugal": {
    postcode: /^[1-9]\d{3}-\d{3}$/,
    phone: /^\+351 (?:2\d \d{3} \d{4}|2\d{2} \d{3} \d{3})$/,
    states: null,
  },
  "Czech Republic": {
    postcode: /^[1-7]\d{2} \d{2}$/,
    phone: /^\+420 [2-5]\d{2} \d{3} \d{3}$/,
    states: null,
  },
  "India": {
    postcode: /^[1-8]\d{5}$/,
    phone: /^\+91 (?:[1-9]\d \d{4} \d{4}|[1-9]\d{2} \d{3} \d{4})$/,
    states: set(
      "AN AP AR AS BR CH CT DD DL DN GA GJ HP HR JH JK KA KL LA LD MH ML MN MP MZ NL OR PB PY RJ SK TG TN TR UP UT WB",
    ),
  },
  "Chile": {
    postcode: /^\d{7}$/,
    phone: /^\+56 (?:2 2\d{3} \d{4}|[3-7]\d \d{3} \d{4})$/,
    states: null,
  },
  "Ireland": {
    // Eircode: routing key (letter + 2 digits, or D6W), then 4 of digits and 15 letters.
    postcode: /^(?:[ACDEFHKNPRTVWXY]\d{2}|D6W) [0-9ACDEFHKNPRTVWXY]{4}$/,
    phone: /^\+353 (?:1 \d{3} \d{4}|[2-9]\d \d{3} \d{3,4})$/,
    states: set(
      "Carlow Cavan Clare Cork Donegal Dublin Galway Kerry Kildare Kilkenny Laois Leitrim Limerick Longford Louth Mayo Meath Monaghan Offaly Roscommon Sligo Tipperary Waterford Westmeath Wexford Wicklow",
    ),
  },
  "Hungary": {
    postcode: /^[1-9]\d{3}$/,
    phone: /^\+36 (?:1 \d{3} \d{4}|[2-9]\d \d{3} \d{3})$/,
    states: null,
  },
  "Finland": {
    postcode: /^\d{5}$/,
    phone: /^\+358 [1-9]\d? [1-9]\d{4,7}$/,
    states: null,
  },
  "Netherlands": {
    postcode: /^[1-9]\d{3} (?!SA|SD|SS)[A-Z]{2}$/,
    phone: /^\+31 (?=[\d ]{11}$)[1-9]\d{1,2} \d{3} \d{3,4}$/,
    states: null,
  },
  "Norway": {
    postcode: /^\d{4}$/,
    phone: /^\+47 [2-7]\d(?: \d{2}){3}$/,
    states: null,
  },
  "Sweden": {
    postcode: /^[1-9]\d{2} \d{2}$/,
    phone: /^\+46 [1-9]\d{0,2} \d{2,3} \d{2} \d{2}$/,
    states: null,
  },
  "Spain": {
    postcode: /^(?:0[1-9]|[1-4]\d|5[0-2])\d{3}$/,
    phone: /^\+34 [89]\d{2} \d{2} \d{2} \d{2}$/,
    states: null,
  },
  "Poland": {
    postcode: /^\d{2}-\d{3}$/,
    phone: /^\+48 [1-9]\d \d{3} \d{2} \d{2}$/,
    states: null,
  },
  "Italy": {
    postcode: /^\d{5}$/,
    // Fixed-line numbers begin with 0 after +39: that 0 is part of the number, not a trunk prefix.
    phone: /^\+39 0\d{1,3} \d{3,4} \d{4}$/,
    states: set(
      "AG AL AN AO AP AQ AR AT AV BA BG BI BL BN BO BR BS BT BZ CA CB CE CH CL CN CO CR CS CT CZ EN FC FE FG FI FM FR GE GO GR IM IS KR LC LE LI LO LT LU MB MC ME MI MN MO MS MT NA NO NU OR PA PC PD PE PG PI PN PO PR PT PU PV PZ RA RC RE RG RI RM RN RO SA SI SO SP SR SS SU SV TA TE TN TO TP TR TS TV UD VA VB VC VE VI VR VT VV",
    ),
  },
  "Denmark": {
    postcode: /^[1-9]\d{3}$/,
    phone: /^\+45 [2-9]\d(?: \d{2}){3}$/,
    states: null,
  },
  "Belgium": {
    postcode: /^[1-9]\d{3}$/,
    phone: /^\+32 (?:[2349] \d{3} \d{2} \d{2}|[1-9]\d \d{2} \d{2} \d{2})$/,
    states: null,
  },
  "Austria": {
    postcode: /^[1-9]\d{3}$/,
    phone: /^\+43 [1-9]\d{0,3} [1-9]\d{3,10}$/,
    states: null,
  },
  "Australia": {
    postcode: /^\d{4}$/,
    phone: /^\+61 [2378] \d{4} \d{4}$/,
    states: set("ACT NSW NT QLD SA TAS VIC WA"),
  },
  "Argentina": {
    // CPA: province letter (no I, O), 4-digit locality, 3 block letters.
    postcode: /^[A-HJ-NP-Z]\d{4}[A-Z]{3}$/,
    phone: /^\+54 (?:11 \d{4} \d{4}|[2-9]\d{2} \d{3} \d{4})$/,
    states: null,
  },
};

/** The columns of a customer (or employee) row that depend on where the person lives. */
export interface PlaceColumns {
  city: string | null;
  state: string | null;
  country: string | null;
  postalCode: string | null;
  phone: string | null;
  fax?: string | null;
}

/** A range entry of a city's postcodes ("75001-75020", "C1000-C1439"), or null for a prefix. */
export function postcodeRange(
  entry: string,
): { lead: string; low: number; high: number; width: number } | null {
  const range = /^([A-Z]*)(\d+)-\1(\d+)$/.exec(entry);
  if (range === null) return null;
  const [, lead, low, high] = range as unknown as [string, string, string, string];
  return { lead, low: Number(low), high: Number(high), width: low.length };
}

/** Whether the postcode is one of the city's (a prefix, or within a range of prefixes). */
export function postcodeInCity(postalCode: string, city: CityData): boolean {
  return city.postcodes.some((entry) => {
    const range = postcodeRange(entry);
    if (range === null) return postalCode.startsWith(entry);
    if (!postalCode.startsWith(range.lead)) return false;
    const digits = postalCode.slice(range.lead.length, range.lead.length + range.width);
    return /^\d+$/.test(digits) && Number(digits) >= range.low && Number(digits) <= range.high;
  });
}

/** The literal leading digits of each of the city's phone patterns: its area or leading code. */
export function cityPhonePrefixes(city: CityData): string[] {
  return city.phones.map((pattern) => /^[\d ]*/.exec(pattern)![0].replace(/ /g, ""));
}

/** Whether the number ("+CC national…") is a landline of the city. */
export function phoneInCity(phone: string, country: CountryData, city: CityData): boolean {
  const head = `+${country.callingCode} `;
  if (!phone.startsWith(head)) return false;
  const national = phone.slice(head.length).replace(/ /g, "");
  return cityPhonePrefixes(city).some((prefix) => national.startsWith(prefix));
}

/**
 * Everything wrong with a row's place columns, as short sentences (empty when valid): unknown
 * country or city, a postcode or phone not in the country's format, a state the country does
 * not use, or a postcode / area code / state that belongs to another city.
 */
export function placeProblems(row: PlaceColumns): string[] {
  const problems: string[] = [];
  const format = row.country === null ? undefined : FORMATS[row.country];
  const country = row.country === null ? undefined : COUNTRY_BY_NAME.get(row.country);
  if (format === undefined || country === undefined) {
    return [`country ${JSON.stringify(row.country)} has no known format`];
  }
  const postalCode = row.postalCode ?? "";
  const phone = row.phone ?? "";
  if (!format.postcode.test(postalCode)) {
    problems.push(`postcode ${JSON.stringify(row.postalCode)} is not in ${row.country}'s format`);
  }
  if (!format.phone.test(phone)) {
    problems.push(`phone ${JSON.stringify(row.phone)} is not in ${row.country}'s format`);
  }
  if (row.fax != null && !format.phone.test(row.fax)) {
    problems.push(`fax ${JSON.stringify(row.fax)} is not in ${row.country}'s format`);
  }
  if (format.states === null ? row.state !== null : !format.states.has(row.state ?? "")) {
    problems.push(`state ${JSON.stringify(row.state)} is not one ${row.country} uses`);
  }
  const city = country.cities.find((c) => c.name === row.city);
  if (city === undefined) {
    problems.push(`city ${JSON.stringify(row.city)} is not a known city of ${row.country}`);
    return problems;
  }
  if (!postcodeInCity(postalCode, city)) {
    problems.push(`postcode ${JSON.stringify(row.postalCode)} is not one of ${city.name}'s`);
  }
  if (!phoneInCity(phone, country, city)) {
    problems.push(`phone ${JSON.stringify(row.phone)} has no area code of ${city.name}`);
  }
  if (row.fax != null && !phoneInCity(row.fax, country, city)) {
    problems.push(`fax ${JSON.stringify(row.fax)} has no area code of ${city.name}`);
  }
  if (row.state !== city.state) {
    problems.push(`state ${JSON.stringify(row.state)} is not ${city.name}'s`);
  }
  return problems;
}
