// Per-record sync state, as in DHIS2: to_post → uploading → synced; an edit of a synced record is
// to_update; an edit made while the older mutation is on the wire stays pending after its ack;
// a rejected mutation is error with the reason; a failed request puts uploading records back.
import { describe, expect, it } from 'vitest';
import type { SotayDB, SyncState } from '../../src/app/db/database.ts';
import { deleteRecord, saveNewRecord, saveRecordEdit } from '../../src/app/db/records-repo.ts';
import { SyncEngine } from '../../src/app/sync/engine.ts';
import { loggedInDb, wireRecord } from './support/db.ts';
import { FakeServer } from './support/fake-server.ts';

function engineFor(db: SotayDB, server: FakeServer): SyncEngine {
  return new SyncEngine({ db, fetch: server.fetch, runLocked: null });
}

async function stateOf(db: SotayDB, id: string): Promise<SyncState | undefined> {
  return (await db.records.get(id))?.syncState;
}

describe('per-record sync state', () => {
  it('goes to_post → uploading while the push is on the wire → synced after the ack', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const r = wireRecord();
    await saveNewRecord(db, r);
    expect(await stateOf(db, r.id)).toBe('to_post');
    const during: (SyncState | undefined)[] = [];
    server.onPush = async () => {
      during.push(await stateOf(db, r.id));
    };

    expect(await engineFor(db, server).syncNow()).toBe('ok');

    expect(during).toEqual(['uploading']);
    expect(await db.records.get(r.id)).toMatchObject({ syncState: 'synced', serverVersion: 1 });
  });

  it('turns a synced record into to_update when edited, then uploading, then synced with the new version', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server);
    const r = wireRecord();
    await saveNewRecord(db, r);
    expect(await engine.syncNow()).toBe('ok');

    await saveRecordEdit(db, r.id, { note: 'đã hẹn' });
    expect(await stateOf(db, r.id)).toBe('to_update');
    expect((await db.outbox.toArray())[0]).toMatchObject({ baseVersion: 1, patch: { note: 'đã hẹn' } });
    const during: (SyncState | undefined)[] = [];
    server.onPush = async () => {
      during.push(await stateOf(db, r.id));
    };
    expect(await engine.syncNow()).toBe('ok');

    expect(during).toEqual(['uploading']);
    expect(await db.records.get(r.id)).toMatchObject({
      syncState: 'synced',
      serverVersion: 2,
      note: 'đã hẹn',
    });
  });

  it('keeps a record edited while its older mutation was uploading pending after that ack', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server);
    const r = wireRecord();
    await saveNewRecord(db, r);
    server.onPush = async () => {
      server.onPush = null;
      await saveRecordEdit(db, r.id, { note: 'sửa khi đang gửi' });
      // The edit's own push will not get through in this run.
      server.faults.push({ path: '/sync/push', kind: 'network' });
    };

    expect(await engine.syncNow()).toBe('offline');

    expect(await db.records.get(r.id)).toMatchObject({
      syncState: 'to_update',
      serverVersion: 1,
      note: 'sửa khi đang gửi',
    });
    const outbox = await db.outbox.toArray();
    expect(outbox.map((o) => [o.seq, o.patch.note])).toEqual([[2, 'sửa khi đang gửi']]);
    expect(server.records.get(r.id)!.data.note).toBeUndefined();

    expect(await engine.syncNow()).toBe('ok');
    expect(await stateOf(db, r.id)).toBe('synced');
    expect(server.records.get(r.id)!.data.note).toBe('sửa khi đang gửi');
  });

  it('keeps a never-synced record to_post when edited, and sends the create before the edit', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const r = wireRecord();
    await saveNewRecord(db, r);
    await saveRecordEdit(db, r.id, { outcome: 'follow_up' });

    expect(await stateOf(db, r.id)).toBe('to_post');
    expect(await engineFor(db, server).syncNow()).toBe('ok');
    expect(server.pushes()[0]!.mutations.map((m) => [m.seq, m.baseVersion])).toEqual([
      [1, 0],
      [2, 0],
    ]);
    expect(await stateOf(db, r.id)).toBe('synced');
    expect(server.records.get(r.id)!.data.outcome).toBe('follow_up');
  });

  it('puts uploading records back to to_post / to_update when the push fails', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server);
    const old = wireRecord();
    await saveNewRecord(db, old);
    expect(await engine.syncNow()).toBe('ok');
    await saveRecordEdit(db, old.id, { note: 'x' });
    const fresh = wireRecord();
    await saveNewRecord(db, fresh);
    server.faults.push({ path: '/sync/push', kind: '503' });

    expect(await engine.syncNow()).toBe('failed');

    expect(await stateOf(db, old.id)).toBe('to_update');
    expect(await stateOf(db, fresh.id)).toBe('to_post');
  });

  it('marks a rejected record error with the reason, and an edit of it goes whole again as a create', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server);
    const bad = wireRecord({ hamletId: 'h-elsewhere' });
    const good = wireRecord();
    await saveNewRecord(db, bad);
    await saveNewRecord(db, good);

    expect(await engine.syncNow()).toBe('ok');
    expect(await db.records.get(bad.id)).toMatchObject({
      syncState: 'error',
      syncError: 'Thôn/ấp không thuộc xã của bạn.',
    });
    expect(await stateOf(db, good.id)).toBe('synced');

    await saveRecordEdit(db, bad.id, { hamletId: 'h2' });
    expect(await db.records.get(bad.id)).toMatchObject({ syncState: 'to_post' });
    expect((await db.records.get(bad.id))!.syncError).toBeUndefined();
    const [row] = await db.outbox.toArray();
    expect(row!.patch).toMatchObject({
      id: bad.id,
      hamletId: 'h2',
      category: bad.category,
      outcome: bad.outcome,
    });
    expect(await engine.syncNow()).toBe('ok');
    expect(await stateOf(db, bad.id)).toBe('synced');
  });

  it('deletes through the outbox: hidden and waiting until the server acks the tombstone, then gone', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server);
    const r = wireRecord();
    await saveNewRecord(db, r);
    expect(await engine.syncNow()).toBe('ok');

    await deleteRecord(db, r.id);

    expect(await db.records.get(r.id)).toMatchObject({ deleted: true, syncState: 'to_update' });
    expect((await db.outbox.toArray()).map((o) => [o.op, o.recordId, o.baseVersion])).toEqual([
      ['delete', r.id, 1],
    ]);
    expect(await engine.syncNow()).toBe('ok');
    expect(server.pushes().at(-1)!.mutations[0]).not.toHaveProperty('patch');
    expect(server.records.get(r.id)!.deleted).toBe(true);
    expect(await db.records.get(r.id)).toBeUndefined();
    expect(await db.outbox.count()).toBe(0);
  });

  it('sends both the create and the delete of a record made and deleted offline, and ends clean', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const r = wireRecord();
    await saveNewRecord(db, r);
    await deleteRecord(db, r.id);

    expect(await engineFor(db, server).syncNow()).toBe('ok');

    expect(server.pushes()[0]!.mutations.map((m) => m.op)).toEqual(['upsert', 'delete']);
    expect(await db.records.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });
});
