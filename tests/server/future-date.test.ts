// A record dated after tomorrow (commune time, by the server's clock) is refused on both stores with
// its own code and a message that points at the phone's date; tomorrow is still taken (time-zone
// slack). Every answer carries the server's time (`Date`), which the phone compares with its clock.
import { afterAll, describe, expect, it } from 'vitest';
import { PushResponse, communeDay, latestOccurredOn } from '../../src/shared/index.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  updateOf,
  type TestDatabase,
  type TestServer,
} from './harness.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const dayAfter = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

describe.each(STORE_KINDS)('records dated in the future on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  let tnv = '';

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    tnv = (await server.login('demo-tnv')).token;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('refuses a record dated after tomorrow with occurred_in_future and a message about the phone date', async () => {
    const tooLate = fakeRecord({ occurredOn: dayAfter(latestOccurredOn(), 1) });
    const res = await server.push(tnv, clientId(), [createOf(tooLate, 1)]);
    expect(res.status).toBe(200);
    const [result] = PushResponse.parse(res.body).results;
    expect(result?.status).toBe('rejected');
    expect(result?.error?.code).toBe('occurred_in_future');
    expect(result?.error?.message).toMatch(/kiểm tra ngày giờ của điện thoại/);
    expect(result?.error?.details).toEqual({
      fields: [expect.objectContaining({ field: 'occurredOn', code: 'in_future' })],
    });
    expect(await server.store.getRecord(tooLate.id)).toBeNull();
  });

  it('takes a record dated today or tomorrow in commune time', async () => {
    const today = fakeRecord({ occurredOn: communeDay() });
    const tomorrow = fakeRecord({ occurredOn: dayAfter(communeDay(), 1) });
    const res = await server.push(tnv, clientId(), [createOf(today, 1), createOf(tomorrow, 2)]);
    expect(PushResponse.parse(res.body).results.map((r) => r.status)).toEqual(['applied', 'applied']);
  });

  it('refuses an edit that moves a record after tomorrow, and keeps the stored date', async () => {
    const record = fakeRecord();
    const cid = clientId();
    const first = PushResponse.parse((await server.push(tnv, cid, [createOf(record, 1)])).body).results[0];
    const edit = updateOf(record.id, 2, first?.version ?? 0, { occurredOn: dayAfter(communeDay(), 30) });
    const [result] = PushResponse.parse((await server.push(tnv, cid, [edit])).body).results;
    expect(result?.status).toBe('rejected');
    expect(result?.error?.code).toBe('occurred_in_future');
    expect((await server.store.getRecord(record.id))?.data.occurredOn).toBe(record.occurredOn);
  });

  it("tells the server's time in every answer, for the phone's clock check", async () => {
    const res = await fetch(`${server.url}/api/v1/sync/pull`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tnv}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: clientId(), cursor: null }),
    });
    expect(res.status).toBe(200);
    expect(Math.abs(Date.parse(res.headers.get('date') ?? '') - Date.now())).toBeLessThan(5000);
  });
});
