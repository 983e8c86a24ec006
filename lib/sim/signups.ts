/**
 * The day's sign-ups, made when they are used rather than with the plan: a
 * million-invoice day has about 180,000, and as objects held for the whole
 * day they were about 100 MB and seconds of work before the first write. The
 * plan needs only their ids (consecutive from `firstId`); the writer makes them
 * in order, a chunk at a time, while the database loads the chunk before.
 * Pure and deterministic: sign-up i is the same whoever asks and when.
 */
import type { Names } from "./people/mod.ts";
import { randomPerson } from "./people/generate.ts";
import type { NewCustomer } from "./plan.ts";
import { Rng } from "./rng.ts";

/** Where a day's sign-ups come from, shared by its Signups and their slices. */
interface Source {
  readonly firstId: number;
  /** Sign-ups start … end - 1 (positions from the first). */
  make(start: number, end: number): NewCustomer[];
  /** Each one's country up to `end` (for the web shop's clickstream). */
  countries(end: number): string[];
}

/** Sign-ups drawn from their own random stream, made when asked for. */
class DrawnSource implements Source {
  #rng: Rng;
  /** Sign-ups made from the stream so far (the next one made is number `made`). */
  #made = 0;
  /** Each one's country, kept once made: one shared string each. */
  readonly #countries: string[] = [];

  constructor(
    readonly key: string,
    readonly firstId: number,
    readonly supportRepIds: readonly number[],
    readonly names: () => Names,
  ) {
    this.#rng = new Rng(key);
  }

  /** Made on, or made again from the first when asked for earlier ones. */
  make(start: number, end: number): NewCustomer[] {
    if (start < this.#made) {
      this.#rng = new Rng(this.key);
      this.#made = 0;
    }
    const made: NewCustomer[] = [];
    while (this.#made < end) {
      const id = this.firstId + this.#made;
      const customer: NewCustomer = {
        id,
        ...randomPerson(this.#rng, this.names(), id),
        supportRepId: this.supportRepIds.length > 0 ? this.#rng.pick(this.supportRepIds) : null,
      };
      this.#countries[this.#made] = customer.country;
      if (this.#made >= start) made.push(customer);
      this.#made++;
    }
    return made;
  }

  countries(end: number): string[] {
    if (this.#countries.length < end) this.make(this.#countries.length, end);
    return this.#countries;
  }
}

/** Sign-ups made already (a live day's, as stored with its plan). */
class GivenSource implements Source {
  constructor(readonly customers: readonly NewCustomer[]) {}
  get firstId(): number {
    return this.customers[0]?.id ?? 0;
  }
  make(start: number, end: number): NewCustomer[] {
    return this.customers.slice(start, end);
  }
  countries(): string[] {
    return this.customers.map((c) => c.country);
  }
}

export class Signups {
  readonly #source: Source | null;
  /** Where this one starts in the stream (a slice's first sign-up). */
  readonly #offset: number;

  private constructor(
    source: Source | null,
    offset: number,
    /** How many sign up. */
    readonly count: number,
  ) {
    this.#source = source;
    this.#offset = offset;
  }

  /**
   * `count` sign-ups drawn from the stream `new Rng(key)` (theirs alone: see Rng.forkKey), with
   * ids from `firstId`, each with a support rep from `supportRepIds`.
   */
  static drawn(
    key: string,
    count: number,
    firstId: number,
    supportRepIds: readonly number[],
    names: () => Names,
  ): Signups {
    if (count === 0) return Signups.none;
    return new Signups(new DrawnSource(key, firstId, [...supportRepIds], names), 0, count);
  }

  /** Sign-ups made already, with consecutive ids. */
  static of(customers: readonly NewCustomer[]): Signups {
    customers.forEach((c, i) => {
      if (c.id !== customers[0]!.id + i) throw new RangeError("Sign-ups' ids must follow on");
    });
    return customers.length === 0
      ? Signups.none
      : new Signups(new GivenSource([...customers]), 0, customers.length);
  }

  static readonly none: Signups = new Signups(null, 0, 0);

  /** The first one's CustomerId (0 when there is none). */
  get firstId(): number {
    return this.#source === null ? 0 : this.#source.firstId + this.#offset;
  }

  /** The CustomerId of sign-up `index`. */
  idAt(index: number): number {
    return this.firstId + index;
  }

  /** Every sign-up's CustomerId. */
  ids(): number[] {
    return Array.from({ length: this.count }, (_, i) => this.firstId + i);
  }

  /**
   * Sign-ups start … end - 1 as customers. In order (as the writer asks) each is made once;
   * earlier ones are made again from the first.
   */
  range(start = 0, end = this.count): NewCustomer[] {
    if (start < 0 || end > this.count || start > end) {
      throw new RangeError(`No sign-ups ${start} … ${end - 1} of ${this.count}`);
    }
    if (start === end) return [];
    return this.#source!.make(this.#offset + start, this.#offset + end);
  }

  /** Every one's country (made first if not yet made). */
  countries(): string[] {
    if (this.count === 0) return [];
    const end = this.#offset + this.count;
    return this.#source!.countries(end).slice(this.#offset, end);
  }

  /** Sign-ups start … end - 1 of these, as sign-ups of their own (the same people). */
  slice(start: number, end: number): Signups {
    const from = Math.max(0, Math.min(start, this.count));
    const to = Math.max(from, Math.min(end, this.count));
    return to === from ? Signups.none : new Signups(this.#source, this.#offset + from, to - from);
  }
}
