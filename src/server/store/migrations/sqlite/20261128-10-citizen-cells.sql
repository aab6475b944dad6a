-- Exact distinct citizens for tallies (docs/reporting.md, "Citizen cells"): citizens numbered densely
-- per commune, and per (commune, day, hamlet, category) "cell" the number of its live records and
-- the sorted dense numbers of their citizens, so a period's distinct count is a union of small sets
-- instead of a pass over every record, and its counts come from the same rows. The cells are rebuilt by the server (src/server/reporting/citizen-cells.ts)
-- for the days the triggers below mark dirty, before a tally reads them; a tally never reads a cell
-- of a dirty day. A missing hamlet or category is '' here, as in the daily aggregates.
CREATE TABLE citizen_numbers (
  commune_code TEXT NOT NULL,
  citizen_no INTEGER NOT NULL,
  id INTEGER NOT NULL,
  PRIMARY KEY (commune_code, citizen_no)
) WITHOUT ROWID;
CREATE UNIQUE INDEX citizen_numbers_id ON citizen_numbers (commune_code, id);

-- n: the cell's live records; ids: their citizens' dense numbers, ascending, as little-endian 32-bit
-- integers (empty when none names a citizen).
CREATE TABLE citizen_cells (
  commune_code TEXT NOT NULL,
  day TEXT NOT NULL,
  hamlet_id TEXT NOT NULL,
  category TEXT NOT NULL,
  n INTEGER NOT NULL,
  ids BLOB NOT NULL,
  PRIMARY KEY (commune_code, day, hamlet_id, category)
) WITHOUT ROWID;

-- Days whose cells may be stale. Marked in the same transaction as the write that made them so,
-- cleared in the same transaction as the rebuild.
CREATE TABLE citizen_days_dirty (
  commune_code TEXT NOT NULL,
  day TEXT NOT NULL,
  PRIMARY KEY (commune_code, day)
) WITHOUT ROWID;

-- What is already stored: every day with a live record is built on first use.
INSERT INTO citizen_days_dirty
SELECT DISTINCT commune_code, occurred_on FROM records
WHERE deleted = 0 AND occurred_on IS NOT NULL;

-- One index probe per write that can change a cell.
CREATE TRIGGER records_citizen_insert AFTER INSERT ON records
WHEN NEW.deleted = 0 AND NEW.occurred_on IS NOT NULL
BEGIN
  INSERT INTO citizen_days_dirty VALUES (NEW.commune_code, NEW.occurred_on) ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER records_citizen_delete AFTER DELETE ON records
WHEN OLD.deleted = 0 AND OLD.occurred_on IS NOT NULL
BEGIN
  INSERT INTO citizen_days_dirty VALUES (OLD.commune_code, OLD.occurred_on) ON CONFLICT DO NOTHING;
END;

-- Only when a column a cell depends on changes (a review or an edit of a note costs nothing here).
CREATE TRIGGER records_citizen_update AFTER UPDATE ON records
WHEN OLD.deleted IS NOT NEW.deleted OR OLD.occurred_on IS NOT NEW.occurred_on
  OR OLD.commune_code IS NOT NEW.commune_code OR OLD.hamlet_id IS NOT NEW.hamlet_id
  OR OLD.category IS NOT NEW.category OR OLD.citizen_no IS NOT NEW.citizen_no
BEGIN
  INSERT INTO citizen_days_dirty SELECT OLD.commune_code, OLD.occurred_on
  WHERE OLD.deleted = 0 AND OLD.occurred_on IS NOT NULL
  ON CONFLICT DO NOTHING;
  INSERT INTO citizen_days_dirty SELECT NEW.commune_code, NEW.occurred_on
  WHERE NEW.deleted = 0 AND NEW.occurred_on IS NOT NULL
  ON CONFLICT DO NOTHING;
END;
