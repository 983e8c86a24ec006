-- Pattern 3, once: a logical replication slot (plugin test_decoding, which
-- ships with PostgreSQL; needs wal_level=logical) and a replica of the three
-- tables chinook-sim changes, loaded from a snapshot. The slot is created
-- first: a change committed in between is then both in the snapshot and in
-- the slot, and applying it again changes nothing.
--
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -v schema=dw_cdc -v slot=dw_cdc \
--        -v day=2026-03-01 -f examples/3_logical_cdc_start.sql
--
-- A slot keeps the server's WAL until it is read: drop it when done
-- (examples/3_logical_cdc_stop.sql).
SELECT 'slot created' AS status FROM pg_create_logical_replication_slot(:'slot', 'test_decoding');
\ir warehouse.sql
BEGIN ISOLATION LEVEL REPEATABLE READ;
CREATE TABLE :"schema".src_invoice (LIKE public."Invoice", PRIMARY KEY ("InvoiceId"));
CREATE TABLE :"schema".src_line (LIKE public."InvoiceLine", PRIMARY KEY ("InvoiceLineId"));
CREATE TABLE :"schema".src_customer (LIKE public."Customer", PRIMARY KEY ("CustomerId"));
INSERT INTO :"schema".src_invoice SELECT * FROM public."Invoice";
INSERT INTO :"schema".src_line SELECT * FROM public."InvoiceLine";
INSERT INTO :"schema".src_customer SELECT * FROM public."Customer";

INSERT INTO :"schema".fact_sales
SELECT l."InvoiceLineId", l."InvoiceId", i."InvoiceDate"::date, i."CustomerId", l."TrackId",
       l."Quantity", l."UnitPrice", l."UnitPrice" * l."Quantity"
  FROM :"schema".src_line l JOIN :"schema".src_invoice i USING ("InvoiceId");
CREATE TEMP VIEW customer_source AS
SELECT "CustomerId" AS customer_id, "FirstName" AS first_name, "LastName" AS last_name,
       "Company" AS company, "Address" AS address, "City" AS city, "State" AS state,
       "Country" AS country, "PostalCode" AS postal_code, "Phone" AS phone, "Fax" AS fax,
       "Email" AS email, "SupportRepId" AS support_rep_id
  FROM :"schema".src_customer;
\ir dimensions.sql
COMMIT;
