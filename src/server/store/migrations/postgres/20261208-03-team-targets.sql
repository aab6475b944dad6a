-- Targets per team (docs/reporting.md, "Targets"): a target names the commune, one hamlet or one
-- team ('' for none, as hamlet_id); team_id joins the key that makes a later target replace an
-- earlier one. The old key's constraint has a generated name, so it is looked up.
ALTER TABLE targets ADD COLUMN team_id TEXT NOT NULL DEFAULT '';
DO $$
DECLARE c TEXT;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'targets'::regclass AND contype = 'u' LOOP
    EXECUTE format('ALTER TABLE targets DROP CONSTRAINT %I', c);
  END LOOP;
END $$;
ALTER TABLE targets ADD CONSTRAINT targets_key
  UNIQUE (commune_code, period_from, period_to, category, outcome, hamlet_id, team_id);
