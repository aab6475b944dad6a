// Citizens' data on the server, on both stores: the phone seals a typed ID number for the server,
// which alone turns it into citizenKey with a secret from the key file; no login answer, pull, push
// answer, review read or stored push result carries the key or the seal. Consent is recorded all or
// nothing, and a raw ID number is refused wherever it hides.
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/server/demo.ts';
import { moveCitizenSecrets } from '../../src/server/privacy/citizen-secret-move.ts';
import { loadOrCreateKeys, type ServerKeys } from '../../src/server/privacy/keys.ts';
import { citizenNo } from '../../src/server/store/sqlite/queries.ts';
import {
  CURRENT_CONSENT_NOTICE,
  sealContact,
  type SubjectResponse,
  type TallyResponse,
} from '../../src/shared/index.ts';
import { fakeIdNumber, sealedCitizen } from '../support/citizen-ids.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  migrationsUpTo,
  pgClient,
  removeDir,
  setupAll,
  startServer,
  tempDir,
  testDatabase,
  updateOf,
  type PartialMigrations,
  type TestDatabase,
  type TestServer,
} from './harness.ts';

const consent = {
  consentGiven: true,
  consentMethod: 'spoken',
  consentNotice: CURRENT_CONSENT_NOTICE,
  consentAt: '2025-10-15T08:00:00.000+07:00',
} as const;

/** citizenKey as the server must make it: HMAC-SHA256 under the commune's secret, of the 12 digits. */
function expectedKey(keys: ServerKeys, communeCode: string, idNumber: string): string {
  return createHmac('sha256', keys.citizen.secretOf(communeCode)).update(idNumber, 'utf8').digest('hex');
}

/** Every stored text of records, their history and the stored push results, as one string. */
async function storedText(db: TestDatabase): Promise<string> {
  const sql = [
    'SELECT data AS t FROM records',
    'SELECT patch AS t FROM record_history',
    'SELECT replaced AS t FROM record_history',
    'SELECT result AS t FROM mutation_results',
  ];
  if (db.kind === 'sqlite') {
    const raw = new Database(join(db.name, 'sotay.sqlite'), { readonly: true });
    try {
      return sql
        .flatMap((q) => (raw.prepare(q).all() as { t: unknown }[]).map((r) => String(r.t)))
        .join('\n');
    } finally {
      raw.close();
    }
  }
  const client = await pgClient(db.name);
  try {
    const out: string[] = [];
    for (const q of sql)
      out.push(...(await client.query<{ t: unknown }>(q)).rows.map((r) => JSON.stringify(r.t)));
    return out.join('\n');
  } finally {
    await client.end();
  }
}

