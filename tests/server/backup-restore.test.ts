// The backup drill on both stores, as an operator runs it: `cli.ts --backup` against a running server
// while a client keeps pushing, `cli.ts --restore` into an empty data dir or database, a server
// started on the copy holds every record acknowledged before the backup began, intact.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { RESTORE_GAP } from '../../src/server/backup.ts';
import type { LoginResponse, PullResponse, PushResponse } from '../../src/shared/index.ts';
import { run, start, stop, type Running } from './cli-process.ts';
import {
  STORE_KINDS,
  TEST_DATABASE_URL,
  clientId,
  createOf,
  fakeRecord,
  removeDir,
  requestAt,
  tempDir,
  testDatabase,
  type StoreKind,
  type TestDatabase,
} from './harness.ts';

/** A pusher that sends one record per push, one push at a time, until stopped. */
function writer(url: string, token: string) {
  const client = clientId();
  const acked: string[] = [];
  let seq = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      seq += 1;
      const record = fakeRecord();
      const res = await requestAt<PushResponse>(url, '/api/v1/sync/push', {
        token,
        body: { clientId: client, schemaVersion: 1, mutations: [createOf(record, seq)] },
      });
      if (res.status !== 200 || res.body.results[0]?.status !== 'applied')
        throw new Error(`push failed: ${res.status} ${res.text}`);
      acked.push(record.id);
    }
  })();
  return {
    acked,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

async function login(url: string): Promise<string> {
  const res = await requestAt<LoginResponse>(url, '/api/v1/auth/login', {
    body: { username: 'demo-tnv', password: 'demo' },
  });
  expect(res.status).toBe(200);
  return res.body.token;
}

async function pullAll(url: string, token: string): Promise<Set<string>> {
  const ids = new Set<string>();
  const client = clientId();
  let cursor: string | null = null;
  for (;;) {
    const res: { status: number; body: PullResponse } = await requestAt<PullResponse>(
      url,
      '/api/v1/sync/pull',
      {
        token,
        body: { clientId: client, cursor, limit: 500 },
      },
    );
    expect(res.status).toBe(200);
    for (const c of res.body.changes) if (!c.deleted) ids.add(c.id);
    if (!res.body.hasMore) return ids;
    cursor = res.body.cursor;
  }
}

/** Where a restore goes: a fresh data dir, and for PostgreSQL a database of its own (a new machine). */
async function restoreTarget(
  kind: StoreKind,
  schema: string,
): Promise<{ dataDir: string; env: Record<string, string>; drop: () => Promise<void> }> {
  const dataDir = tempDir('sotay-restored-');
  if (kind === 'sqlite') return { dataDir, env: {}, drop: async () => removeDir(dataDir) };
  const name = `sotay_restore_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/${name}`;
  u.searchParams.set('schema', schema);
  return {
    dataDir,
    env: { DATABASE_URL: u.toString() },
    drop: async () => {
      removeDir(dataDir);
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

describe.each(STORE_KINDS)('backup and restore on %s', (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  }, 60_000);

  it('restores, from a backup taken under writes, every record acknowledged before it began', async () => {
    const db: TestDatabase = await testDatabase(kind);
    cleanups.push(() => db.drop());
    const dataDir = kind === 'sqlite' ? db.name : tempDir('sotay-pg-data-');
    if (kind === 'postgres') cleanups.push(async () => removeDir(dataDir));
    const backups = tempDir('sotay-backups-');
    cleanups.push(async () => removeDir(backups));
    let server: Running | null = await start(dataDir, ['--demo'], db.env());
    const w = writer(server.url, await login(server.url));
    try {
      await vi.waitFor(() => expect(w.acked.length).toBeGreaterThanOrEqual(30), {
        timeout: 60_000,
        interval: 20,
      });
      const before = [...w.acked];
      const made = await run(dataDir, ['--backup', backups], db.env());
      expect(made.code, made.stderr).toBe(0);
      const during = w.acked.length - before.length;
      // More writes after the backup: they are not in it, and must not break it.
      const target = w.acked.length + 10;
      await vi.waitFor(() => expect(w.acked.length).toBeGreaterThanOrEqual(target), {
        timeout: 60_000,
        interval: 20,
      });
      await w.stop();
      expect(during).toBeGreaterThan(0);

      const folder = /^backup written to (\S+)$/m.exec(made.stdout)?.[1] ?? '';
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as {
        store: string;
        migrationHead: string;
        files: Record<string, string>;
      };
      expect(manifest.store).toBe(kind);
      expect(manifest.migrationHead).toMatch(/^\d{8}-\d{2}-.+\.sql$/);
      expect(Object.keys(manifest.files)).toContain('sotay-keys.json');
      for (const f of Object.keys(manifest.files)) expect(statSync(join(folder, f)).mode & 0o777).toBe(0o600);

      const to = await restoreTarget(kind, db.name);
      cleanups.push(to.drop);
      const restored = await run(to.dataDir, ['--restore', folder], to.env);
      expect(restored.code, restored.stderr).toBe(0);
      expect(readFileSync(join(to.dataDir, 'sotay-keys.json'))).toEqual(
        readFileSync(join(dataDir, 'sotay-keys.json')),
      );
      if (kind === 'sqlite') {
        const copy = new Database(join(to.dataDir, 'sotay.sqlite'), { readonly: true });
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        // The restore epoch: one row, and the counter moved past the gap.
        expect(copy.prepare('SELECT count(*) AS n FROM restores').get()).toEqual({ n: 1 });
        const state = copy.prepare('SELECT version, restored_below FROM sync_state').get() as {
          version: number;
          restored_below: number;
        };
        expect(state.version).toBeGreaterThanOrEqual(RESTORE_GAP);
        expect(state.restored_below).toBe(state.version);
        copy.close();
      }
      await stop(server);
      server = await start(to.dataDir, [], to.env);
      const ids = await pullAll(server.url, await login(server.url));
      expect(before.filter((id) => !ids.has(id))).toEqual([]);
      // Nothing from after the backup finished, and nothing that was never written.
      expect(w.acked.slice(before.length + during).filter((id) => ids.has(id))).toEqual([]);
    } finally {
      await w.stop().catch(() => undefined);
      if (server) await stop(server);
    }
  }, 120_000);

  it('refuses a backup whose files do not match the manifest, and a target that is not empty', async () => {
    const db = await testDatabase(kind);
    cleanups.push(() => db.drop());
    const dataDir = kind === 'sqlite' ? db.name : tempDir('sotay-pg-data-');
    if (kind === 'postgres') cleanups.push(async () => removeDir(dataDir));
    const backups = tempDir('sotay-backups-');
    cleanups.push(async () => removeDir(backups));
    const server = await start(dataDir, ['--demo'], db.env());
    const made = await run(dataDir, ['--backup', backups], db.env());
    await stop(server);
    expect(made.code, made.stderr).toBe(0);
    const folder = /^backup written to (\S+)$/m.exec(made.stdout)?.[1] ?? '';

    // Into the running server's own database: not empty, refused, nothing changed.
    const busy = await run(dataDir, ['--restore', folder], db.env());
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(/not empty|already holds a database/);

    const to = await restoreTarget(kind, db.name);
    cleanups.push(to.drop);
    const dump = join(folder, kind === 'sqlite' ? 'sotay.sqlite' : 'sotay.dump');
    const bytes = readFileSync(dump);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(dump, bytes);
    const bad = await run(to.dataDir, ['--restore', folder], to.env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/does not match its sha256/);
    expect(existsSync(join(to.dataDir, 'sotay-keys.json'))).toBe(false);
  }, 60_000);
});
