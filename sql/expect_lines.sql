-- The warehouse's fact_sales as it should be at the end of the as-of day
-- (sql/expect_state.sql): one row per invoice line that existed then.
SELECT l."InvoiceLineId" AS invoice_line_id, l."InvoiceId" AS invoice_id,
       i."InvoiceDate"::date::text AS invoice_date, i."CustomerId" AS customer_id,
       l."TrackId" AS track_id, l."Quantity" AS quantity,
       l."UnitPrice"::numeric(10, 2)::text AS unit_price,
       (l."UnitPrice" * l."Quantity")::numeric(14, 2)::text AS revenue
  FROM expect_line l JOIN expect_invoice i ON i."InvoiceId" = l."InvoiceId";
