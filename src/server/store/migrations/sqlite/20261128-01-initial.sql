-- Initial schema: geography, people, sessions, the global change counter, records and sync bookkeeping.
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
  active INTEGER NOT NULL DEFAULT 1
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
  active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_team ON users (team_id);

-- Only the SHA-256 of a token is kept: a stolen database file holds no usable token,
-- and any process sharing the database can verify one (a restart logs no one out).
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  revoked_at TEXT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- One counter orders every change; it is bumped inside each write transaction,
-- so version order is commit order (sync-protocol.md).
CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO sync_state (id, version) VALUES (1, 0);

CREATE TABLE records (
  id TEXT PRIMARY KEY,
  commune_code TEXT NOT NULL,
  team_id TEXT NOT NULL,
  volunteer_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  data TEXT NOT NULL,
  field_meta TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX records_commune_version ON records (commune_code, version);
CREATE INDEX records_team_version ON records (team_id, version);
CREATE INDEX records_volunteer_version ON records (volunteer_id, version);

CREATE TABLE clients (
  client_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  last_seq INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);

CREATE TABLE mutation_results (
  client_id TEXT NOT NULL REFERENCES clients(client_id),
  seq INTEGER NOT NULL,
  mutation_id TEXT NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (client_id, seq)
);
CREATE INDEX mutation_results_mutation ON mutation_results (mutation_id);

CREATE TABLE record_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  mutation_id TEXT NULL,
  user_id TEXT NOT NULL,
  op TEXT NOT NULL,
  patch TEXT NOT NULL,
  replaced TEXT NOT NULL,
  lost TEXT NULL,
  at TEXT NOT NULL
);
CREATE INDEX record_history_record ON record_history (record_id, id);
