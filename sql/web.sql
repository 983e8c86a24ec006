-- setup --web: the store's web shop as a second source, in its own schema.
-- Idempotent: every object is created only when absent. Each row names the
-- run that wrote it (chinook_sim.run), so rewind removes it with its run.
-- No foreign keys into the Chinook tables: a tracking system keeps its own
-- copy of ids (a hard-deleted invoice leaves its purchase event behind).
CREATE SCHEMA IF NOT EXISTS chinook_web;

-- The highest id ever issued per table; never lowered, so ids only move forward.
CREATE TABLE IF NOT EXISTS chinook_web.counter (
  name text PRIMARY KEY CHECK (name IN ('session', 'event', 'review')),
  value bigint NOT NULL
);
INSERT INTO chinook_web.counter (name, value)
VALUES ('session', 0), ('event', 0), ('review', 0)
ON CONFLICT (name) DO NOTHING;

CREATE TABLE IF NOT EXISTS chinook_web.session (
  session_id bigint PRIMARY KEY,
  run_id bigint NOT NULL REFERENCES chinook_sim.run (run_id),
  sim_date date NOT NULL,
  visitor_id text NOT NULL,
  customer_id integer,
  started_at timestamp(3) NOT NULL,
  ended_at timestamp(3) NOT NULL,
  device text NOT NULL,
  browser text NOT NULL,
  referrer text NOT NULL,
  country text NOT NULL,
  landing_page text NOT NULL,
  purchases integer NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_web_session_run ON chinook_web.session (run_id);
CREATE INDEX IF NOT EXISTS ix_web_session_date ON chinook_web.session (sim_date);

-- The most rows of a day, so no foreign keys here: their per-row checks
-- tripled the day's write time (the session's keys are checked on the session).
CREATE TABLE IF NOT EXISTS chinook_web.event (
  event_id bigint PRIMARY KEY,
  session_id bigint NOT NULL,
  run_id bigint NOT NULL,
  sim_date date NOT NULL,
  occurred_at timestamp(3) NOT NULL,
  event_type text NOT NULL CHECK (event_type IN
    ('page_view', 'search', 'add_to_cart', 'remove_from_cart', 'begin_checkout', 'purchase')),
  page text NOT NULL,
  track_id integer,
  album_id integer,
  artist_id integer,
  search_query text,
  invoice_id integer,
  CHECK ((event_type = 'purchase') = (invoice_id IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS ix_web_event_session ON chinook_web.event (session_id);
CREATE INDEX IF NOT EXISTS ix_web_event_run ON chinook_web.event (run_id);
CREATE INDEX IF NOT EXISTS ix_web_event_date ON chinook_web.event (sim_date);
CREATE INDEX IF NOT EXISTS ix_web_event_invoice ON chinook_web.event (invoice_id)
  WHERE invoice_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS chinook_web.review (
  review_id bigint PRIMARY KEY,
  run_id bigint NOT NULL REFERENCES chinook_sim.run (run_id),
  sim_date date NOT NULL,
  invoice_line_id integer NOT NULL UNIQUE,
  customer_id integer NOT NULL,
  track_id integer NOT NULL,
  rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  reviewed_at timestamp(3) NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_web_review_run ON chinook_web.review (run_id);
CREATE INDEX IF NOT EXISTS ix_web_review_date ON chinook_web.review (sim_date);
