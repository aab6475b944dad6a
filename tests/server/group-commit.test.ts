// Group commit (src/server/store/group-commit.ts) on both stores: pushes that queue while another
// transaction runs share one store transaction, each in its own savepoint. Each is applied exactly
// once; one that fails is wholly absent and fails alone with its own error; a fault that takes the
// shared transaction down fails every member and stores none of them, while what was acknowledged
// before stays; and no member hears "done" before the shared commit.
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  PushResponse,
  SCHEMA_VERSION,
  newId,
  type Mutation,
  type PushRequest,
} from '../../src/shared/index.ts';
import { GroupCommit, type Savepoints } from '../../src/server/store/group-commit.ts';
import {
  TemporaryStoreError,
  type RecordRow,
  type Store,
  type Tx,
  type UserRow,
} from '../../src/server/store/store.ts';
import { push } from '../../src/server/sync/push.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  pgClient,
  setupAll,
  startServer,
  testDatabase,
  type TestServer,
} from './harness.ts';

const AT = new Date('2026-12-07T10:00:00.000Z');

function request(cid: string, mutations: Mutation[]): PushRequest {
  return { clientId: cid, schemaVersion: SCHEMA_VERSION, mutations };
}

function creates(n: number, firstSeq = 1): Mutation[] {
  return Array.from({ length: n }, (_, i) => createOf(fakeRecord(), firstSeq + i));
}

/** A bare record row for writes straight through a Tx (not a push). */
function row(id = newId()): RecordRow {
  const at = AT.toISOString();
  return {
    id,
    communeCode: '99001',
    teamId: 'team-1',
    volunteerId: 'u-test',
    version: 0,
    deleted: false,
    data: { note: 'ghi thẳng' },
    fieldMeta: {},
    createdAt: at,
    updatedAt: at,
  };
}

/** Waits until `n` members queue behind the group in flight. */
async function untilWaiting(store: Store, n: number): Promise<void> {
  await vi.waitFor(() => expect(store.groupStats().waiting).toBeGreaterThanOrEqual(n), {
    timeout: 5000,
    interval: 10,
  });
  expect(store.groupStats().waiting).toBe(n);
}

/** A member that holds its group open until `open()` is called. */
function blocker(store: Store): { done: Promise<number>; started: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  let started = (): void => undefined;
  const gate = new Promise<void>((r) => (open = r));
  const startedP = new Promise<void>((r) => (started = r));
  const done = store.groupTransaction(async (tx) => {
    started();
    await gate;
    return tx.currentVersion();
  });
  return { done, started: startedP, open };
}

