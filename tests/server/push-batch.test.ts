// A push is processed as a batch (src/server/sync/batch.ts): read up front, written at the end. These
// drive through real HTTP on both stores what batching could break: several mutations of one record
// in one push, a rejection in the middle, a mutation id or a seq repeated inside a push, a re-sent
// batch overlapping a new one, concurrent clients, and the tallies' counters after all of it.
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

describe.each(STORE_KINDS)('on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  let tnv = '';
  let tnv2 = '';
  let lead = '';

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    tnv = (await server.login('demo-tnv')).token;
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

  it('applies a create and two edits of one record in one push, each on the state the one before left', async () => {
    const r = fakeRecord({ note: 'gốc' });
    const before = await db.version();
    const body = await push(tnv, clientId(), [
      createOf(r, 1),
      updateOf(r.id, 2, 0, { note: 'sửa lần một' }),
      updateOf(r.id, 3, 0, { place: 'home', note: 'sửa lần hai' }),
    ]);
    expect(body.results.map((x) => [x.status, x.version])).toEqual([
      ['applied', before + 1],
      ['applied', before + 2],
      ['applied', before + 3],
    ]);
    expect(await db.version()).toBe(before + 3);
    const stored = await server.store.getRecord(r.id);
    expect(stored).toMatchObject({ version: before + 3, data: { note: 'sửa lần hai', place: 'home' } });
    // The field meta says which version wrote each field.
    expect(stored?.fieldMeta.note?.v).toBe(before + 3);
    expect(stored?.fieldMeta.category?.v).toBe(before + 1);
    const history = await server.store.recordHistory(r.id);
    expect(history.map((h) => [h.op, h.version, h.patch.note])).toEqual([
      ['create', before + 1, 'gốc'],
      ['update', before + 2, 'sửa lần một'],
      ['update', before + 3, 'sửa lần hai'],
    ]);
    expect(history[2]?.replaced).toMatchObject({ note: 'sửa lần một', place: 'hamlet_hall' });
  });

  it('uses no version for a rejection in the middle: the versions stay contiguous and the others apply', async () => {
    const a = fakeRecord();
    const b = fakeRecord();
    const before = await db.version();
    const body = await push(tnv, clientId(), [
      createOf(a, 1),
      updateOf(a.id, 2, 0, { outcome: 'failed' }), // needs a failReason: rejected
      updateOf(a.id, 3, 0, { note: 'vẫn được ghi' }),
      createOf({ ...b, hamletId: 'khong-co-thon-nay' }, 4), // unknown hamlet: rejected
      createOf(b, 5),
    ]);
    expect(body.ackedSeq).toBe(5);
    expect(body.results.map((x) => [x.status, x.version ?? null])).toEqual([
      ['applied', before + 1],
      ['rejected', null],
      ['applied', before + 2],
      ['rejected', null],
      ['applied', before + 3],
    ]);
    expect(body.results[1]?.error?.code).toBe('invalid_record');
    expect(body.results[3]?.error?.details).toMatchObject({ fields: [{ field: 'hamletId' }] });
    expect(await db.version()).toBe(before + 3);
    expect(await server.store.getRecord(a.id)).toMatchObject({
      data: { outcome: 'done', note: 'vẫn được ghi' },
    });
    expect(await server.store.getRecord(b.id)).toMatchObject({ version: before + 3 });
  });

  it('answers a mutation id repeated inside one push as applied, writing it once', async () => {
    const r = fakeRecord();
    const first = createOf(r, 1);
    const edit = updateOf(r.id, 2, 0, { note: 'một lần thôi' });
    const before = await db.version();
    const body = await push(tnv, clientId(), [first, edit, { ...edit, seq: 3 }]);
    expect(body.results).toEqual([
      { seq: 1, status: 'applied', version: before + 1 },
      { seq: 2, status: 'applied', version: before + 2 },
      { seq: 3, status: 'applied', version: before + 2 },
    ]);
    expect(await db.version()).toBe(before + 2);
    expect(await server.store.recordHistory(r.id)).toHaveLength(2);
  });

  it('answers a seq repeated inside one push with the answer the push gave it', async () => {
    const r = fakeRecord();
    const m = createOf(r, 1);
    const body = await push(tnv, clientId(), [m, { ...m }, createOf(fakeRecord(), 2)]);
    expect(body.ackedSeq).toBe(2);
    expect(body.results[1]).toEqual(body.results[0]);
    expect(body.results.map((x) => x.seq)).toEqual([1, 1, 2]);
  });

  it('answers the re-sent part of an overlapping batch as stored and applies only the new part', async () => {
    const cid = clientId();
    const records = Array.from({ length: 6 }, () => fakeRecord());
    const all = records.map((r, i) => createOf(r, i + 1));
    const first = await push(tnv, cid, all.slice(0, 4));
    const before = await db.version();
    // Seqs 2–4 again (the answer was lost), then 5–6 new, one of them an edit of seq 3's record.
    const again = await push(tnv, cid, [
      ...all.slice(1, 4),
      all[4] as Mutation,
      updateOf(records[2]?.id ?? '', 6, 0, { note: 'sau khi gửi lại' }),
    ]);
    expect(again.ackedSeq).toBe(6);
    expect(again.results.slice(0, 3)).toEqual(first.results.slice(1, 4));
    expect(again.results.slice(3).map((x) => [x.seq, x.status, x.version])).toEqual([
      [5, 'applied', before + 1],
      [6, 'applied', before + 2],
    ]);
    expect(await db.version()).toBe(before + 2);
    // A seq reused for another mutation is refused, whatever else the batch holds.
    const reused = await push(tnv, cid, [createOf(fakeRecord(), 3), createOf(records[5] ?? fakeRecord(), 7)]);
    expect(reused.results[0]).toMatchObject({
      seq: 3,
      status: 'rejected',
      error: { details: { reason: 'seq_reused' } },
    });
    expect(reused.results[1]).toMatchObject({ seq: 7, status: 'applied' });
  });

  it('stops at a gap inside a batch that also re-sends acked seqs', async () => {
    const cid = clientId();
    const ms = [fakeRecord(), fakeRecord(), fakeRecord(), fakeRecord()].map((r, i) => createOf(r, i + 1));
    await push(tnv, cid, ms.slice(0, 2));
    const body = await push(tnv, cid, [
      ms[1] as Mutation,
      ms[2] as Mutation,
      { ...(ms[3] as Mutation), seq: 5 },
    ]);
    expect(body.ackedSeq).toBe(3);
    expect(body.results.map((x) => x.seq)).toEqual([2, 3]);
    expect(await server.store.getRecord(ms[3]?.recordId ?? '')).toBeNull();
  });

  it("keeps a lead's conflict and a delete then re-create inside one push as one mutation at a time would", async () => {
    const r = fakeRecord({ note: 'của tình nguyện viên' });
    const created = await push(tnv, clientId(), [createOf(r, 1)]);
    const v = created.results[0]?.version ?? 0;
    await push(lead, clientId(), [updateOf(r.id, 1, v, { note: 'trưởng nhóm sửa' })]);
    const gone = fakeRecord();
    const body = await push(tnv, clientId(), [
      updateOf(r.id, 1, v, { note: 'sửa muộn' }), // loses to the lead's edit
      updateOf(r.id, 2, v, { place: 'home' }), // a field nobody else touched: merged
      createOf(gone, 3),
      deleteOf(gone.id, 4),
      createOf(gone, 5),
    ]);
    expect(body.results.map((x) => x.status)).toEqual(['conflict', 'merged', 'applied', 'applied', 'gone']);
    expect(body.results[0]?.record).toMatchObject({ note: 'trưởng nhóm sửa' });
    const stored = await server.store.getRecord(r.id);
    expect(stored).toMatchObject({
      version: body.results[1]?.version,
      data: { note: 'trưởng nhóm sửa', place: 'home' },
    });
    expect(await server.store.getRecord(gone.id)).toMatchObject({
      deleted: true,
      version: body.results[3]?.version,
    });
    const conflict = (await server.store.recordHistory(r.id)).find((h) => h.lost !== null);
    expect(conflict?.lost).toMatchObject({ note: { value: 'sửa muộn' } });
  });

  it('keeps the tallies right when one push creates, edits, deletes and re-edits records', async () => {
    const day = '2019-03-07';
    const a = fakeRecord({ occurredOn: day, category: 'can_cuoc' });
    const b = fakeRecord({ occurredOn: day, category: 'can_cuoc' });
    const c = fakeRecord({ occurredOn: day, category: 'vneid_l1' });
    await push(tnv, clientId(), [
      createOf(a, 1),
      updateOf(a.id, 2, 0, { category: 'app_install' }),
      createOf(b, 3),
      deleteOf(b.id, 4),
      createOf(c, 5),
      updateOf(c.id, 6, 0, { occurredOn: '2019-03-08' }),
      updateOf(c.id, 7, 0, { occurredOn: day }),
    ]);
    const t = await server.store.tally({
      scope: { kind: 'commune', communeCode: '99001' },
      from: day,
      to: '2019-03-08',
      groupBy: ['category'],
    });
    expect(t.total.count).toBe(2);
    expect(t.rows.map((row) => [row.key.category, row.count])).toEqual([
      ['app_install', 1],
      ['vneid_l1', 1],
    ]);
  });

  it('gives concurrent pushes of several clients contiguous unique versions and every record once', async () => {
    const before = await db.version();
    const rowsBefore = await db.count('records');
    const tokens = [tnv, tnv2, lead, tnv];
    const pushes = tokens.map(async (token) => {
      const cid = clientId();
      const answers: PushResponse[] = [];
      for (let p = 0; p < 3; p++) {
        const records = Array.from({ length: 40 }, () => fakeRecord());
        const ms = records.flatMap((r, i) => [
          createOf(r, p * 60 + i + 1),
          ...(i < 20 ? [updateOf(r.id, p * 60 + 40 + i + 1, 0, { note: `sửa ${i}` })] : []),
        ]);
        // Edits after their creates: seqs 41–60 of the push edit the first 20 records.
        ms.sort((x, y) => x.seq - y.seq);
        answers.push(await push(token, cid, ms));
      }
      return answers;
    });
    const answers = (await Promise.all(pushes)).flat();
    const versions = answers.flatMap((b) => b.results.map((x) => x.version ?? 0));
    expect(versions).toHaveLength(4 * 3 * 60);
    expect(new Set(versions).size).toBe(versions.length);
    expect(Math.min(...versions)).toBe(before + 1);
    expect(Math.max(...versions)).toBe(before + versions.length);
    expect(await db.version()).toBe(before + versions.length);
    expect(await db.count('records')).toBe(rowsBefore + 4 * 3 * 40);
  });
});
