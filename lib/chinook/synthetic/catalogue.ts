/**
 * A synthetic, Chinook-compatible catalogue for offline runs: the text of a
 * pg_dump file with the very DDL of the public Chinook sample and invented,
 * seeded data (artists, albums, tracks, customers, employees and a few years
 * of invoice history). Pure: no I/O, no Math.random(); the same options give
 * the same text.
 */
import { addDays, dayToEpochDays, epochDaysToDay, parseDay } from "../../sim/calendar.ts";
import { formatCents } from "../../sim/money.ts";
import {
  address,
  asciiFold,
  fillPattern,
  FIRST_NAMES,
  LAST_NAMES,
  type Person,
  phoneNumber,
  type Place,
  PLACES,
  randomPerson,
} from "../../sim/people.ts";
import { AliasTable, Rng } from "../../sim/rng.ts";

export interface SyntheticOptions {
  seed: string;
  /** Years of invoice history, 2 … 5 (default 3). */
  historyYears?: number;
  /** The day of the newest historical invoice, "YYYY-MM-DD" (default 2013-12-22, as the sample). */
  lastHistoryDay?: string;
}

export const DEFAULT_HISTORY_YEARS = 3;
export const DEFAULT_LAST_HISTORY_DAY = "2013-12-22";

/** The first day of the generated history: `years` years (of 365.25 days) back, inclusive. */
export function syntheticHistoryStart(lastHistoryDay: string, years: number): string {
  return addDays(lastHistoryDay, -(Math.round(years * 365.25) - 1));
}

// ---------------------------------------------------------------------------
// DDL, verbatim from the public Chinook pg_dump (PostgreSQL 15), so the same
// loader and the same queries work on either.

const DDL_TABLES = `--
-- Name: Album; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."Album" (
    "AlbumId" integer NOT NULL,
    "Title" character varying(160) NOT NULL,
    "ArtistId" integer NOT NULL
);


--
-- Name: Artist; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."Artist" (
    "ArtistId" integer NOT NULL,
    "Name" character varying(120)
);


--
-- Name: Customer; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."Customer" (
    "CustomerId" integer NOT NULL,
    "FirstName" character varying(40) NOT NULL,
    "LastName" character varying(20) NOT NULL,
    "Company" character varying(80),
    "Address" character varying(70),
    "City" character varying(40),
    "State" character varying(40),
    "Country" character varying(40),
    "PostalCode" character varying(10),
    "Phone" character varying(24),
    "Fax" character varying(24),
    "Email" character varying(60) NOT NULL,
    "SupportRepId" integer
);


--
-- Name: Employee; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."Employee" (
    "EmployeeId" integer NOT NULL,
    "LastName" character varying(20) NOT NULL,
    "FirstName" character varying(20) NOT NULL,
    "Title" character varying(30),
    "ReportsTo" integer,
    "BirthDate" timestamp without time zone,
    "HireDate" timestamp without time zone,
    "Address" character varying(70),
    "City" character varying(40),
    "State" character varying(40),
    "Country" character varying(40),
    "PostalCode" character varying(10),
    "Phone" character varying(24),
    "Fax" character varying(24),
    "Email" character varying(60)
);


--
-- Name: Genre; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."Genre" (
    "GenreId" integer NOT NULL,
    "Name" character varying(120)
);


--
-- Name: Invoice; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."Invoice" (
    "InvoiceId" integer NOT NULL,
    "CustomerId" integer NOT NULL,
    "InvoiceDate" timestamp without time zone NOT NULL,
    "BillingAddress" character varying(70),
    "BillingCity" character varying(40),
    "BillingState" character varying(40),
    "BillingCountry" character varying(40),
    "BillingPostalCode" character varying(10),
    "Total" numeric(10,2) NOT NULL
);


--
-- Name: InvoiceLine; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."InvoiceLine" (
    "InvoiceLineId" integer NOT NULL,
    "InvoiceId" integer NOT NULL,
    "TrackId" integer NOT NULL,
    "UnitPrice" numeric(10,2) NOT NULL,
    "Quantity" integer NOT NULL
);


--
-- Name: MediaType; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."MediaType" (
    "MediaTypeId" integer NOT NULL,
    "Name" character varying(120)
);


--
-- Name: Playlist; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."Playlist" (
    "PlaylistId" integer NOT NULL,
    "Name" character varying(120)
);


--
-- Name: PlaylistTrack; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."PlaylistTrack" (
    "PlaylistId" integer NOT NULL,
    "TrackId" integer NOT NULL
);


--
-- Name: Track; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public."Track" (
    "TrackId" integer NOT NULL,
    "Name" character varying(200) NOT NULL,
    "AlbumId" integer,
    "MediaTypeId" integer NOT NULL,
    "GenreId" integer,
    "Composer" character varying(220),
    "Milliseconds" integer NOT NULL,
    "Bytes" integer,
    "UnitPrice" numeric(10,2) NOT NULL
);`;

