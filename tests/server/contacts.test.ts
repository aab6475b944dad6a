// Follow-up contacts on the server, on both stores: sealed by the phone for the server's key, opened
// and checked before anything is written, kept encrypted at rest apart from the record (never in
// pull or history), deleted with the record, and purged N days after the case closes (moved clock).
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CURRENT_CONSENT_NOTICE,
  sealContact,
  type LoginResponse,
  type Mutation,
  type PullResponse,
  type PushResponse,
} from '../../src/shared/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { seedDemo } from '../../src/server/demo.ts';
import { decryptAtRest } from '../../src/server/privacy/contact-vault.ts';
import { ephemeralKeys, type ServerKeys } from '../../src/server/privacy/keys.ts';
import { purgeClosedContacts } from '../../src/server/privacy/retention.ts';
import type { Store } from '../../src/server/store/store.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  deleteOf,
  fakeRecord,
  requestAt,
  setupAll,
  testDatabase,
  updateOf,
  type TestDatabase,
} from './harness.ts';

const consent = {
  consentGiven: true,
  consentMethod: 'signed',
  consentNotice: CURRENT_CONSENT_NOTICE,
  consentAt: '2025-10-15T08:00:00.000+07:00',
} as const;
// Generated, not a person: a made-up name and a number in the unassigned 0900 000 xxx range.
const CONTACT = { name: 'Người Thử Nghiệm Một', phone: '0900000123', dossierCode: 'TEST-250101-0001' };
const DAY = 24 * 60 * 60 * 1000;

