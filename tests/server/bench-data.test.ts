// The bench's generated records (bench/lib/data.ts) are what phones send: about 30 % carry an ID
// number sealed to the server's key from the login answer, with its consent, so the ingest rows
// time the server opening seals and keying citizens. On both stores, a push of them is applied
// whole and every sealed one gets the citizenKey of its number, and nothing else.
import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { citizenIdsOf, makeRecords, sealCitizenIds, withSeals } from '../../bench/lib/data.ts';
import { idNumberProblem, validateRecord } from '../../src/shared/index.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  setupAll,
  startServer,
  testDatabase,
  type TestDatabase,
  type TestServer,
} from './harness.ts';

describe('bench data', () => {
  it('gives about 30 % of records a plausible ID number, the same for a seed, with returning citizens', () => {
    const ids = citizenIdsOf(10_000, 7);
    expect(citizenIdsOf(10_000, 7)).toEqual(ids);
    const typed = ids.filter((x): x is string => x !== undefined);
    expect(typed.length / ids.length).toBeGreaterThan(0.27);
    expect(typed.length / ids.length).toBeLessThan(0.33);
    for (const id of typed) expect(idNumberProblem(id)).toBeNull();
    const distinct = new Set(typed).size;
    expect(distinct).toBeLessThan(typed.length);
    expect(distinct).toBeGreaterThan(typed.length / 2);
  });
});

describe.each(STORE_KINDS)('bench data pushed to %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it('is applied whole, and each sealed record is keyed by the server to its own number', async () => {
    const login = await server.login('demo-tnv');
    const records = makeRecords(200, 5);
    const ids = citizenIdsOf(records.length, 5);
    const sealed = withSeals(records, await sealCitizenIds(String(login.commune.contactKey), records, ids));
    for (const r of sealed) expect(validateRecord(r).ok).toBe(true);
    expect(sealed.filter((r) => r.citizenSeal).length).toBe(ids.filter(Boolean).length);
    const c = clientId();
    for (let i = 0; i < sealed.length; i += 100) {
      const res = await server.push(
        login.token,
        c,
        sealed.slice(i, i + 100).map((r, k) => createOf(r, i + k + 1)),
      );
      expect(res.status, res.text).toBe(200);
      expect(new Set(res.body.results.map((x) => x.status))).toEqual(new Set(['applied']));
    }
    const secret = server.keys.citizen.secretOf(login.user.communeCode);
    for (const [i, r] of records.entries()) {
      const stored = await server.store.getRecord(r.id);
      const want = ids[i] ? createHmac('sha256', secret).update(ids[i], 'utf8').digest('hex') : undefined;
      expect(stored?.data.citizenKey).toBe(want);
      expect(stored?.data).not.toHaveProperty('citizenSeal');
    }
  });
});