const DDL_CONSTRAINTS = `--
-- Name: Album PK_Album; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Album"
    ADD CONSTRAINT "PK_Album" PRIMARY KEY ("AlbumId");


--
-- Name: Artist PK_Artist; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Artist"
    ADD CONSTRAINT "PK_Artist" PRIMARY KEY ("ArtistId");


--
-- Name: Customer PK_Customer; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Customer"
    ADD CONSTRAINT "PK_Customer" PRIMARY KEY ("CustomerId");


--
-- Name: Employee PK_Employee; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Employee"
    ADD CONSTRAINT "PK_Employee" PRIMARY KEY ("EmployeeId");


--
-- Name: Genre PK_Genre; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Genre"
    ADD CONSTRAINT "PK_Genre" PRIMARY KEY ("GenreId");


--
-- Name: Invoice PK_Invoice; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Invoice"
    ADD CONSTRAINT "PK_Invoice" PRIMARY KEY ("InvoiceId");


--
-- Name: InvoiceLine PK_InvoiceLine; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."InvoiceLine"
    ADD CONSTRAINT "PK_InvoiceLine" PRIMARY KEY ("InvoiceLineId");


--
-- Name: MediaType PK_MediaType; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."MediaType"
    ADD CONSTRAINT "PK_MediaType" PRIMARY KEY ("MediaTypeId");


--
-- Name: Playlist PK_Playlist; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Playlist"
    ADD CONSTRAINT "PK_Playlist" PRIMARY KEY ("PlaylistId");


--
-- Name: PlaylistTrack PK_PlaylistTrack; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."PlaylistTrack"
    ADD CONSTRAINT "PK_PlaylistTrack" PRIMARY KEY ("PlaylistId", "TrackId");


--
-- Name: Track PK_Track; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Track"
    ADD CONSTRAINT "PK_Track" PRIMARY KEY ("TrackId");


--
-- Name: IFK_AlbumArtistId; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX "IFK_AlbumArtistId" ON public."Album" USING btree ("ArtistId");


--
-- Name: IFK_CustomerSupportRepId; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX "IFK_CustomerSupportRepId" ON public."Customer" USING btree ("SupportRepId");


--
-- Name: IFK_EmployeeReportsTo; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX "IFK_EmployeeReportsTo" ON public."Employee" USING btree ("ReportsTo");


--
-- Name: IFK_InvoiceCustomerId; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX "IFK_InvoiceCustomerId" ON public."Invoice" USING btree ("CustomerId");


--
-- Name: IFK_InvoiceLineInvoiceId; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX "IFK_InvoiceLineInvoiceId" ON public."InvoiceLine" USING btree ("InvoiceId");


--
-- Name: IFK_InvoiceLineTrackId; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX "IFK_InvoiceLineTrackId" ON public."InvoiceLine" USING btree ("TrackId");


--
-- Name: IFK_PlaylistTrackTrackId; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX "IFK_PlaylistTrackTrackId" ON public."PlaylistTrack" USING btree ("TrackId");


--
-- Name: IFK_TrackAlbumId; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX "IFK_TrackAlbumId" ON public."Track" USING btree ("AlbumId");


--
-- Name: IFK_TrackGenreId; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX "IFK_TrackGenreId" ON public."Track" USING btree ("GenreId");


--
-- Name: IFK_TrackMediaTypeId; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX "IFK_TrackMediaTypeId" ON public."Track" USING btree ("MediaTypeId");


--
-- Name: Album FK_AlbumArtistId; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Album"
    ADD CONSTRAINT "FK_AlbumArtistId" FOREIGN KEY ("ArtistId") REFERENCES public."Artist"("ArtistId");


--
-- Name: Customer FK_CustomerSupportRepId; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Customer"
    ADD CONSTRAINT "FK_CustomerSupportRepId" FOREIGN KEY ("SupportRepId") REFERENCES public."Employee"("EmployeeId");


--
-- Name: Employee FK_EmployeeReportsTo; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Employee"
    ADD CONSTRAINT "FK_EmployeeReportsTo" FOREIGN KEY ("ReportsTo") REFERENCES public."Employee"("EmployeeId");


--
-- Name: Invoice FK_InvoiceCustomerId; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Invoice"
    ADD CONSTRAINT "FK_InvoiceCustomerId" FOREIGN KEY ("CustomerId") REFERENCES public."Customer"("CustomerId");


--
-- Name: InvoiceLine FK_InvoiceLineInvoiceId; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."InvoiceLine"
    ADD CONSTRAINT "FK_InvoiceLineInvoiceId" FOREIGN KEY ("InvoiceId") REFERENCES public."Invoice"("InvoiceId");


--
-- Name: InvoiceLine FK_InvoiceLineTrackId; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."InvoiceLine"
    ADD CONSTRAINT "FK_InvoiceLineTrackId" FOREIGN KEY ("TrackId") REFERENCES public."Track"("TrackId");


--
-- Name: PlaylistTrack FK_PlaylistTrackPlaylistId; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."PlaylistTrack"
    ADD CONSTRAINT "FK_PlaylistTrackPlaylistId" FOREIGN KEY ("PlaylistId") REFERENCES public."Playlist"("PlaylistId");


--
-- Name: PlaylistTrack FK_PlaylistTrackTrackId; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."PlaylistTrack"
    ADD CONSTRAINT "FK_PlaylistTrackTrackId" FOREIGN KEY ("TrackId") REFERENCES public."Track"("TrackId");


--
-- Name: Track FK_TrackAlbumId; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Track"
    ADD CONSTRAINT "FK_TrackAlbumId" FOREIGN KEY ("AlbumId") REFERENCES public."Album"("AlbumId");


--
-- Name: Track FK_TrackGenreId; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Track"
    ADD CONSTRAINT "FK_TrackGenreId" FOREIGN KEY ("GenreId") REFERENCES public."Genre"("GenreId");


--
-- Name: Track FK_TrackMediaTypeId; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public."Track"
    ADD CONSTRAINT "FK_TrackMediaTypeId" FOREIGN KEY ("MediaTypeId") REFERENCES public."MediaType"("MediaTypeId");`;

// ---------------------------------------------------------------------------
// Reference data.

const MEDIA_TYPES = [
  "MPEG audio file",
  "Protected AAC audio file",
  "Protected MPEG-4 video file",
  "Purchased AAC audio file",
  "AAC audio file",
] as const;
const MPEG = 1;
const PROTECTED_AAC = 2;
const VIDEO = 3;
const PURCHASED_AAC = 4;
const AAC = 5;

/** Bytes per millisecond of each media type (about 256 kbit/s MPEG, 128 kbit/s AAC, 1.4 Mbit/s video). */
const BYTES_PER_MS: Record<number, number> = {
  [MPEG]: 32.6,
  [PROTECTED_AAC]: 16.3,
  [VIDEO]: 185,
  [PURCHASED_AAC]: 32.2,
  [AAC]: 20.4,
};

const GENRES = [
  "Rock",
  "Jazz",
  "Metal",
  "Alternative & Punk",
  "Rock And Roll",
  "Blues",
  "Latin",
  "Reggae",
  "Pop",
  "Soundtrack",
  "Bossa Nova",
  "Easy Listening",
  "Heavy Metal",
  "R&B/Soul",
  "Electronica/Dance",
  "World",
  "Hip Hop/Rap",
  "Science Fiction",
  "TV Shows",
  "Sci Fi & Fantasy",
  "Drama",
  "Comedy",
  "Alternative",
  "Classical",
  "Opera",
] as const;

