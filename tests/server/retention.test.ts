// Tombstone retention on both stores, with the clock moved forward: pruning deletes only tombstones
// (and push results) older than the retention period, never live records; a pull cursor older than
// the prune horizon resets; a push retried after its results were pruned still changes nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { pruneExpired, RetentionError } from '../../src/server/sync/retention.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  deleteOf,
  fakeRecord,
  startServer,
  testDatabase,
  type TestDatabase,
  type TestServer,
  setupAll,
} from './harness.ts';

const DAY = 24 * 60 * 60 * 1000;
const later = (days: number): Date => new Date(Date.now() + days * DAY);

describe.each(STORE_KINDS)('on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  let tnv = '';
  let lead = '';
  const pushClient = clientId();
  const live = fakeRecord();
  const gone = fakeRecord();
  const kept = fakeRecord();
  let batch: Parameters<TestServer['push']>[2] = [];
  /** The lead's cursor before the deletes, and after them. */
  let before = '';
  let after = '';

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    tnv = (await server.login('demo-tnv')).token;
    lead = (await server.login('demo-lead')).token;
    await server.push(tnv, pushClient, [createOf(live, 1), createOf(gone, 2), createOf(kept, 3)]);
    before = (await server.pull(lead, clientId(), null)).body.cursor;
    batch = [deleteOf(gone.id, 4), deleteOf(kept.id, 5)];
    await server.push(tnv, pushClient, batch);
    after = (await server.pull(lead, clientId(), null)).body.cursor;
    // `kept` was deleted just now; `gone` a year and a half before the moved clock below.
    await db.exec('UPDATE records SET updated_at = $1 WHERE id = $2', [
      new Date(Date.now() - 200 * DAY).toISOString(),
      gone.id,
    ]);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('deletes nothing while every tombstone is younger than the retention period', async () => {
    const r = await pruneExpired(server.store, { now: later(100), days: 365 });
    expect(r).toMatchObject({ tombstones: 0, results: 0, prunedVersion: 0 });
    const res = await server.pull(lead, clientId(), before);
    expect(res.body.reset).toBeUndefined();
    expect(res.body.changes.map((c) => [c.id, c.deleted])).toEqual([
      [gone.id, true],
      [kept.id, true],
    ]);
  });

  it('refuses to prune with a retention period under 180 days', async () => {
    await expect(pruneExpired(server.store, { now: later(400), days: 179 })).rejects.toBeInstanceOf(
      RetentionError,
    );
    expect(await db.count('records')).toBe(3);
  });

  it('deletes only the tombstone older than the retention period, and the old push results', async () => {
    const versionBefore = await db.version();
    // 200 days ago + 200 days = the old tombstone is 400 days old, the other 200.
    const r = await pruneExpired(server.store, { now: later(200), days: 365 });
    expect(r.tombstones).toBe(1);
    expect(r.prunedVersion).toBeGreaterThan(0);
    expect((await server.request(`/api/v1/records/${gone.id}`, { token: tnv })).status).toBe(404);
    expect((await server.request(`/api/v1/records/${kept.id}`, { token: tnv })).body).toMatchObject({
      deleted: true,
    });
    expect((await server.request(`/api/v1/records/${live.id}`, { token: tnv })).status).toBe(200);
    // Pruning writes no change: the counter does not move.
    expect(await db.version()).toBe(versionBefore);
  });

  it('answers reset with a full snapshot to a cursor older than the prune horizon', async () => {
    const res = await server.pull(lead, clientId(), before);
    expect(res.status).toBe(200);
    expect(res.body.reset).toBe(true);
    expect(res.body.changes.map((c) => c.id)).toEqual([live.id]);
  });

  it('answers a cursor at or past the horizon normally', async () => {
    const res = await server.pull(lead, clientId(), after);
    expect(res.body).toMatchObject({ changes: [], hasMore: false });
    expect(res.body.reset).toBeUndefined();
  });

  it('prunes every push result and tombstone once all are older, and a retried push then changes nothing', async () => {
    const r = await pruneExpired(server.store, { now: later(400), days: 365 });
    expect(r.tombstones).toBe(1);
    expect(r.results).toBe(5);
    expect(await db.count('mutation_results')).toBe(0);
    const version = await db.version();
    const again = await server.push(tnv, pushClient, batch);
    expect(again.status).toBe(200);
    expect(again.body.ackedSeq).toBe(5);
    expect(again.body.results.map((x) => x.status)).toEqual(['applied', 'applied']);
    expect(await db.version()).toBe(version);
    expect((await server.request(`/api/v1/records/${live.id}`, { token: tnv })).status).toBe(200);
  });
});
