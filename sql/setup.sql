-- What chinook-sim needs besides Chinook itself. Idempotent: every object
-- is created only when absent, so setup can run any number of times; it also
-- upgrades a database set up by an earlier release (see the end).
CREATE SCHEMA IF NOT EXISTS chinook_sim;

-- Ids for anyone else inserting rows; kept at or above chinook_sim.counter.
CREATE SEQUENCE IF NOT EXISTS chinook_sim.invoice_id_seq;
CREATE SEQUENCE IF NOT EXISTS chinook_sim.invoice_line_id_seq;
CREATE SEQUENCE IF NOT EXISTS chinook_sim.customer_id_seq;

-- Days are read by date range on every run.
CREATE INDEX IF NOT EXISTS ix_invoice_invoice_date ON public."Invoice" ("InvoiceDate");

-- One row per simulated day (a day with at least one committed run). The
-- counts and revenue are the totals of the day's committed runs; seed,
-- options, id range and manifest are the day's first run's (each run's own
-- are in chinook_sim.run).
CREATE TABLE IF NOT EXISTS chinook_sim.ledger (
  sim_date date PRIMARY KEY,
  seed text NOT NULL,
  tool_version text NOT NULL,
  time_zone text NOT NULL,
  delete_mode text NOT NULL,
  window_days integer NOT NULL,
  requested jsonb NOT NULL,
  inserts integer NOT NULL,
  updates integer NOT NULL,
  deletes integer NOT NULL,
  new_customers integer NOT NULL,
  customer_changes integer NOT NULL,
  lines integer NOT NULL,
  revenue numeric(14, 2) NOT NULL,
  first_invoice_id integer,
  last_invoice_id integer,
  runs integer NOT NULL DEFAULT 1,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
ALTER TABLE chinook_sim.ledger ADD COLUMN IF NOT EXISTS manifest jsonb;
ALTER TABLE chinook_sim.ledger ADD COLUMN IF NOT EXISTS late integer NOT NULL DEFAULT 0;
ALTER TABLE chinook_sim.ledger ADD COLUMN IF NOT EXISTS edits integer NOT NULL DEFAULT 0;
ALTER TABLE chinook_sim.ledger ADD COLUMN IF NOT EXISTS duplicates integer NOT NULL DEFAULT 0;

-- Facts about the database set once: the history shift, the catalogue used.
CREATE TABLE IF NOT EXISTS chinook_sim.meta (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The highest value ever issued by each counter: ids of the Chinook tables,
-- runs, changes and events. Rows of a table under the simulation lock, so a
-- dry run or a failed run moves nothing (sequences are not transactional).
-- Never lowered: an id once issued is never issued again.
CREATE TABLE IF NOT EXISTS chinook_sim.counter (
  name text PRIMARY KEY
    CHECK (name IN ('invoice', 'invoice_line', 'customer', 'run', 'change', 'event')),
  value bigint NOT NULL
);

-- Every committed run keeps its own record; a rewound run stays, marked so.
-- Its row changes are events sequence_base + 1 … sequence_base + events, in
-- the order of `statements` (each: table, op, label, rows, firstSequence, and
-- firstId for inserts or firstChangeId for updates and deletes).
CREATE TABLE IF NOT EXISTS chinook_sim.run (
  run_id bigint PRIMARY KEY,
  sim_date date NOT NULL,
  run_number integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('batch', 'live', 'history')),
  state text NOT NULL CHECK (state IN ('committed', 'rewound')),
  seed text NOT NULL,
  tool_version text NOT NULL,
  time_zone text NOT NULL,
  delete_mode text NOT NULL,
  window_days integer NOT NULL,
  options jsonb NOT NULL,
  requested jsonb NOT NULL,
  inserts integer NOT NULL,
  updates integer NOT NULL,
  deletes integer NOT NULL,
  new_customers integer NOT NULL,
  customer_changes integer NOT NULL,
  lines integer NOT NULL,
  late integer NOT NULL,
  edits integer NOT NULL,
  duplicates integer NOT NULL,
  revenue numeric(14, 2) NOT NULL,
  first_invoice_id integer,
  last_invoice_id integer,
  first_line_id integer,
  last_line_id integer,
  first_customer_id integer,
  last_customer_id integer,
  manifest jsonb,
  sequence_base bigint NOT NULL,
  events bigint NOT NULL,
  statements jsonb NOT NULL,
  -- False for runs recorded before before-images were kept: they cannot be rewound.
  before_images boolean NOT NULL DEFAULT true,
  started_at timestamptz NOT NULL,
  -- The last statement of the run's transaction; txid: its transaction id.
  committed_at timestamptz NOT NULL,
  txid bigint,
  rewound_at timestamptz,
  UNIQUE (sim_date, run_number)
);

-- A database set up by the first release kept a change log without
-- before-images (later with an identity change_id): it is kept, renamed, and
-- copied into the log below.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns
              WHERE table_schema = 'chinook_sim' AND table_name = 'change' AND column_name = 'operation') THEN
    ALTER TABLE chinook_sim.change RENAME TO change_v1;
    ALTER TABLE chinook_sim.change_v1 DROP CONSTRAINT IF EXISTS change_sim_date_fkey;
    ALTER INDEX IF EXISTS chinook_sim.change_sim_date_idx RENAME TO change_v1_sim_date_idx;
    ALTER INDEX IF EXISTS chinook_sim.change_pkey RENAME TO change_v1_pkey;
  END IF;
