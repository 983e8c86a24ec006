-- Daily sales facts per day x country x genre ($1 to $2, by "InvoiceDate"),
-- from the rows at the end of the as-of day (sql/expect_state.sql): an
-- invoice's revenue is split across genres by its lines; cancellations count
-- the invoices of the day cancelled by then, under the genres of their lines.
WITH sale AS (
  SELECT i."InvoiceDate"::date AS day, i."BillingCountry" AS country,
         coalesce(g."Name", '') AS genre, i."InvoiceId" AS invoice_id,
         l."UnitPrice" * l."Quantity" AS revenue
    FROM expect_line l
    JOIN expect_invoice i ON i."InvoiceId" = l."InvoiceId"
    LEFT JOIN public."Track" t ON t."TrackId" = l."TrackId"
    LEFT JOIN public."Genre" g ON g."GenreId" = t."GenreId"
   WHERE i."InvoiceDate" >= $1::date AND i."InvoiceDate" < $2::date + 1
),
cancelled AS (
  SELECT c.day, c.country, coalesce(g."Name", '') AS genre, c.invoice_id
    FROM expect_cancelled c
    LEFT JOIN public."Track" t ON t."TrackId" = c.track_id
    LEFT JOIN public."Genre" g ON g."GenreId" = t."GenreId"
   WHERE c.day BETWEEN $1::date AND $2::date
),
fact AS (
  SELECT day, country, genre, invoice_id, 1 AS line, revenue, NULL::int AS cancelled_id FROM sale
  UNION ALL
  SELECT day, country, genre, NULL, 0, 0, invoice_id FROM cancelled
)
SELECT day::text AS day, coalesce(country, '') AS country, genre,
       count(DISTINCT invoice_id)::int AS invoices, sum(line)::int AS lines,
       sum(revenue)::numeric(14, 2)::text AS revenue,
       count(DISTINCT cancelled_id)::int AS cancellations
  FROM fact
 GROUP BY 1, 2, 3;
