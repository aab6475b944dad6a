// The files holding citizens' data are the server user's alone: the data directory 0700, the SQLite
// file, its WAL and shared memory, and the key file 0600 — when created, and tightened at start when
// an older install or a restored backup left them readable by others.
import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateKeys } from '../../src/server/privacy/keys.ts';
import { SQLITE_FILE_NAME, openStore } from '../../src/server/store/open.ts';
import { seedDemo } from '../../src/server/demo.ts';
import { removeDir, tempDir } from './harness.ts';

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('file modes of the SQLite store and the key file', () => {
  const dirs: string[] = [];
  const fresh = (): string => {
    const dir = tempDir('sotay-modes-');
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) removeDir(dir);
  });

  it('creates the data directory 0700 and the database, its WAL and shm 0600 (with a umask of 022)', async () => {
    const old = process.umask(0o022);
    try {
      const dataDir = join(fresh(), 'data');
      const store = openStore({ dataDir });
      await store.migrate();
      await seedDemo(store);
      const file = join(dataDir, SQLITE_FILE_NAME);
      expect(existsSync(`${file}-wal`)).toBe(true);
      expect(modeOf(dataDir)).toBe(0o700);
      for (const path of [file, `${file}-wal`, `${file}-shm`])
        expect([path, modeOf(path)]).toEqual([path, 0o600]);
      await store.close();
    } finally {
      process.umask(old);
    }
  });

  it('tightens an existing data directory and database files that others could read', async () => {
    const dataDir = fresh();
    const file = join(dataDir, SQLITE_FILE_NAME);
    const first = openStore({ dataDir });
    await first.migrate();
    await first.close();
    chmodSync(dataDir, 0o755);
    chmodSync(file, 0o644);
    writeFileSync(`${file}-wal`, '');
    chmodSync(`${file}-wal`, 0o666);

    const store = openStore({ dataDir });
    await store.migrate();
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(`${file}-wal`)).toBe(0o600);
    expect(modeOf(`${file}-shm`)).toBe(0o600);
    await store.close();
  });

  it('tightens a key file restored with a wider mode, and creates a missing key directory 0700', async () => {
    const dir = fresh();
    const keyDir = join(dir, 'keys');
    const path = join(keyDir, 'sotay-keys.json');
    const old = process.umask(0o022);
    try {
      await loadOrCreateKeys(path);
    } finally {
      process.umask(old);
    }
    expect(modeOf(keyDir)).toBe(0o700);
    expect(modeOf(path)).toBe(0o600);
    chmodSync(path, 0o644);
    await loadOrCreateKeys(path);
    expect(modeOf(path)).toBe(0o600);
  });
});
