-- Restore epochs: the restore command (src/server/backup.ts) adds a row each time a backup is put
-- back, with the version counter it came back with. Versions above it that phones or cursors still
-- carry belong to the history the backup did not have (sync-protocol.md, "Restored from a backup").
CREATE TABLE restores (
  restored_at TEXT PRIMARY KEY,
  version BIGINT NOT NULL,
  backup_created_at TEXT NOT NULL
);
