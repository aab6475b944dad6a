// Seals of a push open before its store transaction, on both stores: no ECDH runs while the
// transaction holds the write lock (SQLite) or row locks (PostgreSQL), and what is stored and
// answered is what opening inside gave — good, bad, cross-record and contact seals alike.
import { ECDH, createHmac, webcrypto } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { decryptAtRest } from '../../src/server/privacy/contact-vault.ts';
import { ephemeralKeys } from '../../src/server/privacy/keys.ts';
import type { Store } from '../../src/server/store/store.ts';
import { CURRENT_CONSENT_NOTICE, sealContact, type Mutation } from '../../src/shared/index.ts';
import { fakeIdNumber, sealedCitizen } from '../support/citizen-ids.ts';
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

const consent = {
  consentGiven: true,
  consentMethod: 'spoken',
  consentNotice: CURRENT_CONSENT_NOTICE,
  consentAt: '2025-10-15T08:00:00.000+07:00',
} as const;
// Generated, not a person: a made-up name and a number in the unassigned 0900 000 xxx range.
const CONTACT = { name: 'Người Thử Nghiệm Hai', phone: '0900000456', dossierCode: 'TEST-250101-0002' };

/**
 * Where each ECDH of the server ran: inside a store transaction or outside. The store's transaction
 * is wrapped to count how many run; the ECDH step of every opening (node:crypto's computeSecret, or
 * WebCrypto's deriveBits) notes the count.
 */
function watchOpenings(store: Store): { calls: ('inside' | 'outside')[]; restore: () => void } {
  const calls: ('inside' | 'outside')[] = [];
  let running = 0;
  const transaction = store.transaction.bind(store);
  store.transaction = async <T>(fn: Parameters<Store['transaction']>[0]): Promise<T> => {
    running += 1;
    try {
      return (await transaction(fn)) as T;
    } finally {
      running -= 1;
    }
  };
  const subtle = webcrypto.subtle;
  const deriveBits = subtle.deriveBits.bind(subtle);
  const spy = vi.spyOn(subtle, 'deriveBits').mockImplementation((algorithm, baseKey, length) => {
    calls.push(running > 0 ? 'inside' : 'outside');
    return deriveBits(algorithm, baseKey, length);
  });
  const original = ECDH.prototype.computeSecret as (this: ECDH, ...args: unknown[]) => unknown;
  const computeSecret = vi.spyOn(ECDH.prototype, 'computeSecret').mockImplementation(function (
    this: ECDH,
    ...args: unknown[]
  ) {
    calls.push(running > 0 ? 'inside' : 'outside');
    return original.apply(this, args);
  } as typeof ECDH.prototype.computeSecret);
  return {
    calls,
    restore: () => {
      spy.mockRestore();
      computeSecret.mockRestore();
      store.transaction = transaction;
    },
  };
}

