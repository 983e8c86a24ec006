/**
 * Plausible people and places for new customers and address changes
 * (also used by the synthetic catalogue). Pure data and pure functions.
 */
import type { Rng } from "./rng.ts";

export interface Place {
  city: string;
  state: string | null;
  country: string;
  /** Postal code pattern: 9 = digit, A = letter, anything else literal. */
  postal: string;
  /** Phone prefix, e.g. "+33". */
  phone: string;
  streets: string[];
}

export const PLACES: Place[] = [
  {
    city: "New York",
    state: "NY",
    country: "USA",
    postal: "99999",
    phone: "+1 (212)",
    streets: ["Broadway", "5th Avenue", "Lexington Ave"],
  },
  {
    city: "Chicago",
    state: "IL",
    country: "USA",
    postal: "99999",
    phone: "+1 (312)",
    streets: ["Michigan Ave", "State St", "Wacker Dr"],
  },
  {
    city: "Austin",
    state: "TX",
    country: "USA",
    postal: "99999",
    phone: "+1 (512)",
    streets: ["Congress Ave", "Guadalupe St", "Lamar Blvd"],
  },
  {
    city: "Seattle",
    state: "WA",
    country: "USA",
    postal: "99999",
    phone: "+1 (206)",
    streets: ["Pine St", "1st Ave", "Denny Way"],
  },
  {
    city: "Toronto",
    state: "ON",
    country: "Canada",
    postal: "A9A 9A9",
    phone: "+1 (416)",
    streets: ["Yonge St", "Queen St W", "Bloor St"],
  },
  {
    city: "Vancouver",
    state: "BC",
    country: "Canada",
    postal: "A9A 9A9",
    phone: "+1 (604)",
    streets: ["Granville St", "Robson St", "Main St"],
  },
  {
    city: "São Paulo",
    state: "SP",
    country: "Brazil",
    postal: "99999-999",
    phone: "+55 (11)",
    streets: ["Av. Paulista", "Rua Augusta", "Rua Oscar Freire"],
  },
  {
    city: "Rio de Janeiro",
    state: "RJ",
    country: "Brazil",
    postal: "99999-999",
    phone: "+55 (21)",
    streets: ["Rua Barata Ribeiro", "Av. Atlântica", "Rua Voluntários da Pátria"],
  },
  {
    city: "Buenos Aires",
    state: null,
    country: "Argentina",
    postal: "9999",
    phone: "+54 (11)",
    streets: ["Av. Corrientes", "Calle Florida", "Av. Santa Fe"],
  },
  {
    city: "Santiago",
    state: null,
    country: "Chile",
    postal: "9999999",
    phone: "+56 (2)",
    streets: ["Av. Providencia", "Calle Lastarria", "Av. Apoquindo"],
  },
  {
    city: "London",
    state: null,
    country: "United Kingdom",
    postal: "AA9 9AA",
    phone: "+44 020",
    streets: ["Baker Street", "Old Kent Road", "King's Road"],
  },
  {
    city: "Edinburgh",
    state: null,
    country: "United Kingdom",
    postal: "AA9 9AA",
    phone: "+44 0131",
    streets: ["Royal Mile", "Princes Street", "Leith Walk"],
  },
  {
    city: "Dublin",
    state: "Dublin",
    country: "Ireland",
    postal: "A99",
    phone: "+353 01",
    streets: ["Grafton Street", "O'Connell Street", "Camden Street"],
  },
  {
    city: "Paris",
    state: null,
    country: "France",
    postal: "99999",
    phone: "+33 01",
    streets: ["Rue de Rivoli", "Boulevard Voltaire", "Rue Oberkampf"],
  },
  {
    city: "Lyon",
    state: null,
    country: "France",
    postal: "99999",
    phone: "+33 04",
    streets: ["Rue de la République", "Quai Saint-Antoine", "Cours Lafayette"],
  },
  {
    city: "Berlin",
    state: null,
    country: "Germany",
    postal: "99999",
    phone: "+49 030",
    streets: ["Torstraße", "Kastanienallee", "Oranienstraße"],
  },
  {
    city: "Munich",
    state: null,
    country: "Germany",
    postal: "99999",
    phone: "+49 089",
    streets: ["Leopoldstraße", "Maximilianstraße", "Sendlinger Straße"],
  },
  {
    city: "Amsterdam",
    state: "VV",
    country: "Netherlands",
    postal: "9999 AA",
    phone: "+31 020",
    streets: ["Prinsengracht", "Damrak", "Kalverstraat"],
  },
  {
    city: "Brussels",
    state: null,
    country: "Belgium",
    postal: "9999",
    phone: "+32 02",
    streets: ["Rue Neuve", "Avenue Louise", "Rue du Midi"],
  },
  {
    city: "Copenhagen",
    state: null,
    country: "Denmark",
    postal: "9999",
    phone: "+45 33",
    streets: ["Strøget", "Nørrebrogade", "Vesterbrogade"],
  },
  {
    city: "Oslo",
    state: null,
    country: "Norway",
    postal: "9999",
    phone: "+47 22",
    streets: ["Karl Johans gate", "Bogstadveien", "Grünerløkka"],
  },
  {
    city: "Stockholm",
    state: null,
    country: "Sweden",
    postal: "999 99",
    phone: "+46 08",
    streets: ["Drottninggatan", "Götgatan", "Sveavägen"],
  },
  {
    city: "Helsinki",
    state: null,
    country: "Finland",
    postal: "99999",
    phone: "+358 09",
    streets: ["Mannerheimintie", "Aleksanterinkatu", "Bulevardi"],
  },
  {
    city: "Madrid",
    state: null,
    country: "Spain",
    postal: "99999",
    phone: "+34 91",
    streets: ["Gran Vía", "Calle de Alcalá", "Calle Mayor"],
  },
  {
    city: "Lisbon",
    state: null,
    country: "Portugal",
    postal: "9999-999",
    phone: "+351 21",
    streets: ["Rua Augusta", "Avenida da Liberdade", "Rua do Carmo"],
  },
  {
    city: "Rome",
    state: "RM",
    country: "Italy",
    postal: "99999",
    phone: "+39 06",
    streets: ["Via del Corso", "Via Nazionale", "Via Appia Nuova"],
  },
  {
    city: "Milan",
    state: "MI",
    country: "Italy",
    postal: "99999",
    phone: "+39 02",
    streets: ["Via Montenapoleone", "Corso Buenos Aires", "Via Torino"],
  },
  {
    city: "Vienna",
    state: null,
    country: "Austria",
    postal: "9999",
    phone: "+43 01",
    streets: ["Mariahilfer Straße", "Kärntner Straße", "Ringstraße"],
  },
  {
    city: "Prague",
    state: null,
    country: "Czech Republic",
    postal: "99999",
    phone: "+420 2",
    streets: ["Václavské náměstí", "Národní", "Vinohradská"],
  },
  {
    city: "Warsaw",
    state: null,
    country: "Poland",
    postal: "99-999",
    phone: "+48 22",
    streets: ["Nowy Świat", "Marszałkowska", "Krakowskie Przedmieście"],
  },
  {
    city: "Budapest",
    state: null,
    country: "Hungary",
    postal: "9999",
    phone: "+36 01",
    streets: ["Andrássy út", "Váci utca", "Király utca"],
  },
  {
    city: "Sydney",
    state: "NSW",
    country: "Australia",
    postal: "9999",
    phone: "+61 (02)",
    streets: ["George St", "Pitt St", "Oxford St"],
  },
  {
    city: "Melbourne",
    state: "VIC",
    country: "Australia",
    postal: "9999",
    phone: "+61 (03)",
    streets: ["Collins St", "Flinders Lane", "Brunswick St"],
  },
  {
    city: "Delhi",
    state: null,
    country: "India",
    postal: "999999",
    phone: "+91 011",
    streets: ["Connaught Place", "Chandni Chowk", "Hauz Khas"],
  },
  {
    city: "Bangalore",
    state: null,
    country: "India",
    postal: "999999",
    phone: "+91 080",
    streets: ["MG Road", "Brigade Road", "Indiranagar 100 Ft Rd"],
  },
  {
    city: "Tokyo",
    state: null,
    country: "Japan",
    postal: "999-9999",
    phone: "+81 03",
    streets: ["Omotesando", "Ginza Chuo-dori", "Takeshita-dori"],
  },
  {
    city: "Mexico City",
    state: "CDMX",
    country: "Mexico",
    postal: "99999",
    phone: "+52 55",
    streets: ["Paseo de la Reforma", "Av. Insurgentes", "Calle Madero"],
  },
  {
    city: "Cape Town",
    state: null,
    country: "South Africa",
    postal: "9999",
    phone: "+27 21",
    streets: ["Long Street", "Bree Street", "Kloof Street"],
  },
];

