// No silent loss on reused ids, over real HTTP on both stores: a mutationId used again for another
// record or another payload is rejected with its own code (never `applied`), a baseVersion the server
// never issued is rejected, and a delete of an id the server never saw leaves a tombstone that refuses
// only its own owner's create of that id (sync-protocol.md, "Push semantics").
import { afterAll, describe, expect, it } from 'vitest';
import { PushResponse, type Mutation } from '../../src/shared/index.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  deleteOf,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  updateOf,
  type TestDatabase,
  type TestServer,
} from './harness.ts';

describe.each(STORE_KINDS)('reused ids on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  let tnv = '';
  let tnvId = '';
  let tnv2 = '';
  let lead = '';

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    const a = await server.login('demo-tnv');
    tnv = a.token;
    tnvId = a.user.id;
    tnv2 = (await server.login('demo-tnv2')).token;
    lead = (await server.login('demo-lead')).token;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  async function push(token: string, cid: string, mutations: Mutation[]): Promise<PushResponse> {
    const res = await server.push(token, cid, mutations);
    expect(res.status).toBe(200);
    return PushResponse.parse(res.body);
  }

  it('rejects a create that reuses the mutationId of another record, keeping the first and storing nothing of the second', async () => {
    const first = fakeRecord({ note: 'bản ghi thứ nhất' });
    const m1 = createOf(first, 1);
    const cid = clientId();
    const v1 = (await push(tnv, cid, [m1])).results[0]?.version;
    const second = fakeRecord({ note: 'bản ghi thứ hai' });
    const before = await db.version();
    const res = await push(tnv, cid, [{ ...createOf(second, 2), mutationId: m1.mutationId }]);
    expect(res.ackedSeq).toBe(2);
    expect(res.results[0]).toMatchObject({
      seq: 2,
      status: 'rejected',
      error: { code: 'mutation_id_reused' },
    });
    expect(res.results[0]?.error?.message).toMatch(/đã được dùng/);
    // Another user, another phone: the same answer.
    const other = await push(tnv2, clientId(), [{ ...createOf(fakeRecord(), 1), mutationId: m1.mutationId }]);
    expect(other.results[0]).toMatchObject({ status: 'rejected', error: { code: 'mutation_id_reused' } });
    expect(await db.version()).toBe(before);
    expect(await server.store.getRecord(second.id)).toBeNull();
    expect(await server.store.getRecord(first.id)).toMatchObject({
      version: v1,
      data: { note: 'bản ghi thứ nhất' },
    });
  });

  it('rejects an edit that reuses a mutationId with another patch or base version, keeping the first edit', async () => {
    const r = fakeRecord({ note: 'gốc' });
    const cid = clientId();
    const created = await push(tnv, cid, [createOf(r, 1)]);
    const base = created.results[0]!.version!;
    const edit = updateOf(r.id, 2, base, { note: 'sửa lần một' });
    const edited = await push(tnv, cid, [edit]);
    expect(edited.results[0]).toMatchObject({ status: 'applied' });
    const before = await db.version();
    const res = await push(tnv, cid, [
      { ...edit, seq: 3, patch: { note: 'sửa khác' } },
      { ...edit, seq: 4, baseVersion: base + 1 },
      { ...edit, seq: 5, op: 'delete', patch: undefined },
    ]);
    expect(res.results.map((x) => [x.status, x.error?.code])).toEqual([
      ['rejected', 'mutation_id_reused'],
      ['rejected', 'mutation_id_reused'],
      ['rejected', 'mutation_id_reused'],
    ]);
    expect(await db.version()).toBe(before);
    expect(await server.store.getRecord(r.id)).toMatchObject({
      deleted: false,
      data: { note: 'sửa lần một' },
    });
  });

  it('rejects the same seq and mutationId sent again with another payload, instead of answering the stored result', async () => {
    const r = fakeRecord();
    const cid = clientId();
    const m = createOf(r, 1);
    await push(tnv, cid, [m]);
    const res = await push(tnv, cid, [{ ...m, patch: { ...r, note: 'nội dung khác' } }]);
    expect(res.results[0]).toMatchObject({
      seq: 1,
      status: 'rejected',
      error: { code: 'mutation_id_reused' },
    });
    expect(await server.store.getRecord(r.id)).toMatchObject({ data: { note: r.note } });
  });

  it('still answers the identical mutation replayed, by the same phone, a new phone or a lead, as applied with no new version', async () => {
    const r = fakeRecord();
    const m = createOf(r, 1);
    const cid = clientId();
    const v = (await push(tnv, cid, [m])).results[0]?.version;
    const before = await db.version();
    // Keys in another order: the same content.
    const reordered = { ...m, patch: Object.fromEntries(Object.entries(r).reverse()) };
    expect((await push(tnv, cid, [reordered])).results[0]).toEqual({ seq: 1, status: 'applied', version: v });
    expect((await push(tnv, clientId(), [reordered])).results[0]).toEqual({
      seq: 1,
      status: 'applied',
      version: v,
    });
    expect((await push(lead, clientId(), [m])).results[0]).toEqual({ seq: 1, status: 'applied', version: v });
    expect(await db.version()).toBe(before);
  });

  it('rejects a baseVersion above any version the server issued, for an edit and a delete, changing nothing', async () => {
    const r = fakeRecord({ note: 'giữ nguyên' });
    const cid = clientId();
    await push(tnv, cid, [createOf(r, 1)]);
    const top = await db.version();
    const res = await push(tnv, cid, [
      updateOf(r.id, 2, top + 1, { note: 'từ tương lai' }),
      deleteOf(r.id, 3, top + 1000),
      // A create of a new id with a made-up base version as well.
      { ...createOf(fakeRecord(), 4), baseVersion: top + 5 },
    ]);
    expect(res.ackedSeq).toBe(4);
    expect(res.results.map((x) => [x.status, x.error?.code])).toEqual([
      ['rejected', 'base_version_ahead'],
      ['rejected', 'base_version_ahead'],
      ['rejected', 'base_version_ahead'],
    ]);
    expect(await db.version()).toBe(top);
    expect(await server.store.getRecord(r.id)).toMatchObject({
      deleted: false,
      data: { note: 'giữ nguyên' },
    });
    // The current version itself was issued: an edit made on it applies.
    const ok = await push(tnv, cid, [updateOf(r.id, 5, top, { note: 'đúng phiên bản' })]);
    expect(ok.results[0]).toMatchObject({ status: 'applied', version: top + 1 });
  });

  it("lets another user's create replace a tombstone left by a delete of an id the server never saw, and pulls it in their scope", async () => {
    const r = fakeRecord({ note: 'của tình nguyện viên tổ 1' });
    const deleted = await push(tnv2, clientId(), [deleteOf(r.id, 1)]);
    expect(deleted.results[0]).toMatchObject({ status: 'applied' });
    const tombstone = deleted.results[0]!.version!;
    const created = await push(tnv, clientId(), [createOf(r, 1)]);
    expect(created.results[0]).toMatchObject({ status: 'applied' });
    expect(created.results[0]!.version!).toBeGreaterThan(tombstone);
    expect(await server.store.getRecord(r.id)).toMatchObject({
      deleted: false,
      volunteerId: tnvId,
      teamId: 'team-1',
      data: { note: 'của tình nguyện viên tổ 1' },
    });
    // The author's other phone and the author's lead pull it; a retry of the create stays applied.
    for (const token of [tnv, lead]) {
      const pulled = await server.pull(token, clientId(), null, 1000);
      expect(pulled.body.changes.find((c) => c.id === r.id)).toMatchObject({
        deleted: false,
        data: { note: 'của tình nguyện viên tổ 1', volunteerId: tnvId },
      });
    }
    // The deleter's next pull hears of nothing of it: the record is out of their scope now.
    const theirs = await server.pull(tnv2, clientId(), null, 1000);
    expect(theirs.body.changes.some((c) => c.id === r.id)).toBe(false);
  });

  it('keeps answering gone to the deleter, and to a lead creating for the deleter, after a delete of an id never seen', async () => {
    const r = fakeRecord();
    await push(tnv, clientId(), [deleteOf(r.id, 1)]);
    const own = await push(tnv, clientId(), [createOf(r, 1)]);
    expect(own.results[0]).toMatchObject({ status: 'gone' });
    const forThem = await push(lead, clientId(), [createOf({ ...r, volunteerId: tnvId }, 1)]);
    expect(forThem.results[0]).toMatchObject({ status: 'gone' });
    expect(await server.store.getRecord(r.id)).toMatchObject({ deleted: true, volunteerId: tnvId });
  });

  it("answers gone to another user's create of a record that existed and was deleted", async () => {
    const r = fakeRecord();
    const cid = clientId();
    await push(tnv, cid, [createOf(r, 1), deleteOf(r.id, 2)]);
    const res = await push(tnv2, clientId(), [createOf(r, 1)]);
    expect(res.results[0]).toMatchObject({ status: 'gone' });
    expect(await server.store.getRecord(r.id)).toMatchObject({ deleted: true, volunteerId: tnvId });
  });
});
