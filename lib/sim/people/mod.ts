/**
 * Valid people for every country Chinook sells to. Load the names once (`await loadNames()`),
 * then make people and moves synchronously and purely from a seeded Rng.
 */
export { loadNames, type NameGenerator, type Names, type Sex } from "./names.ts";
export {
  asciiFold,
  countryData,
  countryWeights,
  emailFor,
  phoneFor,
  pickCity,
  pickCountry,
  postcodeFor,
  randomPerson,
  randomPlace,
  relocation,
  streetAddress,
} from "./generate.ts";
export {
  type CountryFormat,
  FORMATS,
  phoneInCity,
  type PlaceColumns,
  placeProblems,
  postcodeInCity,
} from "./formats.ts";
export { COUNTRIES, COUNTRY_BY_NAME, PEOPLE_RATES } from "./places.ts";
export type { CityData, CountryData, NameLocale, Person, Relocation } from "./types.ts";
