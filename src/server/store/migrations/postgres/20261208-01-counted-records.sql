-- What counts (docs/reporting.md, "What counts"): records refused in review ('rejected') are out of
-- every tally unless a review state is asked for. `daily_aggregates` keeps the review state in its
-- key and needs nothing; `daily_rollup` and the citizen cells ignored it, so:
--
-- 1. `daily_rollup` is rebuilt with `n` = the counted records and `rejected` = the refused ones of
--    each key (a key stays while either is above 0), and the trigger moves a record between the two
--    when a review changes review_state to or from 'rejected'.
-- 2. The citizen cells' `n` and `ids` hold only counted records, and a new `rejected` the refused
--    ones (citizen-cells.ts builds them so); a review to or from 'rejected' now marks the day dirty,
--    and the days holding a refused record are marked here so their cells are rebuilt.
DROP TABLE daily_rollup;

CREATE TABLE daily_rollup (
  commune_code TEXT NOT NULL,
  day TEXT NOT NULL,
  hamlet_id TEXT NOT NULL,
  category TEXT NOT NULL,
  service_code TEXT NOT NULL,
  outcome TEXT NOT NULL,
  n BIGINT NOT NULL,
  rejected BIGINT NOT NULL,
  PRIMARY KEY (commune_code, day, hamlet_id, category, service_code, outcome)
);

INSERT INTO daily_rollup
SELECT commune_code, occurred_on, coalesce(hamlet_id, ''), coalesce(category, ''), coalesce(service_code, ''),
  coalesce(outcome, ''), count(*) FILTER (WHERE review_state IS DISTINCT FROM 'rejected'),
  count(*) FILTER (WHERE review_state = 'rejected')
FROM records WHERE NOT deleted AND occurred_on IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;

CREATE OR REPLACE FUNCTION records_daily_aggregates() RETURNS trigger LANGUAGE plpgsql AS $$
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
    UPDATE daily_rollup SET n = n - (OLD.review_state IS DISTINCT FROM 'rejected')::int,
      rejected = rejected - (OLD.review_state IS NOT DISTINCT FROM 'rejected')::int
    WHERE commune_code = OLD.commune_code AND day = OLD.occurred_on AND hamlet_id = coalesce(OLD.hamlet_id, '')
      AND category = coalesce(OLD.category, '') AND service_code = coalesce(OLD.service_code, '')
      AND outcome = coalesce(OLD.outcome, '');
    DELETE FROM daily_rollup
    WHERE commune_code = OLD.commune_code AND day = OLD.occurred_on AND hamlet_id = coalesce(OLD.hamlet_id, '')
      AND category = coalesce(OLD.category, '') AND service_code = coalesce(OLD.service_code, '')
      AND outcome = coalesce(OLD.outcome, '') AND n <= 0 AND rejected <= 0;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NOT NEW.deleted AND NEW.occurred_on IS NOT NULL THEN
    INSERT INTO daily_aggregates VALUES (NEW.commune_code, NEW.occurred_on, coalesce(NEW.hamlet_id, ''),
      NEW.team_id, NEW.volunteer_id, coalesce(NEW.category, ''), coalesce(NEW.service_code, ''),
      coalesce(NEW.outcome, ''), coalesce(NEW.review_state, ''), 1)
    ON CONFLICT (commune_code, day, hamlet_id, team_id, volunteer_id, category, service_code, outcome,
      review_state) DO UPDATE SET n = daily_aggregates.n + 1;
    INSERT INTO daily_rollup VALUES (NEW.commune_code, NEW.occurred_on, coalesce(NEW.hamlet_id, ''),
      coalesce(NEW.category, ''), coalesce(NEW.service_code, ''), coalesce(NEW.outcome, ''),
      (NEW.review_state IS DISTINCT FROM 'rejected')::int, (NEW.review_state IS NOT DISTINCT FROM 'rejected')::int)
    ON CONFLICT (commune_code, day, hamlet_id, category, service_code, outcome)
    DO UPDATE SET n = daily_rollup.n + EXCLUDED.n, rejected = daily_rollup.rejected + EXCLUDED.rejected;
  END IF;
  RETURN NULL;
END;
$$;

-- The cells: a review that makes a record refused or counted again changes its cell too.
CREATE OR REPLACE FUNCTION records_citizen_days_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO citizen_days_dirty
  SELECT DISTINCT d.commune_code, d.day
  FROM old_rows o JOIN new_rows n ON n.id = o.id
  CROSS JOIN LATERAL (VALUES
    (o.commune_code, o.occurred_on, NOT o.deleted),
    (n.commune_code, n.occurred_on, NOT n.deleted)
  ) AS d (commune_code, day, counted)
  WHERE d.counted AND d.day IS NOT NULL
    AND (o.deleted IS DISTINCT FROM n.deleted OR o.occurred_on IS DISTINCT FROM n.occurred_on
      OR o.commune_code IS DISTINCT FROM n.commune_code OR o.hamlet_id IS DISTINCT FROM n.hamlet_id
      OR o.category IS DISTINCT FROM n.category OR o.citizen_no IS DISTINCT FROM n.citizen_no
      OR (o.review_state IS NOT DISTINCT FROM 'rejected') <> (n.review_state IS NOT DISTINCT FROM 'rejected'))
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

-- Cells built before this counted refused records: only the days holding one need a rebuild.
ALTER TABLE citizen_cells ADD COLUMN rejected BIGINT NOT NULL DEFAULT 0;
INSERT INTO citizen_days_dirty
SELECT DISTINCT commune_code, occurred_on FROM records
WHERE NOT deleted AND occurred_on IS NOT NULL AND review_state = 'rejected'
ON CONFLICT DO NOTHING;
