// Concurrent edits over real HTTP on both stores: a lead's edit beats a volunteer's stale one,
// different fields merge, the last arrival wins between equals, and every lost value is kept in the
// record's history.
import { afterAll, describe, expect, it } from 'vitest';
import {
  STORE_KINDS,
  clientId,
  createOf,
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
  let tnv: string;
  let lead: string;

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    tnv = (await server.login('demo-tnv')).token;
    lead = (await server.login('demo-lead')).token;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  async function created(): Promise<{ id: string; version: number }> {
    const r = fakeRecord({ note: 'ban đầu', place: 'home' });
    const res = await server.push(tnv, clientId(), [createOf(r, 1)]);
    return { id: r.id, version: res.body.results[0]?.version ?? 0 };
  }

  async function stored(id: string): Promise<{ version: number; record: Record<string, unknown> }> {
    const res = await server.request<{ version: number; record: Record<string, unknown> }>(
      `/api/v1/records/${id}`,
      {
        token: lead,
      },
    );
    return res.body;
  }

  describe('conflicts', () => {
    it("keeps the lead's value against a volunteer's stale edit of the same field, answering conflict", async () => {
      const { id, version } = await created();
      const byLead = await server.push(lead, clientId(), [
        updateOf(id, 1, version, { note: 'tổ trưởng sửa' }),
      ]);
      expect(byLead.body.results[0]?.status).toBe('applied');

      const stale = await server.push(tnv, clientId(), [
        updateOf(id, 1, version, { note: 'tình nguyện viên sửa' }),
      ]);
      const result = stale.body.results[0];
      expect(result?.status).toBe('conflict');
      expect(result?.record).toMatchObject({ id, note: 'tổ trưởng sửa' });
      expect(result?.version).toBe(byLead.body.results[0]?.version);
      expect((await stored(id)).record.note).toBe('tổ trưởng sửa');

      const history = await server.store.recordHistory(id);
      const losing = history.at(-1);
      expect(losing?.lost).toMatchObject({ note: { value: 'tình nguyện viên sửa', role: 'volunteer' } });
    });

    it('lets a lead overwrite a volunteer edit it had not seen, keeping the replaced value in history', async () => {
      const { id, version } = await created();
      await server.push(tnv, clientId(), [updateOf(id, 1, version, { note: 'tình nguyện viên sửa trước' })]);
      const res = await server.push(lead, clientId(), [
        updateOf(id, 1, version, { note: 'tổ trưởng sửa sau' }),
      ]);
      expect(res.body.results[0]?.status).toBe('merged');
      expect((await stored(id)).record.note).toBe('tổ trưởng sửa sau');
      const last = (await server.store.recordHistory(id)).at(-1);
      expect(last?.replaced).toEqual({ note: 'tình nguyện viên sửa trước' });
      expect(last?.lost).toMatchObject({ note: { value: 'tình nguyện viên sửa trước', role: 'volunteer' } });
    });

    it('merges concurrent edits of different fields and answers merged', async () => {
      const { id, version } = await created();
      await server.push(lead, clientId(), [updateOf(id, 1, version, { place: 'commune_office' })]);
      const res = await server.push(tnv, clientId(), [updateOf(id, 1, version, { note: 'ghi chú mới' })]);
      expect(res.body.results[0]?.status).toBe('merged');
      const now = await stored(id);
      expect(now.record).toMatchObject({ place: 'commune_office', note: 'ghi chú mới' });
      expect(now.version).toBe(res.body.results[0]?.version);
    });

    it('answers applied when nobody else changed the record since the base version', async () => {
      const { id, version } = await created();
      const res = await server.push(tnv, clientId(), [
        updateOf(id, 1, version, { sex: 'female', note: null }),
      ]);
      expect(res.body.results[0]?.status).toBe('applied');
      const now = await stored(id);
      expect(now.record.sex).toBe('female');
      expect(now.record).not.toHaveProperty('note');
    });

    it('lets the last arrival win between two leads, without a conflict for the later one', async () => {
      const { id, version } = await created();
      await server.push(lead, clientId(), [updateOf(id, 1, version, { note: 'lần một' })]);
      const second = await server.push(lead, clientId(), [updateOf(id, 1, version, { note: 'lần hai' })]);
      // The same lead from another device: not "someone else", so a plain apply.
      expect(second.body.results[0]?.status).toBe('applied');
      expect((await stored(id)).record.note).toBe('lần hai');
    });
  });
});
