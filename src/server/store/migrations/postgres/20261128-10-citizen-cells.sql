-- Exact distinct citizens for tallies (docs/reporting.md, "Citizen cells"): citizens numbered densely
-- per commune, and per (commune, day, hamlet, category) "cell" the number of its live records and
-- the sorted dense numbers of their citizens, so a period's distinct count is a union of small sets
-- instead of a pass over every record, and its counts come from the same rows. The cells are rebuilt by the server (src/server/reporting/citizen-cells.ts)
-- for the days the triggers below mark dirty, before a tally reads them; a tally never reads a cell
-- of a dirty day. A missing hamlet or category is '' here, as in the daily aggregates.
CREATE TABLE citizen_numbers (
  commune_code TEXT NOT NULL,
  citizen_no BIGINT NOT NULL,
  id INTEGER NOT NULL,
  PRIMARY KEY (commune_code, citizen_no)
);
CREATE UNIQUE INDEX citizen_numbers_id ON citizen_numbers (commune_code, id);

-- n: the cell's live records; ids: their citizens' dense numbers, ascending, as little-endian 32-bit
-- integers (empty when none names a citizen).
CREATE TABLE citizen_cells (
  commune_code TEXT NOT NULL,
  day TEXT NOT NULL,
  hamlet_id TEXT NOT NULL,
  category TEXT NOT NULL,
  n BIGINT NOT NULL,
  ids BYTEA NOT NULL,
  PRIMARY KEY (commune_code, day, hamlet_id, category)
);

-- Days whose cells may be stale. Marked in the same transaction as the write that made them so,
-- cleared in the same transaction as the rebuild. A rebuild holds this table in SHARE ROW EXCLUSIVE
-- mode: it waits for every writer that marked a day and has not committed, and writers wait for it,
-- so a mark is never cleared by a rebuild that could not see the write behind it (several server
-- processes may share the database).
CREATE TABLE citizen_days_dirty (
  commune_code TEXT NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (commune_code, day)
);

-- What is already stored: every day with a live record is built on first use.
INSERT INTO citizen_days_dirty
SELECT DISTINCT commune_code, occurred_on FROM records
WHERE NOT deleted AND occurred_on IS NOT NULL;

-- Statement-level, with transition tables: one INSERT per statement however many rows it wrote
-- (a push's multi-row insert marks its few days at once).
CREATE FUNCTION records_citizen_days_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO citizen_days_dirty
  SELECT DISTINCT commune_code, occurred_on FROM new_rows
  WHERE NOT deleted AND occurred_on IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION records_citizen_days_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO citizen_days_dirty
  SELECT DISTINCT commune_code, occurred_on FROM old_rows
  WHERE NOT deleted AND occurred_on IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

-- Only rows whose cell columns changed (a review or an edit of a note marks nothing).
CREATE FUNCTION records_citizen_days_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
      OR o.category IS DISTINCT FROM n.category OR o.citizen_no IS DISTINCT FROM n.citizen_no)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER records_citizen_insert AFTER INSERT ON records
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION records_citizen_days_new();
CREATE TRIGGER records_citizen_delete AFTER DELETE ON records
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION records_citizen_days_old();
CREATE TRIGGER records_citizen_update AFTER UPDATE ON records
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION records_citizen_days_changed();
