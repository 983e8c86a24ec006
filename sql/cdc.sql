-- CDC-ready audit columns and their trigger (setup --cdc). Idempotent; the
-- caller records which columns were added so --undo removes exactly those.
ALTER TABLE public."Invoice" ADD COLUMN IF NOT EXISTS created_at timestamptz;
ALTER TABLE public."Invoice" ADD COLUMN IF NOT EXISTS updated_at timestamptz;
ALTER TABLE public."InvoiceLine" ADD COLUMN IF NOT EXISTS created_at timestamptz;
ALTER TABLE public."InvoiceLine" ADD COLUMN IF NOT EXISTS updated_at timestamptz;
ALTER TABLE public."Customer" ADD COLUMN IF NOT EXISTS created_at timestamptz;
ALTER TABLE public."Customer" ADD COLUMN IF NOT EXISTS updated_at timestamptz;

-- History: an invoice and its lines were created at the invoice's time; a
-- customer at their first invoice (or the oldest invoice, without one).
UPDATE public."Invoice" SET created_at = "InvoiceDate", updated_at = "InvoiceDate" WHERE created_at IS NULL;
UPDATE public."InvoiceLine" l SET created_at = i."InvoiceDate", updated_at = i."InvoiceDate"
  FROM public."Invoice" i WHERE i."InvoiceId" = l."InvoiceId" AND l.created_at IS NULL;
UPDATE public."Customer" c
   SET created_at = coalesce((SELECT min("InvoiceDate") FROM public."Invoice" i WHERE i."CustomerId" = c."CustomerId"),
                             (SELECT min("InvoiceDate") FROM public."Invoice")),
       updated_at = coalesce((SELECT min("InvoiceDate") FROM public."Invoice" i WHERE i."CustomerId" = c."CustomerId"),
                             (SELECT min("InvoiceDate") FROM public."Invoice"))
 WHERE created_at IS NULL;

-- now() is the transaction's start: every row a day writes shares one
-- timestamp, so a watermark never splits a day's changes.
ALTER TABLE public."Invoice" ALTER COLUMN created_at SET DEFAULT now(), ALTER COLUMN created_at SET NOT NULL,
  ALTER COLUMN updated_at SET DEFAULT now(), ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE public."InvoiceLine" ALTER COLUMN created_at SET DEFAULT now(), ALTER COLUMN created_at SET NOT NULL,
  ALTER COLUMN updated_at SET DEFAULT now(), ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE public."Customer" ALTER COLUMN created_at SET DEFAULT now(), ALTER COLUMN created_at SET NOT NULL,
  ALTER COLUMN updated_at SET DEFAULT now(), ALTER COLUMN updated_at SET NOT NULL;

-- The trigger function is sql/cdc_touch.sql (run first).
DROP TRIGGER IF EXISTS chinook_sim_touch_updated_at ON public."Invoice";
CREATE TRIGGER chinook_sim_touch_updated_at BEFORE UPDATE ON public."Invoice"
  FOR EACH ROW EXECUTE FUNCTION chinook_sim.touch_updated_at();
DROP TRIGGER IF EXISTS chinook_sim_touch_updated_at ON public."InvoiceLine";
CREATE TRIGGER chinook_sim_touch_updated_at BEFORE UPDATE ON public."InvoiceLine"
  FOR EACH ROW EXECUTE FUNCTION chinook_sim.touch_updated_at();
DROP TRIGGER IF EXISTS chinook_sim_touch_updated_at ON public."Customer";
CREATE TRIGGER chinook_sim_touch_updated_at BEFORE UPDATE ON public."Customer"
  FOR EACH ROW EXECUTE FUNCTION chinook_sim.touch_updated_at();

-- Deletes (cancelled lines, hard-deleted invoices) carry the whole old row.
ALTER TABLE public."Invoice" REPLICA IDENTITY FULL;
ALTER TABLE public."InvoiceLine" REPLICA IDENTITY FULL;
