// The drain overlaps the phone's work with the wire (the sync budget): the next chunk is read
// while a push is in flight and an answer is written while the next push is out. Still one push at
// a time, each only after the previous answer took its whole chunk; a chunk read ahead is dropped
// when the answer took less; a record whose later mutation is on the wire stays uploading.
import { describe, expect, it, vi } from 'vitest';
import type { SyncState } from '../../src/app/db/database.ts';
import { SyncEngine } from '../../src/app/sync/engine.ts';
import { backlog, loggedInDb } from './support/db.ts';
import { FakeServer } from './support/fake-server.ts';

describe('push pipeline', () => {
  it('drops the chunk read ahead when an answer takes only part of its chunk, and resends from the acked seq', async () => {
    const db = await loggedInDb();
    const ids = await backlog(db, 250);
    const server = new FakeServer();
    server.truncateNextPush = 40;
    const engine = new SyncEngine({ db, fetch: server.fetch, runLocked: null });

    expect(await engine.syncNow()).toBe('ok');

    // Not 101–200 (read while the first push was out): the server waits for 41.
    expect(server.pushes().map((p) => [p.mutations[0]!.seq, p.mutations.length])).toEqual([
      [1, 100],
      [41, 100],
      [141, 100],
      [241, 10],
    ]);
    expect(server.maxInFlight).toBe(1);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.records.where('syncState').equals('synced').count()).toBe(250);
    for (const id of ids) expect(server.records.get(id)?.version).toBeGreaterThan(0);
    expect(server.version).toBe(250);
  });

  it('keeps a record uploading while its later mutation is on the wire, after the earlier one was acked', async () => {
    const db = await loggedInDb();
    // Seq 100 creates the record (first chunk), seq 151 edits it (second chunk).
    const ids = await backlog(db, 150, 100);
    const id = ids[99]!;
    const server = new FakeServer();
    let pushes = 0;
    const during: (SyncState | undefined)[] = [];
    server.onPush = async () => {
      if (++pushes !== 2) return;
      // The first answer is written while this push is out: wait for it, then look.
      await vi.waitFor(async () => expect(await db.outbox.get(100)).toBeUndefined());
      const rec = await db.records.get(id);
      during.push(rec?.syncState);
      expect(rec?.serverVersion).toBe(100);
    };
    const engine = new SyncEngine({ db, fetch: server.fetch, runLocked: null });

    expect(await engine.syncNow()).toBe('ok');

    expect(during).toEqual(['uploading']);
    expect(await db.records.get(id)).toMatchObject({
      syncState: 'synced',
      serverVersion: 151,
      note: 'sửa sau',
    });
    expect(server.maxInFlight).toBe(1);
  });

  it('leaves nothing uploading when the push after a read-ahead fails', async () => {
    const db = await loggedInDb();
    await backlog(db, 300);
    const server = new FakeServer();
    let pushes = 0;
    server.onPush = () => {
      if (++pushes === 2) throw new TypeError('Failed to fetch');
    };
    const engine = new SyncEngine({ db, fetch: server.fetch, runLocked: null });

    expect(await engine.syncNow()).toBe('offline');

    expect(await db.records.where('syncState').equals('uploading').count()).toBe(0);
    expect(await db.records.where('syncState').equals('synced').count()).toBe(100);
    expect(await db.records.where('syncState').equals('to_post').count()).toBe(200);
    expect((await db.outbox.orderBy('seq').first())?.seq).toBe(101);
  });

  it("keeps only the last run's timing marks (an app open for days syncs every minute)", async () => {
    const db = await loggedInDb();
    await backlog(db, 150);
    const server = new FakeServer();
    const engine = new SyncEngine({ db, fetch: server.fetch, runLocked: null });
    const marks = (name: string) => performance.getEntriesByName(`sync:${name}`, 'mark').length;

    for (let run = 0; run < 3; run++) expect(await engine.syncNow()).toBe('ok');

    expect(marks('start')).toBe(1);
    expect(marks('end')).toBe(1);
    expect(marks('push')).toBe(0); // the last run had nothing to push
  });

  it('sends the first push before its records are marked, and applies nothing when that marking then fails', async () => {
    const db = await loggedInDb();
    const ids = await backlog(db, 30);
    const server = new FakeServer();
    let pushed!: () => void;
    const push = new Promise<void>((resolve) => (pushed = resolve));
    server.onPush = () => pushed();
    let fail = true;
    // The write that marks records uploading waits until the push has reached the server (with the
    // push sent only after the marking, this never ends), then fails once.
    db.close();
    db.use({
      stack: 'dbcore',
      name: 'failing-mark',
      create: (down) => ({
        ...down,
        table: (name) => {
          const t = down.table(name);
          if (name !== 'records') return t;
          return {
            ...t,
            mutate: async (req) => {
              const marking =
                req.type === 'put' &&
                req.values.some((v: { syncState?: string }) => v.syncState === 'uploading');
              if (fail && marking) {
                await push;
                throw new Error('disk full');
              }
              return t.mutate(req);
            },
          };
        },
      }),
    });
    await db.open();
    const engine = new SyncEngine({ db, fetch: server.fetch, runLocked: null });

    expect(await engine.syncNow()).toBe('failed');

    // The server took the push, but its answer is not written: the outbox still holds all of it.
    expect(server.version).toBe(30);
    expect(await db.outbox.count()).toBe(30);
    expect(await db.records.where('syncState').equals('to_post').count()).toBe(30);
    fail = false;
    expect(await engine.syncNow()).toBe('ok');
    expect(await db.outbox.count()).toBe(0);
    expect(await db.records.where('syncState').equals('synced').count()).toBe(30);
    // Exactly once: the resent mutations were answered from the stored results.
    expect(server.version).toBe(30);
    for (const id of ids) expect(server.records.get(id)?.version).toBeGreaterThan(0);
  });
});