/** 1-based genre id by name. */
function genreId(name: (typeof GENRES)[number]): number {
  return GENRES.indexOf(name) + 1;
}

/** Music genres with their share of artists, roughly as in the sample (Rock dominates). */
const MUSIC_GENRE_WEIGHTS: Array<[(typeof GENRES)[number], number]> = [
  ["Rock", 30],
  ["Latin", 10],
  ["Alternative & Punk", 9],
  ["Metal", 8],
  ["Classical", 7],
  ["Jazz", 6],
  ["Blues", 4],
  ["R&B/Soul", 3],
  ["Pop", 3],
  ["Alternative", 3],
  ["Reggae", 2],
  ["Soundtrack", 2],
  ["Hip Hop/Rap", 2],
  ["Electronica/Dance", 2],
  ["World", 2],
  ["Heavy Metal", 1.5],
  ["Easy Listening", 1],
  ["Bossa Nova", 1],
  ["Rock And Roll", 1],
  ["Opera", 1],
];

/** Genres a popular-music album may borrow a track from (track names would not fit classical). */
const POPULAR_GENRE_WEIGHTS = MUSIC_GENRE_WEIGHTS.filter(([g]) => !isClassical(g));

function isClassical(genre: (typeof GENRES)[number]): boolean {
  return genre === "Classical" || genre === "Opera";
}

/** Genres sold as 1.99 video (Protected MPEG-4), as in the sample. */
const VIDEO_GENRE_WEIGHTS: Array<[(typeof GENRES)[number], number]> = [
  ["TV Shows", 4],
  ["Drama", 3],
  ["Sci Fi & Fantasy", 2],
  ["Comedy", 2],
  ["Science Fiction", 1],
];

/** Share of artists that are TV series rather than musicians. */
const VIDEO_ARTIST_SHARE = 0.04;

const AUDIO_CENTS = 99;
const VIDEO_CENTS = 199;

const ADJECTIVES = [
  "Electric",
  "Silent",
  "Golden",
  "Broken",
  "Velvet",
  "Crimson",
  "Hollow",
  "Wild",
  "Midnight",
  "Burning",
  "Frozen",
  "Lonely",
  "Neon",
  "Restless",
  "Savage",
  "Shining",
  "Sweet",
  "Twisted",
  "Wandering",
  "Blue",
  "Black",
  "Silver",
  "Crystal",
  "Distant",
  "Endless",
  "Fading",
  "Gentle",
  "Heavy",
  "Hidden",
  "Iron",
  "Jagged",
  "Lucky",
  "Mad",
  "Northern",
  "Paper",
  "Quiet",
  "Radiant",
  "Rusty",
  "Scarlet",
  "Secret",
  "Stone",
  "Strange",
  "Sunday",
  "Thunder",
  "Urban",
  "Violet",
  "Wicked",
  "Young",
  "Cosmic",
  "Desert",
  "Emerald",
  "Faded",
  "Glass",
  "Holy",
  "Ivory",
  "Liquid",
  "Lost",
  "Magnetic",
  "Open",
  "Painted",
];

const NOUNS = [
  "Heart",
  "River",
  "Highway",
  "Shadow",
  "Fire",
  "Rain",
  "Dream",
  "Mirror",
  "Storm",
  "Ocean",
  "Garden",
  "Machine",
  "Thunder",
  "Road",
  "Sky",
  "Window",
  "Light",
  "Moon",
  "Sun",
  "Star",
  "City",
  "Train",
  "Bridge",
  "Echo",
  "Flame",
  "Ghost",
  "Harbour",
  "Horizon",
  "Island",
  "Kingdom",
  "Lantern",
  "Memory",
  "Mountain",
  "Night",
  "Paradise",
  "Prayer",
  "Radio",
  "Revolution",
  "Saint",
  "Season",
  "Signal",
  "Silence",
  "Smoke",
  "Soul",
  "Spirit",
  "Summer",
  "Thief",
  "Tide",
  "Valley",
  "Voice",
  "Wave",
  "Wheel",
  "Wind",
  "Winter",
  "Wolf",
  "World",
  "Angel",
  "Desire",
  "Engine",
  "Fever",
  "Glory",
  "Hunger",
  "Jungle",
  "Legend",
  "Love",
  "Morning",
  "Promise",
  "Rebel",
  "Rose",
  "Secret",
];

const PLURALS = [
  "Wolves",
  "Ravens",
  "Machines",
  "Strangers",
  "Pilots",
  "Saints",
  "Thieves",
  "Kings",
  "Rebels",
  "Ghosts",
  "Shadows",
  "Drifters",
  "Outlaws",
  "Lions",
  "Tigers",
  "Sparrows",
  "Riders",
  "Dreamers",
  "Preachers",
  "Sailors",
  "Vandals",
  "Giants",
  "Hornets",
  "Jets",
  "Monkeys",
  "Pistols",
  "Rockets",
  "Serpents",
  "Skulls",
  "Stones",
  "Vipers",
  "Wanderers",
  "Diamonds",
  "Heroes",
  "Knights",
  "Lovers",
  "Magnets",
  "Owls",
  "Prophets",
  "Satellites",
];

const VERBS = [
  "Chasing",
  "Burning",
  "Waiting for",
  "Dancing with",
  "Running from",
  "Holding",
  "Breaking",
  "Finding",
  "Losing",
  "Calling",
  "Crossing",
  "Riding",
  "Fighting",
  "Following",
  "Leaving",
  "Saving",
  "Catching",
  "Building",
  "Falling for",
  "Dreaming of",
];

const TRACK_PHRASES = [
  "Don't Look Back",
  "All Night Long",
  "Come Home",
  "Hold On",
  "Let It Go",
  "Never Again",
  "One More Time",
  "Stay With Me",
  "Take It Easy",
  "Too Late",
  "What You Want",
  "Where We Belong",
  "Right Here",
  "So Far Away",
  "Better Days",
  "Nothing Left",
  "Say My Name",
  "Keep Moving",
  "Out of Time",
  "Tonight",
];

