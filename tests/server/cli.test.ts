// The real entry point as a child process: the `listening at` line, demo seeding only into an empty
// database, no demo accounts without --demo, a clean stop on SIGTERM, PostgreSQL from DATABASE_URL,
// and the --prune maintenance run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/server/store/open.ts';
import { run, start, stop } from './cli-process.ts';
import { removeDir, tempDir, testDatabase, type TestDatabase } from './harness.ts';

const root = tempDir();
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
  removeDir(root);
});

async function loginStatus(url: string, username: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  return res.status;
}

describe('the CLI', () => {
  it('seeds the demo commune into an empty database, prints the accounts and one listening line', async () => {
    const dataDir = join(root, 'demo');
    const r = await start(dataDir, ['--demo']);
    try {
      expect(r.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(r.stdout().match(/listening at/g)).toHaveLength(1);
      expect(r.stdout()).toContain('demo-tnv');
      expect(await loginStatus(r.url, 'demo-tnv')).toBe(200);
      expect(existsSync(join(dataDir, 'sotay.sqlite'))).toBe(true);
    } finally {
      expect(await stop(r)).toBe(0);
    }
    // A second demo start on the same database seeds nothing more and keeps working.
    const again = await start(dataDir, ['--demo']);
    try {
      expect(again.stdout()).toContain('không tạo thêm dữ liệu demo');
      expect(await loginStatus(again.url, 'demo-tnv')).toBe(200);
    } finally {
      await stop(again);
    }
  });

  it("with --demo-activity seeds months of records, group sessions, reviews and this quarter's targets", async () => {
    const dataDir = join(root, 'demo-activity');
    const r = await start(dataDir, ['--demo', '--demo-activity']);
    try {
      const login = await fetch(`${r.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'demo-gs', password: 'demo' }),
      });
      const { token } = (await login.json()) as { token: string };
      const today = new Date();
      const from = new Date(today.getTime() - 100 * 86_400_000).toISOString().slice(0, 10);
      const to = new Date(today.getTime() + 2 * 86_400_000).toISOString().slice(0, 10);
      const headers = { authorization: `Bearer ${token}` };
      const tally = (await (
        await fetch(`${r.url}/api/v1/tallies?from=${from}&to=${to}`, { headers })
      ).json()) as {
        total: { count: number };
        rejected: number;
      };
      // Refused records are out of the count and beside it.
      expect(tally.rejected).toBeGreaterThan(0);
      expect(tally.total.count + tally.rejected).toBe(4500);
      const targets = (await (
        await fetch(`${r.url}/api/v1/targets?from=${to}&to=${to}`, { headers })
      ).json()) as {
        targets: unknown[];
      };
      expect(targets.targets.length).toBeGreaterThan(0);
      // Weeks of group sessions, counted apart from the records.
      const sessions = (await (
        await fetch(`${r.url}/api/v1/tallies/sessions?from=${from}&to=${to}`, { headers })
      ).json()) as { total: { sessions: number; attendees: number } };
      expect(sessions.total.sessions).toBeGreaterThan(20);
      expect(sessions.total.attendees).toBeGreaterThan(sessions.total.sessions);
      // The generated volunteers cannot log in.
      expect(await loginStatus(r.url, 'demo-tnv3')).toBe(401);
    } finally {
      expect(await stop(r)).toBe(0);
    }
  });

  it('creates no demo account without --demo', async () => {
    const dataDir = join(root, 'plain');
    const r = await start(dataDir, []);
    try {
      expect(r.stdout()).not.toContain('demo-tnv');
      // No commune yet: the first-run set-up is pending, nobody can log in (setup-cli.test.ts).
      expect(await loginStatus(r.url, 'demo-tnv')).toBe(503);
      const health = await fetch(`${r.url}/api/health`);
      expect(health.status).toBe(200);
    } finally {
      await stop(r);
    }
  });

  it('seeds no demo data into a database that already holds a commune', async () => {
    const dataDir = join(root, 'existing');
    const store = openStore({ dataDir });
    await store.migrate();
    await store.transaction((tx) => tx.insertCommune('99002', 'Xã Thử Nghiệm'));
    await store.close();
    const demo = await start(dataDir, ['--demo']);
    try {
      expect(demo.stdout()).not.toContain('demo-tnv');
      expect(await loginStatus(demo.url, 'demo-tnv')).toBe(401);
    } finally {
      await stop(demo);
    }
  });

  it('starts on PostgreSQL from DATABASE_URL with a schema, seeds the demo and reports store postgres', async () => {
    const db = await testDatabase('postgres');
    databases.push(db);
    const r = await start(join(root, 'unused'), ['--demo'], db.env());
    try {
      expect(r.stdout()).toContain('demo-tnv');
      const health = (await (await fetch(`${r.url}/api/health`)).json()) as { store: string };
      expect(health.store).toBe('postgres');
      expect(await loginStatus(r.url, 'demo-tnv')).toBe(200);
      expect(existsSync(join(root, 'unused', 'sotay.sqlite'))).toBe(false);
    } finally {
      expect(await stop(r)).toBe(0);
    }
  });

  it('refuses a DATABASE_URL that is not postgres with a clear message', async () => {
    const res = await run(join(root, 'mysql'), [], { DATABASE_URL: 'mysql://u:p@127.0.0.1/x' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/DATABASE_URL must be a postgres:\/\/ URL/);
  });

  it('stops with a clear message, and without the password, when PostgreSQL cannot be reached', async () => {
    const res = await run(join(root, 'pg-down'), [], { DATABASE_URL: 'postgres://u:secret@127.0.0.1:1/x' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/Không kết nối được cơ sở dữ liệu \(postgres\)/);
    expect(res.stderr).not.toContain('secret');
    expect(res.stdout).not.toContain('listening at');
  });

  it('prunes with --prune, prints what it deleted and exits without listening', async () => {
    const res = await run(join(root, 'prune'), ['--prune']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^pruned 0 tombstones and 0 push results last written before \S+Z; /);
    expect(res.stdout).not.toContain('listening at');
  });

  it('refuses a retention period under 180 days', async () => {
    const res = await run(join(root, 'short'), ['--prune'], { TOMBSTONE_RETENTION_DAYS: '90' });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/at least 180/);
  });

  it('refuses a bad PORT with a clear message', async () => {
    await expect(start(join(root, 'port'), [], { PORT: 'eighty' })).rejects.toThrow(/PORT must be a number/);
  });
});
