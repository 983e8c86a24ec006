/** Artists, albums and tracks: names, genres, lengths, sizes and prices. Pure. */
import { FIRST_NAMES, LAST_NAMES } from "../../sim/people.ts";
import { AliasTable, Rng } from "../../sim/rng.ts";
import { zipfByRank } from "../../sim/demand.ts";
import { personName, shuffled, unique, weighted } from "./draw.ts";
import {
  AAC,
  ALBUMS_PER_ARTIST_ZIPF,
  AUDIO_CENTS,
  BYTES_PER_MS,
  genreId,
  GENRES,
  isClassical,
  MPEG,
  MUSIC_GENRE_WEIGHTS,
  POPULAR_GENRE_WEIGHTS,
  PROTECTED_AAC,
  PURCHASED_AAC,
  VIDEO,
  VIDEO_ARTIST_SHARE,
  VIDEO_CENTS,
  VIDEO_GENRE_WEIGHTS,
} from "./reference.ts";
import {
  ADJECTIVES,
  ARIA_WORDS,
  CITIES,
  CLASSICAL_COMPOSERS,
  EPISODE_WORDS,
  FORMS,
  KEYS,
  MOVEMENTS,
  NOUNS,
  PLURALS,
  SHOW_NAMES,
  TRACK_PHRASES,
  VENUES,
  VERBS,
  VERSIONS,
} from "./words.ts";

export interface Artist {
  id: number;
  name: string;
  genre: number;
  video: boolean;
}

export interface Album {
  id: number;
  title: string;
  artistId: number;
}

export interface Track {
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

export interface Catalogue {
  artists: Artist[];
  albums: Album[];
  tracks: Track[];
  /** Track ids of each album, in order. */
  albumTracks: number[][];
}

export function makeCatalogue(base: string): Catalogue {
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
  // A few artists with many albums, a long tail with one: Zipf over a random order of artists.
  const artistRanks = shuffled(rng, Array.from({ length: artists.length }, (_, i) => i));
  const byArtist = new AliasTable(zipfByRank(artistRanks, ALBUMS_PER_ARTIST_ZIPF));
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
