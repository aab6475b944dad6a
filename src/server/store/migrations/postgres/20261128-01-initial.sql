-- Initial PostgreSQL schema: the same model as the SQLite store (geography, people, sessions, the
-- global change counter, records, history and sync bookkeeping), in PostgreSQL types.
-- Only ever add new migration files; an applied file must never change (the ledger checks).

CREATE TABLE communes (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL
);

CREATE TABLE hamlets (
  id TEXT PRIMARY KEY,
  commune_code TEXT NOT NULL REFERENCES communes(code),
  name TEXT NOT NULL,
  sort_order INTEGER NOT NULL DEFAULT 0,
  active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX hamlets_commune ON hamlets (commune_code, sort_order);

CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  commune_code TEXT NOT NULL REFERENCES communes(code),
  name TEXT NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('volunteer', 'lead', 'supervisor', 'admin')),
  commune_code TEXT NOT NULL REFERENCES communes(code),
  team_id TEXT NULL REFERENCES teams(id),
  active BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX users_team ON users (team_id);

-- Only the SHA-256 of a token is kept: a stolen database holds no usable token, and every server
-- process sharing the database can verify one (a restart or a second process logs no one out).
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at TIMESTAMPTZ NOT NULL,
  last_seen_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- One counter orders every change. Each write transaction locks this row and bumps it
-- (UPDATE … SET version = version + 1 RETURNING version), so version order is commit order across
-- every process. Never a sequence or now(): a lower number that commits late would be skipped.
-- Tombstones up to pruned_version may have been pruned; a pull cursor below it starts over.
CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version BIGINT NOT NULL,
  pruned_version BIGINT NOT NULL DEFAULT 0
);
INSERT INTO sync_state (id, version, pruned_version) VALUES (1, 0, 0);

CREATE TABLE records (
  id TEXT PRIMARY KEY,
  commune_code TEXT NOT NULL,
  team_id TEXT NOT NULL,
  volunteer_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  deleted BOOLEAN NOT NULL DEFAULT FALSE,
  data JSONB NOT NULL,
  field_meta JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX records_commune_version ON records (commune_code, version);
CREATE INDEX records_team_version ON records (team_id, version);
CREATE INDEX records_volunteer_version ON records (volunteer_id, version);
CREATE INDEX records_tombstones ON records (updated_at) WHERE deleted;

CREATE TABLE clients (
  client_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  last_seq INTEGER NOT NULL DEFAULT 0,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE mutation_results (
  client_id TEXT NOT NULL REFERENCES clients(client_id),
  seq INTEGER NOT NULL,
  mutation_id TEXT NOT NULL,
  result JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (client_id, seq)
);
CREATE INDEX mutation_results_mutation ON mutation_results (mutation_id);
CREATE INDEX mutation_results_created ON mutation_results (created_at);

CREATE TABLE record_history (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  record_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  mutation_id TEXT NULL,
  user_id TEXT NOT NULL,
  op TEXT NOT NULL,
  patch JSONB NOT NULL,
  replaced JSONB NOT NULL,
  lost JSONB NULL,
  won JSONB NULL,
  at TIMESTAMPTZ NOT NULL
);
CREATE INDEX record_history_record ON record_history (record_id, id);
CREATE INDEX record_history_lost ON record_history (version, id) WHERE lost IS NOT NULL;
