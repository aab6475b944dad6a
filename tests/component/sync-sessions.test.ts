// Group sessions in the phone's sync engine (docs/group-sessions.md): they share the outbox, the
// seqs and the guarantees of records, but every answer and every pulled change lands in
// `groupSessions`, never in `records` or the own counters. Sessions are written here the way a
// save writes them (the row and its outbox row in one transaction), with generated data only.
import { describe, expect, it } from 'vitest';
import type { LocalGroupSession, OutboxRow, SotayDB } from '../../src/app/db/database.ts';
import { clearAccount, getMeta, getSyncMeta, storeLogin } from '../../src/app/db/meta-repo.ts';
import {
  countUnsynced,
  pendingCountQuery,
  saveNewRecord,
  unsyncedExport,
} from '../../src/app/db/records-repo.ts';
import { SyncEngine } from '../../src/app/sync/engine.ts';
import {
  attendeeTotal,
  newId,
  sessionFieldMessageVi,
  type GroupSession,
  type MutationResult,
  type PullResponse,
  type PushResponse,
  type SessionTopic,
} from '../../src/shared/index.ts';
import { freshDb, loggedInDb, wireRecord } from './support/db.ts';
import { FakeServer, USER, loginResponse } from './support/fake-server.ts';

function wireSession(over: Partial<GroupSession> = {}): GroupSession {
  const at = new Date().toISOString();
  return {
    id: newId(),
    heldOn: '2025-10-15',
    hamletId: 'h1',
    place: 'Nhà văn hóa thôn Đông',
    topic: 'ai_apps',
    attendance: { 'female:18_59': 12, 'male:60_plus': 5 },
    facilitators: ['Người Hướng Dẫn Thử'],
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}

/** Inside one transaction, as a save does: the session row changes and its outbox row is queued. */
async function enqueueSession(
  db: SotayDB,
  id: string,
  op: OutboxRow['op'],
  patch: Record<string, unknown>,
  change: (current: LocalGroupSession | undefined) => LocalGroupSession,
): Promise<OutboxRow> {
  return db.transaction('rw', [db.groupSessions, db.outbox, db.meta], async () => {
    const sync = (await getSyncMeta(db))!;
    const current = await db.groupSessions.get(id);
    const row: OutboxRow = {
      seq: sync.nextSeq,
      mutationId: newId(),
      recordId: id,
      kind: 'session',
      op,
      baseVersion: current?.serverVersion ?? 0,
      patch,
      createdAt: new Date().toISOString(),
    };
    await db.groupSessions.put(change(current));
    await db.outbox.add(row);
    await db.meta.put({ key: 'sync', value: { ...sync, nextSeq: sync.nextSeq + 1 } });
    return row;
  });
}

function saveSession(db: SotayDB, s: GroupSession): Promise<OutboxRow> {
  return enqueueSession(db, s.id, 'upsert', { ...s }, () => ({
    ...s,
    serverVersion: 0,
    syncState: 'to_post',
    attendees: attendeeTotal(s.attendance),
  }));
}

function editSession(db: SotayDB, id: string, patch: Partial<GroupSession>): Promise<OutboxRow> {
  return enqueueSession(db, id, 'upsert', patch, (cur) => {
    const next = { ...cur!, ...patch } as LocalGroupSession;
    next.attendees = attendeeTotal(next.attendance);
    if (next.syncState === 'synced' || next.syncState === 'error')
      next.syncState = next.serverVersion > 0 ? 'to_update' : 'to_post';
    return next;
  });
}

function deleteSession(db: SotayDB, id: string): Promise<OutboxRow> {
  return enqueueSession(db, id, 'delete', {}, (cur) => ({ ...cur!, deleted: true, syncState: 'to_update' }));
}

function engineFor(
  db: SotayDB,
  server: FakeServer | { fetch: typeof fetch },
  pullLimit?: number,
): SyncEngine {
  return new SyncEngine({ db, fetch: server.fetch, runLocked: null, ...(pullLimit ? { pullLimit } : {}) });
}

/** The server's answers to one path, rewritten by `edit` (a status the fake never gives, a flag). */
function rewriting<T>(server: FakeServer, path: string, edit: (body: T) => T | null): typeof fetch {
  return async (input, init) => {
    const res = await server.fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.pathname : input.url;
    if (!url.endsWith(path) || res.status !== 200) return res;
    const body = edit((await res.json()) as T);
    if (body === null) throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  };
}

async function counted(db: SotayDB): Promise<number> {
  return (await db.counters.toArray()).reduce((n, c) => n + c.n, 0);
}

describe('pushing group sessions', () => {
  it("sends a session with kind 'session' and a record without any kind key, and settles each in its own table", async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const before = wireRecord();
    const session = wireSession();
    const after = wireRecord({ hamletId: 'h2' });
    await saveNewRecord(db, before);
    await saveSession(db, session);
    await saveNewRecord(db, after);

    expect(await engineFor(db, server).syncNow()).toBe('ok');

    const [push] = server.pushes();
    expect(push!.mutations.map((m) => [m.seq, m.recordId, m.kind])).toEqual([
      [1, before.id, undefined],
      [2, session.id, 'session'],
      [3, after.id, undefined],
    ]);
    expect(Object.keys(push!.mutations[0]!)).toEqual([
      'seq',
      'mutationId',
      'recordId',
      'op',
      'baseVersion',
      'patch',
    ]);
    expect(Object.keys(push!.mutations[1]!)).toEqual([
      'seq',
      'mutationId',
      'recordId',
      'kind',
      'op',
      'baseVersion',
      'patch',
    ]);
    expect(push!.mutations[1]!.patch).toEqual({ ...session });
    expect(server.sessions.get(session.id)!.version).toBe(2);
    expect(server.records.has(session.id)).toBe(false);

    expect(await db.groupSessions.get(session.id)).toMatchObject({
      syncState: 'synced',
      serverVersion: 2,
      attendees: 17,
      volunteerId: USER.id,
      teamId: 't1',
      communeCode: '00001',
    });
    expect(await db.records.get(session.id)).toBeUndefined();
    expect((await db.records.toArray()).map((r) => [r.id, r.syncState]).sort()).toEqual(
      [
        [before.id, 'synced'],
        [after.id, 'synced'],
      ].sort(),
    );
    // Only the two records count in the own tallies.
    expect(await counted(db)).toBe(2);
    expect(await db.outbox.count()).toBe(0);
  });

  it('drains records and sessions mixed, in outbox order, in chunks, with a session edited in a later chunk', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const sessions: GroupSession[] = [];
    const records: string[] = [];
    for (let i = 0; i < 140; i++) {
      if (i % 3 === 1) {
        const s = wireSession({ place: `Nhà văn hóa số ${i}` });
        sessions.push(s);
        await saveSession(db, s);
      } else {
        const r = wireRecord();
        records.push(r.id);
        await saveNewRecord(db, r);
      }
    }
    // Seq 141: an edit of the first session (seq 2), in the second chunk.
    await editSession(db, sessions[0]!.id, {
      note: 'Có thêm người đến muộn',
      attendance: { 'female:14_17': 30 },
    });
    const kinds = (await db.outbox.orderBy('seq').toArray()).map((o) => [o.seq, o.kind ?? 'record']);

    expect(await engineFor(db, server).syncNow()).toBe('ok');

    const pushes = server.pushes();
    expect(pushes.map((p) => p.mutations.length)).toEqual([100, 41]);
    expect(pushes.flatMap((p) => p.mutations.map((m) => [m.seq, m.kind ?? 'record']))).toEqual(kinds);
    expect(await db.outbox.count()).toBe(0);
    expect(await db.groupSessions.count()).toBe(sessions.length);
    expect(await db.records.count()).toBe(records.length);
    expect(await db.groupSessions.where('syncState').equals('synced').count()).toBe(sessions.length);
    expect(await db.records.where('syncState').equals('synced').count()).toBe(records.length);
    expect(await db.groupSessions.get(sessions[0]!.id)).toMatchObject({
      note: 'Có thêm người đến muộn',
      attendance: { 'female:14_17': 30 },
      attendees: 30,
      serverVersion: 141,
      syncState: 'synced',
    });
    expect(server.sessions.get(sessions[0]!.id)!.data).toMatchObject({ note: 'Có thêm người đến muộn' });
    expect(await counted(db)).toBe(records.length);
  }, 60_000);

  it('takes the server copy of a merged session and keeps a later local edit on top', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server);
    const s = wireSession();
    await saveSession(db, s);
    expect(await engine.syncNow()).toBe('ok');

    server.writeSessionElsewhere(s.id, { place: 'Hội trường thôn Tây' }); // the lead fixed the place
    await editSession(db, s.id, { note: 'Ghi chú trên máy' });
    await editSession(db, s.id, { facilitators: ['Người Hướng Dẫn Thử', 'Người Thứ Hai'] });
    const answers: MutationResult[][] = [];
    const fetchSpy = rewriting<PushResponse>(server, '/sync/push', (body) => {
      answers.push(body.results);
      return body;
    });

    expect(await engineFor(db, { fetch: fetchSpy }).syncNow()).toBe('ok');

    // Both edits were made on version 1, which the server had moved past.
    expect(answers[0]!.map((r) => r.status)).toEqual(['merged', 'merged']);
    expect(await db.groupSessions.get(s.id)).toMatchObject({
      place: 'Hội trường thôn Tây',
      note: 'Ghi chú trên máy',
      facilitators: ['Người Hướng Dẫn Thử', 'Người Thứ Hai'],
      serverVersion: server.sessions.get(s.id)!.version,
      syncState: 'synced',
    });
    expect(await db.records.count()).toBe(0);
  });

  it("applies a conflict's winning copy to the session, not to any record", async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const s = wireSession();
    const r = wireRecord();
    await saveSession(db, s);
    await saveNewRecord(db, r);
    const winner = {
      ...s,
      place: 'Nhà văn hóa thôn Bắc',
      attendance: { 'male:18_59': 40 },
      volunteerId: 'u-other',
    };
    const fetchConflict = rewriting<PushResponse>(server, '/sync/push', (body) => ({
      ...body,
      results: body.results.map((res) =>
        res.seq === 1 ? { seq: 1, status: 'conflict' as const, version: 9, record: winner } : res,
      ),
    }));

    expect(await engineFor(db, { fetch: fetchConflict }).syncNow()).toBe('ok');

    expect(await db.groupSessions.get(s.id)).toMatchObject({
      place: 'Nhà văn hóa thôn Bắc',
      attendance: { 'male:18_59': 40 },
      attendees: 40,
      volunteerId: 'u-other',
      serverVersion: 9,
      syncState: 'synced',
    });
    expect(await db.records.get(s.id)).toBeUndefined();
    expect(await db.records.get(r.id)).toMatchObject({ syncState: 'synced', hamletId: 'h1' });
  });

  it('marks a rejected session as error with the Vietnamese field messages, and keeps what was typed', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const s = wireSession({ hamletId: 'h-elsewhere', attendance: {} });
    await saveSession(db, s);

    expect(await engineFor(db, server).syncNow()).toBe('ok');

    const stored = (await db.groupSessions.get(s.id))!;
    expect(stored).toMatchObject({
      syncState: 'error',
      serverVersion: 0,
      place: s.place,
      hamletId: 'h-elsewhere',
    });
    expect(stored.syncError).toContain(sessionFieldMessageVi('attendance', 'no_attendees'));
    expect(stored.syncError).toContain(sessionFieldMessageVi('hamletId', 'unknown_hamlet'));
    expect(await db.outbox.count()).toBe(0);
    expect(server.sessions.has(s.id)).toBe(false);
    expect(await db.records.count()).toBe(0);
    expect(await countUnsynced(db)).toBe(1);
  });

  it('removes a session the server answers gone, and a session whose delete was applied', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server);
    const goneOne = wireSession();
    const deleted = wireSession();
    const r = wireRecord();
    await saveSession(db, goneOne);
    await saveSession(db, deleted);
    await saveNewRecord(db, r);
    expect(await engine.syncNow()).toBe('ok');

    server.deleteSessionElsewhere(goneOne.id);
    await editSession(db, goneOne.id, { note: 'sửa sau khi đã bị xoá' });
    await deleteSession(db, deleted.id);
    let atPull: (LocalGroupSession | undefined)[] = [];
    server.onPull = async () => {
      server.onPull = null;
      atPull = await db.groupSessions.bulkGet([goneOne.id, deleted.id]);
    };
    const statuses: string[] = [];
    const spy = rewriting<PushResponse>(server, '/sync/push', (body) => {
      statuses.push(...body.results.map((x) => x.status));
      return body;
    });

    expect(await engineFor(db, { fetch: spy }).syncNow()).toBe('ok');

    expect(statuses).toEqual(['gone', 'applied']);
    // The push answer removed both before the pull brought anything.
    expect(atPull).toEqual([undefined, undefined]);
    expect(await db.groupSessions.count()).toBe(0);
    expect(server.sessions.get(deleted.id)!.deleted).toBe(true);
    expect(await db.records.get(r.id)).toMatchObject({ syncState: 'synced' });
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('a failed push of sessions', () => {
  it('reverts them to waiting and resends the same mutations, which the server applies once', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const s = wireSession();
    const r = wireRecord();
    await saveSession(db, s);
    await saveNewRecord(db, r);
    await editSession(db, s.id, { note: 'bổ sung' });
    const during: string[] = [];
    server.onPush = async () => {
      during.push((await db.groupSessions.get(s.id))!.syncState);
    };
    // The server applies the push, then the answer is lost on the way back.
    let lose = true;
    const lossy = rewriting<PushResponse>(server, '/sync/push', (body) =>
      lose ? ((lose = false), null) : body,
    );
    const engine = engineFor(db, { fetch: lossy });

    expect(await engine.syncNow()).toBe('offline');

    expect(during).toEqual(['uploading']);
    expect(await db.groupSessions.get(s.id)).toMatchObject({ syncState: 'to_post', serverVersion: 0 });
    expect(await db.outbox.count()).toBe(3);
    expect(server.sessions.get(s.id)!.version).toBe(3);

    expect(await engine.syncNow()).toBe('ok');

    const [first, again] = server.pushes();
    expect(again!.clientId).toBe(first!.clientId);
    expect(again!.mutations).toEqual(first!.mutations);
    // Stored results answered the resend: nothing was written a second time.
    expect(server.version).toBe(3);
    expect(await db.groupSessions.get(s.id)).toMatchObject({
      syncState: 'synced',
      serverVersion: 3,
      note: 'bổ sung',
    });
    expect(await db.records.get(r.id)).toMatchObject({ syncState: 'synced', serverVersion: 2 });
    expect(await db.outbox.count()).toBe(0);
  });

  it('puts sessions back to waiting when the server is unavailable', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server);
    const s = wireSession();
    await saveSession(db, s);
    expect(await engine.syncNow()).toBe('ok');
    await editSession(db, s.id, { place: 'Sân nhà văn hoá' });

    server.faults.push({ path: '/sync/push', kind: '503' });
    expect(await engine.syncNow()).toBe('failed');
    expect(await db.groupSessions.get(s.id)).toMatchObject({ syncState: 'to_update', serverVersion: 1 });
    expect(await db.outbox.count()).toBe(1);

    expect(await engine.syncNow()).toBe('ok');
    expect(await db.groupSessions.get(s.id)).toMatchObject({ syncState: 'synced', serverVersion: 2 });
  });

  it("goes on under a new clientId after the server lost our seqs, the session's kind and mutationId kept", async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server);
    await saveNewRecord(db, wireRecord());
    expect(await engine.syncNow()).toBe('ok');
    const s = wireSession();
    const row = await saveSession(db, s);
    expect(row.seq).toBe(2);
    server.clients.clear(); // restored from a backup: no acked seqs for us

    expect(await engine.syncNow()).toBe('ok');

    const [, lost, fresh] = server.pushes();
    expect(lost!.mutations.map((m) => m.seq)).toEqual([2]);
    expect(fresh!.clientId).not.toBe(lost!.clientId);
    expect(fresh!.mutations).toEqual([{ ...lost!.mutations[0]!, seq: 1 }]);
    expect(fresh!.mutations[0]).toMatchObject({ kind: 'session', mutationId: row.mutationId });
    expect(await db.groupSessions.get(s.id)).toMatchObject({ syncState: 'synced' });
  });

  it('puts a session left uploading by a run cut short back to waiting, and the next run sends it', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const s = wireSession();
    await saveSession(db, s);
    await db.groupSessions.update(s.id, { syncState: 'uploading' }); // a tab closed mid-request
    server.faults.push({ path: '/sync/push', kind: 'network' });

    expect(await engineFor(db, server).syncNow()).toBe('offline');
    expect((await db.groupSessions.get(s.id))!.syncState).toBe('to_post');
    expect(await engineFor(db, server).syncNow()).toBe('ok');
    expect((await db.groupSessions.get(s.id))!.syncState).toBe('synced');
  });
});

