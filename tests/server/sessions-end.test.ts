// An admin's change to an account ends its sessions, on both stores: a password reset, a role
// change, a team change and disabling each refuse the user's old password token and enrolled
// device token with 401, while a new sign-in works (once the account is enabled again), and revoke
// the hand-off signing keys of the user's phones (a stolen phone signs no bundle a lead would upload).
import { afterAll, describe, expect, it } from 'vitest';
import { AdminUser, EnrolmentResponse } from '../../src/shared/admin.ts';
import { ErrorResponse, LoginResponse } from '../../src/shared/index.ts';
import {
  STORE_KINDS,
  clientId,
  setupAll,
  startServer,
  testDatabase,
  type TestDatabase,
  type TestServer,
} from './harness.ts';
import { freshDevicePublicKey } from './handoff-support.ts';

const code = (body: unknown): string => ErrorResponse.parse(body).error.code;
const PASSWORD = 'mat-khau-ban-dau';
const NEW_PASSWORD = 'mat-khau-moi-dat';

interface Change {
  name: string;
  body: Record<string, unknown>;
  /** The code the old tokens hear. */
  refusal: string;
  /** Undone before the new login, when the change itself forbids one. */
  undo?: Record<string, unknown>;
  password: string;
}

const CHANGES: Change[] = [
  {
    name: 'a password reset',
    body: { password: NEW_PASSWORD },
    refusal: 'unauthorized',
    password: NEW_PASSWORD,
  },
  { name: 'a role change', body: { role: 'lead' }, refusal: 'unauthorized', password: PASSWORD },
  { name: 'a team change', body: { teamId: 'team-2' }, refusal: 'unauthorized', password: PASSWORD },
  {
    name: 'disabling',
    body: { active: false },
    // The phone of a disabled account still hears why (and wipes, docs/operations.md).
    refusal: 'account_disabled',
    undo: { active: true },
    password: PASSWORD,
  },
];

describe.each(STORE_KINDS)('sessions ended by an admin on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  let admin: string;
  let n = 0;

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    admin = (await server.login('demo-admin')).token;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  /** A fresh volunteer of team 1 with a password token and an enrolled device token. */
  const volunteer = async () => {
    const username = `test-tnv-phien-${++n}`;
    const made = await server.request('/api/v1/admin/users', {
      token: admin,
      body: {
        username,
        displayName: `Người thử ${n}`,
        role: 'volunteer',
        teamId: 'team-1',
        password: PASSWORD,
      },
    });
    expect(made.status).toBe(201);
    const id = AdminUser.parse(made.body).id;
    const password = (await server.login(username, PASSWORD)).token;
    const enrolment = await server.request(`/api/v1/admin/users/${id}/enrolments`, {
      token: admin,
      body: {},
    });
    const enrolled = await server.request('/api/v1/auth/enrol', {
      body: { token: EnrolmentResponse.parse(enrolment.body).token, label: `Máy ${n}` },
    });
    expect(enrolled.status).toBe(200);
    const device = LoginResponse.parse(enrolled.body).token;
    for (const token of [password, device])
      expect((await server.pull(token, clientId(), null)).status).toBe(200);
    // The enrolled phone's hand-off signing key, as the app registers it.
    const key = await server.request('/api/v1/handoff/device-keys', {
      token: device,
      body: { clientId: clientId(), publicKey: freshDevicePublicKey() },
    });
    expect(key.status, key.text).toBe(200);
    return { id, username, password, device };
  };

  const liveKeys = (userId: string): Promise<number> =>
    db.count(`handoff_device_keys WHERE user_id = '${userId}' AND revoked_at IS NULL`);

  it.each(CHANGES)(
    '$name ends the password token, the device token and the hand-off keys of the user',
    async (change) => {
      const user = await volunteer();
      expect(await liveKeys(user.id)).toBe(1);
      const res = await server.request(`/api/v1/admin/users/${user.id}`, { token: admin, body: change.body });
      expect(res.status).toBe(200);
      expect(await liveKeys(user.id)).toBe(0);
      for (const token of [user.password, user.device]) {
        const refused = await server.pull(token, clientId(), null);
        expect(refused.status).toBe(401);
        expect(code(refused.body)).toBe(change.refusal);
      }
      if (change.undo) {
        expect(
          (await server.request(`/api/v1/admin/users/${user.id}`, { token: admin, body: change.undo }))
            .status,
        ).toBe(200);
        // Enabling the account again does not bring the old sessions back.
        for (const token of [user.password, user.device]) {
          const refused = await server.pull(token, clientId(), null);
          expect(refused.status).toBe(401);
          expect(code(refused.body)).toBe('unauthorized');
        }
      }
      const fresh = await server.login(user.username, change.password);
      expect((await server.pull(fresh.token, clientId(), null)).status).toBe(200);
      // Signed in again, the phone has a new clientId and registers a new key: hand-off works again.
      const again = await server.request('/api/v1/handoff/device-keys', {
        token: fresh.token,
        body: { clientId: clientId(), publicKey: freshDevicePublicKey() },
      });
      expect(again.status, again.text).toBe(200);
      expect(await liveKeys(user.id)).toBe(1);
    },
  );

  it('a change of the display name alone, or a role set to the same role, keeps the sessions', async () => {
    const user = await volunteer();
    const res = await server.request(`/api/v1/admin/users/${user.id}`, {
      token: admin,
      body: { displayName: 'Tên khác (test)', role: 'volunteer', teamId: 'team-1', active: true },
    });
    expect(res.status).toBe(200);
    for (const token of [user.password, user.device])
      expect((await server.pull(token, clientId(), null)).status).toBe(200);
    expect(await liveKeys(user.id)).toBe(1);
  });

  it("ends no other user's sessions", async () => {
    const user = await volunteer();
    const other = await volunteer();
    await server.request(`/api/v1/admin/users/${user.id}`, {
      token: admin,
      body: { password: NEW_PASSWORD },
    });
    expect((await server.pull(other.password, clientId(), null)).status).toBe(200);
    expect((await server.pull(other.device, clientId(), null)).status).toBe(200);
  });

  it('expires an enrolment QR code made before the change, and a new one works', async () => {
    const user = await volunteer();
    const before = await server.request(`/api/v1/admin/users/${user.id}/enrolments`, {
      token: admin,
      body: {},
    });
    await server.request(`/api/v1/admin/users/${user.id}`, { token: admin, body: { teamId: 'team-2' } });
    const late = await server.request('/api/v1/auth/enrol', {
      body: { token: EnrolmentResponse.parse(before.body).token },
    });
    expect(late.status).toBe(410);
    expect(code(late.body)).toBe('enrolment_expired');
    const after = await server.request(`/api/v1/admin/users/${user.id}/enrolments`, {
      token: admin,
      body: {},
    });
    const fresh = await server.request('/api/v1/auth/enrol', {
      body: { token: EnrolmentResponse.parse(after.body).token },
    });
    expect(fresh.status).toBe(200);
  });
});
