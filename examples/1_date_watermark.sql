-- Pattern 1: a date watermark on "InvoiceDate". Each run loads the invoices
-- dated after the newest date it loaded before. Simple, and wrong on a living
-- source: an invoice that arrives late (dated days before it is committed),
-- a line added to an older invoice, an edit or a cancellation is never seen.
-- "chinook-sim audit" shows it (fact_sales and revenue per day fail).
--
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -v schema=dw_watermark -v day=2026-03-02 \
--        -f examples/1_date_watermark.sql
--
-- day: the day just simulated (the load's logical date: customer versions
-- start on it); schema: the warehouse's schema, in the source database.
\ir warehouse.sql
BEGIN ISOLATION LEVEL REPEATABLE READ;

INSERT INTO :"schema".load_state VALUES ('watermark', '-infinity') ON CONFLICT DO NOTHING;

INSERT INTO :"schema".fact_sales
SELECT l."InvoiceLineId", l."InvoiceId", i."InvoiceDate"::date, i."CustomerId", l."TrackId",
       l."Quantity", l."UnitPrice", l."UnitPrice" * l."Quantity"
  FROM public."InvoiceLine" l JOIN public."Invoice" i USING ("InvoiceId")
 WHERE i."InvoiceDate" > (SELECT value::timestamp FROM :"schema".load_state WHERE name = 'watermark');

UPDATE :"schema".load_state
   SET value = (SELECT coalesce(max("InvoiceDate"), '-infinity')::text FROM public."Invoice")
 WHERE name = 'watermark';

-- Customers have no date: compared whole with the warehouse each day.
CREATE TEMP VIEW customer_source AS
SELECT "CustomerId" AS customer_id, "FirstName" AS first_name, "LastName" AS last_name,
       "Company" AS company, "Address" AS address, "City" AS city, "State" AS state,
       "Country" AS country, "PostalCode" AS postal_code, "Phone" AS phone, "Fax" AS fax,
       "Email" AS email, "SupportRepId" AS support_rep_id
  FROM public."Customer";
\ir dimensions.sql
COMMIT;
