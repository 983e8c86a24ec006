-- Pattern 3, when done: drop the slot (it keeps the server's WAL otherwise).
--   psql "$DATABASE_URL" -v slot=dw_cdc -f examples/3_logical_cdc_stop.sql
SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = :'slot';