const VERSIONS = ["Live", "Acoustic", "Remastered", "Demo", "Radio Edit", "Extended Mix"];

const VENUES = [
  "the Roxy",
  "the Apollo",
  "Red Rocks",
  "the Paradiso",
  "Montreux",
  "the Marquee",
  "Budokan",
  "the Fillmore",
  "the Olympia",
  "Wembley",
];

const CITIES = [
  "Berlin",
  "Vienna",
  "Prague",
  "London",
  "Boston",
  "Lisbon",
  "Oslo",
  "Leipzig",
  "Toronto",
  "Sydney",
  "Budapest",
  "Helsinki",
];

const CLASSICAL_COMPOSERS = [
  "Johann Keller",
  "Antonín Marek",
  "Clara Vossberg",
  "Ludovico Sarti",
  "Pyotr Belov",
  "Henri Lacombe",
  "Edvard Lindqvist",
  "Felix Brandauer",
  "Gustav Reinholt",
  "Camille Daurat",
  "Sergei Vyatkin",
  "Tomaso Albrizzi",
  "Wilhelm Ostendorf",
  "Amalia Ferreira",
];

const FORMS = [
  "Symphony",
  "Piano Concerto",
  "Violin Concerto",
  "Sonata",
  "String Quartet",
  "Suite",
  "Serenade",
  "Nocturne",
  "Prelude",
];
const KEYS = [
  "C Major",
  "D Minor",
  "E-Flat Major",
  "F Minor",
  "G Major",
  "A Minor",
  "B-Flat Major",
];
const MOVEMENTS = [
  "I. Allegro",
  "II. Adagio",
  "III. Scherzo",
  "IV. Finale: Presto",
  "I. Andante",
  "II. Largo",
  "III. Menuetto",
];
const ARIA_WORDS = ["Aria", "Recitativo", "Duetto", "Coro", "Cavatina"];

const SHOW_NAMES = [
  "Harbour Street",
  "The Night Shift",
  "Station Eleven North",
  "Deep Orbit",
  "The Kellerman Files",
  "Parallel Lines",
  "Office Hours",
  "Frontier Colony",
  "The Lighthouse Keepers",
  "Blackwater County",
  "Starship Meridian",
  "Second Chances",
  "The Quiet Ones",
  "Neon District",
  "Cold Case Unit",
  "Family Business",
];

const EPISODE_WORDS = [
  "Pilot",
  "Homecoming",
  "The Long Night",
  "Crossroads",
  "Exodus",
  "Revelations",
  "Lockdown",
  "The Reunion",
  "Blackout",
  "First Contact",
  "The Wedding",
  "Aftermath",
  "The Interview",
  "Checkmate",
  "Countdown",
];

const PLAYLISTS = [
  "Music",
  "Movies",
  "TV Shows",
  "90’s Music",
  "Music Videos",
  "Brazilian Music",
  "Classical",
  "Classical 101 - The Basics",
  "Classical 101 - Next Steps",
  "Grunge",
  "Heavy Metal Classic",
  "On-The-Go 1",
  "Jazz Essentials",
  "Chill Out",
  "Road Trip",
  "Workout",
  "Late Night",
  "Rock Anthems",
];

/** Months January … December: a December peak, a quiet February. */
const MONTH_FACTORS = [0.85, 0.8, 0.9, 0.95, 1.0, 0.95, 0.9, 0.9, 1.0, 1.05, 1.2, 1.5];
/** Sunday … Saturday. */
const WEEKDAY_FACTORS = [1.2, 0.85, 0.9, 0.9, 0.95, 1.1, 1.3];
/** Share of invoices with 1 … 14 lines (mean about 4.5, as the sample's 5.4). */
const LINE_COUNT_WEIGHTS = [18, 20, 10, 14, 6, 9, 4, 3, 6, 2, 1.5, 1.5, 1, 4];

/** Alberta addresses for the head office (the sample's company is in Calgary). */
const OFFICE_PLACES: Place[] = [
  {
    city: "Calgary",
    state: "AB",
    country: "Canada",
    postal: "T2P 9A9",
    phone: "+1 (403)",
    streets: ["8 Ave SW", "6 Ave SW", "10 Street SW", "Bowness Road NW", "4 Street NE"],
  },
  {
    city: "Edmonton",
    state: "AB",
    country: "Canada",
    postal: "T5K 9A9",
    phone: "+1 (780)",
    streets: ["Jasper Ave NW", "104 Ave NW", "Whyte Ave"],
  },
  {
    city: "Lethbridge",
    state: "AB",
    country: "Canada",
    postal: "T1K 9A9",
    phone: "+1 (403)",
    streets: ["Columbia Boulevard West", "7 ST NW", "Mayor Magrath Dr S"],
  },
];

/** Countries that get the extra customers once every place has one (as in the sample, mostly the Americas and Western Europe). */
const BIG_MARKETS = ["USA", "Canada", "Brazil", "France", "Germany", "United Kingdom"];

const CUSTOMER_COUNT = 59;

// ---------------------------------------------------------------------------
// Row types.

type Field = string | number | null;

interface Artist {
  id: number;
  name: string;
  genre: number;
  video: boolean;
}

interface Album {
  id: number;
  title: string;
  artistId: number;
}

interface Track {
  id: number;
  name: string;
  albumId: number;
  mediaTypeId: number;
  genreId: number;
  composer: string | null;
  milliseconds: number;
  bytes: number;
  cents: number;
}

interface Customer extends Person {
  id: number;
  supportRepId: number;
}

// ---------------------------------------------------------------------------
// Helpers.

function weighted<T>(rng: Rng, items: ReadonlyArray<readonly [T, number]>): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let x = rng.next() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Zipf-like weights over randomly ordered items: a few favourites, a long tail. */
function zipfWeights(rng: Rng, n: number, exponent: number): Float64Array {
  const ranks = shuffled(rng, Array.from({ length: n }, (_, i) => i));
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) weights[i] = 1 / Math.pow(ranks[i]! + 1, exponent);
  return weights;
}

