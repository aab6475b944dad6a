// The sync engine against an in-memory protocol server: push order and acks, failures that must
// keep the outbox, rejected records, pull with cursor and replay, and the atomic local write.
import { describe, expect, it } from 'vitest';
import type { SotayDB } from '../../src/app/db/database.ts';
import {
  OtherUserPendingError,
  getSession,
  getSyncMeta,
  putMeta,
  storeLogin,
} from '../../src/app/db/meta-repo.ts';
import { saveNewRecord, saveRecordEdit } from '../../src/app/db/records-repo.ts';
import { StorageError } from '../../src/app/db/storage.ts';
import { SyncEngine, chunkSize } from '../../src/app/sync/engine.ts';
import { MAX_PUSH_MUTATIONS } from '../../src/shared/index.ts';
import { freshDb, loggedInDb, wireRecord } from './support/db.ts';
import { FakeServer, loginResponse } from './support/fake-server.ts';

function engineFor(db: SotayDB, server: FakeServer, pullLimit?: number): SyncEngine {
  return new SyncEngine({ db, fetch: server.fetch, runLocked: null, ...(pullLimit ? { pullLimit } : {}) });
}

async function states(db: SotayDB): Promise<Record<string, string>> {
  const all = await db.records.toArray();
  return Object.fromEntries(all.map((r) => [r.id, r.syncState]));
}

