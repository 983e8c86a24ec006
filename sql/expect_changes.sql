-- Rows inserted, updated and deleted per day ($1 to $2) and table by the
-- runs kept at the end of the as-of day (sql/expect_state.sql), from each
-- run's statements; a day with runs lists all three tables.
SELECT r.sim_date::text AS day, t.table_name,
       coalesce(sum((s.value->>'rows')::int) FILTER (WHERE s.value->>'op' = 'insert'), 0)::int AS inserted,
       coalesce(sum((s.value->>'rows')::int) FILTER (WHERE s.value->>'op' = 'update'), 0)::int AS updated,
       coalesce(sum((s.value->>'rows')::int) FILTER (WHERE s.value->>'op' = 'delete'), 0)::int AS deleted
  FROM expect_kept_run r
 CROSS JOIN (VALUES ('Invoice'), ('InvoiceLine'), ('Customer')) AS t(table_name)
  LEFT JOIN LATERAL jsonb_array_elements(r.statements) s ON s.value->>'table' = t.table_name
 WHERE r.sim_date BETWEEN $1::date AND $2::date
 GROUP BY 1, 2;
