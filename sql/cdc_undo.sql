-- Removes what setup --cdc added (the columns are dropped by the caller,
-- only those it added). Idempotent.
DROP TRIGGER IF EXISTS chinook_sim_touch_updated_at ON public."Invoice";
DROP TRIGGER IF EXISTS chinook_sim_touch_updated_at ON public."InvoiceLine";
DROP TRIGGER IF EXISTS chinook_sim_touch_updated_at ON public."Customer";
DROP FUNCTION IF EXISTS chinook_sim.touch_updated_at();
ALTER TABLE public."Invoice" REPLICA IDENTITY DEFAULT;
ALTER TABLE public."InvoiceLine" REPLICA IDENTITY DEFAULT;
