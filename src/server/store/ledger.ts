// The migrations ledger of both stores: `YYYYMMDD-NN-name.sql` files applied in name order, recorded
// with a checksum; a changed or vanished applied file stops the start.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MigrationError } from './store.ts';

export const MIGRATION_NAME_RE = /^\d{8}-\d{2}-[a-z0-9-]+\.sql$/;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

export function readMigrations(dir: string): MigrationFile[] {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.sql'))
    .sort();
  return names.map((name) => {
    if (!MIGRATION_NAME_RE.test(name))
      throw new MigrationError(`Migration file "${name}" in ${dir} is not named YYYYMMDD-NN-name.sql.`);
    const sql = readFileSync(join(dir, name), 'utf8');
    return { name, sql, checksum: checksumOf(sql) };
  });
}

/** Plans what to apply; throws when the ledger and the files disagree. Pure. */
export function planMigrations(
  files: readonly MigrationFile[],
  ledger: ReadonlyMap<string, string>,
): { pending: MigrationFile[]; skipped: string[] } {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const [name, checksum] of ledger) {
    const file = byName.get(name);
    if (!file)
      throw new MigrationError(
        `Migration ${name} was applied to this database but its file is missing. ` +
          'Refusing to start: this code is older than the database, or a migration was deleted.',
      );
    if (file.checksum !== checksum)
      throw new MigrationError(
        `Migration ${name} changed after it was applied (checksum ${checksum.slice(0, 12)}… in the ledger, ` +
          `${file.checksum.slice(0, 12)}… on disk). Refusing to start: never edit an applied migration, add a new one.`,
      );
  }
  return {
    pending: files.filter((f) => !ledger.has(f.name)),
    skipped: files.filter((f) => ledger.has(f.name)).map((f) => f.name),
  };
}

export function migrationFailed(file: MigrationFile, e: unknown): MigrationError {
  return new MigrationError(`Migration ${file.name} failed: ${e instanceof Error ? e.message : String(e)}`);
}
