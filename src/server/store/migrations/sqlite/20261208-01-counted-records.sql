-- What counts (docs/reporting.md, "What counts"): records refused in review ('rejected') are out of
-- every tally unless a review state is asked for. `daily_aggregates` keeps the review state in its
-- key and needs nothing; `daily_rollup` and the citizen cells ignored it, so:
--
-- 1. `daily_rollup` is rebuilt with `n` = the counted records and `rejected` = the refused ones of
--    each key (a key stays while either is above 0), and its triggers move a record between the two
--    when a review changes review_state to or from 'rejected'.
-- 2. The citizen cells' `n` and `ids` hold only counted records, and a new `rejected` the refused
--    ones (citizen-cells.ts builds them so); a review to or from 'rejected' now marks the day dirty,
--    and the days holding a refused record are marked here so their cells are rebuilt.
DROP TRIGGER records_daily_insert;
DROP TRIGGER records_daily_delete;
DROP TRIGGER records_daily_update;
DROP TABLE daily_rollup;

CREATE TABLE daily_rollup (
  commune_code TEXT NOT NULL,
  day TEXT NOT NULL,
  hamlet_id TEXT NOT NULL,
  category TEXT NOT NULL,
  service_code TEXT NOT NULL,
  outcome TEXT NOT NULL,
  n INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  PRIMARY KEY (commune_code, day, hamlet_id, category, service_code, outcome)
) WITHOUT ROWID;

INSERT INTO daily_rollup
SELECT commune_code, occurred_on, coalesce(hamlet_id, ''), coalesce(category, ''), coalesce(service_code, ''),
  coalesce(outcome, ''), sum(review_state IS NOT 'rejected'), sum(review_state IS 'rejected')
