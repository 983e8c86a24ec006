/** Playlists: the sample's, and a few more, filled from the catalogue by genre. Pure. */
import { Rng } from "../../sim/rng.ts";
import { shuffled } from "./draw.ts";
import { genreId, GENRES, VIDEO } from "./reference.ts";
import type { Catalogue, Track } from "./tracks.ts";
import { PLAYLISTS } from "./words.ts";

export function makePlaylists(base: string, catalogue: Catalogue): Array<[number, number]> {
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
