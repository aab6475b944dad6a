-- The audit log (docs/operations.md): who viewed, exported, edited or deleted what, when and from
-- where. No citizen data and no tokens: targets are record ids and route names. Times are ISO UTC
-- text, the same strings on both stores; ids are UUIDv7 so they sort by time.
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  commune_code TEXT NULL,
  user_id TEXT NULL,
  username TEXT NULL,
  role TEXT NULL,
  action TEXT NOT NULL,
  target TEXT NULL,
  detail TEXT NULL,
  ip TEXT NULL,
  status INTEGER NOT NULL
);
CREATE INDEX audit_log_commune ON audit_log (commune_code, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_user ON audit_log (user_id, id);
