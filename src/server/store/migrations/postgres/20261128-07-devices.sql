-- Accounts and devices (docs/operations.md): each phone is a device with its own revocable token;
-- a one-time enrolment token (only its SHA-256 kept) provisions a phone without a password.

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  label TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  -- Last contact: the last authenticated request, written at most every few minutes.
  last_seen_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ NULL,
  revoked_by TEXT NULL REFERENCES users(id)
);
CREATE INDEX devices_user ON devices (user_id);

CREATE TABLE enrolments (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  used_at TIMESTAMPTZ NULL,
  device_id TEXT NULL REFERENCES devices(id)
);
CREATE INDEX enrolments_user ON enrolments (user_id);

-- Every new session belongs to a device; sessions made before this migration keep NULL.
ALTER TABLE sessions ADD COLUMN device_id TEXT NULL REFERENCES devices(id);
CREATE INDEX sessions_device ON sessions (device_id);