describe('sync engine push', () => {
  it('sends outbox rows with contiguous seqs from 1 and marks every acknowledged record synced', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const recs = [wireRecord(), wireRecord({ hamletId: 'h2' }), wireRecord({ outcome: 'follow_up' })];
    for (const r of recs) await saveNewRecord(db, r);

    expect(await engineFor(db, server).syncNow()).toBe('ok');

    const [push] = server.pushes();
    expect(push!.mutations.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(push!.mutations.map((m) => m.recordId)).toEqual(recs.map((r) => r.id));
    expect(push!.clientId).toBe((await getSyncMeta(db))!.clientId);
    expect(await db.outbox.count()).toBe(0);
    const stored = await db.records.toArray();
    expect(stored.every((r) => r.syncState === 'synced' && r.serverVersion > 0)).toBe(true);
  });

  it('removes outbox rows only after the server acknowledged them, and resends the rest from the next seq', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const recs = [wireRecord(), wireRecord(), wireRecord()];
    for (const r of recs) await saveNewRecord(db, r);
    const seen: { outbox: number; uploading: number }[] = [];
    server.onPush = async () => {
      seen.push({
        outbox: await db.outbox.count(),
        uploading: await db.records.where('syncState').equals('uploading').count(),
      });
    };
    server.truncateNextPush = 2; // the server stops after seq 2 (as if the rest never arrived)

    expect(await engineFor(db, server).syncNow()).toBe('ok');

    expect(seen[0]).toEqual({ outbox: 3, uploading: 3 }); // nothing removed while the request is open
    expect(seen[1]).toEqual({ outbox: 1, uploading: 1 }); // seq 1-2 acked and gone, seq 3 still waiting
    expect(server.pushes().map((p) => p.mutations.map((m) => m.seq))).toEqual([[1, 2, 3], [3]]);
    expect(await db.outbox.count()).toBe(0);
  });

  it('drains a backlog in chunks of the maxMutations the server gave at login', async () => {
    const db = freshDb();
    await storeLogin(db, { ...loginResponse(), maxMutations: 130 });
    const server = new FakeServer();
    await db.transaction('rw', [db.records, db.outbox, db.meta], async () => {
      for (let i = 0; i < 300; i++) await saveNewRecord(db, wireRecord());
    });

    expect(await engineFor(db, server).syncNow()).toBe('ok');

    expect(server.pushes().map((p) => p.mutations.length)).toEqual([130, 130, 40]);
    expect(server.pushes().map((p) => p.mutations[0]!.seq)).toEqual([1, 131, 261]);
    expect(await db.outbox.count()).toBe(0);
  }, 60_000);

  it('chunks of the protocol floor when the server named no maxMutations, or a bad one', () => {
    expect(chunkSize({})).toBe(MAX_PUSH_MUTATIONS);
    expect(chunkSize({ maxMutations: 20 })).toBe(MAX_PUSH_MUTATIONS);
    expect(chunkSize({ maxMutations: 1.5e3 + 0.5 })).toBe(MAX_PUSH_MUTATIONS);
    expect(chunkSize({ maxMutations: 1000 })).toBe(1000);
  });

  it('drains a large backlog in chunks of at most MAX_PUSH_MUTATIONS from an older server', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const n = MAX_PUSH_MUTATIONS + 5;
    await db.transaction('rw', [db.records, db.outbox, db.meta], async () => {
      for (let i = 0; i < n; i++) await saveNewRecord(db, wireRecord());
    });

    expect(await engineFor(db, server).syncNow()).toBe('ok');

    expect(server.pushes().map((p) => p.mutations.length)).toEqual([MAX_PUSH_MUTATIONS, 5]);
    expect(server.pushes()[1]!.mutations[0]!.seq).toBe(MAX_PUSH_MUTATIONS + 1);
    expect(await db.outbox.count()).toBe(0);
  }, 60_000);

  it('treats a 200 text/html answer (captive portal) as a failure and keeps the outbox', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const r = wireRecord();
    await saveNewRecord(db, r);
    server.faults.push({ path: '/sync/push', kind: 'html' });

    expect(await engineFor(db, server).syncNow()).toBe('failed');

    expect(await db.outbox.count()).toBe(1);
    expect((await db.records.get(r.id))!.syncState).toBe('to_post');
    expect(server.records.size).toBe(0);
  });

  it('treats a well-formed answer without a JSON content type as a failure', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    await saveNewRecord(db, wireRecord());
    server.faults.push({ path: '/sync/push', kind: 'json-as-text' });

    expect(await engineFor(db, server).syncNow()).toBe('failed');

    expect(await db.outbox.count()).toBe(1);
    expect((await db.records.toArray())[0]!.syncState).toBe('to_post');
  });

  it('keeps the outbox and the waiting state when the network fails or the server answers 503', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const r = wireRecord();
    await saveNewRecord(db, r);
    const engine = engineFor(db, server);

    server.faults.push({ path: '/sync/push', kind: 'network' });
    expect(await engine.syncNow()).toBe('offline');
    server.faults.push({ path: '/sync/push', kind: '503' });
    expect(await engine.syncNow()).toBe('failed');

    expect(await db.outbox.count()).toBe(1);
    expect((await db.records.get(r.id))!.syncState).toBe('to_post');
    expect(await engine.syncNow()).toBe('ok');
    expect((await db.records.get(r.id))!.syncState).toBe('synced');
  });

  it('marks a rejected record as error with the server message and still syncs the rows after it', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const good1 = wireRecord();
    const bad = wireRecord({ hamletId: 'h-not-in-commune' });
    const good2 = wireRecord();
    for (const r of [good1, bad, good2]) await saveNewRecord(db, r);

    expect(await engineFor(db, server).syncNow()).toBe('ok');

    expect(await states(db)).toEqual({ [good1.id]: 'synced', [bad.id]: 'error', [good2.id]: 'synced' });
    expect((await db.records.get(bad.id))!.syncError).toBe('Thôn/ấp không thuộc xã của bạn.');
    expect(await db.outbox.count()).toBe(0);
  });

  it('marks the session expired on 401 and keeps every local record and outbox row', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    await saveNewRecord(db, wireRecord());
    server.faults.push({ path: '/sync/push', kind: '401' });

    expect(await engineFor(db, server).syncNow()).toBe('unauthorized');

    expect((await getSession(db))!.expired).toBe(true);
    expect(await db.records.count()).toBe(1);
    expect(await db.outbox.count()).toBe(1);
    expect((await db.records.toArray())[0]!.syncState).toBe('to_post');
  });

  it('never has two pushes in flight when sync is asked for several times at once', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    await saveNewRecord(db, wireRecord());
    const engine = engineFor(db, server);

    const outcomes = await Promise.all([engine.syncNow(), engine.syncNow(), engine.syncNow()]);

    expect(outcomes).toEqual(['ok', 'ok', 'ok']);
    expect(server.maxInFlight).toBe(1);
    expect(server.pushes()).toHaveLength(1); // the queued run found an empty outbox
  });
});

