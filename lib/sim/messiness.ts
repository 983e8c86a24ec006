/**
 * The levels of --messiness: a leaf of its own, for the flag table (and the
 * launcher that reads it) must not load the plan to know them.
 */

/** Late and messy changes, each a rate per new invoice; all 0 by default. */
export interface Messiness {
  /** Share of new invoices dated 1–7 days earlier (late-arriving). */
  lateRate: number;
  /** Invoices of earlier days whose quantity is edited, per new invoice. */
  editRate: number;
  /** Share of new invoices submitted twice; the duplicate is cancelled minutes later. */
  duplicateRate: number;
}

export const NO_MESS: Messiness = { lateRate: 0, editRate: 0, duplicateRate: 0 };

export const MESSINESS_LEVELS: Record<"none" | "low" | "medium" | "high", Messiness> = {
  none: NO_MESS,
  low: { lateRate: 0.01, editRate: 0.01, duplicateRate: 0.005 },
  medium: { lateRate: 0.03, editRate: 0.03, duplicateRate: 0.01 },
  high: { lateRate: 0.08, editRate: 0.06, duplicateRate: 0.03 },
};
