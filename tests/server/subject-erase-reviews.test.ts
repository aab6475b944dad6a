// The data-subject erase on both stores also removes what reviewers wrote about the citizen's
// records: the comment on the record, on each stored review and in the record's history. The review
// states and who reviewed stay (they say nothing about the citizen). Generated IDs only.
import { afterAll, describe, expect, it } from 'vitest';
import type { SubjectResponse } from '../../src/shared/index.ts';
import { fakeIdNumber, sealedCitizen } from '../support/citizen-ids.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  deleteOf,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  type TestServer,
} from './harness.ts';

const COMMENTS = ['Chị Lan ở xóm Bãi, bị ốm, cần gọi lại', 'Đã hỏi lại con gái chị Lan'];
const KEPT = 'Nhận xét cho một người khác';

describe.each(STORE_KINDS)('erasing a citizen on %s', (kind) => {
  let server: TestServer;
  let admin = '';
  let lead = '';
  let tnv = '';
  let contactKey: string | undefined;
  const citizen = fakeIdNumber();

  setupAll(async () => {
    server = await startServer({ db: await testDatabase(kind) });
    admin = (await server.login('demo-admin')).token;
    lead = (await server.login('demo-lead')).token;
    const login = await server.login('demo-tnv');
    tnv = login.token;
    contactKey = login.commune.contactKey;
  });

  afterAll(async () => {
    await server?.stop();
    await server?.db.drop();
  });

  /** A record of demo-tnv linked to `idNumber` (sealed for the server), reviewed by the lead with `comments`. */
  async function reviewedRecord(idNumber: string, comments: string[]): Promise<string> {
    const r = fakeRecord();
    Object.assign(r, await sealedCitizen(contactKey, r.id, idNumber));
    const pushed = await server.push(tnv, clientId(), [createOf(r, 1)]);
    expect(pushed.body.results[0]?.status).toBe('applied');
    for (const comment of comments) {
      const res = await server.request(`/api/v1/records/${r.id}/review`, {
        token: lead,
        body: { state: 'has_issues', comment },
      });
      expect(res.status, res.text).toBe(200);
    }
    return r.id;
  }

  const withComment = (): Promise<number> => server.db.count('record_reviews WHERE comment IS NOT NULL');

  it("removes the review comments of the citizen's records from the record, its reviews and its history", async () => {
    const erased = await reviewedRecord(citizen, COMMENTS);
    const kept = await reviewedRecord(fakeIdNumber(), [KEPT]);
    const reviewsBefore = await server.db.count('record_reviews');
    expect(await withComment()).toBe(3);

    const res = await server.request<SubjectResponse>('/api/v1/privacy/subject-requests', {
      token: admin,
      body: { idNumber: citizen, action: 'erase' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.erased).toBe(1);

    const row = await server.store.getRecord(erased);
    expect(row?.deleted).toBe(true);
    expect(row?.reviewComment ?? null).toBeNull();
    const history = JSON.stringify(await server.store.recordHistory(erased));
    for (const c of COMMENTS) expect(history).not.toContain(c);
    // The reviews stay (state, reviewer, time) without their words; the other citizen's are untouched.
    expect(await server.db.count('record_reviews')).toBe(reviewsBefore);
    expect(await withComment()).toBe(1);
    expect((await server.store.getRecord(kept))?.reviewComment).toBe(KEPT);
    expect(JSON.stringify(await server.store.recordHistory(kept))).toContain(KEPT);
  });

  it('removes them too when the record was already deleted before the erase', async () => {
    const id = fakeIdNumber();
    const recordId = await reviewedRecord(id, ['Ghi nhận: chị Mai, nhà cạnh chợ']);
    const del = await server.push(tnv, clientId(), [deleteOf(recordId, 1)]);
    expect(del.body.results[0]?.status).toBe('applied');
    const res = await server.request<SubjectResponse>('/api/v1/privacy/subject-requests', {
      token: admin,
      body: { idNumber: id, action: 'erase' },
    });
    expect(res.status, res.text).toBe(200);
    expect((await server.store.getRecord(recordId))?.reviewComment ?? null).toBeNull();
    expect(JSON.stringify(await server.store.recordHistory(recordId))).not.toContain('chị Mai');
    expect(await withComment()).toBe(1);
  });
});
