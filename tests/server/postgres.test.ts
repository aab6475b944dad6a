// PostgreSQL with real concurrency. Invariant 4: a transaction that commits after a later one
// started is skipped by no pull, and a pull during it does not move its cursor past it. And several
// server processes on one database: migrations and demo seeding once, tokens valid everywhere,
// concurrent pushes ending with contiguous unique versions and every record exactly once.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { PullResponse, type Change, type LogRecord } from '../../src/shared/index.ts';
import { TemporaryStoreError } from '../../src/server/store/store.ts';
import { start, stop, type Running } from './cli-process.ts';
import {
  clientId,
  createOf,
  cursorVersion,
  fakeRecord,
  pgClient,
  removeDir,
  requestAt,
  startServer,
  tempDir,
  testDatabase,
  type TestDatabase,
  type TestServer,
  setupAll,
} from './harness.ts';

describe('two transactions that commit out of order (invariant 4)', () => {
  const app = `sotay-ooo-${process.pid}`;
  let db: TestDatabase;
  let server: TestServer;

  setupAll(async () => {
    db = await testDatabase('postgres');
    server = await startServer({ db, tuning: { applicationName: app } });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('makes a push wait for an open transaction, and a pull from before both sees both', async () => {
    const lead = (await server.login('demo-lead')).token;
    const tnv = await server.login('demo-tnv');
    const cid = clientId();
    const start0 = await server.pull(lead, cid, null);
    const early = fakeRecord();
    const late = fakeRecord();

    const t1 = await pgClient(db.name);
    let pushing: ReturnType<TestServer['push']> | null = null;
    try {
      // T1: takes version n+1 and writes a record, but does not commit yet.
      await t1.query('BEGIN');
      const bumped = await t1.query<{ version: string }>(
        'UPDATE sync_state SET version = version + 1 WHERE id = 1 RETURNING version',
      );
      const t1Version = Number(bumped.rows[0]?.version);
      const { id, ...data } = early;
      await t1.query(
        `INSERT INTO records (id, commune_code, team_id, volunteer_id, version, deleted, data, field_meta, created_at, updated_at)
         VALUES ($1, '99001', 'team-1', $2, $3, FALSE, $4, '{}', now(), now())`,
        [id, tnv.user.id, t1Version, JSON.stringify({ id, ...data })],
      );

      // A pull while T1 is open sees neither T1's row nor a version at or past it.
      const during = await server.pull(lead, cid, start0.body.cursor);
      expect(during.status).toBe(200);
      expect(during.body.changes).toEqual([]);
      expect(cursorVersion(during.body.cursor)).toBeLessThan(t1Version);

      // T2: a push through the server queues on the counter row lock behind T1.
      pushing = server.push(tnv.token, clientId(), [createOf(late, 1)]);
      let settled = false;
      void pushing.then(() => (settled = true));
      await vi.waitFor(
        async () => {
          const r = await t1.query(
            "SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'",
            [app],
          );
          expect(r.rowCount).toBe(1);
        },
        { timeout: 2000, interval: 20 },
      );
      expect(settled).toBe(false);

      await t1.query('COMMIT');
      const pushed = await pushing;
      expect(pushed.body.results).toEqual([{ seq: 1, status: 'applied', version: t1Version + 1 }]);

      // From the cursor handed out while T1 was open, and from the one before both: both rows, in order.
      for (const cursor of [during.body.cursor, start0.body.cursor]) {
        const after = PullResponse.parse((await server.pull(lead, cid, cursor)).body);
        expect(after.changes.map((c) => [c.id, c.version])).toEqual([
          [early.id, t1Version],
          [late.id, t1Version + 1],
        ]);
      }
    } finally {
      if (pushing === null) await t1.query('ROLLBACK').catch(() => undefined);
      await t1.end();
    }
  });
});

describe('a transaction that meets a serialization failure or a deadlock', () => {
  let db: TestDatabase;
  setupAll(async () => {
    db = await testDatabase('postgres');
  });
  afterAll(async () => {
    await db?.drop();
  });

  const failure = (code: string): Error => Object.assign(new Error(`simulated ${code}`), { code });

  it('runs again after rolling back, and commits only the successful attempt', async () => {
    const store = db.open();
    try {
      await store.migrate();
      let attempts = 0;
      const version = await store.transaction(async (tx) => {
        attempts += 1;
        const v = await tx.nextVersion();
        if (attempts === 1) throw failure('40001');
        if (attempts === 2) throw failure('40P01');
        return v;
      });
      expect(attempts).toBe(3);
      expect(version).toBe(1);
      expect(await db.version()).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('gives up after four attempts with a temporary failure (503), having changed nothing', async () => {
    const store = db.open();
    try {
      await store.migrate();
      const before = await db.version();
      let attempts = 0;
      const run = store.transaction(async (tx) => {
        attempts += 1;
        await tx.nextVersion();
        throw failure('40001');
      });
      await expect(run).rejects.toBeInstanceOf(TemporaryStoreError);
      expect(attempts).toBe(4);
      expect(await db.version()).toBe(before);
    } finally {
      await store.close();
    }
  });
});

describe('several server processes on one database', () => {
  const dir = tempDir();
  let db: TestDatabase;
  const processes: Running[] = [];

  setupAll(async () => {
    db = await testDatabase('postgres');
    // Started at the same moment: migrations under the advisory lock, the demo seeded once.
    processes.push(
      ...(await Promise.all([start(dir, ['--demo'], db.env()), start(dir, ['--demo'], db.env())])),
    );
  });
  afterAll(async () => {
    for (const p of processes) await stop(p);
    await db?.drop();
    removeDir(dir);
  });

  const url = (i: number): string => processes[i]?.url ?? '';

  async function login(i: number, username: string): Promise<string> {
    const res = await requestAt<{ token: string }>(url(i), '/api/v1/auth/login', {
      body: { username, password: 'demo' },
    });
    expect(res.status).toBe(200);
    return res.body.token;
  }

  it('migrates and seeds the demo commune once when both start together', async () => {
    const seeded = processes.filter((p) => p.stdout().includes('Đã tạo dữ liệu demo')).length;
    expect(seeded).toBe(1);
    expect(await db.count('communes')).toBe(1);
    expect(await db.count('users')).toBe(5);
    for (let i = 0; i < 2; i += 1) {
      const health = await requestAt<{ store: string }>(url(i), '/api/health');
      expect(health.body.store).toBe('postgres');
    }
  });

  it('accepts on one process a token issued by the other, and a logout on one ends it on both', async () => {
    const token = await login(0, 'demo-tnv');
    const pull = await requestAt(url(1), '/api/v1/sync/pull', {
      token,
      body: { clientId: clientId(), cursor: null },
    });
    expect(pull.status).toBe(200);
    expect((await requestAt(url(1), '/api/v1/auth/logout', { method: 'POST', token })).status).toBe(204);
    const after = await requestAt(url(0), '/api/v1/sync/pull', {
      token,
      body: { clientId: clientId(), cursor: null },
    });
    expect(after.status).toBe(401);
  });

  it('ends concurrent pushes of six clients to both processes with contiguous unique versions and every record once', async () => {
    const users = ['demo-tnv', 'demo-tnv2', 'demo-lead'];
    const tokens = await Promise.all(users.map((u, i) => login(i % 2, u)));
    const start0 = await db.version();
    const clients = Array.from({ length: 6 }, (_, i) => ({
      token: tokens[i % 3] ?? '',
      cid: clientId(),
      records: Array.from({ length: 30 }, () => fakeRecord()),
    }));
    const versions: number[] = [];
    await Promise.all(
      clients.map(async (c, ci) => {
        for (let chunk = 0; chunk < 3; chunk += 1) {
          const mutations = c.records
            .slice(chunk * 10, chunk * 10 + 10)
            .map((r: LogRecord, i) => createOf(r, chunk * 10 + i + 1));
          const res = await requestAt<{ ackedSeq: number; results: { status: string; version: number }[] }>(
            url((ci + chunk) % 2),
            '/api/v1/sync/push',
            { token: c.token, body: { clientId: c.cid, schemaVersion: 1, mutations } },
          );
          expect(res.status).toBe(200);
          expect(res.body.ackedSeq).toBe(chunk * 10 + 10);
          for (const r of res.body.results) {
            expect(r.status).toBe('applied');
            versions.push(r.version);
          }
        }
      }),
    );
    const sorted = [...versions].sort((a, b) => a - b);
    expect(sorted).toEqual(Array.from({ length: 180 }, (_, i) => start0 + i + 1));
    expect(await db.version()).toBe(start0 + 180);

    const gs = await login(1, 'demo-gs');
    const seen: Change[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const res = await requestAt<unknown>(url(page % 2), '/api/v1/sync/pull', {
        token: gs,
        body: { clientId: 'client-gs-every-record', cursor, limit: 50 },
      });
      const body = PullResponse.parse(res.body);
      seen.push(...body.changes);
      cursor = body.cursor;
      if (!body.hasMore) break;
    }
    const ids = seen.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(clients.flatMap((c) => c.records.map((r) => r.id)).sort());
  });
});
