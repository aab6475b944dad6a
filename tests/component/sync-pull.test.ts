// Pull on the device: a reset snapshot removes rows that left the scope unless they still wait for
// the server; a pulled tombstone wins over a pending edit, whose outbox row stays until the server
// answers `gone`.
import { describe, expect, it } from 'vitest';
import type { SotayDB } from '../../src/app/db/database.ts';
import { getSyncMeta } from '../../src/app/db/meta-repo.ts';
import { saveNewRecord, saveRecordEdit } from '../../src/app/db/records-repo.ts';
import { SyncEngine } from '../../src/app/sync/engine.ts';
import { loggedInDb, wireRecord } from './support/db.ts';
import { FakeServer, USER } from './support/fake-server.ts';

function engineFor(db: SotayDB, server: FakeServer, pullLimit?: number): SyncEngine {
  return new SyncEngine({ db, fetch: server.fetch, runLocked: null, ...(pullLimit ? { pullLimit } : {}) });
}

function teamRow(server: FakeServer) {
  const r = wireRecord();
  server.writeElsewhere(r.id, { ...r, volunteerId: USER.id, teamId: 't1', communeCode: '00001' });
  return r;
}

describe('sync engine pull on the device', () => {
  it('on reset removes rows the snapshot no longer carries, but keeps pending and never-accepted ones', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server, 2);
    const gone = teamRow(server);
    const edited = teamRow(server);
    const kept = [teamRow(server), teamRow(server), teamRow(server)];
    const rejected = wireRecord({ hamletId: 'h-elsewhere' });
    await saveNewRecord(db, rejected);
    expect(await engine.syncNow()).toBe('ok');
    expect(await db.records.count()).toBe(6);

    // The user moved team: two rows left the scope; one of them has an edit made during the pull.
    server.outOfScope.add(gone.id);
    server.outOfScope.add(edited.id);
    server.resetNextPull = true;
    server.onPull = async () => {
      server.onPull = null;
      await saveRecordEdit(db, edited.id, { note: 'chưa gửi' });
    };
    expect(await engine.syncNow()).toBe('ok');

    expect(await db.records.get(gone.id)).toBeUndefined();
    expect(await db.records.get(edited.id)).toMatchObject({ syncState: 'to_update', note: 'chưa gửi' });
    // The snapshot came in two pages (limit 2): rows of the first page survive the end of it.
    expect(server.log.filter((l) => l.path.endsWith('/sync/pull')).length).toBeGreaterThanOrEqual(4);
    for (const k of kept) expect(await db.records.get(k.id)).toMatchObject({ syncState: 'synced' });
    expect(await db.records.get(rejected.id)).toMatchObject({ syncState: 'error' });
    expect(await db.outbox.count()).toBe(1);
    expect((await getSyncMeta(db))!.snapshotMark).toBeUndefined();
  });

  it('lets a pulled tombstone remove a record with a pending edit; the edit stays queued until the server answers gone', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server);
    const r = wireRecord();
    await saveNewRecord(db, r);
    expect(await engine.syncNow()).toBe('ok');

    server.deleteElsewhere(r.id); // a lead deleted it
    server.onPull = async () => {
      server.onPull = null;
      await saveRecordEdit(db, r.id, { note: 'sửa trên máy' });
    };
    expect(await engine.syncNow()).toBe('ok');

    expect(await db.records.get(r.id)).toBeUndefined();
    expect((await db.outbox.toArray()).map((o) => o.recordId)).toEqual([r.id]);

    expect(await engine.syncNow()).toBe('ok');
    const last = server.log.filter((l) => l.path.endsWith('/sync/push')).at(-1)!;
    expect((last.body as { mutations: { recordId: string }[] }).mutations[0]!.recordId).toBe(r.id);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.records.get(r.id)).toBeUndefined();
    expect(server.records.get(r.id)!.deleted).toBe(true);
  });
});