describe.each(STORE_KINDS)('sealed values of a push on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  let tnv = '';
  let contactKey = '';
  let watch: ReturnType<typeof watchOpenings> | undefined;

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    const login = await server.login('demo-tnv');
    tnv = login.token;
    contactKey = login.commune.contactKey ?? '';
  });
  afterAll(async () => {
    watch?.restore();
    await server?.stop();
    await db?.drop();
  });

  const expectedKey = (idNumber: string): string =>
    createHmac('sha256', server.keys.citizen.secretOf('99001')).update(idNumber, 'utf8').digest('hex');

  it('opens every seal before the transaction and stores and answers what opening inside gave', async () => {
    const numbers = Array.from({ length: 8 }, () => fakeIdNumber());
    const good = await Promise.all(
      numbers.map(async (n) => {
        const r = fakeRecord();
        return { ...r, ...(await sealedCitizen(contactKey, r.id, n)) };
      }),
    );
    const withContact = fakeRecord({ ...consent, outcome: 'follow_up' });
    const contactRecord = { ...withContact, contact: await sealContact(contactKey, withContact.id, CONTACT) };
    // Sealed to another server's key: well formed, but it does not open here.
    const stranger = (await ephemeralKeys()).contactPublic;
    const strangerRecord = fakeRecord();
    const wrongKey = {
      ...strangerRecord,
      ...(await sealedCitizen(stranger, strangerRecord.id, fakeIdNumber())),
    };
    const elsewhere = fakeRecord();
    // Sealed for another record: the record id is the seal's associated data, it must not open here.
    const crossRecord = { ...elsewhere, ...(await sealedCitizen(contactKey, good[0]!.id, fakeIdNumber())) };
    const otherContact = fakeRecord({ ...consent, outcome: 'follow_up' });
    const crossContact = { ...otherContact, contact: await sealContact(contactKey, withContact.id, CONTACT) };
    const plain = fakeRecord();
    const records = [...good, contactRecord, wrongKey, crossRecord, crossContact, plain];
    const mutations: Mutation[] = records.map((r, i) => createOf(r, i + 1));
    const client = clientId();

    watch = watchOpenings(server.store);
    const res = await server.push(tnv, client, mutations);
    const calls = [...watch.calls];
    watch.restore();
    watch = undefined;

    expect(res.status).toBe(200);
    // Every seal reached the ECDH step, all outside.
    expect(calls.length).toBeGreaterThanOrEqual(good.length + 4);
    expect(calls.filter((c) => c === 'inside')).toEqual([]);

    const byId = new Map(records.map((r, i) => [r.id, res.body.results[i]]));
    for (const [i, r] of good.entries()) {
      expect(byId.get(r.id)?.status).toBe('applied');
      expect((await server.store.getRecord(r.id))?.data.citizenKey).toBe(expectedKey(numbers[i]!));
    }
    expect(byId.get(contactRecord.id)?.status).toBe('applied');
    const stored = await server.store.transaction((tx) => tx.getContact(contactRecord.id));
    expect(decryptAtRest(server.keys, contactRecord.id, stored!.sealed)).toEqual(CONTACT);
    for (const bad of [wrongKey, crossRecord]) {
      expect(byId.get(bad.id)).toMatchObject({
        status: 'rejected',
        error: {
          code: 'invalid_record',
          details: { fields: [{ field: 'citizenSeal', code: 'seal_invalid' }] },
        },
      });
      expect(await server.store.getRecord(bad.id)).toBeNull();
    }
    expect(byId.get(crossContact.id)).toMatchObject({
      status: 'rejected',
      error: { code: 'invalid_record', details: { fields: [{ field: 'contact', code: 'invalid' }] } },
    });
    expect(await server.store.getRecord(crossContact.id)).toBeNull();
    expect(byId.get(plain.id)?.status).toBe('applied');
    expect(JSON.stringify(res.body)).not.toContain(good[0]!.citizenSeal);
  });

  it("opens an edit's contact seal before the transaction too, and no seal of a resent push", async () => {
    const r = fakeRecord({ ...consent, outcome: 'follow_up' });
    const client = clientId();
    const created = await server.push(tnv, client, [createOf(r, 1)]);
    const version = created.body.results[0]?.version ?? 0;
    const edit = updateOf(r.id, 2, version, { contact: await sealContact(contactKey, r.id, CONTACT) });

    watch = watchOpenings(server.store);
    const res = await server.push(tnv, client, [edit]);
    const calls = [...watch.calls];
    watch.calls.length = 0;
    // The same push again: already acked, answered from its stored result without opening anything.
    const again = await server.push(tnv, client, [edit]);
    const resent = [...watch.calls];
    watch.restore();
    watch = undefined;

    expect(res.body.results[0]?.status).toBe('applied');
    expect(again.body.results[0]).toEqual(res.body.results[0]);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.filter((c) => c === 'inside')).toEqual([]);
    expect(resent).toEqual([]);
    const stored = await server.store.transaction((tx) => tx.getContact(r.id));
    expect(decryptAtRest(server.keys, r.id, stored!.sealed)).toEqual(CONTACT);
  });
});