describe.each(STORE_KINDS)('group commit on %s', (kind) => {
  let server: TestServer;
  let store: Store;
  let tnv: UserRow;
  let tnv2: UserRow;

  setupAll(async () => {
    server = await startServer({ db: await testDatabase(kind) });
    store = server.store;
    tnv = (await store.findUserByUsername('demo-tnv'))!;
    tnv2 = (await store.findUserByUsername('demo-tnv2'))!;
  });
  afterAll(async () => {
    await server?.stop();
    await server?.db.drop();
  });

  /** Clients known to the store already, so their pushes go straight to the group. */
  async function clients(n: number, user: UserRow): Promise<string[]> {
    const ids = Array.from({ length: n }, () => clientId());
    for (const cid of ids) await push(store, user, request(cid, []), AT);
    return ids;
  }

  it('applies pushes queued behind one transaction in one shared commit, each exactly once', async () => {
    const cids = await clients(6, tnv);
    const before = await server.db.version();
    const rows = await server.db.count('records');
    const stats = store.groupStats();
    const b = blocker(store);
    await b.started;
    const bodies = cids.map(() => creates(30));
    const answers = cids.map((cid, i) => push(store, tnv, request(cid, bodies[i]!), AT));
    // The first client's push again, racing its original: answered again, applied once.
    const again = push(store, tnv, request(cids[0]!, bodies[0]!), AT);
    await untilWaiting(store, 7);
    b.open();
    await b.done;
    const results = await Promise.all(answers);
    const resent = await again;
    const after = store.groupStats();
    // The blocker's group, then one group for all seven pushes.
    expect(after.groups - stats.groups).toBe(2);
    expect(after.members - stats.members).toBe(8);
    for (const r of results) expect(r.ackedSeq).toBe(30);
    expect(resent.ackedSeq).toBe(30);
    expect(resent.results).toEqual(results[0]!.results);
    const versions = results.flatMap((r) => r.results.map((x) => x.version ?? 0));
    expect(new Set(versions).size).toBe(6 * 30);
    expect(Math.min(...versions)).toBe(before + 1);
    expect(Math.max(...versions)).toBe(before + 6 * 30);
    expect(await server.db.version()).toBe(before + 6 * 30);
    expect(await server.db.count('records')).toBe(rows + 6 * 30);
    for (const cid of cids) expect((await store.getClient(cid))?.lastSeq).toBe(30);
    for (const m of bodies.flat()) expect((await store.getRecord(m.recordId))?.deleted).toBe(false);
  });

  it('takes back a member whose SQL fails, alone: it is wholly absent, the others are stored', async () => {
    const [a, c] = await clients(2, tnv2);
    const existing = row();
    await store.transaction((tx) => tx.insertRecords([existing]));
    const stats = store.groupStats();
    const b = blocker(store);
    await b.started;
    const pushA = push(store, tnv2, request(a!, creates(5)), AT);
    const stray = row();
    const failing = store.groupTransaction(async (tx: Tx) => {
      await tx.insertRecords([stray]);
      await tx.setClientSeq(c!, 99, AT.toISOString());
      // The same id again: a unique violation that breaks the transaction without a savepoint.
      await tx.insertRecords([existing]);
      return 'stored';
    });
    const thrownRow = row();
    const thrown = store.groupTransaction(async (tx: Tx) => {
      await tx.insertRecords([thrownRow]);
      throw new Error('a bug in one push');
    });
    const pushC = push(store, tnv2, request(c!, creates(5)), AT);
    await untilWaiting(store, 4);
    b.open();
    await b.done;
    const [ra, rc] = await Promise.all([pushA, pushC]);
    await expect(failing).rejects.toThrow(/unique|duplicate/i);
    await expect(failing).rejects.not.toBeInstanceOf(TemporaryStoreError);
    await expect(thrown).rejects.toThrow('a bug in one push');
    expect(store.groupStats().groups - stats.groups).toBe(2);
    expect(store.groupStats().members - stats.members).toBe(5);
    expect(ra.ackedSeq).toBe(5);
    expect(rc.ackedSeq).toBe(5);
    expect(ra.results.every((r) => r.status === 'applied')).toBe(true);
    expect(await store.getRecord(stray.id)).toBeNull();
    expect(await store.getRecord(thrownRow.id)).toBeNull();
    // Its write of client c's seq went with it: c's own push set it to 5.
    expect((await store.getClient(c!))?.lastSeq).toBe(5);
    expect(await store.getRecord(existing.id)).toMatchObject({ data: { note: 'ghi thẳng' } });
  });

  it('applies eight phones pushing at once through HTTP exactly once, and answers their resends the same', async () => {
    const { token } = await server.login('demo-tnv');
    const pushes = Array.from({ length: 8 }, async () => {
      const cid = clientId();
      const ms = creates(20);
      const first = await server.push(token, cid, ms);
      const second = await server.push(token, cid, ms);
      return { first, second, ms };
    });
    for (const { first, second, ms } of await Promise.all(pushes)) {
      expect(first.status).toBe(200);
      const body = PushResponse.parse(first.body);
      expect(body.ackedSeq).toBe(20);
      expect(PushResponse.parse(second.body)).toEqual(body);
      for (const [i, m] of ms.entries())
        expect((await store.getRecord(m.recordId))?.version).toBe(body.results[i]?.version);
    }
  });
});

