-- The customer dimension as SCD Type 2 at the end of the as-of day
-- (sql/expect_state.sql): one row per version. A version starts on the day
-- of the change that made it (a day's changes make one version: the state at
-- the end of that day) and ends on the next version's first day (exclusive;
-- 9999-12-31 for the current one). A customer from before the first simulated
-- day starts on 1900-01-01, a new one on the day it signed up.
WITH created AS (
  SELECT l.first_id, l.last_id, r.sim_date
    FROM expect_kept_run r,
         LATERAL (SELECT (s.value->>'firstId')::int AS first_id,
                         (s.value->>'firstId')::int + (s.value->>'rows')::int - 1 AS last_id
                    FROM jsonb_array_elements(r.statements) s
                   WHERE s.value->>'op' = 'insert' AND s.value->>'table' = 'Customer') l
),
-- Each state a customer had, in order: the before-image of each kept change,
-- then the row at the end of the day; each ends with the change after it.
state AS (
  SELECT c.row_id AS key_id, c.change_id AS ord, r.sim_date AS ended, p.*
    FROM chinook_sim.change c
    JOIN expect_kept_run r ON r.run_id = c.run_id
    CROSS JOIN LATERAL jsonb_populate_record(NULL::public."Customer", c.before) p
   WHERE c.table_name = 'Customer'
  UNION ALL
  SELECT e."CustomerId", NULL, NULL, e.*
    FROM expect_customer e
),
dated AS (
  SELECT s.*,
         coalesce(lag(s.ended) OVER w,
                  (SELECT min(k.sim_date) FROM created k
                    WHERE s.key_id BETWEEN k.first_id AND k.last_id),
                  DATE '1900-01-01') AS valid_from
    FROM state s
  WINDOW w AS (PARTITION BY s.key_id ORDER BY s.ord NULLS LAST)
),
version AS (
  -- The state at the end of each day: the last state that started that day.
  SELECT DISTINCT ON (key_id, valid_from) *
    FROM dated
   ORDER BY key_id, valid_from, ord DESC NULLS FIRST
)
SELECT v.key_id AS customer_id, v."FirstName" AS first_name, v."LastName" AS last_name,
       v."Company" AS company, v."Address" AS address, v."City" AS city, v."State" AS state,
       v."Country" AS country, v."PostalCode" AS postal_code, v."Phone" AS phone, v."Fax" AS fax,
       v."Email" AS email, v."SupportRepId" AS support_rep_id,
       v.valid_from::text AS valid_from,
       coalesce(lead(v.valid_from) OVER (PARTITION BY v.key_id ORDER BY v.valid_from),
                DATE '9999-12-31')::text AS valid_to,
       lead(v.valid_from) OVER (PARTITION BY v.key_id ORDER BY v.valid_from) IS NULL AS is_current
  FROM version v;
