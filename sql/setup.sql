-- What chinook-sim needs besides Chinook itself. Idempotent: every object
-- is created only when absent, so setup can run any number of times.
CREATE SCHEMA IF NOT EXISTS chinook_sim;

-- Ids of simulated rows; kept above the current maxima after every day.
CREATE SEQUENCE IF NOT EXISTS chinook_sim.invoice_id_seq;
CREATE SEQUENCE IF NOT EXISTS chinook_sim.invoice_line_id_seq;
CREATE SEQUENCE IF NOT EXISTS chinook_sim.customer_id_seq;

-- Days are read by date range on every run.
CREATE INDEX IF NOT EXISTS ix_invoice_invoice_date ON public."Invoice" ("InvoiceDate");

-- One row per simulated day.
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

-- Every change a day made to existing rows, for verify and for pipelines
-- that want the ground truth. Inserted invoices are the ledger's id range.
CREATE TABLE IF NOT EXISTS chinook_sim.change (
  sim_date date NOT NULL REFERENCES chinook_sim.ledger (sim_date) ON DELETE CASCADE,
  operation text NOT NULL CHECK (operation IN
    ('invoice_update', 'invoice_cancel', 'invoice_delete', 'invoice_late', 'invoice_edit',
     'invoice_duplicate', 'customer_insert', 'customer_address', 'customer_email')),
  invoice_id integer,
  customer_id integer,
  new_total numeric(10, 2)
);
CREATE INDEX IF NOT EXISTS change_sim_date_idx ON chinook_sim.change (sim_date);

-- Facts about the database set once: the history shift, the catalogue used.
CREATE TABLE IF NOT EXISTS chinook_sim.meta (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Added after the first release of the ledger: the day's change manifest.
ALTER TABLE chinook_sim.ledger ADD COLUMN IF NOT EXISTS manifest jsonb;
ALTER TABLE chinook_sim.ledger ADD COLUMN IF NOT EXISTS late integer NOT NULL DEFAULT 0;
ALTER TABLE chinook_sim.ledger ADD COLUMN IF NOT EXISTS edits integer NOT NULL DEFAULT 0;
ALTER TABLE chinook_sim.ledger ADD COLUMN IF NOT EXISTS duplicates integer NOT NULL DEFAULT 0;

-- The change log's key, in the order changes were made: its highest value moves with every
-- change recorded (what the served dashboard polls).
ALTER TABLE chinook_sim.change
  ADD COLUMN IF NOT EXISTS change_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
