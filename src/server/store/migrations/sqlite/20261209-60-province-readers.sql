-- The hosting province's read-only accounts (docs/operations.md, "A province on one PostgreSQL"):
-- made by the host's operator from the CLI, they read counts across the deployment's communes and
-- nothing else. Only the SHA-256 of the token is kept, like sessions.
CREATE TABLE province_readers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT NULL
);

-- The province's tally reads counts by commune × category over any period: `daily_rollup` keeps
-- nearly one row per record at a province's volume, so this coarser table (commune, day, category)
-- holds the same `n` (counted) and `rejected` in a few dozen rows per commune and day.
CREATE TABLE daily_commune_category (
  commune_code TEXT NOT NULL,
  day TEXT NOT NULL,
  category TEXT NOT NULL,
  n INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  PRIMARY KEY (commune_code, day, category)
) WITHOUT ROWID;

INSERT INTO daily_commune_category
SELECT commune_code, day, category, sum(n), sum(rejected) FROM daily_rollup GROUP BY 1, 2, 3;

CREATE TRIGGER records_commune_category_insert AFTER INSERT ON records
WHEN NEW.deleted = 0 AND NEW.occurred_on IS NOT NULL
BEGIN
  INSERT INTO daily_commune_category VALUES (NEW.commune_code, NEW.occurred_on, coalesce(NEW.category, ''),
    NEW.review_state IS NOT 'rejected', NEW.review_state IS 'rejected')
  ON CONFLICT DO UPDATE SET n = n + excluded.n, rejected = rejected + excluded.rejected;
END;

CREATE TRIGGER records_commune_category_delete AFTER DELETE ON records
WHEN OLD.deleted = 0 AND OLD.occurred_on IS NOT NULL
BEGIN
  UPDATE daily_commune_category SET n = n - (OLD.review_state IS NOT 'rejected'),
    rejected = rejected - (OLD.review_state IS 'rejected')
  WHERE commune_code = OLD.commune_code AND day = OLD.occurred_on AND category = coalesce(OLD.category, '');
  DELETE FROM daily_commune_category
  WHERE commune_code = OLD.commune_code AND day = OLD.occurred_on AND category = coalesce(OLD.category, '')
    AND n <= 0 AND rejected <= 0;
END;

CREATE TRIGGER records_commune_category_update AFTER UPDATE ON records
WHEN OLD.deleted IS NOT NEW.deleted OR OLD.occurred_on IS NOT NEW.occurred_on
  OR OLD.commune_code IS NOT NEW.commune_code OR OLD.category IS NOT NEW.category
  OR (OLD.review_state IS 'rejected') IS NOT (NEW.review_state IS 'rejected')
BEGIN
  UPDATE daily_commune_category SET n = n - (OLD.review_state IS NOT 'rejected'),
    rejected = rejected - (OLD.review_state IS 'rejected')
  WHERE OLD.deleted = 0 AND OLD.occurred_on IS NOT NULL
    AND commune_code = OLD.commune_code AND day = OLD.occurred_on AND category = coalesce(OLD.category, '');
  DELETE FROM daily_commune_category
  WHERE OLD.deleted = 0 AND OLD.occurred_on IS NOT NULL
    AND commune_code = OLD.commune_code AND day = OLD.occurred_on AND category = coalesce(OLD.category, '')
    AND n <= 0 AND rejected <= 0;
  INSERT INTO daily_commune_category
  SELECT NEW.commune_code, NEW.occurred_on, coalesce(NEW.category, ''),
    NEW.review_state IS NOT 'rejected', NEW.review_state IS 'rejected'
  WHERE NEW.deleted = 0 AND NEW.occurred_on IS NOT NULL
  ON CONFLICT DO UPDATE SET n = n + excluded.n, rejected = rejected + excluded.rejected;
END;
