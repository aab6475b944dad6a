// Temporary store failures answer 503 `unavailable` with Retry-After and advance nothing; the same
// push retried afterwards applies once. Closed store (both stores), SQLite busy, and on PostgreSQL a
// lock timeout, a refused connection and a backend killed in the middle of a push.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorResponse } from '../../src/shared/index.ts';
import { SQLITE_FILE_NAME } from '../../src/server/store/open.ts';
import {
  STORE_KINDS,
  TEST_DATABASE_URL,
  clientId,
  createOf,
  fakeRecord,
  pgClient,
  startServer,
  testDatabase,
  type Answer,
  type StoreTuning,
  type TestDatabase,
  type TestServer,
} from './harness.ts';

const running: TestServer[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) {
    await s.stop();
    await s.db.drop();
  }
});

async function serve(kind: 'sqlite' | 'postgres', tuning?: StoreTuning): Promise<TestServer> {
  const db = await testDatabase(kind);
  const server = await startServer({ db, tuning });
  running.push(server);
  return server;
}

function expectUnavailable(res: Answer): void {
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('5');
  expect(ErrorResponse.parse(res.body).error.code).toBe('unavailable');
}

/** The push answered 503 left no trace: same counter, no record, no acked seq. */
async function expectNothingAdvanced(db: TestDatabase, version: number, records: number): Promise<void> {
  expect(await db.version()).toBe(version);
  expect(await db.count('records')).toBe(records);
  expect(await db.count('mutation_results')).toBe(0);
}

describe.each(STORE_KINDS)('on %s', (kind) => {
  it('answers 503 with Retry-After, never 500, to every store request once the store is closed', async () => {
    const server = await serve(kind);
    const { token } = await server.login('demo-tnv');
    await server.store.close();
    expectUnavailable(await server.push(token, clientId(), [createOf(fakeRecord(), 1)]));
    expectUnavailable(await server.pull(token, clientId(), null));
    expectUnavailable(
      await server.request('/api/v1/auth/login', { body: { username: 'demo-tnv', password: 'demo' } }),
    );
    expect((await server.request('/api/health')).status).toBe(200);
  });
});

describe('on sqlite', () => {
  it('answers 503 while another process holds the write lock, then applies the retried push once', async () => {
    const server = await serve('sqlite', { busyTimeoutMs: 50 });
    const { token } = await server.login('demo-tnv');
    const version = await server.db.version();
    const other = new Database(join(server.db.name, SQLITE_FILE_NAME));
    const cid = clientId();
    const m = createOf(fakeRecord(), 1);
    try {
      other.exec('BEGIN IMMEDIATE');
      expectUnavailable(await server.push(token, cid, [m]));
      await expectNothingAdvanced(server.db, version, 0);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const retried = await server.push(token, cid, [m]);
    expect(retried.body).toEqual({
      ackedSeq: 1,
      results: [{ seq: 1, status: 'applied', version: version + 1 }],
    });
  });
});

describe('on postgres', () => {
  let proxy: Server | null = null;
  const sockets = new Set<Socket>();
  afterAll(() => proxy?.close());

  /** A TCP proxy to PostgreSQL that the test can cut (connections refused and dropped). */
  function openProxy(port = 0): Promise<number> {
    const target = new URL(TEST_DATABASE_URL);
    proxy = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    return new Promise((resolve) =>
      proxy?.listen(port, '127.0.0.1', () => {
        const address = proxy?.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      }),
    );
  }

  async function cutProxy(): Promise<void> {
    // close() waits for open connections: cut them first.
    const closed = new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
    for (const s of sockets) s.destroy();
    await closed;
    proxy = null;
  }

  it('answers 503 when a write waits past the lock timeout, then applies the retried push once', async () => {
    const server = await serve('postgres', { lockTimeoutMs: 200 });
    const { token } = await server.login('demo-tnv');
    const version = await server.db.version();
    const holder = await pgClient(server.db.name);
    const cid = clientId();
    const m = createOf(fakeRecord(), 1);
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT version FROM sync_state WHERE id = 1 FOR UPDATE');
      expectUnavailable(await server.push(token, cid, [m]));
      await expectNothingAdvanced(server.db, version, 0);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    const retried = await server.push(token, cid, [m]);
    expect(retried.body).toEqual({
      ackedSeq: 1,
      results: [{ seq: 1, status: 'applied', version: version + 1 }],
    });
  });

  it('answers 503 while PostgreSQL refuses connections, and recovers when it is back', async () => {
    const port = await openProxy();
    const url = new URL(TEST_DATABASE_URL);
    url.host = `127.0.0.1:${port}`;
    const server = await serve('postgres', { connectionString: url.toString(), connectTimeoutMs: 1000 });
    const { token } = await server.login('demo-tnv');
    const version = await server.db.version();
    const cid = clientId();
    const m = createOf(fakeRecord(), 1);

    await cutProxy();
    expectUnavailable(await server.push(token, cid, [m]));
    expectUnavailable(await server.pull(token, cid, null));
    await expectNothingAdvanced(server.db, version, 0);

    await openProxy(port);
    const retried = await server.push(token, cid, [m]);
    expect(retried.status).toBe(200);
    expect(retried.body.results).toEqual([{ seq: 1, status: 'applied', version: version + 1 }]);
  });

  it('answers 503 when its connection is killed in the middle of a push, and the retry applies once', async () => {
    const app = `sotay-kill-${process.pid}-${Date.now()}`;
    const server = await serve('postgres', { applicationName: app });
    const { token } = await server.login('demo-tnv');
    const cid = clientId();
    expect((await server.push(token, cid, [])).status).toBe(200);
    const version = await server.db.version();
    const holder = await pgClient(server.db.name);
    const m = createOf(fakeRecord(), 1);
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT version FROM sync_state WHERE id = 1 FOR UPDATE');
      const pushing = server.push(token, cid, [m]);
      // Wait until the push's transaction is queued on the counter lock, then kill its backend.
      await vi.waitFor(
        async () => {
          const r = await holder.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE application_name = $1 AND wait_event_type = 'Lock'`,
            [app],
          );
          expect(r.rowCount).toBe(1);
        },
        { timeout: 2000, interval: 20 },
      );
      expectUnavailable(await pushing);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    await expectNothingAdvanced(server.db, version, 0);
    const retried = await server.push(token, cid, [m]);
    expect(retried.body).toEqual({
      ackedSeq: 1,
      results: [{ seq: 1, status: 'applied', version: version + 1 }],
    });
  });
});
