/** Years of invoice history before the first simulated day. Pure. */
import { dayToEpochDays, epochDaysToDay } from "../../sim/calendar.ts";
import { AliasTable, Rng } from "../../sim/rng.ts";
import type { Customer } from "./customers.ts";
import { DEFAULT_MODEL, zipfWeights } from "../../sim/demand.ts";
import { ALBUM_RUN_ZIPF, LINE_COUNT_WEIGHTS, VIDEO, VIDEO_SALES_FACTOR } from "./reference.ts";
import type { Catalogue } from "./tracks.ts";

/** Chinook's own customers each buy about as often; a mild Zipf keeps a few more loyal. */
const CUSTOMER_ZIPF = 1.0;

export interface Invoice {
  id: number;
  customer: Customer;
  day: string;
  cents: number;
}

export function makeHistory(
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
  // Chinook's own pace: steady, no seasons (the model's history that follows fades them in).
  const dayWeights = new Float64Array(end - start + 1).fill(1);
  const count = Math.round(years * rng.int(80, 100));
  // The newest invoice lands on the last history day; the rest at even steps of the weights'
  // running total (a systematic sample): a steady pace like Chinook's own, about 7 a month, with
  // no month of 2 next to one of 14 (the store's monthly chart starts here).
  const total = dayWeights.reduce((a, b) => a + b, 0);
  const offset = rng.next();
  const days: number[] = [];
  let running = 0;
  let d = 0;
  for (let i = 0; i < count - 1; i++) {
    const target = ((i + offset) / (count - 1)) * total;
    while (d < dayWeights.length - 1 && running + dayWeights[d]! < target) {
      running += dayWeights[d++]!;
    }
    days.push(start + d);
  }
  days.push(end);

  // Loyal customers and popular tracks as in the simulated days: the model's Zipf, same order.
  const customerTable = new AliasTable(
    zipfWeights(customers.map((c) => c.id), CUSTOMER_ZIPF, "customer"),
  );
  const trackTable = new AliasTable(
    zipfWeights(tracks.map((t) => t.id), DEFAULT_MODEL.trackZipf, "track").map((w, i) =>
      tracks[i]!.mediaTypeId === VIDEO ? w * VIDEO_SALES_FACTOR : w
    ),
  );
  const albumTable = new AliasTable(
    zipfWeights(albumTracks.map((_, i) => i + 1), ALBUM_RUN_ZIPF, "album"),
  );
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