FROM records WHERE deleted = 0 AND occurred_on IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER records_daily_insert AFTER INSERT ON records
WHEN NEW.deleted = 0 AND NEW.occurred_on IS NOT NULL
BEGIN
  INSERT INTO daily_aggregates VALUES (NEW.commune_code, NEW.occurred_on, coalesce(NEW.hamlet_id, ''),
    NEW.team_id, NEW.volunteer_id, coalesce(NEW.category, ''), coalesce(NEW.service_code, ''),
    coalesce(NEW.outcome, ''), coalesce(NEW.review_state, ''), 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO daily_rollup VALUES (NEW.commune_code, NEW.occurred_on, coalesce(NEW.hamlet_id, ''),
    coalesce(NEW.category, ''), coalesce(NEW.service_code, ''), coalesce(NEW.outcome, ''),
    NEW.review_state IS NOT 'rejected', NEW.review_state IS 'rejected')
  ON CONFLICT DO UPDATE SET n = n + excluded.n, rejected = rejected + excluded.rejected;
END;

CREATE TRIGGER records_daily_delete AFTER DELETE ON records
WHEN OLD.deleted = 0 AND OLD.occurred_on IS NOT NULL
BEGIN
  UPDATE daily_aggregates SET n = n - 1
  WHERE commune_code = OLD.commune_code AND day = OLD.occurred_on AND hamlet_id = coalesce(OLD.hamlet_id, '')
    AND team_id = OLD.team_id AND volunteer_id = OLD.volunteer_id AND category = coalesce(OLD.category, '')
    AND service_code = coalesce(OLD.service_code, '') AND outcome = coalesce(OLD.outcome, '')
    AND review_state = coalesce(OLD.review_state, '');
  DELETE FROM daily_aggregates
  WHERE commune_code = OLD.commune_code AND day = OLD.occurred_on AND hamlet_id = coalesce(OLD.hamlet_id, '')
    AND team_id = OLD.team_id AND volunteer_id = OLD.volunteer_id AND category = coalesce(OLD.category, '')
    AND service_code = coalesce(OLD.service_code, '') AND outcome = coalesce(OLD.outcome, '')
    AND review_state = coalesce(OLD.review_state, '') AND n <= 0;
  UPDATE daily_rollup SET n = n - (OLD.review_state IS NOT 'rejected'),
    rejected = rejected - (OLD.review_state IS 'rejected')
  WHERE commune_code = OLD.commune_code AND day = OLD.occurred_on AND hamlet_id = coalesce(OLD.hamlet_id, '')
    AND category = coalesce(OLD.category, '') AND service_code = coalesce(OLD.service_code, '')
    AND outcome = coalesce(OLD.outcome, '');
  DELETE FROM daily_rollup
  WHERE commune_code = OLD.commune_code AND day = OLD.occurred_on AND hamlet_id = coalesce(OLD.hamlet_id, '')
    AND category = coalesce(OLD.category, '') AND service_code = coalesce(OLD.service_code, '')
    AND outcome = coalesce(OLD.outcome, '') AND n <= 0 AND rejected <= 0;
END;

-- Only when a counted key or the review state changes (an edit of a note or a version bump costs
-- nothing here).
CREATE TRIGGER records_daily_update AFTER UPDATE ON records
WHEN OLD.deleted IS NOT NEW.deleted OR OLD.occurred_on IS NOT NEW.occurred_on
  OR OLD.commune_code IS NOT NEW.commune_code OR OLD.hamlet_id IS NOT NEW.hamlet_id
  OR OLD.team_id IS NOT NEW.team_id OR OLD.volunteer_id IS NOT NEW.volunteer_id
  OR OLD.category IS NOT NEW.category OR OLD.service_code IS NOT NEW.service_code
  OR OLD.outcome IS NOT NEW.outcome OR OLD.review_state IS NOT NEW.review_state
BEGIN
  UPDATE daily_aggregates SET n = n - 1
  WHERE OLD.deleted = 0 AND OLD.occurred_on IS NOT NULL
    AND commune_code = OLD.commune_code AND day = OLD.occurred_on AND hamlet_id = coalesce(OLD.hamlet_id, '')
    AND team_id = OLD.team_id AND volunteer_id = OLD.volunteer_id AND category = coalesce(OLD.category, '')
    AND service_code = coalesce(OLD.service_code, '') AND outcome = coalesce(OLD.outcome, '')
    AND review_state = coalesce(OLD.review_state, '');
  DELETE FROM daily_aggregates
  WHERE OLD.deleted = 0 AND OLD.occurred_on IS NOT NULL
    AND commune_code = OLD.commune_code AND day = OLD.occurred_on AND hamlet_id = coalesce(OLD.hamlet_id, '')
    AND team_id = OLD.team_id AND volunteer_id = OLD.volunteer_id AND category = coalesce(OLD.category, '')
    AND service_code = coalesce(OLD.service_code, '') AND outcome = coalesce(OLD.outcome, '')
    AND review_state = coalesce(OLD.review_state, '') AND n <= 0;
  INSERT INTO daily_aggregates
  SELECT NEW.commune_code, NEW.occurred_on, coalesce(NEW.hamlet_id, ''), NEW.team_id, NEW.volunteer_id,
    coalesce(NEW.category, ''), coalesce(NEW.service_code, ''), coalesce(NEW.outcome, ''),
    coalesce(NEW.review_state, ''), 1
  WHERE NEW.deleted = 0 AND NEW.occurred_on IS NOT NULL
  ON CONFLICT DO UPDATE SET n = n + 1;
  UPDATE daily_rollup SET n = n - (OLD.review_state IS NOT 'rejected'),
    rejected = rejected - (OLD.review_state IS 'rejected')
  WHERE OLD.deleted = 0 AND OLD.occurred_on IS NOT NULL
    AND commune_code = OLD.commune_code AND day = OLD.occurred_on AND hamlet_id = coalesce(OLD.hamlet_id, '')
    AND category = coalesce(OLD.category, '') AND service_code = coalesce(OLD.service_code, '')
    AND outcome = coalesce(OLD.outcome, '');
  DELETE FROM daily_rollup
  WHERE OLD.deleted = 0 AND OLD.occurred_on IS NOT NULL
    AND commune_code = OLD.commune_code AND day = OLD.occurred_on AND hamlet_id = coalesce(OLD.hamlet_id, '')
    AND category = coalesce(OLD.category, '') AND service_code = coalesce(OLD.service_code, '')
    AND outcome = coalesce(OLD.outcome, '') AND n <= 0 AND rejected <= 0;
  INSERT INTO daily_rollup SELECT NEW.commune_code, NEW.occurred_on, coalesce(NEW.hamlet_id, ''),
    coalesce(NEW.category, ''), coalesce(NEW.service_code, ''), coalesce(NEW.outcome, ''),
    NEW.review_state IS NOT 'rejected', NEW.review_state IS 'rejected'
  WHERE NEW.deleted = 0 AND NEW.occurred_on IS NOT NULL
  ON CONFLICT DO UPDATE SET n = n + excluded.n, rejected = rejected + excluded.rejected;
END;

-- The cells: a review that makes a record refused or counted again changes its cell too.
DROP TRIGGER records_citizen_update;
CREATE TRIGGER records_citizen_update AFTER UPDATE ON records
WHEN OLD.deleted IS NOT NEW.deleted OR OLD.occurred_on IS NOT NEW.occurred_on
  OR OLD.commune_code IS NOT NEW.commune_code OR OLD.hamlet_id IS NOT NEW.hamlet_id
  OR OLD.category IS NOT NEW.category OR OLD.citizen_no IS NOT NEW.citizen_no
  OR (OLD.review_state IS 'rejected') IS NOT (NEW.review_state IS 'rejected')
BEGIN
  INSERT INTO citizen_days_dirty SELECT OLD.commune_code, OLD.occurred_on
  WHERE OLD.deleted = 0 AND OLD.occurred_on IS NOT NULL
  ON CONFLICT DO NOTHING;
  INSERT INTO citizen_days_dirty SELECT NEW.commune_code, NEW.occurred_on
  WHERE NEW.deleted = 0 AND NEW.occurred_on IS NOT NULL
  ON CONFLICT DO NOTHING;
END;

-- Cells built before this counted refused records: only the days holding one need a rebuild.
ALTER TABLE citizen_cells ADD COLUMN rejected INTEGER NOT NULL DEFAULT 0;
INSERT INTO citizen_days_dirty
SELECT DISTINCT commune_code, occurred_on FROM records
WHERE deleted = 0 AND occurred_on IS NOT NULL AND review_state = 'rejected'
ON CONFLICT DO NOTHING;