/** Draws until `make` gives something not in `taken` (then a numbered variant). */
function unique(taken: Set<string>, make: () => string): string {
  let name = make();
  for (let tries = 0; taken.has(name) && tries < 20; tries++) name = make();
  const base = name;
  for (let n = 2; taken.has(name); n++) name = `${base} ${n}`;
  taken.add(name);
  return name;
}

function personName(rng: Rng): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}

/** A random calendar day of `year` (days 1–28, valid in every month). */
function dayInYear(rng: Rng, year: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${year}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
}

/** One field in COPY text format. */
function copyField(value: Field): string {
  if (value === null) return "\\N";
  if (typeof value === "number") return String(value);
  return value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(
    /\r/g,
    "\\r",
  );
}

function copyBlock(table: string, columns: readonly string[], rows: readonly Field[][]): string {
  const head = [
    "--",
    `-- Data for Name: ${table}; Type: TABLE DATA; Schema: public; Owner: -`,
    "--",
    "",
    `COPY public."${table}" (${columns.map((c) => `"${c}"`).join(", ")}) FROM stdin;`,
  ];
  const body = rows.map((row) => row.map(copyField).join("\t"));
  return [...head, ...body, "\\.", "", "", ""].join("\n");
}

// ---------------------------------------------------------------------------
// Catalogue: artists, albums, tracks.

function makeArtistName(rng: Rng, genre: (typeof GENRES)[number]): string {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  switch (genre) {
    case "Classical":
    case "Opera":
      return weighted(
        rng,
        [
          [`${rng.pick(CITIES)} Philharmonic Orchestra`, 2],
          [`${rng.pick(CITIES)} Chamber Orchestra`, 2],
          [`${last} String Quartet`, 2],
          [`${first} ${last}`, 4],
          [`${first} ${last} & ${rng.pick(CITIES)} Symphony Orchestra`, 2],
        ] as const,
      );
    case "Jazz":
    case "Blues":
    case "Bossa Nova":
    case "Easy Listening":
    case "Latin":
      return weighted(
        rng,
        [
          [`${first} ${last}`, 6],
          [`${first} ${last} Trio`, 1],
          [`${first} ${last} Quartet`, 1],
          [`${first} ${last} & The ${rng.pick(PLURALS)}`, 1],
          [`Orquestra ${rng.pick(ADJECTIVES)}`, genre === "Latin" ? 1 : 0],
        ] as const,
      );
    case "Hip Hop/Rap":
      return weighted(
        rng,
        [
          [`MC ${rng.pick(ADJECTIVES)}`, 2],
          [`${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)} Crew`, 2],
          [`${first} ${last}`, 1],
        ] as const,
      );
    default:
      return weighted(
        rng,
        [
          [`The ${rng.pick(ADJECTIVES)} ${rng.pick(PLURALS)}`, 4],
          [`${rng.pick(ADJECTIVES)} ${rng.pick(PLURALS)}`, 3],
          [`${rng.pick(NOUNS)} ${rng.pick(PLURALS)}`, 2],
          [`${rng.pick(PLURALS)} of ${rng.pick(NOUNS)}`, 1],
          [`${first} ${last}`, 3],
          [`${first} ${last} & The ${rng.pick(PLURALS)}`, 1],
        ] as const,
      );
  }
}

function makeAlbumTitle(rng: Rng, genre: (typeof GENRES)[number]): string {
  if (isClassical(genre)) {
    const composer = rng.pick(CLASSICAL_COMPOSERS);
    return genre === "Opera"
      ? `${composer}: ${rng.pick(["La", "Il", "Le"])} ${rng.pick(NOUNS)} (Highlights)`
      : weighted(
        rng,
        [
          [`${composer}: ${rng.pick(FORMS)} No. ${rng.int(1, 9)} in ${rng.pick(KEYS)}`, 3],
          [`${composer}: ${rng.pick(FORMS)}s`, 2],
          [`The Best of ${composer}`, 1],
        ] as const,
      );
  }
  return weighted(
    rng,
    [
      [`${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`, 5],
      [`The ${rng.pick(NOUNS)} of ${rng.pick(NOUNS)}`, 2],
      [`${rng.pick(NOUNS)} & ${rng.pick(NOUNS)}`, 1],
      [`Live at ${rng.pick(VENUES)}`, 1],
      [`${rng.pick(NOUNS)} Sessions`, 1],
      ["Greatest Hits", 0.5],
      [`Acoustic ${rng.pick(NOUNS)}`, 0.5],
      [rng.pick(TRACK_PHRASES), 1],
    ] as const,
  );
}

function makeTrackName(rng: Rng, genre: (typeof GENRES)[number], index: number): string {
  if (genre === "Classical") {
    return `${rng.pick(FORMS)} No. ${rng.int(1, 12)} in ${rng.pick(KEYS)}, Op. ${
      rng.int(2, 120)
    }: ${rng.pick(MOVEMENTS)}`;
  }
  if (genre === "Opera") {
    return `${rng.pick(ARIA_WORDS)}: "${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}"`;
  }
  const name = weighted(
    rng,
    [
      [`${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`, 5],
      [`${rng.pick(VERBS)} the ${rng.pick(NOUNS)}`, 3],
      [`${rng.pick(NOUNS)} of ${rng.pick(NOUNS)}`, 2],
      [`The ${rng.pick(NOUNS)}`, 2],
      [rng.pick(TRACK_PHRASES), 3],
      [`${rng.pick(NOUNS)}`, 1],
      [`Intro`, index === 0 ? 0.5 : 0],
    ] as const,
  );
  return rng.bernoulli(0.05) ? `${name} (${rng.pick(VERSIONS)})` : name;
}

function makeEpisodeName(rng: Rng, genre: (typeof GENRES)[number], index: number): string {
  if (index === 0 && rng.bernoulli(0.5)) return "Pilot";
  return weighted(
    rng,
    [
      [rng.pick(EPISODE_WORDS), 3],
      [`The ${rng.pick(NOUNS)}`, 3],
      [`${rng.pick(EPISODE_WORDS)}, Part ${rng.int(1, 2)}`, 1],
      [`The ${rng.pick(NOUNS)} Incident`, genre === "Comedy" ? 3 : 0],
    ] as const,
  );
}

