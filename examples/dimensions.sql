-- The small dimensions, and customers as SCD Type 2 from the temporary view
-- customer_source (the customers the pattern saw change, or all of them).
-- Included by every example, inside its transaction.
TRUNCATE :"schema".dim_track;
INSERT INTO :"schema".dim_track
SELECT t."TrackId", t."Name", coalesce(g."Name", '')
  FROM public."Track" t LEFT JOIN public."Genre" g USING ("GenreId");

INSERT INTO :"schema".dim_date
SELECT DISTINCT invoice_date FROM :"schema".fact_sales ON CONFLICT DO NOTHING;

-- A customer whose attributes differ from the current version: that version
-- ends on the load's day and a new one starts on it. A customer never seen
-- starts on the day (on 1900-01-01 in the first load).
WITH first_load AS (SELECT NOT EXISTS (SELECT 1 FROM :"schema".dim_customer) AS yes),
closed AS (
  UPDATE :"schema".dim_customer d SET valid_to = :'day', is_current = false
    FROM customer_source s
   WHERE d.customer_id = s.customer_id AND d.is_current
     AND (d.first_name, d.last_name, d.company, d.address, d.city, d.state, d.country,
          d.postal_code, d.phone, d.fax, d.email, d.support_rep_id)
         IS DISTINCT FROM (s.first_name, s.last_name, s.company, s.address, s.city, s.state,
          s.country, s.postal_code, s.phone, s.fax, s.email, s.support_rep_id)
  RETURNING d.customer_id)
INSERT INTO :"schema".dim_customer (customer_id, first_name, last_name, company, address, city,
  state, country, postal_code, phone, fax, email, support_rep_id, valid_from, valid_to, is_current)
SELECT s.customer_id, s.first_name, s.last_name, s.company, s.address, s.city, s.state,
       s.country, s.postal_code, s.phone, s.fax, s.email, s.support_rep_id,
       CASE WHEN (SELECT yes FROM first_load) THEN DATE '1900-01-01' ELSE :'day'::date END,
       DATE '9999-12-31', true
  FROM customer_source s
 WHERE s.customer_id IN (SELECT customer_id FROM closed)
    OR NOT EXISTS (SELECT 1 FROM :"schema".dim_customer d WHERE d.customer_id = s.customer_id);
