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
-- holds the same `n` (counted) and `rejected` in a few dozen rows per commune and day. Kept by
-- statement-level triggers: one grouped upsert per statement, whatever its number of rows.
CREATE TABLE daily_commune_category (
  commune_code TEXT NOT NULL,
  day TEXT NOT NULL,
  category TEXT NOT NULL,
  n BIGINT NOT NULL,
  rejected BIGINT NOT NULL,
  PRIMARY KEY (commune_code, day, category)
);

INSERT INTO daily_commune_category
SELECT commune_code, day, category, sum(n), sum(rejected) FROM daily_rollup GROUP BY 1, 2, 3;

-- Each branch names only the transition tables its event has (a statement is planned when it runs).
CREATE FUNCTION records_commune_category() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO daily_commune_category
    SELECT commune_code, occurred_on, coalesce(category, ''),
      count(*) FILTER (WHERE review_state IS DISTINCT FROM 'rejected'),
      count(*) FILTER (WHERE review_state = 'rejected')
    FROM new_rows WHERE NOT deleted AND occurred_on IS NOT NULL
    GROUP BY 1, 2, 3
    ON CONFLICT (commune_code, day, category) DO UPDATE
    SET n = daily_commune_category.n + EXCLUDED.n, rejected = daily_commune_category.rejected + EXCLUDED.rejected;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO daily_commune_category
    SELECT commune_code, occurred_on, category, sum(dn), sum(dr)
    FROM (
      SELECT o.commune_code, o.occurred_on, coalesce(o.category, '') AS category,
        -(o.review_state IS DISTINCT FROM 'rejected')::int AS dn,
        -(o.review_state IS NOT DISTINCT FROM 'rejected')::int AS dr
      FROM old_rows o WHERE NOT o.deleted AND o.occurred_on IS NOT NULL
      UNION ALL
      SELECT n.commune_code, n.occurred_on, coalesce(n.category, ''),
        (n.review_state IS DISTINCT FROM 'rejected')::int, (n.review_state IS NOT DISTINCT FROM 'rejected')::int
      FROM new_rows n WHERE NOT n.deleted AND n.occurred_on IS NOT NULL
    ) AS d
    GROUP BY 1, 2, 3
    HAVING sum(dn) <> 0 OR sum(dr) <> 0
    ON CONFLICT (commune_code, day, category) DO UPDATE
    SET n = daily_commune_category.n + EXCLUDED.n, rejected = daily_commune_category.rejected + EXCLUDED.rejected;
  ELSE
    UPDATE daily_commune_category t SET n = t.n - d.n, rejected = t.rejected - d.rejected
    FROM (
      SELECT commune_code, occurred_on, coalesce(category, '') AS category,
        count(*) FILTER (WHERE review_state IS DISTINCT FROM 'rejected') AS n,
        count(*) FILTER (WHERE review_state = 'rejected') AS rejected
      FROM old_rows WHERE NOT deleted AND occurred_on IS NOT NULL
      GROUP BY 1, 2, 3
    ) AS d
    WHERE t.commune_code = d.commune_code AND t.day = d.occurred_on AND t.category = d.category;
  END IF;
  DELETE FROM daily_commune_category t
  WHERE t.n <= 0 AND t.rejected <= 0
    AND (t.commune_code, t.day) IN (SELECT commune_code, occurred_on FROM old_rows);
  RETURN NULL;
END $$;

CREATE TRIGGER records_commune_category_insert AFTER INSERT ON records
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION records_commune_category();
CREATE TRIGGER records_commune_category_update AFTER UPDATE ON records
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION records_commune_category();
CREATE TRIGGER records_commune_category_delete AFTER DELETE ON records
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION records_commune_category();
