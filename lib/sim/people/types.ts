/** Shapes of the people data: countries, their cities, and the person rows made from them. */

/** Locales whose first and last names come from the name library (see names.ts). */
export type NameLocale =
  | "en_US"
  | "en_AU"
  | "en_IN"
  | "fr"
  | "fr_CA"
  | "pt_BR"
  | "pt_PT"
  | "de"
  | "de_AT"
  | "cs_CZ"
  | "es"
  | "hu"
  | "fi"
  | "nl"
  | "nl_BE"
  | "nb_NO"
  | "sv"
  | "pl"
  | "it"
  | "da";

export interface CityData {
  /** As written in a Chinook `City` column (English exonyms for the best-known cities). */
  name: string;
  /** `State` column: the code or name a local address uses, or null where addresses carry none. */
  state: string | null;
  /** Relative share of the country's customers (about the metro population in millions). */
  weight: number;
  /**
   * The city's postcodes: each entry is a prefix ("606", "SW1V", "D02") or an inclusive range of
   * prefixes of one length ("75001-75020", "C1000-C1439"); the country's pattern fills the rest.
   */
  postcodes: readonly string[];
  /**
   * Landline numbers after the country code, as displayed: `#` any digit, `N` a digit 2–9,
   * `[2-7]` a digit in that range, other digits literal; spaces are the display groups. The literal digits before the first
   * placeholder are the area (or leading) code that belongs to the city.
   */
  phones: readonly string[];
  /** Street names when the city's differ from the country's list (another language). */
  streets?: readonly string[];
  /** Name locale when the city's differs from the country's (Québec, Flanders). */
  names?: NameLocale;
}

export interface CountryData {
  /** As Chinook spells it ("USA", "United Kingdom", "Czech Republic"). */
  country: string;
  /** ISO 3166-1 alpha-2. */
  iso: string;
  /** Relative share of new customers. */
  weight: number;
  /** Without "+". */
  callingCode: string;
  postcode: {
    /** `9` a digit, `A` a letter from `letters`, `X` a digit or such a letter, `*` the city prefix. */
    pattern: string;
    letters?: string;
    /** Codes matching this are never issued (e.g. Dutch "SA", "SD", "SS" suffixes). */
    reject?: RegExp;
  };
  /** How a street line is written: `{n}` house number, `{street}` street name. */
  addressFormat: string;
  houseNumbers: readonly [min: number, max: number];
  streets: readonly string[];
  names: NameLocale;
  /** Own surname list where the library's is unfit for the country. */
  surnames?: readonly string[];
  /** One surname per person where the locale's pattern gives two (Spanish patterns abroad). */
  singleSurname?: boolean;
  emailDomains: readonly string[];
  companySuffixes: readonly string[];
  cities: readonly CityData[];
}

export interface Person {
  firstName: string;
  lastName: string;
  company: string | null;
  address: string;
  city: string;
  state: string | null;
  country: string;
  postalCode: string;
  phone: string;
  fax: string | null;
  email: string;
}

/** A new home: every column that depends on where a customer lives (the landline included). */
export type Relocation = Pick<
  Person,
  "address" | "city" | "state" | "country" | "postalCode" | "phone"
>;