END $$;

-- One row per row-level change a run made to an existing row (update or
-- delete), in the order made: the complete row before the change (to_jsonb),
-- and what the change meant (invoice_update, invoice_cancel, …). Rows a run
-- inserted are its id ranges. `table_name` is the PascalCase name whatever
-- the variant; `before` is NULL only for changes copied from the first release.
CREATE TABLE IF NOT EXISTS chinook_sim.change (
  change_id bigint PRIMARY KEY,
  -- Checked at commit: a run's record is written after its changes.
  run_id bigint NOT NULL REFERENCES chinook_sim.run (run_id) DEFERRABLE INITIALLY DEFERRED,
  sim_date date NOT NULL,
  sequence bigint,
  table_name text NOT NULL CHECK (table_name IN ('Invoice', 'InvoiceLine', 'Customer')),
  op text NOT NULL CHECK (op IN ('update', 'delete')),
  row_id integer NOT NULL,
  label text NOT NULL,
  before jsonb
);
CREATE INDEX IF NOT EXISTS change_run_idx ON chinook_sim.change (run_id);
CREATE INDEX IF NOT EXISTS change_row_idx ON chinook_sim.change (table_name, row_id);
CREATE INDEX IF NOT EXISTS change_sim_date_idx ON chinook_sim.change (sim_date);

-- Upgrade: each day of an earlier release's ledger becomes one run (its
-- counts; its first and last invoice id; the rest from its manifest).
INSERT INTO chinook_sim.run (run_id, sim_date, run_number, kind, state, seed, tool_version, time_zone,
  delete_mode, window_days, options, requested, inserts, updates, deletes, new_customers,
  customer_changes, lines, late, edits, duplicates, revenue, first_invoice_id, last_invoice_id,
  first_line_id, last_line_id, first_customer_id, last_customer_id, manifest, sequence_base, events,
  statements, before_images, started_at, committed_at)
