-- Targets per team (docs/reporting.md, "Targets"): a target names the commune, one hamlet or one
-- team ('' for none, as hamlet_id). SQLite cannot change a UNIQUE constraint in place, so the table
-- is rebuilt with team_id in the key that makes a later target replace an earlier one.
CREATE TABLE targets_new (
  id TEXT PRIMARY KEY,
  commune_code TEXT NOT NULL REFERENCES communes(code),
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  category TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT '',
  hamlet_id TEXT NOT NULL DEFAULT '',
  team_id TEXT NOT NULL DEFAULT '',
  target INTEGER NOT NULL CHECK (target > 0),
  label TEXT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (commune_code, period_from, period_to, category, outcome, hamlet_id, team_id)
);
INSERT INTO targets_new (id, commune_code, period_from, period_to, category, outcome, hamlet_id, target,
  label, updated_by, updated_at)
SELECT id, commune_code, period_from, period_to, category, outcome, hamlet_id, target, label, updated_by,
  updated_at FROM targets;
DROP TABLE targets;
ALTER TABLE targets_new RENAME TO targets;
