// A 5,000-mutation backlog drains in chunks of 100 with progress saved per chunk: after a failure
// on chunk 13 the outbox holds exactly the unacked rows, and the next sync resumes from there.
import { describe, expect, it } from 'vitest';
import { SyncEngine, type SyncEvent } from '../../src/app/sync/engine.ts';
import { t } from '../../src/app/i18n/index.ts';
import { backlog, loggedInDb } from './support/db.ts';
import { FakeServer } from './support/fake-server.ts';

const N = 5000;

describe('backlog drain', () => {
  it('drains 5,000 mutations in chunks of 100; after a failure on chunk 13 it resumes at seq 1,201 and resends nothing acked', async () => {
    const db = await loggedInDb();
    const ids = await backlog(db, N);
    const server = new FakeServer();
    let pushes = 0;
    server.onPush = () => {
      if (++pushes === 13) throw new TypeError('Failed to fetch');
    };
    const events: SyncEvent[] = [];
    const engine = new SyncEngine({
      db,
      fetch: server.fetch,
      runLocked: null,
      onEvent: (e) => events.push(e),
    });

    expect(await engine.syncNow()).toBe('offline');

    expect(server.pushes().map((p) => p.mutations.length)).toEqual(Array(13).fill(100));
    const left = await db.outbox.orderBy('seq').primaryKeys();
    expect(left).toHaveLength(N - 1200);
    expect(left[0]).toBe(1201);
    expect(left.at(-1)).toBe(N);
    expect(await db.records.where('syncState').equals('synced').count()).toBe(1200);
    expect(await db.records.where('syncState').equals('to_post').count()).toBe(N - 1200);
    expect((await db.records.get(ids[1199]!))!.syncState).toBe('synced');
    expect((await db.records.get(ids[1200]!))!.syncState).toBe('to_post');
    const progress = events.filter(
      (e): e is Extract<SyncEvent, { type: 'progress' }> => e.type === 'progress',
    );
    expect(progress[0]).toEqual({ type: 'progress', sent: 0, total: N });
    expect(progress.at(-1)).toEqual({ type: 'progress', sent: 1200, total: N });
    expect(t.status.progress(1200, N)).toBe('Đang gửi 1.200/5.000');

    server.onPush = null;
    const before = server.pushes().length;
    expect(await engine.syncNow()).toBe('ok');

    const resumed = server.pushes().slice(before);
    expect(resumed).toHaveLength(38);
    expect(resumed[0]!.mutations[0]!.seq).toBe(1201);
    const sent = server.pushes().flatMap((p) => p.mutations.map((m) => m.seq));
    // Only chunk 13 (seq 1,201–1,300), whose request failed, went out twice.
    expect(sent.length).toBe(N + 100);
    expect(new Set(sent).size).toBe(N);
    expect(server.records.size).toBe(N);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.records.where('syncState').equals('synced').count()).toBe(N);
  }, 60_000);
});