SELECT coalesce((SELECT max(run_id) FROM chinook_sim.run), 0)
         + row_number() OVER (ORDER BY l.finished_at, l.sim_date),
       l.sim_date, 1, 'batch', 'committed', l.seed, l.tool_version, l.time_zone, l.delete_mode,
       l.window_days, jsonb_build_object('upgradedFromRuns', l.runs), l.requested, l.inserts,
       l.updates, l.deletes, l.new_customers, l.customer_changes, l.lines, l.late, l.edits,
       l.duplicates, l.revenue, l.first_invoice_id, l.last_invoice_id,
       (l.manifest #>> '{inserted,invoiceLineIds,first}')::int,
       (l.manifest #>> '{inserted,invoiceLineIds,last}')::int,
       (SELECT min(c::int) FROM jsonb_array_elements_text(l.manifest #> '{inserted,customerIds}') c),
       (SELECT max(c::int) FROM jsonb_array_elements_text(l.manifest #> '{inserted,customerIds}') c),
       l.manifest, 0, 0, '[]'::jsonb, false, l.started_at, l.finished_at
  FROM chinook_sim.ledger l
 WHERE NOT EXISTS (SELECT 1 FROM chinook_sim.run r WHERE r.sim_date = l.sim_date);

-- Upgrade: the first release's change rows that changed an existing row.
DO $$
BEGIN
  IF to_regclass('chinook_sim.change_v1') IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM chinook_sim.change) THEN
    INSERT INTO chinook_sim.change (change_id, run_id, sim_date, table_name, op, row_id, label)
    SELECT row_number() OVER (ORDER BY r.run_id, v.ctid), r.run_id, v.sim_date,
           CASE WHEN v.operation LIKE 'customer%' THEN 'Customer' ELSE 'Invoice' END,
           CASE WHEN v.operation = 'invoice_delete'
                  OR (v.operation = 'invoice_duplicate' AND r.delete_mode = 'hard')
                THEN 'delete' ELSE 'update' END,
           coalesce(v.invoice_id, v.customer_id), v.operation
      FROM chinook_sim.change_v1 v
      JOIN chinook_sim.run r ON r.sim_date = v.sim_date AND r.run_number = 1
     WHERE v.operation NOT IN ('customer_insert', 'invoice_late');
  END IF;
END $$;

-- Each customer's latest invoice as of the end of a day the tool wrote (the
-- latest few days only): a day's snapshot starts from the stored day before
-- it and reads only the invoices since (lib/db/recency.ts). `latest`: one
-- little-endian int4 per CustomerId from 0 (unused), the epoch day of the
-- customer's latest invoice dated on or before sim_date, -1 for none; ids
-- past its end have none. Invoices numbered from next_invoice_id on were
-- not issued yet when the day ended (bigint: past the last integer key when
-- the ids have run out).
CREATE TABLE IF NOT EXISTS chinook_sim.recency (
  sim_date date PRIMARY KEY,
  next_invoice_id bigint NOT NULL,
  latest bytea NOT NULL
);

-- The days' events as the first release logged them, for queries by day: one
-- row per invoice or customer a committed run changed (its label as
-- `operation`), per late invoice and per new customer.
CREATE OR REPLACE VIEW chinook_sim.day_event AS
SELECT c.sim_date, c.run_id, c.label AS operation,
       CASE WHEN c.table_name = 'Invoice' THEN c.row_id END AS invoice_id,
       CASE WHEN c.table_name = 'Customer' THEN c.row_id END AS customer_id
  FROM chinook_sim.change c JOIN chinook_sim.run r USING (run_id)
 WHERE r.state = 'committed' AND c.table_name IN ('Invoice', 'Customer')
UNION ALL
SELECT r.sim_date, r.run_id, 'invoice_late', (l.value->>'invoiceId')::int, NULL
  FROM chinook_sim.run r, jsonb_array_elements(coalesce(r.manifest->'late', '[]'::jsonb)) l
 WHERE r.state = 'committed'
UNION ALL
SELECT r.sim_date, r.run_id, 'customer_insert', NULL, g.id
  FROM chinook_sim.run r, generate_series(r.first_customer_id, r.last_customer_id) AS g(id)
 WHERE r.state = 'committed';

-- The counters start above everything recorded so far (ids: see ledger.ts).
INSERT INTO chinook_sim.counter (name, value)
SELECT 'run', coalesce(max(run_id), 0) FROM chinook_sim.run
UNION ALL SELECT 'change', coalesce(max(change_id), 0) FROM chinook_sim.change
UNION ALL SELECT 'event', coalesce(max(sequence_base + events), 0) FROM chinook_sim.run
ON CONFLICT (name) DO UPDATE SET value = greatest(chinook_sim.counter.value, EXCLUDED.value);

-- The version of this schema: commands upgrade an older one before writing.
INSERT INTO chinook_sim.meta (key, value) VALUES ('schema', '3')
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
  WHERE chinook_sim.meta.value::int < EXCLUDED.value::int;