describe('group commit when the shared connection is killed (PostgreSQL)', () => {
  let server: TestServer;
  const app = `sotay-group-kill-${process.pid}`;

  setupAll(async () => {
    server = await startServer({ db: await testDatabase('postgres'), tuning: { applicationName: app } });
  });
  afterAll(async () => {
    await server?.stop();
    await server?.db.drop();
  });

  it('fails every member and stores none, keeps what was acknowledged, and the retries apply once', async () => {
    const store = server.store;
    const tnv = (await store.findUserByUsername('demo-tnv'))!;
    const cids = Array.from({ length: 3 }, () => clientId());
    for (const cid of cids) await push(store, tnv, request(cid, []), AT);
    const acked = creates(10);
    expect((await push(store, tnv, request(cids[0]!, acked), AT)).ackedSeq).toBe(10);
    const version = await server.db.version();
    const rows = await server.db.count('records');
    // The killed transaction's group: a member that waits, then two pushes queued in the same turn.
    let open = (): void => undefined;
    const gate = new Promise<void>((r) => (open = r));
    let started = (): void => undefined;
    const startedP = new Promise<void>((r) => (started = r));
    const first = store.groupTransaction(async (tx) => {
      await tx.currentVersion();
      started();
      await gate;
      return tx.currentVersion();
    });
    const later = [creates(10, 11), creates(10)];
    const members = [
      store.groupTransaction((tx) => tx.insertRecords([row()])),
      store.groupTransaction((tx) => tx.insertRecords([row()])),
    ];
    await startedP;
    const holder = await pgClient(server.db.name);
    try {
      const killed = await holder.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = $1 AND state LIKE 'idle in transaction%'`,
        [app],
      );
      expect(killed.rowCount).toBe(1);
    } finally {
      await holder.end();
    }
    open();
    for (const p of [first, ...members]) await expect(p).rejects.toBeInstanceOf(TemporaryStoreError);
    expect(await server.db.version()).toBe(version);
    expect(await server.db.count('records')).toBe(rows);
    for (const m of acked) expect(await store.getRecord(m.recordId)).not.toBeNull();
    // The phones resend: each applies once, the acknowledged push is answered again.
    const retried = await Promise.all([
      push(store, tnv, request(cids[0]!, [...acked, ...later[0]!]), AT),
      push(store, tnv, request(cids[1]!, later[1]!), AT),
    ]);
    expect(retried.map((r) => r.ackedSeq)).toEqual([20, 10]);
    expect(await server.db.count('records')).toBe(rows + 20);
  });
});

describe('GroupCommit when the shared commit fails', () => {
  it('answers no member: each hears the commit failure, none its own value', async () => {
    const log: string[] = [];
    const savepoints: Savepoints = {
      begin: async () => void log.push('savepoint'),
      release: async () => void log.push('release'),
      rollback: async () => void log.push('rollback'),
    };
    const group = new GroupCommit({
      run: async (body) => {
        await body({} as Tx, savepoints);
        throw new TemporaryStoreError('the disk went away at COMMIT');
      },
    });
    const settled: string[] = [];
    const members = [1, 2, 3].map((n) =>
      group
        .run(async () => n)
        .then(
          (v) => settled.push(`value ${v}`),
          (e: Error) => settled.push(e.message),
        ),
    );
    await Promise.all(members);
    expect(settled).toEqual(Array(3).fill('the disk went away at COMMIT'));
    expect(log).toEqual(['savepoint', 'release', 'savepoint', 'release', 'savepoint', 'release']);
    expect(group.stats()).toEqual({ groups: 0, members: 0, waiting: 0 });
  });

  it('runs every member afresh when the store runs the body again', async () => {
    const runs: number[] = [];
    let attempt = 0;
    const group = new GroupCommit({
      run: async (body) => {
        const sp: Savepoints = { begin: async () => {}, release: async () => {}, rollback: async () => {} };
        for (attempt = 1; attempt <= 2; attempt += 1) await body({} as Tx, sp);
      },
    });
    const answers = await Promise.all([
      group.run(async () => {
        runs.push(attempt);
        if (attempt === 1) throw new Error('first attempt only');
        return 'second';
      }),
      group.run(async () => 'other'),
    ]);
    expect(runs).toEqual([1, 2]);
    expect(answers).toEqual(['second', 'other']);
  });
});