/** Track lengths: mostly 2.5–7 minutes (log-normal), a short and a long tail. */
function audioMilliseconds(rng: Rng, genre: (typeof GENRES)[number]): number {
  const median = isClassical(genre) ? 330_000 : genre === "Jazz" ? 300_000 : 245_000;
  const roll = rng.next();
  if (roll < 0.03) return rng.int(20_000, 150_000);
  if (roll < 0.07) return rng.int(420_000, 1_200_000);
  const ms = Math.round(median * Math.exp(0.28 * rng.normal()));
  return Math.min(1_200_000, Math.max(60_000, ms));
}

function videoMilliseconds(rng: Rng, genre: (typeof GENRES)[number]): number {
  // Sitcoms run about 22 minutes, hour-long dramas about 43.
  return genre === "Comedy" ? rng.int(1_250_000, 1_500_000) : rng.int(2_450_000, 2_900_000);
}

function composerFor(rng: Rng, pool: readonly string[]): string {
  const count = Math.min(pool.length, rng.int(1, 3));
  const names = shuffled(rng, pool).slice(0, count);
  if (names.length <= 1) return names[0] ?? "";
  return rng.bernoulli(0.5)
    ? names.join(", ")
    : `${names.slice(0, -1).join(", ")} & ${names[names.length - 1]}`;
}

function tracksPerAlbum(rng: Rng, genre: (typeof GENRES)[number], video: boolean): number {
  if (video) return rng.int(8, 24);
  if (isClassical(genre)) {
    return rng.bernoulli(0.6) ? rng.int(1, 3) : rng.int(8, 16);
  }
  const roll = rng.next();
  if (roll < 0.05) return rng.int(1, 4);
  if (roll < 0.09) return rng.int(20, 30);
  return Math.min(18, Math.max(5, Math.round(10 + 2.6 * rng.normal())));
}

interface Catalogue {
  artists: Artist[];
  albums: Album[];
  tracks: Track[];
  /** Track ids of each album, in order. */
  albumTracks: number[][];
}

function makeCatalogue(base: string): Catalogue {
  const rng = new Rng(`${base}/catalogue`);
  const artists: Artist[] = [];
  const artistNames = new Set<string>();
  const showNames = shuffled(rng, SHOW_NAMES);
  const artistCount = rng.int(265, 285);
  for (let id = 1; id <= artistCount; id++) {
    const video = showNames.length > 0 && rng.bernoulli(VIDEO_ARTIST_SHARE);
    if (video) {
      const genre = weighted(rng, VIDEO_GENRE_WEIGHTS);
      const name = showNames.pop()!;
      artistNames.add(name);
      artists.push({ id, name, genre: genreId(genre), video });
    } else {
      const genre = weighted(rng, MUSIC_GENRE_WEIGHTS);
      const name = unique(artistNames, () => makeArtistName(rng, genre));
      artists.push({ id, name, genre: genreId(genre), video });
    }
  }

  // Albums: most artists have one, a few have many; some have none, as in the sample.
  const albumCount = rng.int(340, 360);
  const byArtist = new AliasTable(zipfWeights(rng, artists.length, 0.9));
  const albumArtists: number[] = [];
  const firstBatch = shuffled(rng, artists.map((a) => a.id)).slice(
    0,
    Math.round(artists.length * 0.78),
  );
  albumArtists.push(...firstBatch);
  while (albumArtists.length < albumCount) albumArtists.push(byArtist.sample(rng) + 1);
  albumArtists.sort((a, b) => a - b);

  const albums: Album[] = [];
  const tracks: Track[] = [];
  const albumTracks: number[][] = [];
  const titlesOf = new Map<number, Set<string>>();
  const seasonsOf = new Map<number, number>();
  for (const artistId of albumArtists) {
    const artist = artists[artistId - 1]!;
    const genre = GENRES[artist.genre - 1]!;
    const id = albums.length + 1;
    const titles = titlesOf.get(artistId) ?? new Set<string>();
    titlesOf.set(artistId, titles);
    let title: string;
    if (artist.video) {
      const season = (seasonsOf.get(artistId) ?? 0) + 1;
      seasonsOf.set(artistId, season);
      title = `${artist.name}, Season ${season}`;
      titles.add(title);
    } else {
      title = unique(titles, () => makeAlbumTitle(rng, genre));
    }
    albums.push({ id, title, artistId });

    const mediaTypeId = artist.video ? VIDEO : weighted(
      rng,
      [
        [MPEG, 88],
        [PROTECTED_AAC, 9],
        [PURCHASED_AAC, 1],
        [AAC, 2],
      ] as const,
    );
    // A composer pool per album; the sample leaves about a third of tracks without one.
    const pool = artist.video || rng.bernoulli(0.3)
      ? []
      : isClassical(genre)
      ? [rng.pick(CLASSICAL_COMPOSERS)]
      : Array.from({ length: rng.int(1, 4) }, () =>
        rng.bernoulli(0.3)
          ? `${rng.pick(FIRST_NAMES)[0]}. ${rng.pick(LAST_NAMES)}`
          : personName(rng));
    const count = tracksPerAlbum(rng, genre, artist.video);
    const names = new Set<string>();
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const trackId = tracks.length + 1;
      // Compilations and soundtracks mix genres a little.
      const trackGenre = !artist.video && !isClassical(genre) && rng.bernoulli(0.04)
        ? genreId(weighted(rng, POPULAR_GENRE_WEIGHTS))
        : artist.genre;
      const name = artist.video
        ? unique(names, () => makeEpisodeName(rng, genre, i))
        : unique(names, () => makeTrackName(rng, genre, i));
      const milliseconds = artist.video
        ? videoMilliseconds(rng, genre)
        : audioMilliseconds(rng, genre);
      const bytes = Math.round(
        milliseconds * BYTES_PER_MS[mediaTypeId]! * (0.9 + 0.2 * rng.next()),
      );
      tracks.push({
        id: trackId,
        name,
        albumId: id,
        mediaTypeId,
        genreId: trackGenre,
        composer: pool.length === 0 ? null : composerFor(rng, pool),
        milliseconds,
        bytes,
        cents: mediaTypeId === VIDEO ? VIDEO_CENTS : AUDIO_CENTS,
      });
      ids.push(trackId);
    }
    albumTracks.push(ids);
  }
  return { artists, albums, tracks, albumTracks };
}

