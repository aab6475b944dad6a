-- Citizens' data (docs/privacy.md): each commune's secret for citizenKey = HMAC-SHA256(secret, ID
-- number), made at random for existing communes (new ones get theirs from the application), and
-- the follow-up contact of a record, kept apart from `records` (never pulled) and encrypted at rest.

ALTER TABLE communes ADD COLUMN citizen_secret TEXT NULL;
UPDATE communes SET citizen_secret = lower(hex(randomblob(32))) WHERE citizen_secret IS NULL;

-- `sealed`: AES-256-GCM under the server key (never the clear text). `closed_at`: when the case
-- closed (outcome left "needs follow-up"); the contact is purged a retention period after it.
CREATE TABLE record_contacts (
  record_id TEXT PRIMARY KEY,
  commune_code TEXT NOT NULL,
  sealed TEXT NOT NULL,
  closed_at TEXT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX record_contacts_closed ON record_contacts (closed_at) WHERE closed_at IS NOT NULL;
