// Applies the SQLite migration files (see ../ledger.ts), each in its own IMMEDIATE transaction, and
// records them in `schema_migrations`.
import type Database from 'better-sqlite3';
import { migrationFailed, planMigrations, readMigrations } from '../ledger.ts';
import type { MigrationReport } from '../store.ts';

export function migrateSqlite(db: Database.Database, dir: string): MigrationReport {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const rows = db.prepare('SELECT name, checksum FROM schema_migrations').all() as {
    name: string;
    checksum: string;
  }[];
  const plan = planMigrations(readMigrations(dir), new Map(rows.map((r) => [r.name, r.checksum])));
  const record = db.prepare('INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)');
  const already = db.prepare('SELECT 1 FROM schema_migrations WHERE name = ?');
  const applied: string[] = [];
  for (const file of plan.pending) {
    // IMMEDIATE, then look again: a second process starting on the same file waits, then skips.
    db.exec('BEGIN IMMEDIATE');
    try {
      if (already.get(file.name)) {
        db.exec('COMMIT');
        continue;
      }
      db.exec(file.sql);
      record.run(file.name, file.checksum, new Date().toISOString());
      db.exec('COMMIT');
      applied.push(file.name);
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw migrationFailed(file, e);
    }
  }
  return { applied, skipped: plan.skipped };
}