describe.each(STORE_KINDS)('citizen data on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  let keys: ServerKeys;
  let keyDir = '';
  let tnv = '';
  let lead = '';
  let contactKey: string | undefined;

  setupAll(async () => {
    db = await testDatabase(kind);
    keyDir = tempDir('sotay-keys-');
    keys = (await loadOrCreateKeys(join(keyDir, 'sotay-keys.json'))).keys;
    server = await startServer({ db, keys });
    const login = await server.login('demo-tnv');
    tnv = login.token;
    contactKey = login.commune.contactKey;
    lead = (await server.login('demo-lead')).token;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    removeDir(keyDir);
  });

  it('answers a login with the public sealing key and no secret of citizenKey', async () => {
    const secret = keys.citizen.secretOf('99001').toString('hex');
    for (const who of ['demo-tnv', 'demo-lead', 'demo-admin']) {
      const res = await server.request('/api/v1/auth/login', { body: { username: who, password: 'demo' } });
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(secret);
      expect(res.text).not.toContain('citizenSecret');
      expect((res.body as { commune: { contactKey?: string } }).commune.contactKey).toBe(keys.contactPublic);
    }
  });

  it('gives each commune its own secret, from the key file and not from the database', async () => {
    await server.store.transaction(async (tx) => {
      await tx.insertCommune('98801', 'Xã Mới Một');
      await tx.insertCommune('98802', 'Xã Mới Hai');
    });
    const one = keys.citizen.secretOf('98801');
    expect(one).toHaveLength(32);
    expect(one.equals(keys.citizen.secretOf('98802'))).toBe(false);
    // The same file read again (another process, a restart) gives the same secrets.
    const again = (await loadOrCreateKeys(join(keyDir, 'sotay-keys.json'))).keys;
    expect(again.citizen.secretOf('98801').equals(one)).toBe(true);
    expect(await db.count('communes WHERE legacy_citizen_secret IS NOT NULL')).toBe(0);
  });

  it('keys a sealed create with the secret from the key file and counts two records of one number as one citizen', async () => {
    const n = fakeIdNumber();
    const c = clientId();
    const a = fakeRecord({ occurredOn: '2024-03-05' });
    const b = fakeRecord({ occurredOn: '2024-03-06' });
    Object.assign(a, await sealedCitizen(contactKey, a.id, n));
    Object.assign(b, await sealedCitizen(contactKey, b.id, n));
    const res = await server.push(tnv, c, [createOf(a, 1), createOf(b, 2)]);
    expect(res.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const stored = await server.store.getRecord(a.id);
    expect(stored?.data.citizenKey).toBe(expectedKey(keys, '99001', n));
    expect(stored?.data).not.toHaveProperty('citizenSeal');
    expect((await server.store.getRecord(b.id))?.data.citizenKey).toBe(stored?.data.citizenKey);
    const admin = (await server.login('demo-admin')).token;
    const tally = await server.request<TallyResponse>('/api/v1/tallies?from=2024-03-01&to=2024-03-31', {
      token: admin,
    });
    expect(tally.status, tally.text).toBe(200);
    expect(tally.body.total).toEqual({ count: 2, citizens: 1 });
  });

  it('never answers the key or the seal: not in pull, push results, a replayed push, a conflict or review reads, nor stored', async () => {
    const n = fakeIdNumber();
    const c = clientId();
    const r = fakeRecord();
    const sealed = await sealedCitizen(contactKey, r.id, n);
    Object.assign(r, sealed);
    const key = expectedKey(keys, '99001', n);
    const answers: string[] = [];
    const create = createOf(r, 1);
    const first = await server.push(tnv, c, [create]);
    expect(first.body.results[0]?.status).toBe('applied');
    answers.push(first.text);
    // The same push again (a retry after a lost answer): answered from the stored results.
    const replay = await server.push(tnv, c, [create]);
    expect(replay.body.results[0]?.status).toBe('applied');
    answers.push(replay.text);
    const version = first.body.results[0]?.version ?? 0;
    const byLead = await server.push(lead, clientId(), [
      updateOf(r.id, 1, version, { note: 'tổ trưởng sửa' }),
    ]);
    expect(byLead.body.results[0]?.status).toBe('applied');
    const staleEdit = updateOf(r.id, 2, version, { note: 'tình nguyện viên sửa' });
    const stale = await server.push(tnv, c, [create, staleEdit]);
    expect(stale.body.results[1]?.status).toBe('conflict');
    expect(stale.body.results[1]?.record).toMatchObject({ id: r.id, note: 'tổ trưởng sửa' });
    answers.push(stale.text);
    // The conflict answered again from the stored results, record included.
    const again = await server.push(tnv, c, [staleEdit]);
    expect(again.body.results[0]?.status).toBe('conflict');
    answers.push(again.text);
    answers.push((await server.pull(tnv, clientId(), null)).text);
    answers.push((await server.pull(lead, clientId(), null)).text);
    answers.push((await server.request(`/api/v1/records/${r.id}`, { token: lead })).text);
    answers.push((await server.request(`/api/v1/records/${r.id}/history`, { token: lead })).text);
    answers.push((await server.request('/api/v1/conflicts', { token: lead })).text);
    for (const text of answers) {
      expect(text).not.toContain(key);
      expect(text).not.toContain('citizenKey');
      expect(text).not.toContain(sealed.citizenSeal);
    }
    const stored = await storedText(db);
    expect(stored).toContain(key);
    expect(stored).not.toContain(sealed.citizenSeal);
    expect(stored).not.toContain(n);
    if (kind === 'sqlite') {
      const files = readdirSync(db.name).filter((f) => f.startsWith('sotay.sqlite'));
      const bytes = files.map((f) => readFileSync(join(db.name, f)).toString('latin1')).join('\n');
      expect(bytes).not.toContain(sealed.citizenSeal);
    }
  });

  it('refuses a citizenKey sent by a phone, naming the field, and stores nothing', async () => {
    const before = await db.count('records');
    const r = { ...fakeRecord(consent), citizenKey: 'b'.repeat(64) };
    const res = await server.push(tnv, clientId(), [createOf(r as never, 1)]);
    expect(res.body.results[0]?.status).toBe('rejected');
    expect(res.body.results[0]?.error?.details).toMatchObject({
      fields: [{ field: 'citizenKey', code: 'unknown_field' }],
    });
    const ok = fakeRecord();
    const c = clientId();
    const v = (await server.push(tnv, c, [createOf(ok, 1)])).body.results[0]?.version ?? 0;
    const edit = await server.push(tnv, c, [updateOf(ok.id, 2, v, { citizenKey: 'c'.repeat(64) } as never)]);
    expect(edit.body.results[0]?.status).toBe('rejected');
    expect(edit.body.results[0]?.error?.details).toMatchObject({
      fields: [{ field: 'citizenKey', code: 'unknown_field' }],
    });
    expect(await db.count('records')).toBe(before + 1);
    expect((await server.store.getRecord(ok.id))?.data).not.toHaveProperty('citizenKey');
  });

  it('refuses a seal that does not open, opens to no ID number, is for another record or is a contact, and stores nothing', async () => {
    const before = await db.count('records');
    const other = fakeRecord();
    const bad: string[] = [];
    const r0 = fakeRecord();
    // Sealed for another record id (the id is the associated data).
    bad.push((await sealedCitizen(contactKey, other.id, fakeIdNumber())).citizenSeal);
    // Opens, but to 12 digits that are no ID number (province 000).
    bad.push((await sealedCitizen(contactKey, r0.id, '000112345678')).citizenSeal);
    // Tampered: one character of the ciphertext changed.
    const good = (await sealedCitizen(contactKey, r0.id, fakeIdNumber())).citizenSeal;
    bad.push(good.slice(0, -2) + (good.at(-2) === 'A' ? 'B' : 'A') + good.at(-1));
    // Sealed to another server's key.
    const stranger = (await loadOrCreateKeys(join(tempDir('sotay-other-'), 'k.json'))).keys;
    bad.push((await sealedCitizen(stranger.contactPublic, r0.id, fakeIdNumber())).citizenSeal);
    for (const citizenSeal of bad) {
      const r = { ...r0, ...consent, citizenSeal };
      const res = await server.push(tnv, clientId(), [createOf(r, 1)]);
      expect(res.body.results[0]?.status, citizenSeal).toBe('rejected');
      expect(res.body.results[0]?.error?.code).toBe('invalid_record');
      expect(res.body.results[0]?.error?.details).toMatchObject({
        fields: [{ field: 'citizenSeal', code: 'seal_invalid' }],
      });
      expect(JSON.stringify(res.body)).not.toContain(citizenSeal);
    }
    // A contact's seal is made for another use: it never opens as an ID number.
    const contactSeal = await sealContact(contactKey ?? '', r0.id, { name: 'Nguyễn Văn A' });
    const asId = await server.push(tnv, clientId(), [
      createOf({ ...r0, ...consent, citizenSeal: contactSeal }, 1),
    ]);
    expect(asId.body.results[0]?.status).toBe('rejected');
    expect(await db.count('records')).toBe(before);
  });

  it('takes the ID number with the create only: an edit carrying a seal is refused', async () => {
    const r = fakeRecord();
    const c = clientId();
    const v = (await server.push(tnv, c, [createOf(r, 1)])).body.results[0]?.version ?? 0;
    const sealed = await sealedCitizen(contactKey, r.id, fakeIdNumber());
    const edit = await server.push(tnv, c, [updateOf(r.id, 2, v, sealed)]);
    expect(edit.body.results[0]?.status).toBe('rejected');
    expect(edit.body.results[0]?.error?.details).toMatchObject({
      fields: [{ field: 'citizenSeal', code: 'create_only' }],
    });
    expect((await server.store.getRecord(r.id))?.data).not.toHaveProperty('citizenKey');
  });

  it('stores a record with complete consent and sends the consent back in pull', async () => {
    const c = clientId();
    const record = fakeRecord();
    Object.assign(record, await sealedCitizen(contactKey, record.id, fakeIdNumber()));
    const res = await server.push(tnv, c, [createOf(record, 1)]);
    expect(res.body.results[0]?.status).toBe('applied');
    const pulled = await server.pull(tnv, c, null);
    const data = pulled.body.changes.find((ch) => ch.id === record.id)?.data;
    expect(data).toMatchObject(consent);
    expect(data).not.toHaveProperty('citizenKey');
    expect(data).not.toHaveProperty('citizenSeal');
  });

  it('refuses a sealed ID number without consent', async () => {
    const r = fakeRecord();
    const { citizenSeal } = await sealedCitizen(contactKey, r.id, fakeIdNumber());
    const res = await server.push(tnv, clientId(), [createOf({ ...r, citizenSeal }, 1)]);
    expect(res.body.results[0]?.status).toBe('rejected');
    expect(res.body.results[0]?.error?.details).toMatchObject({
      fields: [{ field: 'citizenSeal', code: 'consent_required' }],
    });
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

describe.each(STORE_KINDS)('migration 20261207-01: citizen secrets move to the key file on %s', (kind) => {
  let migrations: PartialMigrations | undefined;
  let db: TestDatabase | undefined;
  let server: TestServer | undefined;
  const keyDir = tempDir('sotay-keys-');
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    migrations?.remove();
    removeDir(keyDir);
  });

  it('moves the secret, empties the column, and keys new creates like the records already stored', async () => {
    migrations = migrationsUpTo(kind, '20261207-01-');
    db = await testDatabase(kind);
    const old = db.open({ migrationsDir: migrations.dir });
    await old.migrate();
    await seedDemo(old);
    // As migration 06 left it: the commune's secret in clear in the database, records keyed with it.
    const legacy = randomBytes(32).toString('hex');
    await db.exec(`UPDATE communes SET citizen_secret = '${legacy}' WHERE code = '99001'`);
    const n = fakeIdNumber();
    const oldKey = createHmac('sha256', Buffer.from(legacy, 'hex')).update(n, 'utf8').digest('hex');
    const tnvId = (await old.findUserByUsername('demo-tnv'))?.id ?? '';
    const oldRecord = { ...fakeRecord({ ...consent, occurredOn: '2024-05-02' }), citizenKey: oldKey };
    await old.close();
    // Written with the SQL of that schema: today's store writes columns of later migrations.
    await db.exec('UPDATE sync_state SET version = version + 1');
    const v = await db.version();
    const data = JSON.stringify(oldRecord);
    if (kind === 'sqlite')
      await db.exec(
        `INSERT INTO records (id, commune_code, team_id, volunteer_id, version, deleted, data, field_meta,
           created_at, updated_at, occurred_on, hamlet_id, category, outcome, citizen_no)
         VALUES (?, '99001', 'team-1', ?, ?, 0, ?, '{}', 'a', 'a', ?, ?, ?, ?, ?)`,
        [
          oldRecord.id,
          tnvId,
          v,
          data,
          oldRecord.occurredOn,
          oldRecord.hamletId,
          oldRecord.category,
          oldRecord.outcome,
          citizenNo(oldKey),
        ],
      );
    else
      await db.exec(
        `INSERT INTO records (id, commune_code, team_id, volunteer_id, version, deleted, data, field_meta,
           created_at, updated_at) VALUES ($1, '99001', 'team-1', $2, $3, false, $4, '{}', now(), now())`,
        [oldRecord.id, tnvId, v, data],
      );

    migrations.addRest();
    const keyFile = join(keyDir, 'sotay-keys.json');
    const keys = (await loadOrCreateKeys(keyFile)).keys;
    server = await startServer({ db, keys, demo: false, tuning: { migrationsDir: migrations.dir } });

    const file = JSON.parse(readFileSync(keyFile, 'utf8')) as { citizenSecrets?: Record<string, string> };
    expect(file.citizenSecrets?.['99001']).toBe(legacy);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(await db.count('communes WHERE legacy_citizen_secret IS NOT NULL')).toBe(0);
    expect(keys.citizen.secretOf('99001').toString('hex')).toBe(legacy);

    // A new sealed create of the same number: the same citizen as the old record.
    const login = await server.login('demo-tnv');
    const r = fakeRecord({ occurredOn: '2024-05-03' });
    Object.assign(r, await sealedCitizen(login.commune.contactKey, r.id, n));
    const res = await server.push(login.token, clientId(), [createOf(r, 1)]);
    expect(res.body.results[0]?.status).toBe('applied');
    expect((await server.store.getRecord(r.id))?.data.citizenKey).toBe(oldKey);
    const admin = (await server.login('demo-admin')).token;
    const tally = await server.request<TallyResponse>('/api/v1/tallies?from=2024-05-01&to=2024-05-31', {
      token: admin,
    });
    expect(tally.body.total).toEqual({ count: 2, citizens: 1 });
    // A data-subject request with the number finds both, the old record included.
    const found = await server.request<SubjectResponse>('/api/v1/privacy/subject-requests', {
      token: admin,
      body: { idNumber: n, action: 'find' },
    });
    expect(found.status, found.text).toBe(200);
    expect(found.body.records.map((x) => x.id).sort()).toEqual([oldRecord.id, r.id].sort());

    // Another process starting on the same files later finds nothing left to move, and the same secret.
    const again = (await loadOrCreateKeys(keyFile)).keys;
    expect(await moveCitizenSecrets(server.store, again)).toBe(0);
    expect(again.citizen.secretOf('99001').toString('hex')).toBe(legacy);
  });
});