describe('pulling group sessions', () => {
  const TOPICS: SessionTopic[] = [
    { code: 'ai_apps', label: 'Ứng dụng AI', active: true },
    { code: 'old_topic', label: 'Chủ đề cũ', active: false },
  ];

  it('stores pulled sessions with their attendee total, removes deleted ones, and keeps the topics', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    server.sessionTopics = TOPICS;
    const engine = engineFor(db, server, 2);
    const team = wireSession({ attendance: { 'female:60_plus': 7, 'male:under_14': 3 } });
    const other = wireSession({ topic: 'old_topic' });
    const r = wireRecord();
    server.writeSessionElsewhere(team.id, { ...team, volunteerId: 'u-teammate', teamId: 't1' });
    server.writeElsewhere(r.id, { ...r, volunteerId: 'u-teammate', teamId: 't1', communeCode: '00001' });
    server.writeSessionElsewhere(other.id, { ...other, volunteerId: 'u-teammate', teamId: 't1' });
    const pages: PullResponse[] = [];
    const spy = rewriting<PullResponse>(server, '/sync/pull', (body) => (pages.push(body), body));

    expect(await engineFor(db, { fetch: spy }, 2).syncNow()).toBe('ok');

    // Two pages: the topics came with the last one only.
    expect(pages.map((p) => p.sessionTopics !== undefined)).toEqual([false, true]);
    expect(pages[0]!.changes.map((c) => c.kind)).toEqual(['session', undefined]);
    expect(await db.groupSessions.get(team.id)).toMatchObject({
      volunteerId: 'u-teammate',
      attendees: 10,
      serverVersion: 1,
      syncState: 'synced',
    });
    expect(await db.groupSessions.get(other.id)).toMatchObject({ topic: 'old_topic', serverVersion: 3 });
    expect(await db.records.get(team.id)).toBeUndefined();
    expect(await db.records.get(r.id)).toMatchObject({ syncState: 'synced' });
    expect(await counted(db)).toBe(0);
    expect(await getMeta(db, 'sessionTopics')).toEqual(TOPICS);

    server.deleteSessionElsewhere(team.id);
    server.sessionTopics = [...TOPICS, { code: 'new_topic', label: 'Chủ đề mới', active: true }];
    expect(await engine.syncNow()).toBe('ok');
    expect(await db.groupSessions.get(team.id)).toBeUndefined();
    expect(await db.groupSessions.get(other.id)).toMatchObject({ syncState: 'synced' });
    expect((await getMeta(db, 'sessionTopics'))!.map((t) => t.code)).toEqual([
      'ai_apps',
      'old_topic',
      'new_topic',
    ]);
  });

  it('replays a pending local edit on top of a pulled change instead of losing it', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server);
    const s = wireSession();
    await saveSession(db, s);
    expect(await engine.syncNow()).toBe('ok');

    server.writeSessionElsewhere(s.id, { place: 'Hội trường UBND xã' });
    server.onPull = async () => {
      // Saved after the push read the outbox: still waiting when the change arrives.
      server.onPull = null;
      await editSession(db, s.id, { attendance: { 'female:18_59': 20 }, note: 'đếm lại' });
    };
    expect(await engine.syncNow()).toBe('ok');

    // The pulled place is taken, the waiting edit is replayed on top and still waits.
    expect(await db.groupSessions.get(s.id)).toMatchObject({
      place: 'Hội trường UBND xã',
      attendance: { 'female:18_59': 20 },
      attendees: 20,
      note: 'đếm lại',
      serverVersion: 2,
      syncState: 'to_update',
    });
    expect(await db.outbox.count()).toBe(1);

    expect(await engine.syncNow()).toBe('ok');
    expect(await db.groupSessions.get(s.id)).toMatchObject({ note: 'đếm lại', syncState: 'synced' });
    expect(server.sessions.get(s.id)!.data).toMatchObject({ place: 'Hội trường UBND xã', note: 'đếm lại' });
  });

  it('drops sessions a snapshot no longer carries, but keeps pending and never-accepted ones', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const engine = engineFor(db, server, 2);
    const left = wireSession();
    const edited = wireSession();
    const kept = [wireSession(), wireSession()];
    for (const s of [left, edited, ...kept])
      server.writeSessionElsewhere(s.id, { ...s, volunteerId: 'u-teammate' });
    const refused = wireSession({ hamletId: 'h-elsewhere' });
    await saveSession(db, refused);
    expect(await engine.syncNow()).toBe('ok');
    expect(await db.groupSessions.count()).toBe(5);

    server.outOfScope.add(left.id);
    server.outOfScope.add(edited.id);
    server.resetNextPull = true;
    server.onPull = async () => {
      server.onPull = null;
      await editSession(db, edited.id, { note: 'chưa gửi' });
    };
    expect(await engine.syncNow()).toBe('ok');

    expect(await db.groupSessions.get(left.id)).toBeUndefined();
    expect(await db.groupSessions.get(edited.id)).toMatchObject({ note: 'chưa gửi' });
    for (const k of kept) expect(await db.groupSessions.get(k.id)).toMatchObject({ syncState: 'synced' });
    expect(await db.groupSessions.get(refused.id)).toMatchObject({ syncState: 'error' });
    expect((await getSyncMeta(db))!.snapshotMark).toBeUndefined();
  });

  it('sends again, whole, a synced session that a server restored from a backup lost', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const s = wireSession();
    await saveSession(db, s);
    expect(await engineFor(db, server).syncNow()).toBe('ok');

    // The server comes back from a backup taken before the session: no session, no seqs of ours.
    server.sessions.delete(s.id);
    server.clients.clear();
    server.resetNextPull = true;
    const restored = rewriting<PullResponse>(server, '/sync/pull', (body) =>
      body.reset ? { ...body, restored: true } : body,
    );
    expect(await engineFor(db, { fetch: restored }).syncNow()).toBe('ok');

    const resent = server.pushes().at(-1)!.mutations;
    expect(resent).toHaveLength(1);
    expect(resent[0]).toMatchObject({ recordId: s.id, kind: 'session', op: 'upsert', baseVersion: 0 });
    expect(resent[0]!.patch).toMatchObject({
      place: s.place,
      attendance: s.attendance,
      volunteerId: USER.id,
    });
    expect(resent[0]!.patch).not.toHaveProperty('attendees');
    expect(resent[0]!.patch).not.toHaveProperty('syncState');
    expect(server.sessions.get(s.id)!.deleted).toBe(false);
    expect(await db.groupSessions.get(s.id)).toMatchObject({ syncState: 'synced' });
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('sessions on logout, user switch and the unsynced export', () => {
  it('counts waiting sessions as unsynced and exports them; logout clears the table', async () => {
    const db = await loggedInDb();
    const s = wireSession();
    await saveSession(db, s);
    const pending = await new Promise<number>((resolve) => {
      const sub = pendingCountQuery(db).subscribe((n) => {
        resolve(n);
        setTimeout(() => sub.unsubscribe(), 0);
      });
    });

    expect(pending).toBe(1);
    expect(await countUnsynced(db)).toBe(1);
    const exported = await unsyncedExport(db);
    expect(exported.sessions).toEqual([s]);
    expect(exported.records).toEqual([]);
    expect(exported.outbox.map((o) => o.kind)).toEqual(['session']);

    await clearAccount(db);
    expect(await db.groupSessions.count()).toBe(0);
  });

  it("drops another user's synced sessions at login, and another commune's topics", async () => {
    const db = freshDb();
    await storeLogin(db, loginResponse());
    const server = new FakeServer();
    server.sessionTopics = [{ code: 'ai_apps', label: 'Ứng dụng AI', active: true }];
    await saveSession(db, wireSession());
    expect(await engineFor(db, server).syncNow()).toBe('ok');
    expect(await getMeta(db, 'sessionTopics')).toHaveLength(1);

    const other = loginResponse();
    await storeLogin(db, {
      ...other,
      user: { ...other.user, id: 'u-khac', username: 'khac' },
      commune: { ...other.commune, code: '00002' },
    });

    expect(await db.groupSessions.count()).toBe(0);
    expect(await getMeta(db, 'sessionTopics')).toBeUndefined();
  });
});
