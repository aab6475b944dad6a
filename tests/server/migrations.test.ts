// The migrations ledger on both stores: applied once, checked on every start, a failing file rolled
// back; on PostgreSQL, processes starting at once apply each file once (advisory lock). What each
// migration itself does is tested in tests/server/migrations/.
import { appendFileSync, copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATION_NAME_RE, planMigrations } from '../../src/server/store/ledger.ts';
import {
  POSTGRES_MIGRATIONS_DIR,
  openPostgresStore,
} from '../../src/server/store/postgres/postgres-store.ts';
import { SQLITE_MIGRATIONS_DIR } from '../../src/server/store/sqlite/sqlite-store.ts';
import { MigrationError, type MigrationReport } from '../../src/server/store/store.ts';
import {
  STORE_KINDS,
  TEST_DATABASE_URL,
  pgClient,
  removeDir,
  tempDir,
  testDatabase,
  type StoreKind,
  type TestDatabase,
} from './harness.ts';

const root = tempDir();
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
  removeDir(root);
});

const SHIPPED: Record<StoreKind, string> = {
  sqlite: SQLITE_MIGRATIONS_DIR,
  postgres: POSTGRES_MIGRATIONS_DIR,
};

interface Setup {
  migrationsDir: string;
  db: TestDatabase;
  migrateOnce(): Promise<MigrationReport>;
}

/** A fresh database with its own copy of the migration files, so a test may tamper with them. */
async function setup(kind: StoreKind, name: string): Promise<Setup> {
  const migrationsDir = join(root, kind, name);
  mkdirSync(migrationsDir, { recursive: true });
  for (const f of readdirSync(SHIPPED[kind])) copyFileSync(join(SHIPPED[kind], f), join(migrationsDir, f));
  const db = await testDatabase(kind);
  databases.push(db);
  return {
    migrationsDir,
    db,
    async migrateOnce() {
      const store = db.open({ migrationsDir });
      try {
        return await store.migrate();
      } finally {
        await store.close();
      }
    },
  };
}

describe.each(STORE_KINDS)('migrations on %s', (kind) => {
  it('names every shipped migration YYYYMMDD-NN-name.sql', () => {
    const files = readdirSync(SHIPPED[kind]);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f).toMatch(MIGRATION_NAME_RE);
  });

  it('applies every file on a new database and nothing on a restart', async () => {
    const o = await setup(kind, 'restart');
    const first = await o.migrateOnce();
    expect(first.applied.length).toBe(readdirSync(o.migrationsDir).length);
    const second = await o.migrateOnce();
    expect(second.applied).toEqual([]);
    expect(second.skipped).toEqual(first.applied);
  });

  it('applies only a newly added file on the next start', async () => {
    const o = await setup(kind, 'added');
    await o.migrateOnce();
    writeFileSync(
      join(o.migrationsDir, '29991231-01-later.sql'),
      'CREATE TABLE later_thing (id TEXT PRIMARY KEY);\n',
    );
    const next = await o.migrateOnce();
    expect(next.applied).toEqual(['29991231-01-later.sql']);
  });

  it('refuses to start when an applied migration file changed', async () => {
    const o = await setup(kind, 'tampered');
    await o.migrateOnce();
    const [first] = readdirSync(o.migrationsDir);
    appendFileSync(join(o.migrationsDir, first ?? ''), '\n-- edited after it was applied\n');
    await expect(o.migrateOnce()).rejects.toThrow(/changed after it was applied/);
    await expect(o.migrateOnce()).rejects.toBeInstanceOf(MigrationError);
  });

  it('refuses to start when an applied migration file is missing', async () => {
    const o = await setup(kind, 'missing');
    await o.migrateOnce();
    const [first] = readdirSync(o.migrationsDir);
    rmSync(join(o.migrationsDir, first ?? ''));
    await expect(o.migrateOnce()).rejects.toThrow(/file is missing/);
  });

  it('rolls back a failing migration and records nothing of it', async () => {
    const o = await setup(kind, 'failing');
    await o.migrateOnce();
    writeFileSync(
      join(o.migrationsDir, '29991231-01-broken.sql'),
      'CREATE TABLE half_done (id TEXT);\nTHIS IS NOT SQL;\n',
    );
    await expect(o.migrateOnce()).rejects.toThrow(/29991231-01-broken.sql failed/);
    rmSync(join(o.migrationsDir, '29991231-01-broken.sql'));
    // Had half_done survived the failure, creating it again would fail.
    writeFileSync(join(o.migrationsDir, '29991231-01-broken.sql'), 'CREATE TABLE half_done (id TEXT);\n');
    const next = await o.migrateOnce();
    expect(next.applied).toEqual(['29991231-01-broken.sql']);
  });
});

describe('migrations on postgres, several processes', () => {
  it('applies each file exactly once when three stores migrate the same new schema at once', async () => {
    const db = await testDatabase('postgres');
    databases.push(db);
    const stores = [db.open(), db.open(), db.open()];
    try {
      const reports = await Promise.all(stores.map((s) => s.migrate()));
      const applied = reports.flatMap((r) => r.applied).sort();
      expect(applied).toEqual(readdirSync(POSTGRES_MIGRATIONS_DIR).sort());
      expect(await db.count('schema_migrations')).toBe(applied.length);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it('creates the schema named in the options when it does not exist yet', async () => {
    const schema = `t_${process.pid}_fresh_${Date.now() % 100000}`;
    const store = openPostgresStore({ connectionString: TEST_DATABASE_URL, schema });
    const admin = await pgClient();
    try {
      await store.migrate();
      const found = await admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      expect(found.rowCount).toBe(1);
      expect(await store.currentVersion()).toBe(0);
    } finally {
      await store.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});

describe('planning', () => {
  it('plans by name order and leaves applied ones out', () => {
    const files = [
      { name: '20250101-01-a.sql', sql: 'a', checksum: 'ca' },
      { name: '20250102-01-b.sql', sql: 'b', checksum: 'cb' },
    ];
    const plan = planMigrations(files, new Map([['20250101-01-a.sql', 'ca']]));
    expect(plan.pending.map((f) => f.name)).toEqual(['20250102-01-b.sql']);
    expect(plan.skipped).toEqual(['20250101-01-a.sql']);
  });
});
