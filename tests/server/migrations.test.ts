// The migrations ledger on both stores: applied once, checked on every start, a failing file rolled
// back; on PostgreSQL, processes starting at once apply each file once (advisory lock); and the
// SQLite data migration that backfills push-result times.
import { appendFileSync, copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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
async function setup(kind: StoreKind, name: string, only?: (file: string) => boolean): Promise<Setup> {
  const migrationsDir = join(root, kind, name);
  mkdirSync(migrationsDir, { recursive: true });
  for (const f of readdirSync(SHIPPED[kind]).filter(only ?? (() => true)))
    copyFileSync(join(SHIPPED[kind], f), join(migrationsDir, f));
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

describe('data migration 20261128-02-retention-and-conflicts on sqlite', () => {
  it("gives push results stored before it their client's last write time, and history no winners", async () => {
    const o = await setup('sqlite', 'backfill', (f) => f.startsWith('20261128-01-'));
    await o.migrateOnce();
    const file = join(o.db.name, 'sotay.sqlite');
    const raw = new Database(file);
    try {
      raw.exec(`
        INSERT INTO communes VALUES ('99009', 'Xã Thử');
        INSERT INTO users VALUES ('u1', 'u1', 'U 1', 'x', 'volunteer', '99009', NULL, 1);
        INSERT INTO clients VALUES ('client-aaaaaaaa', 'u1', 2, '2026-01-02T03:04:05.000Z');
        INSERT INTO mutation_results VALUES ('client-aaaaaaaa', 1, 'm1', '{"seq":1,"status":"applied"}');
        INSERT INTO mutation_results VALUES ('client-aaaaaaaa', 2, 'm2', '{"seq":2,"status":"applied"}');
        INSERT INTO record_history (record_id, version, mutation_id, user_id, op, patch, replaced, lost, at)
          VALUES ('r1', 1, 'm1', 'u1', 'update', '{}', '{}', '{"note":{"value":"a","by":"u1","role":"volunteer"}}',
                  '2026-01-02T03:04:05.000Z');
      `);
    } finally {
      raw.close();
    }
    for (const f of readdirSync(SQLITE_MIGRATIONS_DIR).filter((n) => n.startsWith('20261128-02-')))
      copyFileSync(join(SQLITE_MIGRATIONS_DIR, f), join(o.migrationsDir, f));
    const report = await o.migrateOnce();
    expect(report.applied).toEqual(['20261128-02-retention-and-conflicts.sql']);
    const after = new Database(file, { readonly: true });
    try {
      expect(after.prepare('SELECT DISTINCT created_at FROM mutation_results').all()).toEqual([
        { created_at: '2026-01-02T03:04:05.000Z' },
      ]);
      expect(after.prepare('SELECT won FROM record_history').all()).toEqual([{ won: null }]);
      expect(after.prepare('SELECT pruned_version FROM sync_state').get()).toEqual({ pruned_version: 0 });
    } finally {
      after.close();
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

describe.each(STORE_KINDS)('data migration 20261128-03-reporting on %s', (kind) => {
  it('backfills the tally columns of existing records from their data, citizen number included', async () => {
    // Only the migrations before 03 (later ones need its columns).
    const o = await setup(kind, 'reporting-backfill', (f) => f < '20261128-03-');
    await o.migrateOnce();
    const key = `0123456789abcdef${'a'.repeat(48)}`;
    const data = JSON.stringify({
      occurredOn: '2026-01-05',
      hamletId: 'thon-dong',
      category: 'online_filing',
      outcome: 'submitted',
      serviceCode: 'CA-03',
      citizenKey: key,
    });
    const noKey = JSON.stringify({
      occurredOn: '2026-01-06',
      hamletId: 'thon-tay',
      category: 'other',
      outcome: 'done',
    });
    const at = '2026-01-05T00:00:00.000Z';
    for (const [id, d] of [
      ['r1', data],
      ['r2', noKey],
    ] as const)
      await o.db.exec(
        `INSERT INTO records (id, commune_code, team_id, volunteer_id, version, deleted, data, field_meta, created_at, updated_at)
         VALUES ('${id}', '99009', 't1', 'u1', 1, ${kind === 'sqlite' ? 0 : 'false'}, '${d}', '{}', '${at}', '${at}')`,
      );
    // 03 backfills the columns, 04 the daily aggregates the tally below counts from; the later ones
    // too, since a store runs with all of its own.
    for (const f of readdirSync(SHIPPED[kind]).filter((n) => n >= '20261128-03-'))
      copyFileSync(join(SHIPPED[kind], f), join(o.migrationsDir, f));
    const report = await o.migrateOnce();
    expect(report.applied.slice(0, 2)).toEqual([
      '20261128-03-reporting.sql',
      '20261128-04-daily-aggregates.sql',
    ]);
    const store = o.db.open({ migrationsDir: o.migrationsDir });
    try {
      const t = await store.tally({
        scope: { kind: 'commune', communeCode: '99009' },
        from: '2026-01-01',
        to: '2026-01-31',
        groupBy: ['hamlet', 'service', 'outcome'],
      });
      expect(t.rows).toEqual([
        { key: { hamlet: 'thon-dong', service: 'CA-03', outcome: 'submitted' }, count: 1, citizens: 1 },
        { key: { hamlet: 'thon-tay', service: null, outcome: 'done' }, count: 1, citizens: 0 },
      ]);
    } finally {
      await store.close();
    }
    if (kind === 'sqlite') {
      const raw = new Database(join(o.db.name, 'sotay.sqlite'), { readonly: true });
      try {
        raw.defaultSafeIntegers(true);
        const r = raw.prepare("SELECT citizen_no FROM records WHERE id = 'r1'").get() as {
          citizen_no: bigint;
        };
        expect(r.citizen_no).toBe(BigInt('0x0123456789abcde'));
      } finally {
        raw.close();
      }
    }
  });
});
