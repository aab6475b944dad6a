// One numbering on both stores: every migration name exists for SQLite and PostgreSQL alike and has
// its own test file here; and a PostgreSQL database migrated before the no-op twin of SQLite's
// 20261128-02 existed takes that file on its next start and changes nothing else.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../src/server/demo.ts';
import { SHIPPED_MIGRATIONS, removeDir, tempDir, testDatabase, type TestDatabase } from '../harness.ts';
import { look, shippedNames, type Snapshot } from './support.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const TWIN = '20261128-02-retention-and-conflicts.sql';

describe('one migration numbering', () => {
  it('ships every migration name on both stores', () => {
    const sqlite = shippedNames('sqlite');
    const postgres = shippedNames('postgres');
    expect(sqlite.length).toBeGreaterThan(0);
    expect(
      sqlite.filter((n) => !postgres.includes(n)),
      'only on SQLite',
    ).toEqual([]);
    expect(
      postgres.filter((n) => !sqlite.includes(n)),
      'only on PostgreSQL',
    ).toEqual([]);
  });

  it('has a test file for every migration', () => {
    const missing = shippedNames('sqlite')
      .map((n) => n.replace(/\.sql$/, '.test.ts'))
      .filter((t) => !existsSync(join(HERE, t)));
    expect(missing).toEqual([]);
  });
});

describe(`${TWIN} on a PostgreSQL database migrated before it existed`, () => {
  const dir = tempDir('sotay-migrations-');
  let db: TestDatabase | null = null;
  afterAll(async () => {
    await db?.drop();
    removeDir(dir);
  });

  it('is applied alone on the next start and leaves the schema and the data as they were', async () => {
    mkdirSync(dir, { recursive: true });
    for (const f of shippedNames('postgres').filter((n) => n !== TWIN))
      copyFileSync(join(SHIPPED_MIGRATIONS.postgres, f), join(dir, f));
    db = await testDatabase('postgres');
    const before = db.open({ migrationsDir: dir });
    try {
      await before.migrate();
      await seedDemo(before);
    } finally {
      await before.close();
    }
    // The schema a fresh database gets from every shipped file, to compare with after.
    const other = await testDatabase('postgres');
    const fresh = look(other);
    let expected: Snapshot;
    try {
      const store = other.open();
      await store.migrate().finally(() => store.close());
      expected = await fresh.snapshot();
    } finally {
      await fresh.close();
      await other.drop();
    }
    const users = await db.count('users');
    expect(users).toBeGreaterThan(0);

    copyFileSync(join(SHIPPED_MIGRATIONS.postgres, TWIN), join(dir, TWIN));
    const after = db.open({ migrationsDir: dir });
    try {
      const report = await after.migrate();
      expect(report.applied).toEqual([TWIN]);
      expect(report.skipped).toHaveLength(shippedNames('postgres').length - 1);
      expect(await db.count('users')).toBe(users);
      expect(await db.count('schema_migrations')).toBe(shippedNames('postgres').length);
      // The store still answers on the upgraded database.
      expect(await after.listTargets('99001', '2026-01-01', '2026-12-31')).toEqual([]);
      const again = await after.migrate();
      expect(again.applied).toEqual([]);
    } finally {
      await after.close();
    }
    const upgraded = look(db);
    try {
      expect(await upgraded.snapshot()).toEqual(expected);
    } finally {
      await upgraded.close();
    }
  });
});
