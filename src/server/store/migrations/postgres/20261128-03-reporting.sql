-- Reporting (docs/reporting.md): the tally fields of `records` as indexed columns, review state,
-- targets, review history and device reports.
--
-- The tally fields are STORED generated columns over the JSONB `data`: adding them backfills every
-- existing row, and every write keeps them in sync without a line of code on the write path.
ALTER TABLE records
  ADD COLUMN occurred_on TEXT GENERATED ALWAYS AS (data ->> 'occurredOn') STORED,
  ADD COLUMN hamlet_id TEXT GENERATED ALWAYS AS (data ->> 'hamletId') STORED,
  ADD COLUMN category TEXT GENERATED ALWAYS AS (data ->> 'category') STORED,
  ADD COLUMN outcome TEXT GENERATED ALWAYS AS (data ->> 'outcome') STORED,
  ADD COLUMN service_code TEXT GENERATED ALWAYS AS (data ->> 'serviceCode') STORED,
  -- The first 60 bits of the citizenKey (an HMAC, hex) as a number: distinct integers count faster.
  ADD COLUMN citizen_no BIGINT GENERATED ALWAYS AS
    (('x' || lpad(substr(data ->> 'citizenKey', 1, 15), 16, '0'))::bit(64)::bigint) STORED,
  ADD COLUMN review_state TEXT NULL,
  ADD COLUMN review_comment TEXT NULL;

-- One covering index (each more would slow every push); a team's or a volunteer's tally also
-- names its commune and reads the same index.
CREATE INDEX records_tally_commune ON records (commune_code, deleted, occurred_on)
  INCLUDE (category, outcome, hamlet_id, service_code, team_id, volunteer_id, review_state, citizen_no);

CREATE TABLE record_reviews (
  id BIGSERIAL PRIMARY KEY,
  record_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('received', 'has_issues', 'approved', 'rejected')),
  comment TEXT NULL,
  user_id TEXT NOT NULL REFERENCES users(id),
  at TIMESTAMPTZ NOT NULL
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
  updated_at TIMESTAMPTZ NOT NULL,
  UNIQUE (commune_code, period_from, period_to, category, outcome, hamlet_id)
);

CREATE TABLE device_reports (
  client_id TEXT PRIMARY KEY REFERENCES clients(client_id),
  user_id TEXT NOT NULL REFERENCES users(id),
  period_counts JSONB NOT NULL,
  pending INTEGER NOT NULL,
  device_at TIMESTAMPTZ NOT NULL,
  received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX device_reports_user ON device_reports (user_id, received_at);
CREATE INDEX clients_user ON clients (user_id, updated_at);
