-- The function behind setup --cdc's updated_at trigger. A rewind restores
-- rows exactly as they were, updated_at included: it sets
-- chinook_sim.restoring for its transaction. Idempotent.
CREATE OR REPLACE FUNCTION chinook_sim.touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('chinook_sim.restoring', true) = 'on' THEN
    RETURN NEW;
  END IF;
  NEW.updated_at := now();
  RETURN NEW;
END $$;