describe('sync engine pull', () => {
  it('stores pulled rows page by page and keeps the cursor of the last page', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const others = [wireRecord(), wireRecord(), wireRecord()];
    for (const r of others) server.writeElsewhere(r.id, { ...r, volunteerId: 'u-tnv', teamId: 't1' });

    expect(await engineFor(db, server, 2).syncNow()).toBe('ok');

    const pulls = server.log.filter((l) => l.path.endsWith('/sync/pull'));
    expect(pulls.map((p) => (p.body as { cursor: string | null }).cursor)).toEqual([null, '2']);
    expect((await getSyncMeta(db))!.cursor).toBe('3');
    const stored = await db.records.toArray();
    expect(stored).toHaveLength(3);
    expect(stored.every((r) => r.syncState === 'synced' && r.teamId === 't1')).toBe(true);
  });

  it('replays pending local edits over a pulled row instead of overwriting them', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server);
    const r = wireRecord({ outcome: 'follow_up' });
    await saveNewRecord(db, r);
    expect(await engine.syncNow()).toBe('ok');

    // While the next pull is on the wire, a lead changes the outcome on the server and the
    // volunteer adds a note on the phone.
    server.writeElsewhere(r.id, { outcome: 'done' });
    server.onPull = async () => {
      server.onPull = null;
      await saveRecordEdit(db, r.id, { note: 'hẹn quay lại' });
    };
    expect(await engine.syncNow()).toBe('ok');

    const local = await db.records.get(r.id);
    expect(local).toMatchObject({ outcome: 'done', note: 'hẹn quay lại', syncState: 'to_update' });
    expect(await db.outbox.count()).toBe(1);

    expect(await engine.syncNow()).toBe('ok');
    expect(await db.records.get(r.id)).toMatchObject({
      outcome: 'done',
      note: 'hẹn quay lại',
      syncState: 'synced',
    });
    expect(server.records.get(r.id)!.data).toMatchObject({ outcome: 'done', note: 'hẹn quay lại' });
  });

  it('deletes locally a record the server deleted', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server);
    const r = wireRecord();
    await saveNewRecord(db, r);
    expect(await engine.syncNow()).toBe('ok');

    server.deleteElsewhere(r.id);
    expect(await engine.syncNow()).toBe('ok');

    expect(await db.records.get(r.id)).toBeUndefined();
  });
});

describe('sessions', () => {
  it('renumbers pending outbox rows from 1 under a new clientId after a re-login, and they then sync', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server);
    await saveNewRecord(db, wireRecord());
    expect(await engine.syncNow()).toBe('ok'); // seq 1 acked for the first clientId
    await saveNewRecord(db, wireRecord());
    await saveNewRecord(db, wireRecord());
    server.faults.push({ path: '/sync/push', kind: '401' });
    expect(await engine.syncNow()).toBe('unauthorized');
    const oldClient = (await getSyncMeta(db))!.clientId;

    await storeLogin(db, loginResponse(server.token));

    const meta = (await getSyncMeta(db))!;
    expect(meta.clientId).not.toBe(oldClient);
    expect(meta).toMatchObject({ nextSeq: 3, cursor: null });
    expect((await db.outbox.toArray()).map((o) => o.seq)).toEqual([1, 2]);
    expect(await engine.syncNow()).toBe('ok');
    expect(
      server
        .pushes()
        .at(-1)!
        .mutations.map((m) => m.seq),
    ).toEqual([1, 2]);
    expect(await db.records.where('syncState').equals('synced').count()).toBe(3);
  });

  it('refuses a different account while another account still has unsynced records', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    const other = loginResponse();
    other.user = { ...other.user, id: 'u-other', username: 'demo-tnv2' };

    await expect(storeLogin(db, other)).rejects.toBeInstanceOf(OtherUserPendingError);

    expect((await getSession(db))!.user.id).toBe('u-tnv');
    expect(await db.records.count()).toBe(1);
  });
});

describe('local writes', () => {
  it('stores a record and its outbox row atomically: if the outbox add fails, no record is stored', async () => {
    const db = await loggedInDb();
    const first = wireRecord();
    await saveNewRecord(db, first);
    // Corrupt the counter so the next outbox add collides with seq 1 inside the transaction.
    await putMeta(db, 'sync', { ...(await getSyncMeta(db))!, nextSeq: 1 });
    const second = wireRecord();

    await expect(saveNewRecord(db, second)).rejects.toBeInstanceOf(StorageError);

    expect(await db.records.get(second.id)).toBeUndefined();
    expect(await db.outbox.count()).toBe(1);
    expect((await getSyncMeta(db))!.nextSeq).toBe(1);
  });

  it('gives each save the next seq from the counter in meta, starting at 1 after login', async () => {
    const db = await loggedInDb();
    await saveNewRecord(db, wireRecord());
    await saveNewRecord(db, wireRecord());
    expect((await db.outbox.toArray()).map((o) => o.seq)).toEqual([1, 2]);
    expect((await getSyncMeta(db))!.nextSeq).toBe(3);
  });
});
