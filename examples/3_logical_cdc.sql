-- Pattern 3, every day: log-based CDC. Reads the changes committed since the
-- last run from the slot (test_decoding's text: one row per inserted, updated
-- or deleted row, every column with its value), applies the last change of
-- each row to the replica, then replaces the facts of every invoice touched.
-- Every change is in the log, deletes included: audit passes.
--
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -v schema=dw_cdc -v slot=dw_cdc \
--        -v day=2026-03-02 -f examples/3_logical_cdc.sql
--
-- The slot is only peeked at here and advanced after the commit: a run that
-- fails reads the same changes again next time.
CREATE TEMP TABLE cdc_event AS
SELECT c.n, c.lsn, c.data,
       substring(c.data FROM '^table [^ ]+\.("?[A-Za-z_]+"?): ') AS tbl,
       substring(c.data FROM '^table [^ ]+: (INSERT|UPDATE|DELETE):') AS op
  FROM pg_logical_slot_peek_changes(:'slot', NULL, NULL) WITH ORDINALITY AS c(lsn, xid, data, n);

BEGIN ISOLATION LEVEL REPEATABLE READ;
-- Each row change as JSON: the new row (an update's new-tuple), or a deleted
-- row's old key. Values: 'text' (quotes doubled inside), null, or a bare word.
CREATE TEMP TABLE cdc_row AS
SELECT e.n, replace(e.tbl, '"', '') AS tbl, e.op,
       (SELECT jsonb_object_agg(m[1],
                 CASE WHEN m[2] = 'null' THEN NULL
                      WHEN left(m[2], 1) = '''' THEN to_jsonb(replace(substr(m[2], 2, length(m[2]) - 2), '''''', ''''))
                      ELSE to_jsonb(m[2]) END)
          FROM regexp_matches(
                 CASE WHEN e.data LIKE '%new-tuple: %' THEN substring(e.data FROM 'new-tuple: (.*)$')
                      ELSE e.data END,
                 '"?([A-Za-z_]+)"?\[[^]]*\]:(''(?:[^'']|'''')*''|[^ ]+)', 'g') AS m) AS image
  FROM cdc_event e
 WHERE e.op IS NOT NULL AND replace(e.tbl, '"', '') IN ('Invoice', 'InvoiceLine', 'Customer');

-- The last change of each row decides: a delete removes it, anything else is its row now.
CREATE TEMP TABLE cdc_last AS
SELECT DISTINCT ON (tbl, row_id) *
  FROM (SELECT r.*, (r.image->>(CASE r.tbl WHEN 'Invoice' THEN 'InvoiceId'
                                           WHEN 'InvoiceLine' THEN 'InvoiceLineId'
                                           ELSE 'CustomerId' END))::int AS row_id
          FROM cdc_row r) x
 ORDER BY tbl, row_id, n DESC;

DELETE FROM :"schema".src_invoice s USING cdc_last c
 WHERE c.tbl = 'Invoice' AND s."InvoiceId" = c.row_id;
INSERT INTO :"schema".src_invoice
SELECT (jsonb_populate_record(CAST(NULL AS :"schema".src_invoice), c.image)).*
  FROM cdc_last c WHERE c.tbl = 'Invoice' AND c.op <> 'DELETE';
DELETE FROM :"schema".src_line s USING cdc_last c
 WHERE c.tbl = 'InvoiceLine' AND s."InvoiceLineId" = c.row_id;
INSERT INTO :"schema".src_line
SELECT (jsonb_populate_record(CAST(NULL AS :"schema".src_line), c.image)).*
  FROM cdc_last c WHERE c.tbl = 'InvoiceLine' AND c.op <> 'DELETE';
DELETE FROM :"schema".src_customer s USING cdc_last c
 WHERE c.tbl = 'Customer' AND s."CustomerId" = c.row_id;
INSERT INTO :"schema".src_customer
SELECT (jsonb_populate_record(CAST(NULL AS :"schema".src_customer), c.image)).*
  FROM cdc_last c WHERE c.tbl = 'Customer' AND c.op <> 'DELETE';

-- The invoices any change touched: a line's change names its invoice (a
-- deleted line too, with setup --cdc's REPLICA IDENTITY FULL).
CREATE TEMP TABLE touched AS
SELECT DISTINCT (image->>'InvoiceId')::int AS invoice_id
  FROM cdc_row WHERE tbl IN ('Invoice', 'InvoiceLine');
DELETE FROM :"schema".fact_sales WHERE invoice_id IN (SELECT invoice_id FROM touched);
INSERT INTO :"schema".fact_sales
SELECT l."InvoiceLineId", l."InvoiceId", i."InvoiceDate"::date, i."CustomerId", l."TrackId",
       l."Quantity", l."UnitPrice", l."UnitPrice" * l."Quantity"
  FROM :"schema".src_line l JOIN :"schema".src_invoice i USING ("InvoiceId")
 WHERE i."InvoiceId" IN (SELECT invoice_id FROM touched);

CREATE TEMP VIEW customer_source AS
SELECT "CustomerId" AS customer_id, "FirstName" AS first_name, "LastName" AS last_name,
       "Company" AS company, "Address" AS address, "City" AS city, "State" AS state,
       "Country" AS country, "PostalCode" AS postal_code, "Phone" AS phone, "Fax" AS fax,
       "Email" AS email, "SupportRepId" AS support_rep_id
  FROM :"schema".src_customer
 WHERE "CustomerId" IN (SELECT row_id FROM cdc_last WHERE tbl = 'Customer');
\ir dimensions.sql
COMMIT;

SELECT 'slot advanced' AS status
  FROM pg_replication_slot_advance(:'slot', (SELECT max(lsn) FROM cdc_event))
 WHERE EXISTS (SELECT 1 FROM cdc_event);