describe.each(STORE_KINDS)('follow-up contacts on %s', (kind) => {
  let db: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let keys: ServerKeys;
  let url = '';
  let tnv = '';
  let contactKey = '';

  const push = (mutations: Mutation[]) =>
    requestAt<PushResponse>(url, '/api/v1/sync/push', {
      token: tnv,
      body: { clientId: clientId(), schemaVersion: 1, mutations },
    });

  setupAll(async () => {
    db = await testDatabase(kind);
    store = db.open();
    await store.migrate();
    await seedDemo(store);
    keys = await ephemeralKeys();
    app = await buildApp({ store, keys, staticDir: null });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    url = `http://127.0.0.1:${address.port}`;
    const login = await requestAt<LoginResponse>(url, '/api/v1/auth/login', {
      body: { username: 'demo-tnv', password: 'demo' },
    });
    tnv = login.body.token;
    contactKey = login.body.commune.contactKey ?? '';
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await db?.drop();
  });

  it('sends the server public key at login', () => {
    expect(contactKey).toBe(keys.contactPublic);
    expect(contactKey).toMatch(/^[A-Za-z0-9_-]{87}$/);
  });

  it('keeps a sealed contact encrypted at rest, apart from the record, and never sends it back', async () => {
    const record = fakeRecord({ ...consent, outcome: 'follow_up' });
    const sealed = await sealContact(contactKey, record.id, CONTACT);
    const res = await push([createOf({ ...record, contact: sealed }, 1)]);
    expect(res.body.results[0]?.status).toBe('applied');

    const row = await store.transaction((tx) => tx.getContact(record.id));
    expect(row?.closedAt).toBeNull();
    expect(row?.sealed).not.toContain(CONTACT.phone);
    expect(decryptAtRest(keys, record.id, row!.sealed)).toEqual(CONTACT);

    const stored = await store.getRecord(record.id);
    expect(stored?.data).not.toHaveProperty('contact');
    const history = JSON.stringify(await store.recordHistory(record.id));
    const pulled = await requestAt<PullResponse>(url, '/api/v1/sync/pull', {
      token: tnv,
      body: { clientId: clientId(), cursor: null },
    });
    for (const text of [history, pulled.text]) {
      expect(text).not.toContain(sealed);
      expect(text).not.toContain(CONTACT.phone);
      expect(text).not.toContain(CONTACT.name);
    }
  });

  it('shows the contact to the team lead and the commune admin only, never to a volunteer', async () => {
    const record = fakeRecord({ ...consent, outcome: 'follow_up' });
    await push([createOf({ ...record, contact: await sealContact(contactKey, record.id, CONTACT) }, 1)]);
    const read = async (username: string) => {
      const l = await requestAt<LoginResponse>(url, '/api/v1/auth/login', {
        body: { username, password: 'demo' },
      });
      return requestAt<{ contact: unknown; closedAt: unknown }>(url, `/api/v1/records/${record.id}/contact`, {
        token: l.body.token,
      });
    };
    const lead = await read('demo-lead');
    expect(lead.status).toBe(200);
    expect(lead.body).toEqual({ recordId: record.id, contact: CONTACT, closedAt: null });
    expect(lead.headers.get('cache-control')).toBe('no-store');
    expect((await read('demo-admin')).body.contact).toEqual(CONTACT);
    expect((await read('demo-tnv')).status).toBe(403);
    expect((await read('demo-tnv2')).status).toBe(403);
    const none = fakeRecord();
    await push([createOf(none, 1)]);
    const l = await requestAt<LoginResponse>(url, '/api/v1/auth/login', {
      body: { username: 'demo-lead', password: 'demo' },
    });
    const empty = await requestAt<{ contact: unknown }>(url, `/api/v1/records/${none.id}/contact`, {
      token: l.body.token,
    });
    expect(empty.body.contact).toBeNull();
  });

  it('answers a resend of the same create as applied, although it was sealed again', async () => {
    const record = fakeRecord({ ...consent });
    const first = createOf({ ...record, contact: await sealContact(contactKey, record.id, CONTACT) }, 1);
    expect((await push([first])).body.results[0]?.status).toBe('applied');
    const again = { ...first, mutationId: first.mutationId, patch: { ...first.patch } };
    again.patch!.contact = await sealContact(contactKey, record.id, CONTACT);
    expect((await push([again])).body.results[0]?.status).toBe('applied');
  });

  it('refuses a contact without consent, one sealed for another record, and a bad phone; stores nothing', async () => {
    const before = { records: await db.count('records'), contacts: await db.count('record_contacts') };
    const a = fakeRecord();
    const b = fakeRecord({ ...consent });
    const c = fakeRecord({ ...consent });
    const res = await push([
      createOf({ ...a, contact: await sealContact(contactKey, a.id, CONTACT) }, 1),
      createOf({ ...b, contact: await sealContact(contactKey, a.id, CONTACT) }, 2),
      createOf({ ...c, contact: await sealContact(contactKey, c.id, { ...CONTACT, phone: '12345' }) }, 3),
    ]);
    const codes = res.body.results.map((r) => {
      const fields = (r.error?.details as { fields: { field: string; code: string }[] } | undefined)?.fields;
      return `${r.status}:${fields?.map((f) => `${f.field}.${f.code}`).join(',')}`;
    });
    expect(codes).toEqual([
      'rejected:contact.consent_required',
      'rejected:contact.invalid',
      'rejected:contactPhone.invalid',
    ]);
    expect(await db.count('records')).toBe(before.records);
    expect(await db.count('record_contacts')).toBe(before.contacts);
  });

  it('purges a contact 60 days after its case closes, not before, and deletes it with the record', async () => {
    const open = fakeRecord({ ...consent, outcome: 'follow_up' });
    const closing = fakeRecord({ ...consent, outcome: 'follow_up' });
    const deleted = fakeRecord({ ...consent, outcome: 'follow_up' });
    const created = await push(
      await Promise.all(
        [open, closing, deleted].map(async (r, i) =>
          createOf({ ...r, contact: await sealContact(contactKey, r.id, CONTACT) }, i + 1),
        ),
      ),
    );
    const version = created.body.results[1]?.version ?? 0;
    const closedRes = await push([updateOf(closing.id, 1, version, { outcome: 'done' })]);
    expect(closedRes.body.results[0]?.status).toBe('applied');
    const closedAt = (await store.transaction((tx) => tx.getContact(closing.id)))?.closedAt;
    expect(closedAt).toBeTruthy();

    const at = Date.parse(closedAt!);
    const contactOf = (id: string) => store.transaction((tx) => tx.getContact(id));
    await purgeClosedContacts(store, { days: 60, now: new Date(at + 59 * DAY) });
    expect(await contactOf(closing.id)).not.toBeNull();
    // Earlier tests' records closed at creation (outcome "done") go in the same run.
    expect(
      (await purgeClosedContacts(store, { days: 60, now: new Date(at + 61 * DAY) })).purged,
    ).toBeGreaterThan(0);
    expect(await contactOf(closing.id)).toBeNull();
    expect(await contactOf(open.id)).not.toBeNull();
    // The record itself stays, and still syncs.
    expect((await store.getRecord(closing.id))?.data).toMatchObject({ outcome: 'done' });

    await push([deleteOf(deleted.id, 1, created.body.results[2]?.version ?? null)]);
    expect(await contactOf(deleted.id)).toBeNull();
  });
});
