/**
 * The one seeded pseudo-random generator of the simulator (sfc32, seeded
 * through a 128-bit string hash). Pure: no global state, no Math.random().
 */

/** cyrb128: a fast, well-mixed 128-bit hash of a string, as four 32-bit words. */
function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /** A generator whose whole sequence is fixed by `key` (e.g. "seed/2026-11-23/customers"). */
  constructor(key: string) {
    [this.#a, this.#b, this.#c, this.#d] = hash128(key);
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("Cannot pick from an empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Poisson-distributed count; Knuth for small means, normal approximation above 60. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 60) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** An independent child stream, e.g. one per plan section, so sections do not shift each other. */
  fork(label: string): Rng {
    return new Rng(this.forkKey(label));
  }

  /** The key of the stream `fork(label)` would return (drawn the same way): to start it again. */
  forkKey(label: string): string {
    return `${this.nextUint32()}:${label}`;
  }
}

/**
 * `new Rng(key).nextUint32()` without the object: the first draw of the
 * stream `key` (the same arithmetic, on locals). Per-id draws (a customer's
 * loyalty, a track's rank) make thousands of such streams on every run.
 */
export function firstUint32(key: string): number {
  const [h1, h2, h3, h4] = hash128(key);
  return firstDraw(h1, h2, h3, h4);
}

/**
 * `id => firstUint32(`${prefix}${id}`)`, with the prefix hashed once and the
 * id's decimal digits hashed without making the string (the hash reads one
 * character after another, so the prefix's state carries over).
 */
export function firstUint32Of(prefix: string): (id: number) => number {
  let p1 = 1779033703, p2 = 3144134277, p3 = 1013904242, p4 = 2773480762;
  for (let i = 0; i < prefix.length; i++) {
    const k = prefix.charCodeAt(i);
    p1 = p2 ^ Math.imul(p1 ^ k, 597399067);
    p2 = p3 ^ Math.imul(p2 ^ k, 2869860233);
    p3 = p4 ^ Math.imul(p3 ^ k, 951274213);
    p4 = p1 ^ Math.imul(p4 ^ k, 2716044179);
  }
  const digits = new Int32Array(16);
  return (id) => {
    if (!Number.isSafeInteger(id) || id < 0) return firstUint32(`${prefix}${id}`);
    let n = 0;
    let rest = id;
    do {
      digits[n++] = 48 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
    let h1 = p1, h2 = p2, h3 = p3, h4 = p4;
    while (n > 0) {
      const k = digits[--n]!;
      h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
      h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
      h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
      h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
    }
    h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
    h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
    h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
    h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
    h1 ^= h2 ^ h3 ^ h4;
    h2 ^= h1;
    h3 ^= h1;
    h4 ^= h1;
    return firstDraw(h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0);
  };
}

/** sfc32 seeded with a hash: its 16th output (Rng's warm-up is 15). */
function firstDraw(h1: number, h2: number, h3: number, h4: number): number {
  let a = h1 | 0, b = h2 | 0, c = h3 | 0, d = h4 | 0, t = 0;
  for (let i = 0; i < 16; i++) {
    t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
  }
  return t >>> 0;
}

/** The generator for one simulated day: depends on the seed and the date only. */
export function dayRng(seed: string, day: string): Rng {
  return new Rng(`chinook-sim/${seed}/${day}`);
}

/**
 * Draws from a fixed discrete distribution in O(1) (Walker's alias method).
 * Used for heavy-tailed track and customer popularity over thousands of items.
 */
export class AliasTable {
  readonly #prob: Float64Array;
  readonly #alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RangeError("Cannot sample from an empty distribution");
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i] as number;
    if (!(total > 0)) throw new RangeError("Weights must have a positive sum");
    this.#prob = new Float64Array(n);
    this.#alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = ((weights[i] as number) * n) / total;
      (scaled[i]! < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.#prob[s] = scaled[s]!;
      this.#alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    for (const i of large) this.#prob[i] = 1;
    for (const i of small) this.#prob[i] = 1;
  }

  get size(): number {
    return this.#prob.length;
  }

  /** An index in [0, size). */
  sample(rng: Rng): number {
    const i = Math.floor(rng.next() * this.#prob.length);
    return rng.next() < this.#prob[i]! ? i : this.#alias[i]!;
  }
}
