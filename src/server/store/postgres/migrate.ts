// Applies the PostgreSQL migration files (../ledger.ts) under an advisory lock per schema, so server
// processes starting at once apply each file exactly once; the others wait, then find the work done.
import type { PoolClient } from 'pg';
import { migrationFailed, planMigrations, readMigrations } from '../ledger.ts';
import type { MigrationReport } from '../store.ts';

/** First key of the advisory lock; the second is the hash of the schema name. */
export const MIGRATION_LOCK_NAMESPACE = 0x50746e79;

/**
 * Inside a transaction: take the migration lock shared until it ends, or answer false at once when
 * another process is applying migrations. Work that locks tables outside a request (the rebuild of
 * the citizen cells at start) takes it first, so a migration never waits for it while it waits for
 * the migration's tables: the migration waits for the lock, or the work stands aside.
 */
export async function tryShareMigrationLock(client: PoolClient, schema: string | null): Promise<boolean> {
  const r = await client.query<{ ok: boolean }>(
    'SELECT pg_try_advisory_xact_lock_shared($1, hashtext($2)) AS ok',
    [MIGRATION_LOCK_NAMESPACE, schema ?? 'public'],
  );
  return r.rows[0]?.ok === true;
}

export async function migratePostgres(
  client: PoolClient,
  dir: string,
  schema: string | null,
): Promise<MigrationReport> {
  const files = readMigrations(dir);
  // Waiting for another process's migrations is expected; the pool's lock timeout must not apply.
  await client.query('SET lock_timeout = 0; SET statement_timeout = 0');
  const lockArgs = [MIGRATION_LOCK_NAMESPACE, schema ?? 'public'];
  await client.query('SELECT pg_advisory_lock($1, hashtext($2))', lockArgs);
  try {
    if (schema !== null) {
      const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      // The name was checked against SCHEMA_NAME_RE: it needs no quoting.
      if (found.rowCount === 0) await client.query(`CREATE SCHEMA ${schema}`);
    }
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`);
    const ledger = await client.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM schema_migrations',
    );
    const plan = planMigrations(files, new Map(ledger.rows.map((r) => [r.name, r.checksum])));
    const applied: string[] = [];
    for (const file of plan.pending) {
      await client.query('BEGIN');
      try {
        await client.query(file.sql);
        await client.query(
          'INSERT INTO schema_migrations (name, checksum, applied_at) VALUES ($1, $2, now())',
          [file.name, file.checksum],
        );
        await client.query('COMMIT');
        applied.push(file.name);
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw migrationFailed(file, e);
      }
    }
    return { applied, skipped: plan.skipped };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', lockArgs).catch(() => undefined);
    await client.query('RESET lock_timeout; RESET statement_timeout').catch(() => undefined);
  }
}