function makePlaylists(base: string, catalogue: Catalogue): Array<[number, number]> {
  const rng = new Rng(`${base}/playlists`);
  const { tracks } = catalogue;
  const audio = tracks.filter((t) => t.mediaTypeId !== VIDEO);
  const video = tracks.filter((t) => t.mediaTypeId === VIDEO);
  const ofGenres = (names: ReadonlyArray<(typeof GENRES)[number]>) => {
    const ids = new Set(names.map(genreId));
    return audio.filter((t) => ids.has(t.genreId));
  };
  const sample = (from: readonly Track[], share: number, max = Infinity) =>
    shuffled(rng, from).slice(0, Math.min(max, Math.max(1, Math.round(from.length * share))));
  const members: Record<string, readonly Track[]> = {
    "Music": audio,
    "Movies": sample(video, 0.3),
    "TV Shows": video,
    "90’s Music": sample(audio, 0.4),
    "Music Videos": sample(audio, 0.01, 40),
    "Brazilian Music": sample(ofGenres(["Latin", "Bossa Nova"]), 0.3, 60),
    "Classical": ofGenres(["Classical", "Opera"]),
    "Classical 101 - The Basics": sample(ofGenres(["Classical"]), 0.2, 25),
    "Classical 101 - Next Steps": sample(ofGenres(["Classical"]), 0.2, 25),
    "Grunge": sample(ofGenres(["Alternative & Punk", "Alternative", "Rock"]), 0.02, 15),
    "Heavy Metal Classic": sample(ofGenres(["Metal", "Heavy Metal"]), 0.08, 26),
    "On-The-Go 1": sample(audio, 0.005, 20),
    "Jazz Essentials": sample(ofGenres(["Jazz", "Blues"]), 0.25, 40),
    "Chill Out": sample(
      ofGenres(["Easy Listening", "Bossa Nova", "Electronica/Dance", "World"]),
      0.4,
      40,
    ),
    "Road Trip": sample(ofGenres(["Rock", "Rock And Roll", "Blues"]), 0.03, 50),
    "Workout": sample(ofGenres(["Electronica/Dance", "Hip Hop/Rap", "Pop", "Metal"]), 0.2, 40),
    "Late Night": sample(ofGenres(["Jazz", "R&B/Soul", "Soundtrack"]), 0.2, 35),
    "Rock Anthems": sample(ofGenres(["Rock", "Heavy Metal", "Metal"]), 0.04, 50),
  };
  const rows: Array<[number, number]> = [];
  PLAYLISTS.forEach((name, i) => {
    const ids = [...new Set((members[name] ?? []).map((t) => t.id))].sort((a, b) => a - b);
    for (const trackId of ids) rows.push([i + 1, trackId]);
  });
  return rows;
}

// ---------------------------------------------------------------------------
// People.

