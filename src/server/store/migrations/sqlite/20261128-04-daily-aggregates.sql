-- Maintained per-day aggregates for tallies (docs/reporting.md, "Daily aggregates"): the number of
-- live records per day and per value of every dimension a tally groups or filters by. Triggers on
-- `records` keep it in the same transaction as every write (putRecord, insertRecords, review,
-- tombstones, edits that move a record between keys, prune), whatever code path made the write;
-- the backfill below counts what is already stored. A missing value is '' here (a NULL never
-- equals another in a key) and NULL again in a tally.
CREATE TABLE daily_aggregates (
  commune_code TEXT NOT NULL,
  day TEXT NOT NULL,
  hamlet_id TEXT NOT NULL,
  team_id TEXT NOT NULL,
  volunteer_id TEXT NOT NULL,
  category TEXT NOT NULL,
  service_code TEXT NOT NULL,
  outcome TEXT NOT NULL,
  review_state TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (commune_code, day, hamlet_id, team_id, volunteer_id, category, service_code, outcome,
    review_state)
) WITHOUT ROWID;

INSERT INTO daily_aggregates
SELECT commune_code, occurred_on, coalesce(hamlet_id, ''), team_id, volunteer_id, coalesce(category, ''),
  coalesce(service_code, ''), coalesce(outcome, ''), coalesce(review_state, ''), count(*)
FROM records WHERE deleted = 0 AND occurred_on IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

-- The commune-wide rollup most dashboard tallies read (hamlet, category, service, outcome, any period):
-- a few hundred rows a day at most, where the full key above has nearly one per record when many
-- volunteers log every day.
CREATE TABLE daily_rollup (
  commune_code TEXT NOT NULL,
  day TEXT NOT NULL,
  hamlet_id TEXT NOT NULL,
  category TEXT NOT NULL,
  service_code TEXT NOT NULL,
  outcome TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (commune_code, day, hamlet_id, category, service_code, outcome)
) WITHOUT ROWID;

INSERT INTO daily_rollup
SELECT commune_code, occurred_on, coalesce(hamlet_id, ''), coalesce(category, ''), coalesce(service_code, ''),
  coalesce(outcome, ''), count(*)
FROM records WHERE deleted = 0 AND occurred_on IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER records_daily_insert AFTER INSERT ON records
WHEN NEW.deleted = 0 AND NEW.occurred_on IS NOT NULL
BEGIN
  INSERT INTO daily_aggregates VALUES (NEW.commune_code, NEW.occurred_on, coalesce(NEW.hamlet_id, ''),
    NEW.team_id, NEW.volunteer_id, coalesce(NEW.category, ''), coalesce(NEW.service_code, ''),
    coalesce(NEW.outcome, ''), coalesce(NEW.review_state, ''), 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
  INSERT INTO daily_rollup VALUES (NEW.commune_code, NEW.occurred_on, coalesce(NEW.hamlet_id, ''), coalesce(NEW.category, ''),
    coalesce(NEW.service_code, ''), coalesce(NEW.outcome, ''), 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
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
  UPDATE daily_rollup SET n = n - 1 WHERE commune_code = OLD.commune_code AND day = OLD.occurred_on AND hamlet_id = coalesce(OLD.hamlet_id, '')
    AND category = coalesce(OLD.category, '') AND service_code = coalesce(OLD.service_code, '')
    AND outcome = coalesce(OLD.outcome, '');
  DELETE FROM daily_rollup WHERE commune_code = OLD.commune_code AND day = OLD.occurred_on AND hamlet_id = coalesce(OLD.hamlet_id, '')
    AND category = coalesce(OLD.category, '') AND service_code = coalesce(OLD.service_code, '')
    AND outcome = coalesce(OLD.outcome, '') AND n <= 0;
END;

-- Only when a counted key changes (an edit of a note or a version bump costs nothing here).
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
  UPDATE daily_rollup SET n = n - 1
  WHERE OLD.deleted = 0 AND OLD.occurred_on IS NOT NULL AND commune_code = OLD.commune_code AND day = OLD.occurred_on AND hamlet_id = coalesce(OLD.hamlet_id, '')
    AND category = coalesce(OLD.category, '') AND service_code = coalesce(OLD.service_code, '')
    AND outcome = coalesce(OLD.outcome, '');
  DELETE FROM daily_rollup
  WHERE OLD.deleted = 0 AND OLD.occurred_on IS NOT NULL AND commune_code = OLD.commune_code AND day = OLD.occurred_on AND hamlet_id = coalesce(OLD.hamlet_id, '')
    AND category = coalesce(OLD.category, '') AND service_code = coalesce(OLD.service_code, '')
    AND outcome = coalesce(OLD.outcome, '') AND n <= 0;
  INSERT INTO daily_rollup SELECT NEW.commune_code, NEW.occurred_on, coalesce(NEW.hamlet_id, ''), coalesce(NEW.category, ''),
    coalesce(NEW.service_code, ''), coalesce(NEW.outcome, ''), 1
  WHERE NEW.deleted = 0 AND NEW.occurred_on IS NOT NULL
  ON CONFLICT DO UPDATE SET n = n + 1;
END;
