// The migrations ledger on a real SQLite file: applied once, checked on every start.
import { appendFileSync, copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATION_NAME_RE, planMigrations } from '../../src/server/store/sqlite/migrate.ts';
import { SQLITE_MIGRATIONS_DIR, openSqliteStore } from '../../src/server/store/sqlite/sqlite-store.ts';
import { MigrationError } from '../../src/server/store/store.ts';
import { removeDir, tempDir } from './harness.ts';

const root = tempDir();
afterAll(() => removeDir(root));

/** A data dir with its own copy of the migration files, so a test may tamper with them. */
function setup(name: string): { file: string; migrationsDir: string } {
  const dir = join(root, name);
  const migrationsDir = join(dir, 'migrations');
  mkdirSync(migrationsDir, { recursive: true });
  for (const f of readdirSync(SQLITE_MIGRATIONS_DIR))
    copyFileSync(join(SQLITE_MIGRATIONS_DIR, f), join(migrationsDir, f));
  return { file: join(dir, 'sotay.sqlite'), migrationsDir };
}

async function migrateOnce(o: { file: string; migrationsDir: string }) {
  const store = openSqliteStore(o);
  try {
    return await store.migrate();
  } finally {
    await store.close();
  }
}

describe('migrations', () => {
  it('names every shipped migration YYYYMMDD-NN-name.sql', () => {
    const files = readdirSync(SQLITE_MIGRATIONS_DIR);
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(f).toMatch(MIGRATION_NAME_RE);
  });

  it('applies every file on a new database and nothing on a restart', async () => {
    const o = setup('restart');
    const first = await migrateOnce(o);
    expect(first.applied.length).toBe(readdirSync(o.migrationsDir).length);
    const second = await migrateOnce(o);
    expect(second.applied).toEqual([]);
    expect(second.skipped).toEqual(first.applied);
  });

  it('applies only a newly added file on the next start', async () => {
    const o = setup('added');
    await migrateOnce(o);
    writeFileSync(
      join(o.migrationsDir, '29991231-01-later.sql'),
      'CREATE TABLE later_thing (id TEXT PRIMARY KEY);\n',
    );
    const next = await migrateOnce(o);
    expect(next.applied).toEqual(['29991231-01-later.sql']);
  });

  it('refuses to start when an applied migration file changed', async () => {
    const o = setup('tampered');
    await migrateOnce(o);
    const [first] = readdirSync(o.migrationsDir);
    appendFileSync(join(o.migrationsDir, first ?? ''), '\n-- edited after it was applied\n');
    await expect(migrateOnce(o)).rejects.toThrow(/changed after it was applied/);
    await expect(migrateOnce(o)).rejects.toBeInstanceOf(MigrationError);
  });

  it('refuses to start when an applied migration file is missing', async () => {
    const o = setup('missing');
    await migrateOnce(o);
    const [first] = readdirSync(o.migrationsDir);
    rmSync(join(o.migrationsDir, first ?? ''));
    await expect(migrateOnce(o)).rejects.toThrow(/file is missing/);
  });

  it('rolls back a failing migration and records nothing of it', async () => {
    const o = setup('failing');
    await migrateOnce(o);
    writeFileSync(
      join(o.migrationsDir, '29991231-01-broken.sql'),
      'CREATE TABLE half_done (id TEXT);\nTHIS IS NOT SQL;\n',
    );
    await expect(migrateOnce(o)).rejects.toThrow(/29991231-01-broken.sql failed/);
    rmSync(join(o.migrationsDir, '29991231-01-broken.sql'));
    writeFileSync(join(o.migrationsDir, '29991231-01-broken.sql'), 'CREATE TABLE half_done (id TEXT);\n');
    const next = await migrateOnce(o);
    expect(next.applied).toEqual(['29991231-01-broken.sql']);
  });

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
