-- Moves every historical invoice by the same number of days so that the
-- newest lands on $1 (the day before the first simulated day). Parameters:
-- $1 target last historical day. Returns the shift in days.
WITH bounds AS (
  SELECT ($1::date - max("InvoiceDate")::date) AS shift FROM public."Invoice"
), moved AS (
  UPDATE public."Invoice" i
     SET "InvoiceDate" = i."InvoiceDate" + make_interval(days => b.shift)
    FROM bounds b
   WHERE b.shift <> 0
  RETURNING 1
)
SELECT (SELECT shift FROM bounds) AS shift, (SELECT count(*) FROM moved) AS moved;
