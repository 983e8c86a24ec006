/** Seeded draws the synthetic catalogue shares. Pure: every choice comes from the Rng given. */
import { FIRST_NAMES, LAST_NAMES } from "../../sim/people.ts";
import type { Rng } from "../../sim/rng.ts";

export function weighted<T>(rng: Rng, items: ReadonlyArray<readonly [T, number]>): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let x = rng.next() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return items[items.length - 1]![0];
}

export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Draws until `make` gives something not in `taken` (then a numbered variant). */
export function unique(taken: Set<string>, make: () => string): string {
  let name = make();
  for (let tries = 0; taken.has(name) && tries < 20; tries++) name = make();
  const base = name;
  for (let n = 2; taken.has(name); n++) name = `${base} ${n}`;
  taken.add(name);
  return name;
}

export function personName(rng: Rng): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}

/** A random calendar day of `year` (days 1–28, valid in every month). */
export function dayInYear(rng: Rng, year: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${year}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
}
