// Hand-off on both stores (docs/handoff.md): device keys, commune keys, and a lead's upload of a
// volunteer's bundle pushed on the volunteer's behalf — credited to the volunteer, idempotent with
// the volunteer's own later push, refused for another team, a revoked key or a replayed id.
import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ErrorResponse,
  sealContact,
  PushResponse,
  SCHEMA_VERSION,
  newId,
  LoginResponse,
  type GroupSession,
  type Mutation,
} from '../../src/shared/index.ts';
import {
  BundleUploadResponse,
  CommuneKeyResponse,
  TeamDeviceKeysResponse,
  encodeBundle,
  generateCommuneKey,
  generateDeviceKey,
  importEcdhPublic,
  importVerifyKey,
  toBase64Url,
  verifyReceipt,
} from '../../src/shared/handoff/index.ts';
import { revokeClientKeys, revokeDeviceKey } from '../../src/server/handoff/service.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  type TestDatabase,
  type TestServer,
} from './harness.ts';
import { fakeIdNumber, sealedCitizen } from '../support/citizen-ids.ts';
import { AdminDirectory } from '../../src/shared/admin.ts';
import { createEnrolment } from './handoff-support.ts';

describe.each(STORE_KINDS)('hand-off on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  let tnv: LoginResponse;
  let tnv2: LoginResponse;
  let lead: LoginResponse;
  let gs: LoginResponse;

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    tnv = await server.login('demo-tnv');
    tnv2 = await server.login('demo-tnv2');
    lead = await server.login('demo-lead');
    gs = await server.login('demo-gs');
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  /** A volunteer's phone: a registered device key and a clientId, making bundles of its outbox. */
  async function phone(login: LoginResponse) {
    const device = await generateDeviceKey();
    const cid = clientId();
    const reg = await server.request<{ keyId: string }>('/api/v1/handoff/device-keys', {
      token: login.token,
      body: { clientId: cid, publicKey: device.publicRaw },
    });
    expect(reg.status).toBe(200);
    expect(reg.body.keyId).toBe(device.keyId);
    const handoff = login.handoff!;
    const bundle = async (mutations: Mutation[], bundleId = newId()) =>
      toBase64Url(
        await encodeBundle({
          bundleId,
          volunteer: {
            id: login.user.id,
            username: login.user.username,
            displayName: login.user.displayName,
          },
          clientId: cid,
          schemaVersion: SCHEMA_VERSION,
          deviceKeyId: device.keyId,
          deviceKey: device.privateKey,
          communeCode: login.user.communeCode,
          communeKeyId: handoff.communeKeyId,
          communePublic: await importEcdhPublic(handoff.encryptPublic),
          mutations,
          createdAt: new Date().toISOString(),
        }),
      );
    return { device, cid, bundle };
  }

  const upload = (token: string, bundle: string) =>
    server.request<unknown>('/api/v1/handoff/bundles', { token, body: { bundle } });

  it('login carries the commune public keys; only leads and admins get the private key', async () => {
    expect(tnv.handoff?.encryptPublic).toMatch(/^[A-Za-z0-9_-]{80,}$/);
    expect(lead.handoff).toEqual(tnv.handoff);
    const forLead = await server.request('/api/v1/handoff/commune-key', { token: lead.token });
    expect(forLead.status).toBe(200);
    expect(CommuneKeyResponse.parse(forLead.body).communeKeyId).toBe(tnv.handoff?.communeKeyId);
    for (const token of [tnv.token, gs.token]) {
      const res = await server.request('/api/v1/handoff/commune-key', { token });
      expect(res.status).toBe(403);
      expect(ErrorResponse.parse(res.body).error.code).toBe('forbidden');
    }
  });

  it('the lead lists the team’s device keys (not another team’s); a bad key is a 400', async () => {
    const mine = await phone(tnv);
    const theirs = await phone(tnv2);
    const res = await server.request('/api/v1/handoff/device-keys', { token: lead.token });
    expect(res.status).toBe(200);
    const keys = TeamDeviceKeysResponse.parse(res.body).keys;
    expect(keys.find((k) => k.keyId === mine.device.keyId)).toMatchObject({
      userId: tnv.user.id,
      clientId: mine.cid,
      revoked: false,
    });
    expect(keys.some((k) => k.keyId === theirs.device.keyId)).toBe(false);
    const bad = await server.request('/api/v1/handoff/device-keys', {
      token: tnv.token,
      body: { clientId: clientId(), publicKey: 'AAAA' },
    });
    expect(bad.status).toBe(400);
    expect(ErrorResponse.parse(bad.body).error.code).toBe('invalid_request');
    // Someone else's clientId cannot carry my key.
    const spoof = await server.request('/api/v1/handoff/device-keys', {
      token: tnv2.token,
      body: { clientId: mine.cid, publicKey: (await generateDeviceKey()).publicRaw },
    });
    expect(spoof.status).toBe(403);
  });

  it('on-behalf push credits the volunteer and the volunteer’s own later push duplicates nothing', async () => {
    const p = await phone(tnv);
    const records = [fakeRecord(), fakeRecord(), fakeRecord(), fakeRecord()];
    const mutations = records.map((r, i) => createOf(r, i + 1));
    const before = await db.count('records');
    const res = await upload(lead.token, await p.bundle(mutations));
    expect(res.status).toBe(200);
    const body = BundleUploadResponse.parse(res.body);
    expect(body).toMatchObject({
      volunteerId: tnv.user.id,
      clientId: p.cid,
      count: 4,
      ackedSeq: 4,
      repeated: false,
    });
    expect(body.statuses).toEqual({ applied: 4 });
    expect(await db.count('records')).toBe(before + 4);
    for (const r of records) {
      const row = await server.store.getRecord(r.id);
      expect(row?.volunteerId).toBe(tnv.user.id);
      expect(row?.teamId).toBe('team-1');
    }
    const receipt = await verifyReceipt(body.receipt, await importVerifyKey(tnv.handoff!.receiptPublic));
    expect(receipt).toMatchObject({ clientId: p.cid, seqFrom: 1, ackedSeq: 4, volunteerId: tnv.user.id });
    expect(receipt.mutationIds).toEqual(mutations.map((m) => m.mutationId));

    const versions = await Promise.all(
      records.map(async (r) => (await server.store.getRecord(r.id))?.version),
    );
    const own = await server.push(tnv.token, p.cid, mutations);
    expect(own.status).toBe(200);
    const ownBody = PushResponse.parse(own.body);
    expect(ownBody.ackedSeq).toBe(4);
    expect(ownBody.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect(await db.count('records')).toBe(before + 4);
    const after = await Promise.all(records.map(async (r) => (await server.store.getRecord(r.id))?.version));
    expect(after).toEqual(versions);
  });

  it('a bundle’s group sessions are applied as a push applies them, and the volunteer’s later push repeats nothing', async () => {
    const p = await phone(tnv);
    const session = (over: Partial<GroupSession> = {}): GroupSession => ({
      id: newId(),
      heldOn: '2026-11-18',
      hamletId: 'thon-dong',
      place: 'Nhà văn hóa thôn Đông',
      topic: 'ai_apps',
      attendance: { 'female:60_plus': 9, 'male:18_59': 4 },
      facilitators: ['Người hướng dẫn thử'],
      ...over,
    });
    const kept = session();
    const dropped = session({ topic: 'digital_skills' });
    const refused = session({ topic: 'khong_co_chu_de_nay' });
    const record = fakeRecord();
    const asSession = (m: Omit<Mutation, 'kind'>): Mutation => ({ ...m, kind: 'session' });
    const sessionCreate = (x: GroupSession, seq: number): Mutation =>
      asSession({ seq, mutationId: newId(), recordId: x.id, op: 'upsert', baseVersion: null, patch: x });
    const mutations: Mutation[] = [
      sessionCreate(kept, 1),
      createOf(record, 2),
      sessionCreate(dropped, 3),
      asSession({
        seq: 4,
        mutationId: newId(),
        recordId: kept.id,
        op: 'upsert',
        baseVersion: 0,
        patch: { note: 'Sửa sau buổi' },
      }),
      asSession({ seq: 5, mutationId: newId(), recordId: dropped.id, op: 'delete', baseVersion: 0 }),
      sessionCreate(refused, 6),
    ];
    const sessionsBefore = await db.count('group_sessions');
    const res = await upload(lead.token, await p.bundle(mutations));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = BundleUploadResponse.parse(res.body);
    expect(body).toMatchObject({ volunteerId: tnv.user.id, clientId: p.cid, count: 6, ackedSeq: 6 });
    expect(body.statuses).toEqual({ applied: 5, rejected: 1 });
    const receipt = await verifyReceipt(body.receipt, await importVerifyKey(tnv.handoff!.receiptPublic));
    expect(receipt.mutationIds).toEqual(mutations.map((m) => m.mutationId));

    // Credited to the volunteer, in the sessions' table only; the deleted one a tombstone, the bad one nowhere.
    const [row] = await server.store.transaction((tx) => tx.getSessions([kept.id]));
    expect(row).toMatchObject({ volunteerId: tnv.user.id, teamId: 'team-1', deleted: false });
    expect(row?.data).toMatchObject({ topic: 'ai_apps', note: 'Sửa sau buổi', heldOn: '2026-11-18' });
    const [gone] = await server.store.transaction((tx) => tx.getSessions([dropped.id]));
    expect(gone?.deleted).toBe(true);
    expect(await server.store.transaction((tx) => tx.getSessions([refused.id]))).toEqual([]);
    expect(await db.count('group_sessions')).toBe(sessionsBefore + 2);
    expect(await server.store.getRecord(kept.id)).toBeNull();
    expect((await server.store.getRecord(record.id))?.volunteerId).toBe(tnv.user.id);

    // The volunteer's phone pushes the same outbox later: the stored answers, nothing written again.
    const version = row?.version;
    const historyBefore = await db.count('record_history');
    const own = PushResponse.parse((await server.push(tnv.token, p.cid, mutations)).body);
    expect(own.ackedSeq).toBe(6);
    expect(own.results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
      'applied',
      'rejected',
    ]);
    expect(await db.count('group_sessions')).toBe(sessionsBefore + 2);
    expect(await db.count('record_history')).toBe(historyBefore);
    const [again] = await server.store.transaction((tx) => tx.getSessions([kept.id]));
    expect(again?.version).toBe(version);

    // The lead reads it in the team's list, as any pushed session.
    const list = await server.request<{ sessions: { id: string }[] }>('/api/v1/sessions', {
      token: lead.token,
    });
    expect(list.status).toBe(200);
    expect(list.body.sessions.map((x) => x.id)).toContain(kept.id);
    expect(list.body.sessions.map((x) => x.id)).not.toContain(dropped.id);
  });

  it('a bundle carries the ID number sealed, never a key; the lead’s upload stores the key the server makes', async () => {
    const p = await phone(tnv);
    const n = fakeIdNumber();
    const a = fakeRecord();
    const b = fakeRecord();
    Object.assign(a, await sealedCitizen(tnv.commune.contactKey, a.id, n));
    Object.assign(b, await sealedCitizen(tnv.commune.contactKey, b.id, n));
    b.contact = await sealContact(tnv.commune.contactKey ?? '', b.id, { phone: '0900000123' });
    const res = await upload(lead.token, await p.bundle([createOf(a, 1), createOf(b, 2)]));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(BundleUploadResponse.parse(res.body).statuses).toEqual({ applied: 2 });
    const key = createHmac('sha256', server.keys.citizen.secretOf(tnv.user.communeCode))
      .update(n, 'utf8')
      .digest('hex');
    const rowA = await server.store.getRecord(a.id);
    expect(rowA?.data.citizenKey).toBe(key);
    expect(rowA?.data).not.toHaveProperty('citizenSeal');
    expect((await server.store.getRecord(b.id))?.data.citizenKey).toBe(key);
    expect(await server.store.transaction((tx) => tx.getContact(b.id))).not.toBeNull();
    expect(JSON.stringify(res.body)).not.toContain(key);
  });

  it('the volunteer syncs part first, then the lead uploads the whole outbox: only the rest is new', async () => {
    const p = await phone(tnv);
    const records = [fakeRecord(), fakeRecord(), fakeRecord()];
    const mutations = records.map((r, i) => createOf(r, i + 1));
    expect((await server.push(tnv.token, p.cid, mutations.slice(0, 1))).status).toBe(200);
    const before = await db.count('records');
    const body = BundleUploadResponse.parse((await upload(lead.token, await p.bundle(mutations))).body);
    expect(body.ackedSeq).toBe(3);
    expect(await db.count('records')).toBe(before + 2);
  });

  it('a bundle past a seq gap acknowledges nothing and can be sent again once the gap is filled', async () => {
    const p = await phone(tnv);
    const first = createOf(fakeRecord(), 1);
    const later = [createOf(fakeRecord(), 2), createOf(fakeRecord(), 3)];
    const text = await p.bundle(later);
    const count = await db.count('records');
    const stopped = BundleUploadResponse.parse((await upload(lead.token, text)).body);
    expect(stopped).toMatchObject({ ackedSeq: 0, repeated: false });
    const receipt = await verifyReceipt(stopped.receipt, await importVerifyKey(tnv.handoff!.receiptPublic));
    expect(receipt.mutationIds).toEqual([]);
    expect(await db.count('records')).toBe(count);
    expect((await server.push(tnv.token, p.cid, [first])).status).toBe(200);
    const again = BundleUploadResponse.parse((await upload(lead.token, text)).body);
    expect(again).toMatchObject({ ackedSeq: 3, repeated: false, statuses: { applied: 2 } });
    expect(await db.count('records')).toBe(count + 3);
  });

  it('uploading the same bundle again answers the stored receipt and stores nothing', async () => {
    const p = await phone(tnv);
    const text = await p.bundle([createOf(fakeRecord(), 1), createOf(fakeRecord(), 2)]);
    const first = BundleUploadResponse.parse((await upload(lead.token, text)).body);
    const count = await db.count('records');
    const again = await upload(lead.token, text);
    expect(again.status).toBe(200);
    const second = BundleUploadResponse.parse(again.body);
    expect(second.repeated).toBe(true);
    expect(second.receipt).toBe(first.receipt);
    expect(await db.count('records')).toBe(count);
  });

  it('another bundle reusing a taken bundle id is refused as a replay (409), nothing stored', async () => {
    const p = await phone(tnv);
    const id = newId();
    expect((await upload(lead.token, await p.bundle([createOf(fakeRecord(), 1)], id))).status).toBe(200);
    const count = await db.count('records');
    const res = await upload(
      lead.token,
      await p.bundle([createOf(fakeRecord(), 1), createOf(fakeRecord(), 2)], id),
    );
    expect(res.status).toBe(409);
    expect(ErrorResponse.parse(res.body).error.code).toBe('handoff_replayed');
    expect(await db.count('records')).toBe(count);
  });

  it('a bundle of another team’s volunteer is 403 and nothing is stored', async () => {
    const p = await phone(tnv2);
    const count = await db.count('records');
    const res = await upload(lead.token, await p.bundle([createOf(fakeRecord(), 1)]));
    expect(res.status).toBe(403);
    expect(ErrorResponse.parse(res.body).error.code).toBe('handoff_other_team');
    expect(await db.count('records')).toBe(count);
  });

  it('a revoked device key is refused (403) and nothing is stored', async () => {
    const p = await phone(tnv);
    await revokeDeviceKey(server.store, p.device.keyId);
    const count = await db.count('records');
    const res = await upload(lead.token, await p.bundle([createOf(fakeRecord(), 1)]));
    expect(res.status).toBe(403);
    expect(ErrorResponse.parse(res.body).error.code).toBe('handoff_revoked');
    expect(await db.count('records')).toBe(count);
    const listed = TeamDeviceKeysResponse.parse(
      (await server.request('/api/v1/handoff/device-keys', { token: lead.token })).body,
    ).keys.find((k) => k.keyId === p.device.keyId);
    expect(listed?.revoked).toBe(true);
  });

  it('revoking a device (its clientId) revokes its keys: its bundles are refused, others still pass', async () => {
    const gone = await phone(tnv);
    const kept = await phone(tnv);
    expect(await revokeClientKeys(server.store, gone.cid)).toBe(1);
    expect(await revokeClientKeys(server.store, gone.cid)).toBe(0);
    const refused = await upload(lead.token, await gone.bundle([createOf(fakeRecord(), 1)]));
    expect(refused.status).toBe(403);
    expect(ErrorResponse.parse(refused.body).error.code).toBe('handoff_revoked');
    expect((await upload(lead.token, await kept.bundle([createOf(fakeRecord(), 1)]))).status).toBe(200);
  });

  /** A phone of `userId` enrolled by the admin's QR code: its device token's login and device id. */
  async function enrolledPhone(adminToken: string, userId: string) {
    const label = `Điện thoại thử ${newId().slice(0, 8)}`;
    const enrolled = await server.request('/api/v1/auth/enrol', {
      body: { token: await createEnrolment(server, adminToken, userId), label },
    });
    expect(enrolled.status, enrolled.text).toBe(200);
    const directory = await server.request('/api/v1/admin/directory', { token: adminToken });
    const device = AdminDirectory.parse(directory.body).devices.find((d) => d.label === label);
    if (!device) throw new Error(`no device ${label} in the directory`);
    return { login: LoginResponse.parse(enrolled.body), deviceId: device.id };
  }

  it('the admin revoking one enrolled phone revokes the key it registered; the user’s other keys still pass', async () => {
    const admin = (await server.login('demo-admin')).token;
    const lost = await enrolledPhone(admin, tnv.user.id);
    const other = await enrolledPhone(admin, tnv.user.id);
    const lostPhone = await phone(lost.login);
    const otherPhone = await phone(other.login);
    // A key registered from the volunteer's password session belongs to no enrolled phone.
    const passwordPhone = await phone(tnv);
    const revoked = await server.request(`/api/v1/admin/devices/${lost.deviceId}/revoke`, {
      token: admin,
      body: {},
    });
    expect(revoked.status, revoked.text).toBe(200);

    const records = await db.count('records');
    const bundles = await db.count('handoff_bundles');
    const refused = await upload(lead.token, await lostPhone.bundle([createOf(fakeRecord(), 1)]));
    expect(refused.status).toBe(403);
    expect(ErrorResponse.parse(refused.body).error.code).toBe('handoff_revoked');
    expect(await db.count('records')).toBe(records);
    expect(await db.count('handoff_bundles')).toBe(bundles);
    const keys = TeamDeviceKeysResponse.parse(
      (await server.request('/api/v1/handoff/device-keys', { token: lead.token })).body,
    ).keys;
    expect(keys.find((k) => k.keyId === lostPhone.device.keyId)?.revoked).toBe(true);
    expect(keys.find((k) => k.keyId === otherPhone.device.keyId)?.revoked).toBe(false);

    expect((await upload(lead.token, await otherPhone.bundle([createOf(fakeRecord(), 1)]))).status).toBe(200);
    expect((await upload(lead.token, await passwordPhone.bundle([createOf(fakeRecord(), 1)]))).status).toBe(
      200,
    );
  });

  it('a bundle for another commune, or encrypted to another key, is 400 handoff_wrong_commune', async () => {
    const p = await phone(tnv);
    const other = await generateCommuneKey();
    const count = await db.count('records');
    const make = async (communeCode: string, encryptPublic: string) =>
      toBase64Url(
        await encodeBundle({
          bundleId: newId(),
          volunteer: { id: tnv.user.id, username: tnv.user.username, displayName: tnv.user.displayName },
          clientId: p.cid,
          schemaVersion: SCHEMA_VERSION,
          deviceKeyId: p.device.keyId,
          deviceKey: p.device.privateKey,
          communeCode,
          communeKeyId: tnv.handoff!.communeKeyId,
          communePublic: await importEcdhPublic(encryptPublic),
          mutations: [createOf(fakeRecord(), 1)],
          createdAt: new Date().toISOString(),
        }),
      );
    for (const bundle of [
      await make('99999', tnv.handoff!.encryptPublic),
      await make(tnv.user.communeCode, other.encryptPublic),
    ]) {
      const res = await upload(lead.token, bundle);
      expect(res.status).toBe(400);
      expect(ErrorResponse.parse(res.body).error.code).toBe('handoff_wrong_commune');
    }
    expect(await db.count('records')).toBe(count);
  });

  it('tampered, truncated, unregistered or garbage bundles are 400 with their code; volunteers cannot upload', async () => {
    const p = await phone(tnv);
    const good = await p.bundle([createOf(fakeRecord(), 1), createOf(fakeRecord(), 2)]);
    const bytes = Buffer.from(good, 'base64url');
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 80] = (flipped[bytes.length - 80] ?? 0) ^ 1;
    const stranger = await generateDeviceKey();
    const unregistered = toBase64Url(
      await encodeBundle({
        bundleId: newId(),
        volunteer: { id: tnv.user.id, username: 'demo-tnv', displayName: 'x' },
        clientId: p.cid,
        schemaVersion: SCHEMA_VERSION,
        deviceKeyId: stranger.keyId,
        deviceKey: stranger.privateKey,
        communeCode: tnv.user.communeCode,
        communeKeyId: tnv.handoff!.communeKeyId,
        communePublic: await importEcdhPublic(tnv.handoff!.encryptPublic),
        mutations: [createOf(fakeRecord(), 1)],
        createdAt: new Date().toISOString(),
      }),
    );
    const count = await db.count('records');
    const cases: [string, string][] = [
      [flipped.toString('base64url'), 'handoff_tampered'],
      [bytes.subarray(0, bytes.length - 10).toString('base64url'), 'handoff_truncated'],
      [unregistered, 'handoff_unknown_device'],
      [Buffer.from('hello, not a bundle').toString('base64url'), 'handoff_corrupt'],
    ];
    for (const [text, code] of cases) {
      const res = await upload(lead.token, text);
      expect(res.status).toBe(400);
      expect(ErrorResponse.parse(res.body).error.code).toBe(code);
    }
    const malformed = await server.request('/api/v1/handoff/bundles', {
      token: lead.token,
      body: { bundle: 42 },
    });
    expect(malformed.status).toBe(400);
    const byVolunteer = await upload(tnv.token, good);
    expect(byVolunteer.status).toBe(403);
    expect(await db.count('records')).toBe(count);
  });
});
