-- Live mode: one row per day a live run writes. The day's plan is built once,
-- when its first slice commits, and kept here, so a resumed run applies
-- exactly the plan it started; `position` (how many of the plan's changes,
-- in time order, are committed) moves in the same transaction as each slice.
-- Idempotent: live runs it before its first slice.
CREATE TABLE IF NOT EXISTS chinook_sim.live_day (
  sim_date date PRIMARY KEY,
  run_id bigint NOT NULL,
  seed text NOT NULL,
  -- The plan, its added lines, the day's options (encoded typed arrays).
  plan jsonb NOT NULL,
  position integer NOT NULL,
  total integer NOT NULL,
  -- The simulated second of the day the committed slices reach (86400: the day's end).
  clock integer NOT NULL,
  commits integer NOT NULL,
  -- What the slices did so far, as the batch reports a day.
  writes jsonb NOT NULL,
  -- With setup --web: the day's clickstream, and how many of its sessions and events are written.
  click jsonb,
  click_sessions integer NOT NULL DEFAULT 0,
  click_events integer NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  finished_at timestamptz
);
