// Push and pull have a per-session budget of their own (src/server/security/rate-limit.ts): a phone
// syncing a backlog, pushing its maxMutations back to back, is never refused for it, and uses
// nothing of the budget of the other routes; a session hammering the sync routes far above that
// rate still gets 429 with Retry-After, and another phone's session does not.
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_MUTATIONS, PushResponse } from '../../src/shared/index.ts';
import { DEFAULT_RATE_LIMITS } from '../../src/server/security/rate-limit.ts';
import {
  clientId,
  createOf,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  type TestServer,
} from './harness.ts';

/** The ingest goal of one server (docs/performance.md), records a second. */
const SERVER_INGEST_GOAL = 20_000;

describe('sync rate limits', () => {
  let honest: TestServer;
  let strict: TestServer;

  setupAll(async () => {
    // Other routes at a tenth of their default budget; the sync budget as shipped.
    honest = await startServer({
      db: await testDatabase('sqlite'),
      maxMutations: 100,
      security: { rateLimits: { perSessionPerMinute: 10 } },
    });
    strict = await startServer({
      db: await testDatabase('sqlite'),
      security: { rateLimits: { syncPerSessionPerMinute: 30 } },
    });
  });
  afterAll(async () => {
    for (const s of [honest, strict]) {
      await s?.stop();
      await s?.db.drop();
    }
  });

  it('lets one phone sync faster than a whole server ingests, with the shipped budget', () => {
    const perSecond = (DEFAULT_RATE_LIMITS.syncPerSessionPerMinute * DEFAULT_MAX_MUTATIONS) / 60;
    expect(perSecond).toBeGreaterThanOrEqual(SERVER_INGEST_GOAL);
    expect(DEFAULT_RATE_LIMITS.syncPerSessionPerMinute).toBeGreaterThan(
      DEFAULT_RATE_LIMITS.perSessionPerMinute,
    );
  });

  it('never refuses a phone pushing its maxMutations back to back, nor counts it against other routes', async () => {
    const { token } = await honest.login('demo-tnv');
    const cid = clientId();
    const statuses: number[] = [];
    for (let p = 0; p < 25; p++) {
      const ms = Array.from({ length: 100 }, (_, i) => createOf(fakeRecord(), p * 100 + i + 1));
      const res = await honest.push(token, cid, ms);
      statuses.push(res.status);
      if (res.status === 200) expect(PushResponse.parse(res.body).ackedSeq).toBe(p * 100 + 100);
    }
    for (let i = 0; i < 5; i++) statuses.push((await honest.pull(token, cid, null)).status);
    expect(statuses).toEqual(Array(30).fill(200));
    // The other routes' budget of 10 is untouched by the 30 sync requests, then runs out on its own.
    const other: number[] = [];
    for (let i = 0; i < 11; i++)
      other.push((await honest.request(`/api/v1/records/${clientId()}`, { token })).status);
    expect(other.slice(0, 10).every((s) => s !== 429)).toBe(true);
    expect(other[10]).toBe(429);
    // …and sync goes on.
    expect((await honest.push(token, cid, [createOf(fakeRecord(), 2501)])).status).toBe(200);
  });

  it('refuses a session far above the sync budget with 429 and Retry-After, not another phone', async () => {
    const a = await strict.login('demo-tnv');
    const b = await strict.login('demo-tnv');
    const cid = clientId();
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await strict.push(a.token, cid, [])).status);
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(200));
    expect(statuses.slice(30)).toEqual(Array(5).fill(429));
    const refused = await strict.pull(a.token, cid, null);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await strict.push(b.token, clientId(), [])).status).toBe(200);
  });
});
