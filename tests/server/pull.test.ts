// Pull over real HTTP on both stores: scope per role, paging without gaps or repeats, stable cursors,
// tombstones, resets, and the records a client created by push left out of its own later pulls.
import { SHIPPED_EDITION } from '../../src/server/http/cards.ts';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AGE_BAND_CODES,
  PullResponse,
  PushResponse,
  topicsOrDefault,
  type Change,
} from '../../src/shared/index.ts';
import { decodeCursor, encodeCursor } from '../../src/server/sync/cursor.ts';
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
  updateOf,
} from './harness.ts';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  const tokens: Record<string, string> = {};
  const team1Ids: string[] = [];
  const team2Ids: string[] = [];

  /** Every change from `cursor` on, page by page. */
  async function pullAll(token: string, cid: string, cursor: string | null, limit: number) {
    const changes: Change[] = [];
    let pages = 0;
    for (;;) {
      const res = await server.pull(token, cid, cursor, limit);
      expect(res.status).toBe(200);
      const body = PullResponse.parse(res.body);
      expect(body.changes.length).toBeLessThanOrEqual(limit);
      changes.push(...body.changes);
      cursor = body.cursor;
      pages += 1;
      if (!body.hasMore) return { changes, cursor, pages };
    }
  }

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    for (const u of ['demo-tnv', 'demo-tnv2', 'demo-lead', 'demo-gs', 'demo-admin'])
      tokens[u] = (await server.login(u)).token;
    const t1 = Array.from({ length: 7 }, () => fakeRecord());
    const t2 = Array.from({ length: 4 }, () => fakeRecord());
    const lead = [fakeRecord()];
    await server.push(tokens['demo-tnv'] ?? '', clientId(), t1.map(createOf_));
    await server.push(tokens['demo-tnv2'] ?? '', clientId(), t2.map(createOf_));
    await server.push(tokens['demo-lead'] ?? '', clientId(), lead.map(createOf_));
    team1Ids.push(...t1.map((r) => r.id), ...lead.map((r) => r.id));
    team2Ids.push(...t2.map((r) => r.id));
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  function createOf_(r: ReturnType<typeof fakeRecord>, i: number) {
    return createOf(r, i + 1);
  }
  function token(u: string): string {
    return tokens[u] ?? '';
  }

  describe('pull scope', () => {
    it('gives a team-2 volunteer their own records and none of team 1', async () => {
      const { changes } = await pullAll(token('demo-tnv2'), clientId(), null, 1000);
      expect(changes.map((c) => c.id).sort()).toEqual([...team2Ids].sort());
    });

    it('gives a team-1 volunteer the whole team (their own and the lead’s)', async () => {
      const { changes } = await pullAll(token('demo-tnv'), clientId(), null, 1000);
      expect(changes.map((c) => c.id).sort()).toEqual([...team1Ids].sort());
    });

    it('gives the lead exactly the team', async () => {
      const { changes } = await pullAll(token('demo-lead'), clientId(), null, 1000);
      expect(changes.map((c) => c.id).sort()).toEqual([...team1Ids].sort());
    });

    it('gives the supervisor and the admin the whole commune', async () => {
      for (const u of ['demo-gs', 'demo-admin']) {
        const { changes } = await pullAll(token(u), clientId(), null, 1000);
        expect(changes.map((c) => c.id).sort()).toEqual([...team1Ids, ...team2Ids].sort());
      }
    });

    it('sends each record with the server-derived owner fields', async () => {
      const { changes } = await pullAll(token('demo-gs'), clientId(), null, 1000);
      const one = changes.find((c) => c.id === team2Ids[0]);
      expect(one?.deleted).toBe(false);
      expect(one?.data).toMatchObject({ id: team2Ids[0], teamId: 'team-2', communeCode: '99001' });
      expect(typeof one?.data?.volunteerId).toBe('string');
    });
  });

  describe('pull paging and cursors', () => {
    it('pages with limit and hasMore, in version order, without gaps or repeats', async () => {
      const all = await pullAll(token('demo-gs'), clientId(), null, 1000);
      const paged = await pullAll(token('demo-gs'), clientId(), null, 3);
      expect(paged.pages).toBeGreaterThan(3);
      expect(paged.changes.map((c) => c.id)).toEqual(all.changes.map((c) => c.id));
      const versions = paged.changes.map((c) => c.version);
      expect([...versions].sort((a, b) => a - b)).toEqual(versions);
      expect(new Set(versions).size).toBe(versions.length);
    });

    it('answers the same cursor twice with the same page', async () => {
      const cid = clientId();
      const first = await server.pull(token('demo-gs'), cid, null, 4);
      const a = await server.pull(token('demo-gs'), cid, first.body.cursor, 4);
      const b = await server.pull(token('demo-gs'), cid, first.body.cursor, 4);
      expect(a.body).toEqual(b.body);
      expect(a.body.changes.length).toBe(4);
    });

    it('answers an idle client with no changes and a cursor that stays valid', async () => {
      const cid = clientId();
      const { cursor } = await pullAll(token('demo-tnv2'), cid, null, 1000);
      const idle = await server.pull(token('demo-tnv2'), cid, cursor);
      // The last page also names the current edition of the how-to cards (the shipped one here)
      // and carries the commune's topic list for group sessions (the defaults here).
      expect(idle.body).toEqual({
        changes: [],
        cursor,
        hasMore: false,
        cards: SHIPPED_EDITION.edition,
        sessionTopics: topicsOrDefault([]),
      });
    });

    it('carries a new record and a delete as a tombstone to a later pull', async () => {
      const cid = clientId();
      const { cursor } = await pullAll(token('demo-lead'), cid, null, 1000);
      const r = fakeRecord();
      const pushCid = clientId();
      await server.push(token('demo-tnv'), pushCid, [createOf(r, 1)]);
      const seen = await pullAll(token('demo-lead'), cid, cursor, 1000);
      expect(seen.changes.map((c) => c.id)).toEqual([r.id]);

      await server.push(token('demo-tnv'), pushCid, [deleteOf(r.id, 2)]);
      const later = await pullAll(token('demo-lead'), cid, seen.cursor, 1000);
      expect(later.changes).toEqual([{ id: r.id, version: expect.any(Number), deleted: true, data: null }]);

      const fresh = await pullAll(token('demo-lead'), clientId(), null, 1000);
      expect(fresh.changes.map((c) => c.id)).not.toContain(r.id);
    });

    it('starts over with reset for a cursor that does not decode', async () => {
      const res = await server.pull(token('demo-tnv2'), clientId(), 'not-a-cursor');
      expect(res.status).toBe(200);
      expect(res.body.reset).toBe(true);
      expect(res.body.changes.map((c) => c.id).sort()).toEqual([...team2Ids].sort());
    });

    it("starts over with reset for another user's cursor (a changed scope)", async () => {
      const { cursor } = await pullAll(token('demo-tnv'), clientId(), null, 1000);
      const res = await server.pull(token('demo-tnv2'), clientId(), cursor);
      expect(res.body.reset).toBe(true);
      expect(res.body.changes.map((c) => c.id).sort()).toEqual([...team2Ids].sort());
    });

    it('starts over with reset for a cursor ahead of the database (restored from a backup)', async () => {
      const { cursor } = await pullAll(token('demo-tnv2'), clientId(), null, 1000);
      const s = (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { s: string }).s;
      const res = await server.pull(token('demo-tnv2'), clientId(), encodeCursor({ v: 1_000_000, s }));
      expect(res.body.reset).toBe(true);
      expect(res.body.changes.length).toBe(team2Ids.length);
    });

    it('answers 400 for a limit above the maximum', async () => {
      const res = await server.pull(token('demo-tnv'), clientId(), null, 100_000);
      expect(res.status).toBe(400);
    });
  });

  describe('records a client created by push', () => {
    /** Pushes `mutations` as `user` under `cid` and answers the push's results. */
    async function push(user: string, cid: string, mutations: Parameters<TestServer['push']>[2]) {
      const res = await server.push(token(user), cid, mutations);
      expect(res.status).toBe(200);
      return PushResponse.parse(res.body).results;
    }

    it('are left out of that client’s later pulls, but reach its other clients, the team and a snapshot', async () => {
      const cid = clientId();
      const { cursor } = await pullAll(token('demo-tnv'), cid, null, 1000);
      const mine = [fakeRecord(), fakeRecord(), fakeRecord()];
      const results = await push('demo-tnv', cid, mine.map(createOf_));
      expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);

      // Pages of 2 with all three left out: no page, and the cursor moves past them.
      const own = await pullAll(token('demo-tnv'), cid, cursor, 2);
      expect(own.changes).toEqual([]);
      expect(own.pages).toBe(1);
      const idle = await pullAll(token('demo-tnv'), cid, own.cursor, 1000);
      expect(idle.changes).toEqual([]);

      const ids = mine.map((r) => r.id);
      const otherPhone = await pullAll(token('demo-tnv'), clientId(), cursor, 1000);
      expect(otherPhone.changes.map((c) => c.id)).toEqual(ids);
      const lead = await pullAll(token('demo-lead'), clientId(), null, 1000);
      expect(lead.changes.map((c) => c.id)).toEqual(expect.arrayContaining(ids));
      // A snapshot (first pull, or a reset) carries everything, on every one of its pages: the
      // client keeps only what it brings.
      const snapshot = await pullAll(token('demo-tnv'), cid, null, 1000);
      expect(snapshot.changes.map((c) => c.id)).toEqual(expect.arrayContaining(ids));
      // (Pages after a snapshot's first may also carry tombstones; live records are what counts.)
      const live = (changes: Change[]) => changes.filter((c) => !c.deleted).map((c) => c.id);
      const paged = await pullAll(token('demo-tnv'), cid, null, 2);
      expect(paged.pages).toBeGreaterThan(2);
      expect(live(paged.changes)).toEqual(live(snapshot.changes));
      const reset = await pullAll(token('demo-tnv'), cid, 'not-a-cursor', 2);
      expect(live(reset.changes)).toEqual(live(snapshot.changes));
      // Once the snapshot is over, they stay out again.
      expect((await pullAll(token('demo-tnv'), cid, cursor, 2)).changes).toEqual([]);
      // A cursor made before snapshots were marked (no `k`) may be in the middle of one, so its
      // pulls carry everything; the cursor it gets back is a new one, and then they stay out.
      const legacy = Buffer.from(
        JSON.stringify({ v: decodeCursor(cursor)!.v, s: decodeCursor(cursor)!.s }),
      ).toString('base64url');
      const fromLegacy = await pullAll(token('demo-tnv'), cid, legacy, 2);
      expect(live(fromLegacy.changes)).toEqual(expect.arrayContaining(ids));
      expect((await pullAll(token('demo-tnv'), cid, fromLegacy.cursor, 2)).changes).toEqual([]);
    });

    it('come back to that client once another user changed them, or when its own edit was merged', async () => {
      const cid = clientId();
      const { cursor } = await pullAll(token('demo-tnv'), cid, null, 1000);
      const [led, merged, untouched] = [fakeRecord(), fakeRecord(), fakeRecord()];
      const created = await push('demo-tnv', cid, [led, merged, untouched].map(createOf_));
      const [vLed, vMerged] = created.map((r) => r.version!);

      // The lead edits one record, and the note of another that the phone then edits (another
      // field) on the version it holds: the server merges, and the phone lacks the lead's note.
      const leadCid = clientId();
      await push('demo-lead', leadCid, [
        updateOf(led.id, 1, vLed!, { note: 'Tổ trưởng sửa' }),
        updateOf(merged.id, 2, vMerged!, { note: 'Tổ trưởng ghi chú' }),
      ]);
      const edit = await push('demo-tnv', cid, [
        updateOf(merged.id, 4, vMerged!, { ageBand: AGE_BAND_CODES[0] }),
      ]);
      expect(edit.map((r) => r.status)).toEqual(['merged']);

      const later = await pullAll(token('demo-tnv'), cid, cursor, 1000);
      expect(later.changes.map((c) => c.id)).toEqual([led.id, merged.id]);
      expect(later.changes[0]!.data).toMatchObject({ note: 'Tổ trưởng sửa' });
      expect(later.changes[1]!.data).toMatchObject({
        note: 'Tổ trưởng ghi chú',
        ageBand: AGE_BAND_CODES[0],
      });
    });
  });
});
