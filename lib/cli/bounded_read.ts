/**
 * Reads a stream whole, but never more than `max` bytes: every input a
 * command reads (a dump, a model, a manifest, a .env file, stdin) is bounded
 * this one way. Read in pieces, not by the size stat gives: /dev/zero says 0
 * and never ends.
 */
export async function readAtMost(
  stream: ReadableStream<Uint8Array>,
  max: number,
  tooLarge: () => Error,
  options: { keepOpen?: boolean } = {},
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > max) throw tooLarge();
      chunks.push(value);
    }
  } finally {
    // stdin stays open for others; a file or a download is dropped at once.
    if (options.keepOpen) reader.releaseLock();
    else await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
