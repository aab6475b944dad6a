// Citizens' data on the server, on both stores: the commune secret sent at login (made for new
// communes, backfilled for old ones by migration 06), consent recorded all or nothing, and a raw
// ID number refused wherever it hides.
import { afterAll, describe, expect, it } from 'vitest';
import { CURRENT_CONSENT_NOTICE, LoginResponse } from '../../src/shared/index.ts';
import { fakeIdNumber } from '../support/citizen-ids.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  migrationsUpTo,
  setupAll,
  startServer,
  testDatabase,
  updateOf,
  type PartialMigrations,
  type TestDatabase,
  type TestServer,
} from './harness.ts';

const HEX64 = /^[0-9a-f]{64}$/;
const consent = {
  consentGiven: true,
  consentMethod: 'spoken',
  consentNotice: CURRENT_CONSENT_NOTICE,
  consentAt: '2025-10-15T08:00:00.000+07:00',
} as const;

describe.each(STORE_KINDS)('citizen data on %s', (kind) => {
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

  it('sends the commune secret at login, the same on every login', async () => {
    const a = await server.login('demo-tnv');
    const b = await server.login('demo-lead');
    expect(a.commune.citizenSecret).toMatch(HEX64);
    expect(b.commune.citizenSecret).toBe(a.commune.citizenSecret);
  });

  it('gives a commune created later its own random secret', async () => {
    await server.store.transaction(async (tx) => {
      await tx.insertCommune('98801', 'Xã Mới Một');
      await tx.insertCommune('98802', 'Xã Mới Hai');
    });
    const one = await server.store.getCommune('98801');
    const two = await server.store.getCommune('98802');
    expect(one?.citizenSecret).toMatch(HEX64);
    expect(two?.citizenSecret).toMatch(HEX64);
    expect(one?.citizenSecret).not.toBe(two?.citizenSecret);
  });

  it('stores a record with complete consent and sends the consent back in pull', async () => {
    const c = clientId();
    const record = fakeRecord({ ...consent, citizenKey: 'b'.repeat(64) });
    const res = await server.push(tnv, c, [createOf(record, 1)]);
    expect(res.body.results[0]?.status).toBe('applied');
    const pulled = await server.pull(tnv, c, null);
    const data = pulled.body.changes.find((ch) => ch.id === record.id)?.data;
    expect(data).toMatchObject({ ...consent, citizenKey: 'b'.repeat(64) });
  });

  it('refuses consent given without its method, notice and time, and stores nothing', async () => {
    const before = await db.count('records');
    const record = fakeRecord({ consentGiven: true });
    const res = await server.push(tnv, clientId(), [createOf(record, 1)]);
    const r = res.body.results[0];
    expect(r?.status).toBe('rejected');
    const fields = (r?.error?.details as { fields: { field: string; code: string }[] }).fields;
    expect(fields.map((f) => `${f.field}:${f.code}`).sort()).toEqual([
      'consentAt:required',
      'consentMethod:required',
      'consentNotice:required',
    ]);
    expect(await db.count('records')).toBe(before);
  });

  it('refuses a consent method without consent given, or a refusal kept as data', async () => {
    for (const partial of [{ consentMethod: 'signed' as const }, { consentGiven: false }]) {
      const res = await server.push(tnv, clientId(), [createOf(fakeRecord(partial), 1)]);
      const r = res.body.results[0];
      expect(r?.status).toBe('rejected');
      expect(r?.error?.details).toMatchObject({
        fields: [{ field: 'consentGiven', code: 'consent_incomplete' }],
      });
    }
  });

  it('refuses an unknown notice version', async () => {
    const res = await server.push(tnv, clientId(), [
      createOf(fakeRecord({ ...consent, consentNotice: 'tb-1999-01' as never }), 1),
    ]);
    expect(res.body.results[0]?.status).toBe('rejected');
  });

  it('refuses a note holding an ID number, in a create or in an edit, and stores none of it', async () => {
    const id = fakeIdNumber();
    const spaced = `${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6, 9)} ${id.slice(9)}`;
    const c = clientId();
    const before = await db.count('records');
    const created = await server.push(tnv, c, [createOf(fakeRecord({ note: `số ${id}` }), 1)]);
    expect(created.body.results[0]?.status).toBe('rejected');
    expect(created.body.results[0]?.error?.details).toMatchObject({
      fields: [{ field: 'note', code: 'looks_like_id' }],
    });
    expect(await db.count('records')).toBe(before);

    const ok = fakeRecord();
    const first = await server.push(tnv, c, [createOf(ok, 2)]);
    const version = first.body.results[0]?.version ?? 0;
    const edit = await server.push(tnv, c, [updateOf(ok.id, 3, version, { note: `gọi lại, ${spaced}` })]);
    expect(edit.body.results[0]?.status).toBe('rejected');
    const pulled = await server.pull(tnv, c, null);
    expect(JSON.stringify(pulled.body)).not.toContain(id);
  });

  it('still logs in, without a secret, a commune inserted outside the application', async () => {
    const { citizenSecret } = (await server.store.getCommune('99001'))!;
    await db.exec("UPDATE communes SET citizen_secret = NULL WHERE code = '99001'");
    try {
      const res = await server.request('/api/v1/auth/login', {
        body: { username: 'demo-tnv', password: 'demo' },
      });
      expect(res.status).toBe(200);
      expect(LoginResponse.parse(res.body).commune).not.toHaveProperty('citizenSecret');
    } finally {
      // 64 hex digits: safe to inline, and both stores read it alike.
      await db.exec(`UPDATE communes SET citizen_secret = '${citizenSecret}' WHERE code = '99001'`);
    }
  });

  it('accepts a note with a phone-length number or a short code (only the device refuses phones)', async () => {
    const res = await server.push(tnv, clientId(), [
      createOf(fakeRecord({ note: 'Hồ sơ số 2501-0001, hẹn 0900 000 000' }), 1),
    ]);
    expect(res.body.results[0]?.status).toBe('applied');
  });

  it('refuses a note holding a dossier code of 12 joined digits: it goes in the sealed contact', async () => {
    const res = await server.push(tnv, clientId(), [
      createOf(fakeRecord({ note: 'Hồ sơ G22.37-250101-0001' }), 1),
    ]);
    expect(res.body.results[0]?.status).toBe('rejected');
    expect(res.body.results[0]?.error?.details).toMatchObject({
      fields: [{ field: 'note', code: 'looks_like_id' }],
    });
  });
});

describe.each(STORE_KINDS)('data migration 20261128-06-citizen-data on %s', (kind) => {
  let migrations: PartialMigrations | undefined;
  let db: TestDatabase | undefined;
  afterAll(async () => {
    await db?.drop();
    migrations?.remove();
  });

  it('gives every existing commune its own 64-hex secret', async () => {
    migrations = migrationsUpTo(kind, '20261128-06-');
    db = await testDatabase(kind);
    let store = db.open({ migrationsDir: migrations.dir });
    await store.migrate();
    await store.close();
    await db.exec("INSERT INTO communes (code, name) VALUES ('99101', 'Xã Cũ Một'), ('99102', 'Xã Cũ Hai')");
    migrations.addRest();
    store = db.open({ migrationsDir: migrations.dir });
    try {
      const report = await store.migrate();
      expect(report.applied).toContain('20261128-06-citizen-data.sql');
      const one = await store.getCommune('99101');
      const two = await store.getCommune('99102');
      expect(one?.citizenSecret).toMatch(HEX64);
      expect(two?.citizenSecret).toMatch(HEX64);
      expect(one?.citizenSecret).not.toBe(two?.citizenSecret);
    } finally {
      await store.close();
    }
  });
});