export const FIRST_NAMES = [
  "Ana",
  "Aiko",
  "Amara",
  "Anders",
  "Ben",
  "Camille",
  "Carlos",
  "Chloé",
  "Daniel",
  "Diego",
  "Elena",
  "Emma",
  "Erik",
  "Fatima",
  "Felix",
  "Freya",
  "Gabriel",
  "Hana",
  "Hugo",
  "Ines",
  "Isabel",
  "Jakub",
  "James",
  "Julia",
  "Kai",
  "Lars",
  "Laura",
  "Leo",
  "Lucía",
  "Maya",
  "Marco",
  "Marta",
  "Mateo",
  "Mei",
  "Nadia",
  "Noah",
  "Olivia",
  "Omar",
  "Paulo",
  "Priya",
  "Rafael",
  "Rosa",
  "Sam",
  "Sara",
  "Sofia",
  "Tomás",
  "Valentina",
  "Yusuf",
  "Zoe",
  "Zofia",
];

export const LAST_NAMES = [
  "Almeida",
  "Andersen",
  "Bauer",
  "Becker",
  "Costa",
  "Dubois",
  "Eriksson",
  "Fernández",
  "Fischer",
  "García",
  "Hansen",
  "Ito",
  "Jensen",
  "Kowalski",
  "Lambert",
  "Larsen",
  "Lopez",
  "Martin",
  "Meyer",
  "Moreau",
  "Müller",
  "Nakamura",
  "Nielsen",
  "Novak",
  "O'Brien",
  "Olsen",
  "Patel",
  "Pereira",
  "Rossi",
  "Santos",
  "Schmidt",
  "Silva",
  "Singh",
  "Smith",
  "Sousa",
  "Tanaka",
  "Taylor",
  "Varga",
  "Wagner",
  "Walker",
  "Weber",
  "Wilson",
  "Zhang",
];

