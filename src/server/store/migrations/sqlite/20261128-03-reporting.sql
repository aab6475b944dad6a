-- Reporting (docs/reporting.md): the tally fields of `records` as indexed columns, review state,
-- targets, review history and device reports.
--
-- The tally fields are plain columns copied from the JSON `data` by every write (putRecord and
-- insertRecords set them from the record they store) and backfilled here. Plain, not generated:
-- SQLite cannot read a VIRTUAL generated column from an index alone, and a tally must never touch
-- the table rows.
ALTER TABLE records ADD COLUMN occurred_on TEXT NULL;
ALTER TABLE records ADD COLUMN hamlet_id TEXT NULL;
ALTER TABLE records ADD COLUMN category TEXT NULL;
ALTER TABLE records ADD COLUMN outcome TEXT NULL;
ALTER TABLE records ADD COLUMN service_code TEXT NULL;
-- The citizen as a number: the first 60 bits of the citizenKey (an HMAC, hex). Counting distinct
-- integers is four times faster than distinct 64-character strings; a collision among a million
-- citizens has a chance below one in a million.
ALTER TABLE records ADD COLUMN citizen_no INTEGER NULL;
UPDATE records SET
  occurred_on = json_extract(data, '$.occurredOn'),
  hamlet_id = json_extract(data, '$.hamletId'),
  category = json_extract(data, '$.category'),
  outcome = json_extract(data, '$.outcome'),
  service_code = json_extract(data, '$.serviceCode'),
  citizen_no = CASE WHEN json_extract(data, '$.citizenKey') IS NULL THEN NULL ELSE
    ((instr('0123456789abcdef', substr(data ->> '$.citizenKey', 1, 1)) - 1) << 56) +
    ((instr('0123456789abcdef', substr(data ->> '$.citizenKey', 2, 1)) - 1) << 52) +
    ((instr('0123456789abcdef', substr(data ->> '$.citizenKey', 3, 1)) - 1) << 48) +
    ((instr('0123456789abcdef', substr(data ->> '$.citizenKey', 4, 1)) - 1) << 44) +
    ((instr('0123456789abcdef', substr(data ->> '$.citizenKey', 5, 1)) - 1) << 40) +
    ((instr('0123456789abcdef', substr(data ->> '$.citizenKey', 6, 1)) - 1) << 36) +
    ((instr('0123456789abcdef', substr(data ->> '$.citizenKey', 7, 1)) - 1) << 32) +
    ((instr('0123456789abcdef', substr(data ->> '$.citizenKey', 8, 1)) - 1) << 28) +
    ((instr('0123456789abcdef', substr(data ->> '$.citizenKey', 9, 1)) - 1) << 24) +
    ((instr('0123456789abcdef', substr(data ->> '$.citizenKey', 10, 1)) - 1) << 20) +
    ((instr('0123456789abcdef', substr(data ->> '$.citizenKey', 11, 1)) - 1) << 16) +
    ((instr('0123456789abcdef', substr(data ->> '$.citizenKey', 12, 1)) - 1) << 12) +
    ((instr('0123456789abcdef', substr(data ->> '$.citizenKey', 13, 1)) - 1) << 8) +
    ((instr('0123456789abcdef', substr(data ->> '$.citizenKey', 14, 1)) - 1) << 4) +
    ((instr('0123456789abcdef', substr(data ->> '$.citizenKey', 15, 1)) - 1) << 0)
  END;

-- Server-derived: the latest review of the record (NULL: not reviewed yet). Sync writes never touch it.
ALTER TABLE records ADD COLUMN review_state TEXT NULL;
ALTER TABLE records ADD COLUMN review_comment TEXT NULL;

-- One covering index (each more would slow every push): a team's tally reads the same index
-- with team_id among the covered columns; a volunteer's own records are few and the existing
-- (volunteer_id, version) index finds them. The leading columns select the commune and the
-- period, the rest are every column a tally groups, filters or counts by.
CREATE INDEX records_tally_commune ON records (commune_code, deleted, occurred_on, category, outcome,
  hamlet_id, service_code, team_id, volunteer_id, review_state, citizen_no);

CREATE TABLE record_reviews (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('received', 'has_issues', 'approved', 'rejected')),
  comment TEXT NULL,
  user_id TEXT NOT NULL REFERENCES users(id),
  at TEXT NOT NULL
);
CREATE INDEX record_reviews_record ON record_reviews (record_id, id);

CREATE TABLE targets (
  id TEXT PRIMARY KEY,
  commune_code TEXT NOT NULL REFERENCES communes(code),
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  category TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT '',
  hamlet_id TEXT NOT NULL DEFAULT '',
  target INTEGER NOT NULL CHECK (target > 0),
  label TEXT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (commune_code, period_from, period_to, category, outcome, hamlet_id)
);

-- The latest report of each device: what it holds for each period it counted, and what was pending.
CREATE TABLE device_reports (
  client_id TEXT PRIMARY KEY REFERENCES clients(client_id),
  user_id TEXT NOT NULL REFERENCES users(id),
  period_counts TEXT NOT NULL,
  pending INTEGER NOT NULL,
  device_at TEXT NOT NULL,
  received_at TEXT NOT NULL
);
CREATE INDEX device_reports_user ON device_reports (user_id, received_at);
CREATE INDEX clients_user ON clients (user_id, updated_at);
