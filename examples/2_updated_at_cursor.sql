-- Pattern 2: an updated_at cursor (needs "chinook-sim setup --cdc": every
-- Invoice, InvoiceLine and Customer row carries updated_at, set by a trigger
-- on every update). Each run takes the rows changed since the newest
-- updated_at it saw, and replaces the facts of every invoice they touch: new
-- and late invoices, added lines, edits and cancellations (Total set to 0, the
-- lines removed) are all seen. A row that is deleted leaves no updated_at
-- behind: hard deletes (simulate --delete-mode hard) are missed, and audit
-- shows their lines still in fact_sales.
--
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -v schema=dw_cursor -v day=2026-03-02 \
--        -f examples/2_updated_at_cursor.sql
\ir warehouse.sql
-- One snapshot: the cursor moves to exactly what this run read.
BEGIN ISOLATION LEVEL REPEATABLE READ;

INSERT INTO :"schema".load_state VALUES ('cursor', '-infinity') ON CONFLICT DO NOTHING;
CREATE TEMP TABLE cursor_then AS
SELECT value::timestamptz AS at FROM :"schema".load_state WHERE name = 'cursor';

CREATE TEMP TABLE touched AS
SELECT "InvoiceId" AS invoice_id FROM public."Invoice" WHERE updated_at > (SELECT at FROM cursor_then)
UNION
SELECT "InvoiceId" FROM public."InvoiceLine" WHERE updated_at > (SELECT at FROM cursor_then);

DELETE FROM :"schema".fact_sales WHERE invoice_id IN (SELECT invoice_id FROM touched);
INSERT INTO :"schema".fact_sales
SELECT l."InvoiceLineId", l."InvoiceId", i."InvoiceDate"::date, i."CustomerId", l."TrackId",
       l."Quantity", l."UnitPrice", l."UnitPrice" * l."Quantity"
  FROM public."InvoiceLine" l JOIN public."Invoice" i USING ("InvoiceId")
 WHERE i."InvoiceId" IN (SELECT invoice_id FROM touched);

CREATE TEMP VIEW customer_source AS
SELECT "CustomerId" AS customer_id, "FirstName" AS first_name, "LastName" AS last_name,
       "Company" AS company, "Address" AS address, "City" AS city, "State" AS state,
       "Country" AS country, "PostalCode" AS postal_code, "Phone" AS phone, "Fax" AS fax,
       "Email" AS email, "SupportRepId" AS support_rep_id
  FROM public."Customer" WHERE updated_at > (SELECT at FROM cursor_then);
\ir dimensions.sql

UPDATE :"schema".load_state
   SET value = greatest((SELECT at FROM cursor_then),
                        (SELECT max(updated_at) FROM public."Invoice"),
                        (SELECT max(updated_at) FROM public."InvoiceLine"),
                        (SELECT max(updated_at) FROM public."Customer"))::text
 WHERE name = 'cursor';
COMMIT;