const EMAIL_DOMAINS = [
  "gmail.com",
  "yahoo.com",
  "hotmail.com",
  "outlook.com",
  "mail.com",
  "proton.me",
];

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

/** Fills a postal-code pattern: 9 a digit, A a letter. */
export function fillPattern(rng: Rng, pattern: string): string {
  let out = "";
  for (const ch of pattern) {
    if (ch === "9") out += String(rng.int(0, 9));
    else if (ch === "A") out += String.fromCharCode(65 + rng.int(0, 25));
    else out += ch;
  }
  return out;
}

/** ASCII letters and digits only, lower case (for emails). */
export function asciiFold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^A-Za-z0-9]/g, "")
    .toLowerCase();
}

export function address(rng: Rng, place: Place): string {
  return `${rng.int(1, 999)} ${rng.pick(place.streets)}`;
}

export function phoneNumber(rng: Rng, place: Place): string {
  return `${place.phone} ${rng.int(100, 999)}-${rng.int(1000, 9999)}`;
}

/** An email unique by construction: the customer id is part of it. */
export function emailFor(rng: Rng, firstName: string, lastName: string, uniqueTag: number): string {
  const local = `${asciiFold(firstName)}.${asciiFold(lastName)}${uniqueTag}`;
  return `${local}@${rng.pick(EMAIL_DOMAINS)}`.slice(0, 60);
}

export function randomPerson(rng: Rng, uniqueTag: number): Person {
  const place = rng.pick(PLACES);
  const firstName = rng.pick(FIRST_NAMES);
  const lastName = rng.pick(LAST_NAMES);
  return {
    firstName,
    lastName,
    company: rng.bernoulli(0.15)
      ? `${rng.pick(LAST_NAMES)} ${
        rng.pick(["Records", "Media", "Studios", "GmbH", "Ltd", "S.A."])
      }`
      : null,
    address: address(rng, place),
    city: place.city,
    state: place.state,
    country: place.country,
    postalCode: fillPattern(rng, place.postal),
    phone: phoneNumber(rng, place),
    fax: null,
    email: emailFor(rng, firstName, lastName, uniqueTag),
  };
}

/** A move: a new street address, possibly in another city or country. */
export function relocation(
  rng: Rng,
): Pick<Person, "address" | "city" | "state" | "country" | "postalCode"> {
  const place = rng.pick(PLACES);
  return {
    address: address(rng, place),
    city: place.city,
    state: place.state,
    country: place.country,
    postalCode: fillPattern(rng, place.postal),
  };
}
