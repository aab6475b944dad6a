// Picks the store from configuration: embedded SQLite in DATA_DIR, or (later) PostgreSQL.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export const SQLITE_FILE_NAME = 'sotay.sqlite';

export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}

export function isPostgresUrl(url: string | undefined): boolean {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

export function openStore(options: { dataDir: string; databaseUrl?: string | undefined }): Store {
  if (isPostgresUrl(options.databaseUrl))
    throw new StoreUnavailableError(
      'PostgreSQL store not yet available: unset DATABASE_URL to use the embedded SQLite store in DATA_DIR.',
    );
  if (options.databaseUrl)
    throw new StoreUnavailableError('DATABASE_URL must be a postgres:// URL (or be left unset for SQLite).');
  mkdirSync(options.dataDir, { recursive: true });
  return openSqliteStore({ file: join(options.dataDir, SQLITE_FILE_NAME) });
}
