/** Years of invoice history before the first simulated day. Pure. */
import { dayToEpochDays, epochDaysToDay } from "../../sim/calendar.ts";
import { AliasTable, Rng } from "../../sim/rng.ts";
import type { Customer } from "./customers.ts";
import { zipfWeights } from "./draw.ts";
import { LINE_COUNT_WEIGHTS, MONTH_FACTORS, VIDEO, WEEKDAY_FACTORS } from "./reference.ts";
import type { Catalogue } from "./tracks.ts";

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
  const dayWeights = new Float64Array(end - start + 1);
  for (let d = start; d <= end; d++) {
    const day = epochDaysToDay(d);
    const month = Number(day.slice(5, 7)) - 1;
    // Slow growth over the years, seasons and weekdays.
    const growth = 1 + (0.1 * (d - start)) / 365.25;
    dayWeights[d - start] = growth * MONTH_FACTORS[month]! * WEEKDAY_FACTORS[(d + 4) % 7]!;
  }
  const dayTable = new AliasTable(dayWeights);
  const count = Math.round(years * rng.int(80, 100));
  // The newest invoice lands on the last history day; the rest spread by weight.
  const days: number[] = [end];
  for (let i = 1; i < count; i++) days.push(start + dayTable.sample(rng));
  days.sort((a, b) => a - b);

  const customerTable = new AliasTable(zipfWeights(rng, customers.length, 0.5));
  const trackTable = new AliasTable(
    zipfWeights(rng, tracks.length, 0.8).map((w, i) =>
      tracks[i]!.mediaTypeId === VIDEO ? w * 0.5 : w
    ),
  );
  const albumTable = new AliasTable(zipfWeights(rng, albumTracks.length, 0.7));
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
