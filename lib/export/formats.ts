/**
 * The export's format names: a leaf of its own, for the flag table (and the
 * launcher that reads it) must not load the writers (Parquet) to know them.
 */
import type { LandingFormat } from "./types.ts";

export const LANDING_FORMATS: readonly LandingFormat[] = ["csv", "jsonl", "parquet"];

export const EVENT_FORMATS = ["debezium", "cdc-flat"] as const;
export type EventFormat = (typeof EVENT_FORMATS)[number];
