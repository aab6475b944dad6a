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
