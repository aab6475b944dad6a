-- Restore epochs (sync-protocol.md, "Restored from a backup"). The restore command
-- (src/server/backup.ts) adds a row each time a backup is put back and moves the version counter
-- from the backup's value (restored_from) up to restored_below, leaving a gap no version of this
-- database will ever take: a base version or pull cursor in the gap, or below it without the
-- restore's mark, comes from the history the backup did not have.
CREATE TABLE restores (
  restored_at TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  restored_below INTEGER NOT NULL,
  backup_created_at TEXT NOT NULL
);
ALTER TABLE sync_state ADD COLUMN restored_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_state ADD COLUMN restored_below INTEGER NOT NULL DEFAULT 0;
