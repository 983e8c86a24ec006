-- The Chinook rows as they were at the end of a day (the setting
-- chinook_sim.as_of), in temporary tables dropped at the end of the
-- transaction: what expect and audit compare with. The end of a day is the
-- database after every committed run before the first run of a later day (as
-- rewind --to defines it). A row a later run changed or deleted is its
-- before-image at that run's first change; a row a later run inserted did
-- not exist yet; every other row is as it is now.
CREATE TEMP TABLE expect_undone ON COMMIT DROP AS
SELECT run_id, sim_date, statements FROM chinook_sim.run
 WHERE state = 'committed'
   AND run_id >= (SELECT min(run_id) FROM chinook_sim.run
                   WHERE state = 'committed'
                     AND sim_date > current_setting('chinook_sim.as_of')::date);

CREATE TEMP TABLE expect_kept_run ON COMMIT DROP AS
SELECT r.run_id, r.sim_date, r.statements FROM chinook_sim.run r
 WHERE r.state = 'committed' AND NOT EXISTS (SELECT 1 FROM expect_undone u WHERE u.run_id = r.run_id);

CREATE TEMP TABLE expect_later_insert ON COMMIT DROP AS
SELECT s.value->>'table' AS table_name, (s.value->>'firstId')::int AS first_id,
       (s.value->>'firstId')::int + (s.value->>'rows')::int - 1 AS last_id
  FROM expect_undone u, jsonb_array_elements(u.statements) s
 WHERE s.value->>'op' = 'insert';

CREATE TEMP TABLE expect_first_later ON COMMIT DROP AS
SELECT DISTINCT ON (c.table_name, c.row_id) c.table_name, c.row_id, c.before
  FROM chinook_sim.change c JOIN expect_undone u USING (run_id)
 ORDER BY c.table_name, c.row_id, c.change_id;

CREATE TEMP TABLE expect_invoice ON COMMIT DROP AS
SELECT (x.r).* FROM (
  SELECT t AS r FROM public."Invoice" t
   WHERE NOT EXISTS (SELECT 1 FROM expect_first_later f
                      WHERE f.table_name = 'Invoice' AND f.row_id = t."InvoiceId")
  UNION ALL
  SELECT jsonb_populate_record(NULL::public."Invoice", f.before)
    FROM expect_first_later f WHERE f.table_name = 'Invoice'
) x
 WHERE NOT EXISTS (SELECT 1 FROM expect_later_insert l
                    WHERE l.table_name = 'Invoice' AND (x.r)."InvoiceId" BETWEEN l.first_id AND l.last_id);

CREATE TEMP TABLE expect_line ON COMMIT DROP AS
SELECT (x.r).* FROM (
  SELECT t AS r FROM public."InvoiceLine" t
   WHERE NOT EXISTS (SELECT 1 FROM expect_first_later f
                      WHERE f.table_name = 'InvoiceLine' AND f.row_id = t."InvoiceLineId")
  UNION ALL
  SELECT jsonb_populate_record(NULL::public."InvoiceLine", f.before)
    FROM expect_first_later f WHERE f.table_name = 'InvoiceLine'
) x
 WHERE NOT EXISTS (SELECT 1 FROM expect_later_insert l
                    WHERE l.table_name = 'InvoiceLine' AND (x.r)."InvoiceLineId" BETWEEN l.first_id AND l.last_id);

CREATE TEMP TABLE expect_customer ON COMMIT DROP AS
SELECT (x.r).* FROM (
  SELECT t AS r FROM public."Customer" t
   WHERE NOT EXISTS (SELECT 1 FROM expect_first_later f
                      WHERE f.table_name = 'Customer' AND f.row_id = t."CustomerId")
  UNION ALL
  SELECT jsonb_populate_record(NULL::public."Customer", f.before)
    FROM expect_first_later f WHERE f.table_name = 'Customer'
) x
 WHERE NOT EXISTS (SELECT 1 FROM expect_later_insert l
                    WHERE l.table_name = 'Customer' AND (x.r)."CustomerId" BETWEEN l.first_id AND l.last_id);

-- Invoices cancelled (or deleted) by the end of the day, with the genres of
-- the lines they had: their lines' before-images, logged by the same run
-- under the same label.
CREATE TEMP TABLE expect_cancelled ON COMMIT DROP AS
SELECT DISTINCT inv."InvoiceId" AS invoice_id, inv."InvoiceDate"::date AS day,
       inv."BillingCountry" AS country, line."TrackId" AS track_id
  FROM chinook_sim.change ci
  JOIN expect_kept_run r ON r.run_id = ci.run_id
  CROSS JOIN LATERAL jsonb_populate_record(NULL::public."Invoice", ci.before) inv
  JOIN chinook_sim.change cl
    ON cl.run_id = ci.run_id AND cl.table_name = 'InvoiceLine' AND cl.op = 'delete'
   AND cl.label = ci.label
  CROSS JOIN LATERAL jsonb_populate_record(NULL::public."InvoiceLine", cl.before) line
 WHERE ci.table_name = 'Invoice'
   AND ci.label IN ('invoice_cancel', 'invoice_delete', 'invoice_duplicate')
   AND line."InvoiceId" = inv."InvoiceId";
