// Push over real HTTP on both stores: creates, retries, seq gaps, rejected records, envelopes,
// ownership, deletes.
import { afterAll, describe, expect, it } from 'vitest';
import {
  ErrorResponse,
  DEFAULT_MAX_MUTATIONS,
  MAX_PUSH_MUTATIONS,
  PushResponse,
  type HealthResponse,
  newId,
  type Mutation,
} from '../../src/shared/index.ts';
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
import { pushBodyLimit } from '../../src/server/http/sync.ts';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  let tnv = '';
  let tnv2 = '';
  let lead = '';
  let gs = '';

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    tnv = (await server.login('demo-tnv')).token;
    tnv2 = (await server.login('demo-tnv2')).token;
    lead = (await server.login('demo-lead')).token;
    gs = (await server.login('demo-gs')).token;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  describe('push', () => {
    it('creates records and answers applied with increasing versions', async () => {
      const cid = clientId();
      const records = [fakeRecord(), fakeRecord(), fakeRecord()];
      const res = await server.push(
        tnv,
        cid,
        records.map((r, i) => createOf(r, i + 1)),
      );
      expect(res.status).toBe(200);
      const body = PushResponse.parse(res.body);
      expect(body.ackedSeq).toBe(3);
      expect(body.results.map((r) => [r.seq, r.status])).toEqual([
        [1, 'applied'],
        [2, 'applied'],
        [3, 'applied'],
      ]);
      const versions = body.results.map((r) => r.version ?? 0);
      expect(versions[0]).toBeGreaterThan(0);
      expect([...versions].sort((a, b) => a - b)).toEqual(versions);
      expect(new Set(versions).size).toBe(3);
    });

    it('answers a retried push with the same results and creates no duplicate nor a new version', async () => {
      const cid = clientId();
      const mutations = [createOf(fakeRecord(), 1), createOf(fakeRecord(), 2)];
      const first = await server.push(tnv, cid, mutations);
      const versionAfterFirst = await db.version();
      const rowsAfterFirst = await db.count('records');

      const again = await server.push(tnv, cid, mutations);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(await db.version()).toBe(versionAfterFirst);
      expect(await db.count('records')).toBe(rowsAfterFirst);

      const pulled = await server.pull(tnv, cid, null, 1000);
      const ids = pulled.body.changes.map((c) => c.id);
      expect(ids.filter((id) => id === mutations[0]?.recordId)).toHaveLength(1);
    });

    it('answers an already-applied mutationId sent again under a new seq as applied, changing nothing', async () => {
      const cid = clientId();
      const m = createOf(fakeRecord(), 1);
      const first = await server.push(tnv, cid, [m]);
      const v = await db.version();
      const again = await server.push(tnv, cid, [{ ...m, seq: 2 }]);
      expect(again.body.results).toEqual([
        { seq: 2, status: 'applied', version: first.body.results[0]?.version },
      ]);
      expect(again.body.ackedSeq).toBe(2);
      expect(await db.version()).toBe(v);
    });

    it('stops at a seq gap and acknowledges only what came before it', async () => {
      const cid = clientId();
      const res = await server.push(tnv, cid, [createOf(fakeRecord(), 1), createOf(fakeRecord(), 3)]);
      expect(res.status).toBe(200);
      expect(res.body.ackedSeq).toBe(1);
      expect(res.body.results.map((r) => r.seq)).toEqual([1]);
    });

    it('rejects an invalid record in the middle with field details and still applies the ones after it', async () => {
      const cid = clientId();
      const bad = { ...fakeRecord(), category: 'flying', hamletId: 'thon-khong-co' };
      const res = await server.push(tnv, cid, [
        createOf(fakeRecord(), 1),
        { seq: 2, mutationId: newId(), recordId: bad.id, op: 'upsert', baseVersion: null, patch: bad },
        createOf(fakeRecord(), 3),
      ]);
      expect(res.status).toBe(200);
      expect(res.body.ackedSeq).toBe(3);
      const [a, b, c] = res.body.results;
      expect(a?.status).toBe('applied');
      expect(c?.status).toBe('applied');
      expect(b).toMatchObject({ seq: 2, status: 'rejected', error: { code: 'invalid_record' } });
      expect(b?.version).toBeUndefined();
      const fields = (b?.error?.details as { fields: { field: string }[] }).fields.map((f) => f.field);
      expect(fields).toContain('category');
      const get = await server.request(`/api/v1/records/${bad.id}`, { token: tnv });
      expect(get.status).toBe(404);
    });

    it('rejects a record holding U+0000 or a lone surrogate, naming the field, and applies the rest', async () => {
      const cid = clientId();
      const res = await server.push(tnv, cid, [
        createOf(fakeRecord({ note: 'nul \u0000 here' }), 1),
        createOf(fakeRecord({ note: 'half \ud83d emoji' }), 2),
        createOf(fakeRecord({ note: 'cả emoji 👍 vẫn được' }), 3),
      ]);
      expect(res.status).toBe(200);
      expect(res.body.ackedSeq).toBe(3);
      expect(res.body.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'applied']);
      expect(res.body.results[0]?.error).toMatchObject({
        code: 'invalid_record',
        details: { fields: [{ field: 'note', code: 'invalid' }] },
      });
    });

    it('answers 400 for a clientId or username holding U+0000, never 500', async () => {
      const push = await server.push(tnv, 'client-\u0000-abcdef', []);
      expect(push.status).toBe(400);
      expect(ErrorResponse.parse(push.body).error).toMatchObject({
        code: 'invalid_request',
        details: { fields: [{ field: 'clientId' }] },
      });
      const login = await server.request('/api/v1/auth/login', {
        body: { username: 'demo-tnv\u0000', password: 'demo' },
      });
      expect(login.status).toBe(400);
    });

    it('rejects a hamlet that is not in the commune, naming the field', async () => {
      const r = fakeRecord({ hamletId: 'thon-khong-co' });
      const res = await server.push(tnv, clientId(), [createOf(r, 1)]);
      expect(res.body.results[0]?.status).toBe('rejected');
      expect(res.body.results[0]?.error?.details).toMatchObject({
        fields: [{ field: 'hamletId', code: 'unknown_hamlet' }],
      });
    });

    it('answers 400 for a malformed envelope and stores nothing', async () => {
      const before = await db.count('records');
      const cases: unknown[] = [
        { schemaVersion: 1, mutations: [] },
        { clientId: clientId(), schemaVersion: 1, mutations: 'none' },
        { clientId: clientId(), schemaVersion: 1, mutations: [{ seq: 'one' }] },
        [],
      ];
      for (const body of cases) {
        const res = await server.request('/api/v1/sync/push', { token: tnv, body });
        expect(res.status).toBe(400);
        expect(ErrorResponse.parse(res.body).error.code).toBe('invalid_request');
      }
      const notJson = await server.request('/api/v1/sync/push', { token: tnv, body: '{"clientId":' });
      expect(notJson.status).toBe(400);
      expect(await db.count('records')).toBe(before);
    });

    it('tells its maxMutations at login and health, and applies a push of that many at once', async () => {
      const login = await server.login('demo-tnv');
      expect(login.maxMutations).toBe(DEFAULT_MAX_MUTATIONS);
      expect(login.maxMutations).toBeGreaterThan(MAX_PUSH_MUTATIONS);
      const health = await server.request<HealthResponse>('/api/health');
      expect(health.body.maxMutations).toBe(DEFAULT_MAX_MUTATIONS);
      const mutations = Array.from({ length: DEFAULT_MAX_MUTATIONS }, (_, i) =>
        createOf(fakeRecord(), i + 1),
      );
      const before = await db.count('records');
      const res = await server.push(tnv, clientId(), mutations);
      expect(res.status).toBe(200);
      expect(PushResponse.parse(res.body).ackedSeq).toBe(DEFAULT_MAX_MUTATIONS);
      expect(await db.count('records')).toBe(before + DEFAULT_MAX_MUTATIONS);
    });

    it('answers 400 too_many for one mutation more than its maxMutations, storing none', async () => {
      const mutations = Array.from({ length: DEFAULT_MAX_MUTATIONS + 1 }, (_, i) =>
        createOf(fakeRecord(), i + 1),
      );
      const before = await db.count('records');
      const res = await server.push(tnv, clientId(), mutations);
      expect(res.status).toBe(400);
      const error = ErrorResponse.parse(res.body).error;
      expect(error.details).toMatchObject({ fields: [{ field: 'mutations', code: 'too_many' }] });
      expect(await db.count('records')).toBe(before);
    });

    it('answers 413 payload_too_large for a push body over its limit', async () => {
      const huge = {
        clientId: clientId(),
        schemaVersion: 1,
        mutations: [],
        pad: 'x'.repeat(pushBodyLimit(DEFAULT_MAX_MUTATIONS) + 10),
      };
      const res = await server.request('/api/v1/sync/push', { token: tnv, body: huge });
      expect(res.status).toBe(413);
      expect(ErrorResponse.parse(res.body).error.code).toBe('payload_too_large');
    });

    it('answers 426 schema_too_old for schemaVersion 0 and 400 schema_too_new for a future one', async () => {
      const old = await server.push(tnv, clientId(), [createOf(fakeRecord(), 1)], 0);
      expect(old.status).toBe(426);
      expect(ErrorResponse.parse(old.body).error.code).toBe('schema_too_old');
      const future = await server.push(tnv, clientId(), [createOf(fakeRecord(), 1)], 99);
      expect(future.status).toBe(400);
      expect(ErrorResponse.parse(future.body).error.code).toBe('schema_too_new');
    });

    it('answers 403 forbidden for a clientId that belongs to another user', async () => {
      const cid = clientId();
      expect((await server.push(tnv, cid, [])).status).toBe(200);
      const res = await server.push(tnv2, cid, [createOf(fakeRecord(), 1)]);
      expect(res.status).toBe(403);
      expect(ErrorResponse.parse(res.body).error.code).toBe('forbidden');
      const pulled = await server.pull(tnv2, cid, null);
      expect(pulled.status).toBe(403);
    });

    it('answers 403 to a supervisor pushing through sync', async () => {
      const res = await server.push(gs, clientId(), [createOf(fakeRecord(), 1)]);
      expect(res.status).toBe(403);
    });

    it("rejects as forbidden a team-2 volunteer's update of a team-1 record, which GET also refuses", async () => {
      const r = fakeRecord();
      const created = await server.push(tnv, clientId(), [createOf(r, 1)]);
      const v = created.body.results[0]?.version ?? 0;
      const res = await server.push(tnv2, clientId(), [updateOf(r.id, 1, v, { note: 'sửa trộm' })]);
      expect(res.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
      expect(res.body.ackedSeq).toBe(1);
      const get = await server.request(`/api/v1/records/${r.id}`, { token: tnv2 });
      expect(get.status).toBe(403);
      const del = await server.push(tnv2, clientId(), [deleteOf(r.id, 1, v)]);
      expect(del.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
      const own = await server.request<{ record: { note: string }; deleted: boolean }>(
        `/api/v1/records/${r.id}`,
        {
          token: tnv,
        },
      );
      expect(own.status).toBe(200);
      expect(own.body.record.note).toBe(r.note);
    });

    it('answers 404 for a record id nobody ever pushed', async () => {
      const res = await server.request(`/api/v1/records/${newId()}`, { token: tnv });
      expect(res.status).toBe(404);
    });

    it('refuses a volunteer naming another volunteer as the author', async () => {
      const me = await server.login('demo-tnv2');
      const r = fakeRecord({ volunteerId: me.user.id });
      const res = await server.push(tnv, clientId(), [createOf(r, 1)]);
      expect(res.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
    });

    it('lets a lead record on behalf of a volunteer of the team, deriving team and commune', async () => {
      const volunteer = await server.login('demo-tnv');
      const r = fakeRecord({ volunteerId: volunteer.user.id });
      const res = await server.push(lead, clientId(), [createOf(r, 1)]);
      expect(res.body.results[0]?.status).toBe('applied');
      const get = await server.request<{ record: Record<string, unknown> }>(`/api/v1/records/${r.id}`, {
        token: tnv,
      });
      expect(get.body.record).toMatchObject({
        volunteerId: volunteer.user.id,
        teamId: 'team-1',
        communeCode: '99001',
      });
    });

    it('refuses a lead naming a volunteer of another team', async () => {
      const other = await server.login('demo-tnv2');
      const res = await server.push(lead, clientId(), [
        createOf(fakeRecord({ volunteerId: other.user.id }), 1),
      ]);
      expect(res.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
    });

    it('accepts the same create again with identical content, and refuses other content under that id', async () => {
      const r = fakeRecord();
      const first = await server.push(tnv, clientId(), [createOf(r, 1)]);
      const v = await db.version();
      const same = await server.push(tnv, clientId(), [createOf(r, 1)]);
      expect(same.body.results[0]).toEqual({
        seq: 1,
        status: 'applied',
        version: first.body.results[0]?.version,
      });
      expect(await db.version()).toBe(v);
      const other = await server.push(tnv, clientId(), [createOf({ ...r, note: 'nội dung khác' }, 1)]);
      expect(other.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'id_conflict' } });
      expect(await db.version()).toBe(v);
    });

    it('applies an offline edit made before the record was ever synced (no base version)', async () => {
      const r = fakeRecord();
      const cid = clientId();
      const res = await server.push(tnv, cid, [
        createOf(r, 1),
        updateOf(r.id, 2, 0, { note: 'sửa khi chưa gửi' }),
      ]);
      expect(res.body.results.map((x) => x.status)).toEqual(['applied', 'applied']);
      const get = await server.request<{ record: { note: string } }>(`/api/v1/records/${r.id}`, {
        token: tnv,
      });
      expect(get.body.record.note).toBe('sửa khi chưa gửi');
    });

    it('rejects an edit whose merged record breaks a cross-field rule, storing nothing', async () => {
      const r = fakeRecord();
      const created = await server.push(tnv, clientId(), [createOf(r, 1)]);
      const v = created.body.results[0]?.version ?? 0;
      const res = await server.push(tnv, clientId(), [updateOf(r.id, 1, v, { outcome: 'failed' })]);
      expect(res.body.results[0]).toMatchObject({
        status: 'rejected',
        error: { code: 'invalid_record', details: { fields: [{ field: 'failReason', code: 'required' }] } },
      });
      const get = await server.request<{ version: number; record: { outcome: string } }>(
        `/api/v1/records/${r.id}`,
        {
          token: tnv,
        },
      );
      expect(get.body).toMatchObject({ version: v, record: { outcome: 'done' } });
    });

    it('turns a delete into a tombstone, answers a second delete without a new version, and an update with gone', async () => {
      const r = fakeRecord();
      const cid = clientId();
      const created = await server.push(tnv, cid, [createOf(r, 1)]);
      const v = created.body.results[0]?.version ?? 0;
      const del = await server.push(tnv, cid, [deleteOf(r.id, 2, v)]);
      const dv = del.body.results[0]?.version ?? 0;
      expect(del.body.results[0]?.status).toBe('applied');
      expect(dv).toBeGreaterThan(v);
      const again = await server.push(tnv, cid, [deleteOf(r.id, 3, v)]);
      expect(again.body.results[0]).toEqual({ seq: 3, status: 'applied', version: dv });
      const upd = await server.push(tnv, cid, [updateOf(r.id, 4, v, { note: 'quá muộn' })]);
      expect(upd.body.results[0]).toEqual({ seq: 4, status: 'gone', version: dv });
      const get = await server.request(`/api/v1/records/${r.id}`, { token: tnv });
      expect(get.body).toEqual({ record: null, version: dv, deleted: true });
    });

    it('stores a tombstone for a delete of an id never seen, so a late create of it is gone', async () => {
      const r = fakeRecord();
      const cid = clientId();
      const res = await server.push(tnv, cid, [deleteOf(r.id, 1)]);
      expect(res.body.results[0]?.status).toBe('applied');
      const late = await server.push(tnv, cid, [createOf(r, 2)]);
      expect(late.body.results[0]?.status).toBe('gone');
    });

    it('keeps every acknowledged mutation when pushes of one client race', async () => {
      const cid = clientId();
      const mutations: Mutation[] = Array.from({ length: 10 }, (_, i) => createOf(fakeRecord(), i + 1));
      const answers = await Promise.all([server.push(tnv, cid, mutations), server.push(tnv, cid, mutations)]);
      for (const a of answers) expect(a.body.ackedSeq).toBe(10);
      for (const m of mutations) {
        const get = await server.request(`/api/v1/records/${m.recordId}`, { token: tnv });
        expect(get.status).toBe(200);
      }
    });
  });
});
