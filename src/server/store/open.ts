// Picks the store from configuration: embedded SQLite in DATA_DIR, or PostgreSQL when DATABASE_URL
// is a postgres:// URL (with an optional `?schema=name`).
import { join } from 'node:path';
import { privateDir, privateSqliteFiles } from './file-modes.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
import { isPostgresUrl, parsePostgresUrl } from './postgres/url.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import { StoreConfigError, type Store } from './store.ts';

export const SQLITE_FILE_NAME = 'sotay.sqlite';

export function openStore(options: {
  dataDir: string;
  databaseUrl?: string | undefined;
  pgPoolMax?: number | undefined;
}): Store {
  if (isPostgresUrl(options.databaseUrl)) {
    const target = parsePostgresUrl(options.databaseUrl ?? '');
    return openPostgresStore({
      connectionString: target.connectionString,
      schema: target.schema,
      ...(options.pgPoolMax === undefined ? {} : { poolMax: options.pgPoolMax }),
    });
  }
  if (options.databaseUrl)
    throw new StoreConfigError('DATABASE_URL must be a postgres:// URL (or be left unset for SQLite).');
  // Citizens' data: readable by the server's own user only (docs/operations.md, "The data directory").
  privateDir(options.dataDir);
  const file = join(options.dataDir, SQLITE_FILE_NAME);
  privateSqliteFiles(file);
  return openSqliteStore({ file });
}
