-- First-run set-up (docs/operations.md): the SHA-256 of each set-up link's token printed while no
-- commune exists. Every server start adds one, so a link printed by any process sharing this
-- database works; the set-up that creates the first commune deletes them all.
CREATE TABLE setup_tokens (
  token_hash TEXT PRIMARY KEY,
  created_at TEXT NOT NULL
);
