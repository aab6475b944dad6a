// Review over real HTTP on both stores: GET /api/v1/conflicts lists every value that lost, with its
// winner, inside the caller's scope; GET /api/v1/records/:id/history lists every write of a record.
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConflictsResponse,
  ErrorResponse,
  RecordHistoryResponse,
  newId,
  type ConflictEntry,
} from '../../src/shared/index.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  deleteOf,
  fakeRecord,
  startServer,
  testDatabase,
  updateOf,
  type TestDatabase,
  type TestServer,
  setupAll,
} from './harness.ts';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  const token: Record<string, string> = {};
  const userId: Record<string, string> = {};
  /** The record of team 1 where the lead's value beat the volunteer's, and of team 2 likewise. */
  let team1Record = '';
  let team2Record = '';
  let overwritten = '';

  async function as(username: string): Promise<void> {
    const login = await server.login(username);
    token[username] = login.token;
    userId[username] = login.user.id;
  }

  /** A volunteer's record, then the lead's edit of `field`, then the volunteer's stale edit of it. */
  async function leadBeatsVolunteer(volunteer: string, lead: string, field: 'note'): Promise<string> {
    const r = fakeRecord({ note: 'ban đầu' });
    const created = await server.push(token[volunteer] ?? '', clientId(), [createOf(r, 1)]);
    const v = created.body.results[0]?.version ?? 0;
    await server.push(token[lead] ?? '', clientId(), [updateOf(r.id, 1, v, { [field]: 'tổ trưởng sửa' })]);
    const stale = await server.push(token[volunteer] ?? '', clientId(), [
      updateOf(r.id, 1, v, { [field]: 'tình nguyện viên sửa' }),
    ]);
    expect(stale.body.results[0]?.status).toBe('conflict');
    return r.id;
  }

  async function conflicts(username: string, query = ''): Promise<ConflictEntry[]> {
    const res = await server.request(`/api/v1/conflicts${query}`, { token: token[username] });
    expect(res.status).toBe(200);
    return ConflictsResponse.parse(res.body).conflicts;
  }

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    // A second team with its own lead, so team scope can be seen.
    const hash = await hashPassword('demo');
    await server.store.transaction((tx) =>
      tx.insertUser({
        id: newId(),
        username: 'lead-2',
        displayName: 'Tổ trưởng tổ 2 (thử)',
        passwordHash: hash,
        role: 'lead',
        communeCode: '99001',
        teamId: 'team-2',
        active: true,
      }),
    );
    for (const u of ['demo-tnv', 'demo-tnv2', 'demo-lead', 'lead-2', 'demo-gs', 'demo-admin']) await as(u);
    team1Record = await leadBeatsVolunteer('demo-tnv', 'demo-lead', 'note');
    team2Record = await leadBeatsVolunteer('demo-tnv2', 'lead-2', 'note');

    // The other way round: the volunteer's edit first, then the lead's edit that had not seen it.
    const r = fakeRecord({ note: 'ban đầu' });
    const created = await server.push(token['demo-tnv'] ?? '', clientId(), [createOf(r, 1)]);
    const v = created.body.results[0]?.version ?? 0;
    await server.push(token['demo-tnv'] ?? '', clientId(), [updateOf(r.id, 1, v, { note: 'tnv sửa trước' })]);
    await server.push(token['demo-lead'] ?? '', clientId(), [updateOf(r.id, 1, v, { note: 'lead sửa sau' })]);
    overwritten = r.id;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  describe('GET /api/v1/conflicts', () => {
    it("names the winner and the loser of a lead's edit against a volunteer's stale one", async () => {
      const entry = (await conflicts('demo-lead')).find((c) => c.recordId === team1Record);
      expect(entry).toMatchObject({
        field: 'note',
        winner: { value: 'tổ trưởng sửa', by: userId['demo-lead'], role: 'lead' },
        loser: { value: 'tình nguyện viên sửa', by: userId['demo-tnv'], role: 'volunteer' },
      });
      expect(Date.parse(entry?.at ?? '')).not.toBeNaN();
    });

    it('lists a replaced volunteer value with the arriving lead value as winner', async () => {
      const entry = (await conflicts('demo-lead')).find((c) => c.recordId === overwritten);
      expect(entry).toMatchObject({
        field: 'note',
        winner: { value: 'lead sửa sau', role: 'lead' },
        loser: { value: 'tnv sửa trước', role: 'volunteer' },
      });
    });

    it("gives a lead only the team's conflicts and a supervisor or admin the commune's", async () => {
      const lead1 = (await conflicts('demo-lead')).map((c) => c.recordId);
      expect(lead1).toContain(team1Record);
      expect(lead1).not.toContain(team2Record);
      expect((await conflicts('lead-2')).map((c) => c.recordId)).toEqual([team2Record]);
      for (const u of ['demo-gs', 'demo-admin']) {
        const all = (await conflicts(u)).map((c) => c.recordId);
        expect(all).toEqual(expect.arrayContaining([team1Record, team2Record, overwritten]));
      }
    });

    it('answers 403 to a volunteer', async () => {
      const res = await server.request('/api/v1/conflicts', { token: token['demo-tnv'] });
      expect(res.status).toBe(403);
      expect(ErrorResponse.parse(res.body).error.code).toBe('forbidden');
    });

    it('lists in version order and leaves out what is not after since (a version or a date)', async () => {
      const all = await conflicts('demo-gs');
      const versions = all.map((c) => c.version);
      expect([...versions].sort((a, b) => a - b)).toEqual(versions);
      const first = all[0]?.version ?? 0;
      const after = await conflicts('demo-gs', `?since=${first}`);
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((c) => c.version > first)).toBe(true);
      expect(await conflicts('demo-gs', '?since=2000-01-01')).toEqual(all);
      expect(await conflicts('demo-gs', '?since=2999-01-01T00:00:00Z')).toEqual([]);
    });

    it('pages with limit and hasMore, and the pages together give the whole list', async () => {
      const all = await conflicts('demo-gs');
      const seen: ConflictEntry[] = [];
      let since = '';
      for (let i = 0; i < 10; i += 1) {
        const res = await server.request(`/api/v1/conflicts?limit=1${since}`, { token: token['demo-gs'] });
        const body = ConflictsResponse.parse(res.body);
        seen.push(...body.conflicts);
        if (!body.hasMore) break;
        since = `&since=${body.conflicts.at(-1)?.version ?? 0}`;
      }
      expect(seen).toEqual(all);
    });

    it('answers 400 for a since that is neither a version nor a date, or a limit over 1000', async () => {
      for (const q of ['?since=yesterday', '?limit=5000', '?limit=0']) {
        const res = await server.request(`/api/v1/conflicts${q}`, { token: token['demo-gs'] });
        expect(res.status).toBe(400);
        expect(ErrorResponse.parse(res.body).error.code).toBe('invalid_request');
      }
    });
  });

  describe('GET /api/v1/records/:id/history', () => {
    it('lists the create, the edits and the losing edit with its lost and won values', async () => {
      const res = await server.request(`/api/v1/records/${team1Record}/history`, {
        token: token['demo-tnv'],
      });
      expect(res.status).toBe(200);
      const body = RecordHistoryResponse.parse(res.body);
      expect(body.recordId).toBe(team1Record);
      expect(body.history.map((h) => [h.op, h.by])).toEqual([
        ['create', userId['demo-tnv']],
        ['update', userId['demo-lead']],
        ['update', userId['demo-tnv']],
      ]);
      const [create, byLead, stale] = body.history;
      expect(create?.patch).toMatchObject({ id: team1Record, note: 'ban đầu' });
      expect(byLead).toMatchObject({
        patch: { note: 'tổ trưởng sửa' },
        replaced: { note: 'ban đầu' },
        lost: null,
      });
      expect(stale).toMatchObject({
        patch: {},
        lost: { note: { value: 'tình nguyện viên sửa', role: 'volunteer' } },
        won: { note: { value: 'tổ trưởng sửa', role: 'lead' } },
      });
    });

    it('keeps the history of a deleted record, ending with the delete and the content it removed', async () => {
      const r = fakeRecord();
      const cid = clientId();
      const created = await server.push(token['demo-tnv'] ?? '', cid, [createOf(r, 1)]);
      await server.push(token['demo-tnv'] ?? '', cid, [
        deleteOf(r.id, 2, created.body.results[0]?.version ?? 0),
      ]);
      const res = await server.request(`/api/v1/records/${r.id}/history`, { token: token['demo-lead'] });
      const last = RecordHistoryResponse.parse(res.body).history.at(-1);
      expect(last).toMatchObject({ op: 'delete', patch: {}, replaced: { note: r.note } });
    });

    it('answers 403 outside the read scope and 404 for a record never seen', async () => {
      const other = await server.request(`/api/v1/records/${team1Record}/history`, {
        token: token['demo-tnv2'],
      });
      expect(other.status).toBe(403);
      const none = await server.request(`/api/v1/records/${newId()}/history`, { token: token['demo-tnv'] });
      expect(none.status).toBe(404);
      const unauthenticated = await server.request(`/api/v1/records/${team1Record}/history`);
      expect(unauthenticated.status).toBe(401);
    });
  });
});
