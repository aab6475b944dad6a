// Devices over real HTTP on both stores: QR enrolment (one-time, expiring, never a password), each
// device its own revocable token, and the distinct refusals a phone wipes its data on.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { AdminDevice, AdminDirectory, EnrolmentResponse } from '../../src/shared/admin.ts';
import { ENROLMENT_TTL_MS } from '../../src/shared/enrolment.ts';
import { ErrorResponse, LoginResponse } from '../../src/shared/index.ts';
import { hashToken } from '../../src/server/auth/tokens.ts';
import {
  STORE_KINDS,
  clientId,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  type TestDatabase,
  type TestServer,
} from './harness.ts';
import { OTHER_PASSWORD, seedOtherCommune } from './admin-support.ts';

const code = (body: unknown): string => ErrorResponse.parse(body).error.code;

describe.each(STORE_KINDS)('devices on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  let admin: string;

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    await seedOtherCommune(server);
    admin = (await server.login('demo-admin')).token;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const userId = async (username: string): Promise<string> => {
    const res = await server.request('/api/v1/admin/directory', { token: admin });
    const id = AdminDirectory.parse(res.body).users.find((u) => u.username === username)?.id;
    if (!id) throw new Error(`no user ${username}`);
    return id;
  };
  const createEnrolment = async (username: string) => {
    const res = await server.request(`/api/v1/admin/users/${await userId(username)}/enrolments`, {
      token: admin,
      body: {},
    });
    expect(res.status).toBe(201);
    return EnrolmentResponse.parse(res.body);
  };
  const enrol = (token: string, label?: string) =>
    server.request('/api/v1/auth/enrol', {
      body: label === undefined ? { token } : { token, label },
      headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 13) Chrome/131.0 Mobile' },
    });
  const devices = async () => {
    const res = await server.request('/api/v1/admin/directory', { token: admin });
    return AdminDirectory.parse(res.body).devices;
  };

  it('trades an enrolment token for a device token and the login payload, once', async () => {
    const enrolment = await createEnrolment('demo-tnv');
    expect(Date.parse(enrolment.expiresAt) - Date.now()).toBeGreaterThan(ENROLMENT_TTL_MS - 60_000);
    // Only the hash is stored.
    expect(await db.count('enrolments')).toBeGreaterThan(0);
    const first = await enrol(enrolment.token, 'Điện thoại của An');
    expect(first.status).toBe(200);
    const login = LoginResponse.parse(first.body);
    expect(login.user.username).toBe('demo-tnv');
    expect(login.commune.hamlets.length).toBeGreaterThan(0);
    expect(login.token).not.toBe(enrolment.token);
    expect((await server.pull(login.token, clientId(), null)).status).toBe(200);

    const mine = (await devices()).filter((d) => d.label === 'Điện thoại của An');
    expect(mine).toHaveLength(1);
    expect(mine[0]?.userId).toBe(await userId('demo-tnv'));

    const again = await enrol(enrolment.token);
    expect(again.status).toBe(410);
    expect(code(again.body)).toBe('enrolment_used');
    expect((await devices()).filter((d) => d.label === 'Điện thoại của An')).toHaveLength(1);
  });

  it("gives a lead enrolled by QR the team members' names, as a login does", async () => {
    const res = await enrol((await createEnrolment('demo-lead')).token);
    expect(res.status).toBe(200);
    const team = LoginResponse.parse(res.body).team ?? [];
    expect(team.map((m) => m.name).sort()).toEqual(['Lê Văn Cường (demo)', 'Nguyễn Văn An (demo)']);
    expect(team).toContainEqual({ id: await userId('demo-tnv'), name: 'Nguyễn Văn An (demo)' });
  });

  it('names a device from its browser when the phone gives no label', async () => {
    const enrolment = await createEnrolment('demo-tnv2');
    const res = await enrol(enrolment.token);
    const token = LoginResponse.parse(res.body).token;
    expect(token).toBeTruthy();
    expect((await devices()).map((d) => d.label)).toContain('Android · Chrome');
  });

  it('refuses an expired enrolment (clock moved past 24 hours) and an unknown one', async () => {
    const enrolment = await createEnrolment('demo-tnv');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + ENROLMENT_TTL_MS + 1000 });
    const late = await enrol(enrolment.token);
    expect(late.status).toBe(410);
    expect(code(late.body)).toBe('enrolment_expired');
    vi.useRealTimers();
    // Expiry refused it without using it up.
    expect((await server.store.findEnrolment(hashToken(enrolment.token)))?.usedAt).toBeNull();
    const unknown = await enrol('A'.repeat(43));
    expect(unknown.status).toBe(400);
    expect(code(unknown.body)).toBe('enrolment_invalid');
    const malformed = await server.request('/api/v1/auth/enrol', { body: { token: 'short', extra: 1 } });
    expect(malformed.status).toBe(400);
    expect(code(malformed.body)).toBe('invalid_request');
  });

  it('accepts an enrolment just before it expires', async () => {
    const enrolment = await createEnrolment('demo-lead');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + ENROLMENT_TTL_MS - 60_000 });
    const res = await enrol(enrolment.token);
    expect(res.status).toBe(200);
  });

  it('refuses the enrolment of a user disabled after it was made', async () => {
    const enrolment = await createEnrolment('demo-tnv');
    const id = await userId('demo-tnv');
    await server.request(`/api/v1/admin/users/${id}`, { token: admin, body: { active: false } });
    const res = await enrol(enrolment.token);
    expect(res.status).toBe(401);
    expect(code(res.body)).toBe('account_disabled');
    const more = await server.request(`/api/v1/admin/users/${id}/enrolments`, { token: admin, body: {} });
    expect(code(more.body)).toBe('account_disabled');
    await server.request(`/api/v1/admin/users/${id}`, { token: admin, body: { active: true } });
  });

  it('refuses a revoked device at its next contact with device_revoked, push included; other devices go on', async () => {
    const phone = LoginResponse.parse(
      (await enrol((await createEnrolment('demo-tnv')).token, 'Máy mất')).body,
    );
    const other = LoginResponse.parse(
      (await enrol((await createEnrolment('demo-tnv')).token, 'Máy còn')).body,
    );
    const cid = clientId();
    const first = fakeRecord();
    const pushed = await server.push(phone.token, cid, [
      {
        mutationId: crypto.randomUUID(),
        seq: 1,
        op: 'upsert',
        recordId: first.id,
        baseVersion: 0,
        patch: first,
      },
    ]);
    expect(pushed.status).toBe(200);

    const lost = (await devices()).find((d) => d.label === 'Máy mất');
    const res = await server.request(`/api/v1/admin/devices/${lost?.id}/revoke`, { token: admin, body: {} });
    expect(res.status).toBe(200);
    const revoked = AdminDevice.parse(res.body);
    expect(revoked.revokedAt).not.toBeNull();

    const versionBefore = await db.version();
    const r = fakeRecord();
    const push = await server.push(phone.token, cid, [
      { mutationId: crypto.randomUUID(), seq: 2, op: 'upsert', recordId: r.id, baseVersion: 0, patch: r },
    ]);
    expect(push.status).toBe(401);
    expect(code(push.body)).toBe('device_revoked');
    expect(await db.version()).toBe(versionBefore);
    const pull = await server.pull(phone.token, cid, null);
    expect(code(pull.body)).toBe('device_revoked');
    const report = await server.request('/api/v1/devices/report', { token: phone.token, body: {} });
    expect(report.status).toBe(401);
    expect(code(report.body)).toBe('device_revoked');

    expect((await server.pull(other.token, clientId(), null)).status).toBe(200);

    // Revoking again keeps the first revocation.
    const again = await server.request(`/api/v1/admin/devices/${lost?.id}/revoke`, {
      token: admin,
      body: {},
    });
    expect(AdminDevice.parse(again.body).revokedAt).toBe(revoked.revokedAt);
  });

  it('records last contact, written at most every five minutes', async () => {
    const phone = LoginResponse.parse(
      (await enrol((await createEnrolment('demo-tnv2')).token, 'Máy đo')).body,
    );
    const at = (await devices()).find((d) => d.label === 'Máy đo')?.lastSeenAt ?? '';
    await server.pull(phone.token, clientId(), null);
    expect((await devices()).find((d) => d.label === 'Máy đo')?.lastSeenAt).toBe(at);
    const later = Date.now() + 6 * 60 * 1000;
    vi.useFakeTimers({ toFake: ['Date'], now: later });
    await server.pull(phone.token, clientId(), null);
    vi.useRealTimers();
    const seen = Date.parse((await devices()).find((d) => d.label === 'Máy đo')?.lastSeenAt ?? '');
    expect(Math.abs(seen - later)).toBeLessThan(5000);
  });

  it('answers account_disabled (not device_revoked) when the user is disabled', async () => {
    const phone = LoginResponse.parse(
      (await enrol((await createEnrolment('demo-tnv2')).token, 'Máy B')).body,
    );
    const id = await userId('demo-tnv2');
    await server.request(`/api/v1/admin/users/${id}`, { token: admin, body: { active: false } });
    const res = await server.pull(phone.token, clientId(), null);
    expect(res.status).toBe(401);
    expect(code(res.body)).toBe('account_disabled');
    await server.request(`/api/v1/admin/users/${id}`, { token: admin, body: { active: true } });
  });

  it('refuses unknown fields on enrolment and revocation with 400, making and revoking nothing', async () => {
    const id = await userId('demo-lead');
    const before = await db.count('enrolments');
    const enrolment = await server.request(`/api/v1/admin/users/${id}/enrolments`, {
      token: admin,
      body: { expiresInDays: 365 },
    });
    expect(enrolment.status).toBe(400);
    expect(code(enrolment.body)).toBe('invalid_request');
    expect(await db.count('enrolments')).toBe(before);
    const device = (await devices()).find((d) => d.revokedAt === null);
    const revoke = await server.request(`/api/v1/admin/devices/${device?.id}/revoke`, {
      token: admin,
      body: { revokedAt: '2000-01-01T00:00:00.000Z' },
    });
    expect(revoke.status).toBe(400);
    expect((await devices()).find((d) => d.id === device?.id)?.revokedAt).toBeNull();
  });

  it('stores only the hash of an enrolment token', async () => {
    const enrolment = await createEnrolment('demo-lead');
    const store = server.store;
    expect(await store.findEnrolment(enrolment.token)).toBeNull();
    expect((await store.findEnrolment(hashToken(enrolment.token)))?.usedAt).toBeNull();
  });

  it("lets no admin enrol or revoke another commune's phones", async () => {
    const otherAdmin = (await server.login('other-admin', OTHER_PASSWORD)).token;
    const tnv = await userId('demo-tnv');
    const res = await server.request(`/api/v1/admin/users/${tnv}/enrolments`, {
      token: otherAdmin,
      body: {},
    });
    expect(res.status).toBe(404);
    const lead = (await server.login('demo-lead')).token;
    const byLead = await server.request(`/api/v1/admin/users/${tnv}/enrolments`, { token: lead, body: {} });
    expect(byLead.status).toBe(403);
  });
});
