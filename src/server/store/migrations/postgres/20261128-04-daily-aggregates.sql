-- Maintained per-day aggregates for tallies (docs/reporting.md, "Daily aggregates"): the number of
-- live records per day and per value of every dimension a tally groups or filters by. A trigger on
-- `records` keeps it in the same transaction as every write (putRecord, insertRecords, review,
-- tombstones, edits that move a record between keys, prune), whatever code path made the write;
-- the backfill below counts what is already stored. A missing value is '' here and NULL again in a
-- tally. Writers already serialise on the sync_state row, so the counters never deadlock.
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
  n BIGINT NOT NULL,
  PRIMARY KEY (commune_code, day, hamlet_id, team_id, volunteer_id, category, service_code, outcome,
    review_state)
);

INSERT INTO daily_aggregates
SELECT commune_code, occurred_on, coalesce(hamlet_id, ''), team_id, volunteer_id, coalesce(category, ''),
  coalesce(service_code, ''), coalesce(outcome, ''), coalesce(review_state, ''), count(*)
FROM records WHERE NOT deleted AND occurred_on IS NOT NULL
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
  n BIGINT NOT NULL,
  PRIMARY KEY (commune_code, day, hamlet_id, category, service_code, outcome)
);

INSERT INTO daily_rollup
SELECT commune_code, occurred_on, coalesce(hamlet_id, ''), coalesce(category, ''), coalesce(service_code, ''),
  coalesce(outcome, ''), count(*)
FROM records WHERE NOT deleted AND occurred_on IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;

CREATE FUNCTION records_daily_aggregates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.deleted IS NOT DISTINCT FROM NEW.deleted
    AND OLD.occurred_on IS NOT DISTINCT FROM NEW.occurred_on
    AND OLD.commune_code IS NOT DISTINCT FROM NEW.commune_code
    AND OLD.hamlet_id IS NOT DISTINCT FROM NEW.hamlet_id AND OLD.team_id IS NOT DISTINCT FROM NEW.team_id
    AND OLD.volunteer_id IS NOT DISTINCT FROM NEW.volunteer_id
    AND OLD.category IS NOT DISTINCT FROM NEW.category
    AND OLD.service_code IS NOT DISTINCT FROM NEW.service_code
    AND OLD.outcome IS NOT DISTINCT FROM NEW.outcome
    AND OLD.review_state IS NOT DISTINCT FROM NEW.review_state THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND NOT OLD.deleted AND OLD.occurred_on IS NOT NULL THEN
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
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NOT NEW.deleted AND NEW.occurred_on IS NOT NULL THEN
    INSERT INTO daily_aggregates VALUES (NEW.commune_code, NEW.occurred_on, coalesce(NEW.hamlet_id, ''),
      NEW.team_id, NEW.volunteer_id, coalesce(NEW.category, ''), coalesce(NEW.service_code, ''),
      coalesce(NEW.outcome, ''), coalesce(NEW.review_state, ''), 1)
    ON CONFLICT (commune_code, day, hamlet_id, team_id, volunteer_id, category, service_code, outcome,
      review_state) DO UPDATE SET n = daily_aggregates.n + 1;
    INSERT INTO daily_rollup VALUES (NEW.commune_code, NEW.occurred_on, coalesce(NEW.hamlet_id, ''), coalesce(NEW.category, ''),
    coalesce(NEW.service_code, ''), coalesce(NEW.outcome, ''), 1)
    ON CONFLICT (commune_code, day, hamlet_id, category, service_code, outcome) DO UPDATE SET n = daily_rollup.n + 1;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER records_daily_aggregates AFTER INSERT OR UPDATE OR DELETE ON records
  FOR EACH ROW EXECUTE FUNCTION records_daily_aggregates();
