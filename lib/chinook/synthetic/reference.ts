/**
 * Reference data of the synthetic catalogue, as in the public Chinook sample:
 * media types and their sizes, genres and their shares, prices, the head
 * office and its staff, where customers live. Data only.
 */
import type { Place } from "../../sim/people.ts";

export const MEDIA_TYPES = [
  "MPEG audio file",
  "Protected AAC audio file",
  "Protected MPEG-4 video file",
  "Purchased AAC audio file",
  "AAC audio file",
] as const;
export const MPEG = 1;
export const PROTECTED_AAC = 2;
export const VIDEO = 3;
export const PURCHASED_AAC = 4;
export const AAC = 5;

/** Bytes per millisecond of each media type (about 256 kbit/s MPEG, 128 kbit/s AAC, 1.4 Mbit/s video). */
export const BYTES_PER_MS: Record<number, number> = {
  [MPEG]: 32.6,
  [PROTECTED_AAC]: 16.3,
  [VIDEO]: 185,
  [PURCHASED_AAC]: 32.2,
  [AAC]: 20.4,
};

export const GENRES = [
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
export function genreId(name: (typeof GENRES)[number]): number {
  return GENRES.indexOf(name) + 1;
}

/** Music genres with their share of artists, roughly as in the sample (Rock dominates). */
export const MUSIC_GENRE_WEIGHTS: Array<[(typeof GENRES)[number], number]> = [
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
export const POPULAR_GENRE_WEIGHTS = MUSIC_GENRE_WEIGHTS.filter(([g]) => !isClassical(g));

export function isClassical(genre: (typeof GENRES)[number]): boolean {
  return genre === "Classical" || genre === "Opera";
}

/** Genres sold as 1.99 video (Protected MPEG-4), as in the sample. */
export const VIDEO_GENRE_WEIGHTS: Array<[(typeof GENRES)[number], number]> = [
  ["TV Shows", 4],
  ["Drama", 3],
  ["Sci Fi & Fantasy", 2],
  ["Comedy", 2],
  ["Science Fiction", 1],
];

/** Share of artists that are TV series rather than musicians. */
export const VIDEO_ARTIST_SHARE = 0.04;

export const AUDIO_CENTS = 99;
export const VIDEO_CENTS = 199;

/** Albums per artist: Zipf over the artists, so a few have many and most have one. */
export const ALBUMS_PER_ARTIST_ZIPF = 0.9;
/** Which albums are bought as a run of tracks: Zipf over the albums. */
export const ALBUM_RUN_ZIPF = 0.7;
/** Videos sell at this fraction of an audio track of the same popularity. */
export const VIDEO_SALES_FACTOR = 0.5;
/**
 * Lines per invoice in turn, as the sample's invoices cycle (mean 5.4): a few invoices a month
 * then bring a steady revenue, not one month of single tracks next to one of albums.
 */
export const LINE_COUNT_CYCLE = [1, 2, 2, 4, 6, 9, 14];

/** Alberta addresses for the head office (the sample's company is in Calgary). */
export const OFFICE_PLACES: Place[] = [
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
export const BIG_MARKETS = ["USA", "Canada", "Brazil", "France", "Germany", "United Kingdom"];

export const CUSTOMER_COUNT = 59;

/** The sample's hierarchy: ids 3–5 are the sales support agents customers are assigned to. */
export const STAFF: Array<{ title: string; reportsTo: number | null }> = [
  { title: "General Manager", reportsTo: null },
  { title: "Sales Manager", reportsTo: 1 },
  { title: "Sales Support Agent", reportsTo: 2 },
  { title: "Sales Support Agent", reportsTo: 2 },
  { title: "Sales Support Agent", reportsTo: 2 },
  { title: "IT Manager", reportsTo: 1 },
  { title: "IT Staff", reportsTo: 6 },
  { title: "IT Staff", reportsTo: 6 },
];
export const SUPPORT_AGENT_IDS = [3, 4, 5];