interface Employee {
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

/** The sample's hierarchy: ids 3–5 are the sales support agents customers are assigned to. */
const STAFF: Array<{ title: string; reportsTo: number | null }> = [
  { title: "General Manager", reportsTo: null },
  { title: "Sales Manager", reportsTo: 1 },
  { title: "Sales Support Agent", reportsTo: 2 },
  { title: "Sales Support Agent", reportsTo: 2 },
  { title: "Sales Support Agent", reportsTo: 2 },
  { title: "IT Manager", reportsTo: 1 },
  { title: "IT Staff", reportsTo: 6 },
  { title: "IT Staff", reportsTo: 6 },
];
const SUPPORT_AGENT_IDS = [3, 4, 5];

function makeEmployees(base: string, historyStart: string): Employee[] {
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

function makeCustomers(base: string): Customer[] {
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

// ---------------------------------------------------------------------------
// Sales history.

interface Invoice {
  id: number;
  customer: Customer;
  day: string;
  cents: number;
}

function makeHistory(
  base: string,
  catalogue: Catalogue,
  customers: readonly Customer[],
  firstDay: string,
  lastDay: string,
  years: number,
): { invoices: Invoice[]; lines: Array<[number, number, number, number]> } {
  const rng = new Rng(`${base}/history/${firstDay}/${lastDay}`);
  const { tracks, albumTracks } = catalogue;
  const start = dayToEpochDays(firstDay);
  const end = dayToEpochDays(lastDay);
  const dayWeights = new Float64Array(end - start + 1);
  for (let d = start; d <= end; d++) {
    const day = epochDaysToDay(d);
    const month = Number(day.slice(5, 7)) - 1;
    // Slow growth over the years, seasons and weekdays.
    const growth = 1 + (0.1 * (d - start)) / 365.25;
    dayWeights[d - start] = growth * MONTH_FACTORS[month]! * WEEKDAY_FACTORS[(d + 4) % 7]!;
  }
  const dayTable = new AliasTable(dayWeights);
  const count = Math.round(years * rng.int(80, 100));
  // The newest invoice lands on the last history day; the rest spread by weight.
  const days: number[] = [end];
  for (let i = 1; i < count; i++) days.push(start + dayTable.sample(rng));
  days.sort((a, b) => a - b);

  const customerTable = new AliasTable(zipfWeights(rng, customers.length, 0.5));
  const trackTable = new AliasTable(
    zipfWeights(rng, tracks.length, 0.8).map((w, i) =>
      tracks[i]!.mediaTypeId === VIDEO ? w * 0.5 : w
    ),
  );
  const albumTable = new AliasTable(zipfWeights(rng, albumTracks.length, 0.7));
  const sizeTable = new AliasTable(LINE_COUNT_WEIGHTS);

  const invoices: Invoice[] = [];
  const lines: Array<[number, number, number, number]> = [];
  for (const d of days) {
    const id = invoices.length + 1;
    const customer = customers[customerTable.sample(rng)]!;
    const size = sizeTable.sample(rng) + 1;
    const chosen: number[] = [];
    const seen = new Set<number>();
    const add = (trackId: number) => {
      if (chosen.length < size && !seen.has(trackId)) {
        seen.add(trackId);
        chosen.push(trackId);
      }
    };
    // Half the baskets are a run of one album's tracks, as people buy albums.
    if (size > 1 && rng.bernoulli(0.5)) {
      const albumIds = albumTracks[albumTable.sample(rng)]!;
      const from = rng.int(0, Math.max(0, albumIds.length - size));
      for (const trackId of albumIds.slice(from, from + size)) add(trackId);
    }
    for (let tries = 0; chosen.length < size && tries < 200; tries++) {
      add(trackTable.sample(rng) + 1);
    }
    let cents = 0;
    for (const trackId of chosen) {
      const price = tracks[trackId - 1]!.cents;
      cents += price;
      lines.push([lines.length + 1, id, trackId, price]);
    }
    invoices.push({ id, customer, day: epochDaysToDay(d), cents });
  }
  return { invoices, lines };
}

// ---------------------------------------------------------------------------

/** The whole synthetic catalogue as pg_dump text, ready for the same loader as the real sample. */
export function syntheticChinookSql(options: SyntheticOptions): string {
  const years = options.historyYears ?? DEFAULT_HISTORY_YEARS;
  if (!Number.isInteger(years) || years < 2 || years > 5) {
    throw new RangeError(`historyYears must be a whole number from 2 to 5, not ${years}`);
  }
  const lastDay = parseDay(options.lastHistoryDay ?? DEFAULT_LAST_HISTORY_DAY);
  const firstDay = syntheticHistoryStart(lastDay, years);
  const base = `chinook-sim/${options.seed}/synthetic-catalog`;

  const catalogue = makeCatalogue(base);
  const playlistTracks = makePlaylists(base, catalogue);
  const employees = makeEmployees(base, firstDay);
  const customers = makeCustomers(base);
  const { invoices, lines } = makeHistory(base, catalogue, customers, firstDay, lastDay, years);

  const blocks = [
    copyBlock(
      "Album",
      ["AlbumId", "Title", "ArtistId"],
      catalogue.albums.map((a) => [a.id, a.title, a.artistId]),
    ),
    copyBlock("Artist", ["ArtistId", "Name"], catalogue.artists.map((a) => [a.id, a.name])),
    copyBlock(
      "Customer",
      [
        "CustomerId",
        "FirstName",
        "LastName",
        "Company",
        "Address",
        "City",
        "State",
        "Country",
        "PostalCode",
        "Phone",
        "Fax",
        "Email",
        "SupportRepId",
      ],
      customers.map((c) => [
        c.id,
        c.firstName,
        c.lastName,
        c.company,
        c.address,
        c.city,
        c.state,
        c.country,
        c.postalCode,
        c.phone,
        c.fax,
        c.email,
        c.supportRepId,
      ]),
    ),
    copyBlock(
      "Employee",
      [
        "EmployeeId",
        "LastName",
        "FirstName",
        "Title",
        "ReportsTo",
        "BirthDate",
        "HireDate",
        "Address",
        "City",
        "State",
        "Country",
        "PostalCode",
        "Phone",
        "Fax",
        "Email",
      ],
      employees.map((e) => [
        e.id,
        e.lastName,
        e.firstName,
        e.title,
        e.reportsTo,
        e.birthDate,
        e.hireDate,
        e.address,
        e.city,
        e.state,
        e.country,
        e.postalCode,
        e.phone,
        e.fax,
        e.email,
      ]),
    ),
    copyBlock("Genre", ["GenreId", "Name"], GENRES.map((name, i) => [i + 1, name])),
    copyBlock(
      "Invoice",
      [
        "InvoiceId",
        "CustomerId",
        "InvoiceDate",
        "BillingAddress",
        "BillingCity",
        "BillingState",
        "BillingCountry",
        "BillingPostalCode",
        "Total",
      ],
      invoices.map((inv) => [
        inv.id,
        inv.customer.id,
        `${inv.day} 00:00:00`,
        inv.customer.address,
        inv.customer.city,
        inv.customer.state,
        inv.customer.country,
        inv.customer.postalCode,
        formatCents(inv.cents),
      ]),
    ),
    copyBlock(
      "InvoiceLine",
      ["InvoiceLineId", "InvoiceId", "TrackId", "UnitPrice", "Quantity"],
      lines.map(([lineId, invoiceId, trackId, cents]) => [
        lineId,
        invoiceId,
        trackId,
        formatCents(cents),
        1,
      ]),
    ),
    copyBlock("MediaType", ["MediaTypeId", "Name"], MEDIA_TYPES.map((name, i) => [i + 1, name])),
    copyBlock("Playlist", ["PlaylistId", "Name"], PLAYLISTS.map((name, i) => [i + 1, name])),
    copyBlock("PlaylistTrack", ["PlaylistId", "TrackId"], playlistTracks),
    copyBlock(
      "Track",
      [
        "TrackId",
        "Name",
        "AlbumId",
        "MediaTypeId",
        "GenreId",
        "Composer",
        "Milliseconds",
        "Bytes",
        "UnitPrice",
      ],
      catalogue.tracks.map((t) => [
        t.id,
        t.name,
        t.albumId,
        t.mediaTypeId,
        t.genreId,
        t.composer,
        t.milliseconds,
        t.bytes,
        formatCents(t.cents),
      ]),
    ),
  ];

  // JSON quoting keeps a strange seed (say, with a newline) inside the comment.
  const seedText = JSON.stringify(options.seed);
  const header = [
    "--",
    "-- Synthetic Chinook-compatible catalogue generated by chinook-sim",
    `-- seed ${seedText}; ${years} years of history, ${firstDay} to ${lastDay}.`,
    "-- Invented artists, tracks and people in the schema of the public Chinook",
    "-- PostgreSQL sample (pg_dump plain format).",
    "--",
    "",
    "",
  ].join("\n");
  const footer = ["", "--", "-- Synthetic Chinook-compatible catalogue complete", "--", ""].join(
    "\n",
  );
  return `${header}${DDL_TABLES}\n\n\n${blocks.join("")}${DDL_CONSTRAINTS}\n${footer}`;
}
