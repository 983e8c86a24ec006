/** Typed arrays joined end to end (wire messages, tar blocks, parsed id lists). */
export function concatArrays<T extends Uint8Array | Int32Array>(
  parts: readonly T[],
  create: (length: number) => T,
): T {
  const out = create(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
