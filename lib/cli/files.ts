/** Files the commands write for people to open (the dashboard page, manifests). */

/**
 * Writes `text` to a temporary name beside `path` (`<path>.tmp`), then
 * renames it over `path`: a reader never sees half a file. A failed write
 * removes its temporary file and rethrows; what a killed process left under
 * the temporary name is overwritten by the next write.
 */
export async function writeTextFileWhole(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp`;
  for (let attempt = 1;; attempt++) {
    try {
      await Deno.writeTextFile(temporary, text);
      await Deno.rename(temporary, path);
      return;
    } catch (error) {
      // Processes writing the same file at once share its temporary name: another one renamed
      // it first. Written again (a day's manifest is the same text whoever writes it).
      if (error instanceof Deno.errors.NotFound && attempt < RACE_ATTEMPTS) continue;
      await Deno.remove(temporary).catch(() => {});
      throw error;
    }
  }
}

const RACE_ATTEMPTS = 5;
