-- Hand-off to the team lead without internet (docs/handoff.md): the commune's key pairs, the
-- devices' public signing keys, and the bundles the server has taken (replay and idempotence).
--
-- The commune's private keys are kept here because the server opens bundles and signs receipts;
-- leads and admins of the commune receive the encryption key for offline import.
CREATE TABLE handoff_commune_keys (
  commune_code TEXT PRIMARY KEY REFERENCES communes(code),
  key_id TEXT NOT NULL UNIQUE,
  encrypt_public TEXT NOT NULL,
  encrypt_private TEXT NOT NULL,
  receipt_public TEXT NOT NULL,
  receipt_private TEXT NOT NULL,
  created_at TEXT NOT NULL
);

-- One row per device signing key; a revoked key's bundles are refused (revoked_at not null).
CREATE TABLE handoff_device_keys (
  key_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  client_id TEXT NOT NULL REFERENCES clients(client_id),
  public_key TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT NULL
);
CREATE INDEX handoff_device_keys_user ON handoff_device_keys (user_id);

CREATE TABLE handoff_bundles (
  bundle_id TEXT PRIMARY KEY,
  key_id TEXT NOT NULL REFERENCES handoff_device_keys(key_id),
  client_id TEXT NOT NULL,
  volunteer_id TEXT NOT NULL REFERENCES users(id),
  lead_id TEXT NOT NULL REFERENCES users(id),
  digest TEXT NOT NULL,
  mutation_count INTEGER NOT NULL,
  receipt TEXT NOT NULL,
  received_at TEXT NOT NULL
);
