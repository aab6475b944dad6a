// Shared set-up of the route tables (access matrix, bad input) for the admin and hand-off routes:
// an enrolled device, fresh device keys and a real, signed and encrypted bundle of a volunteer.
// Generated data only.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { AdminDirectory, EnrolmentResponse } from '../../src/shared/admin.ts';
import { SCHEMA_VERSION, newId, type LoginResponse, type Mutation } from '../../src/shared/index.ts';
import {
  encodeBundle,
  generateDeviceKey,
  importEcdhPublic,
  toBase64Url,
} from '../../src/shared/handoff/index.ts';
import { DEMO_COMMUNE } from '../../src/server/demo.ts';
import { clientId, createOf, fakeRecord, type TestServer } from './harness.ts';

/** A new ECDSA P-256 public key (raw point, base64url), made synchronously for a table's request. */
export function freshDevicePublicKey(): string {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x ?? '', 'base64url');
  const y = Buffer.from(jwk.y ?? '', 'base64url');
  return toBase64Url(new Uint8Array([4, ...x, ...y]));
}

/** A one-time enrolment token for `userId`, made by the admin. */
export async function createEnrolment(
  server: TestServer,
  adminToken: string,
  userId: string,
): Promise<string> {
  const res = await server.request(`/api/v1/admin/users/${userId}/enrolments`, {
    token: adminToken,
    body: {},
  });
  expect(res.status, res.text).toBe(201);
  return EnrolmentResponse.parse(res.body).token;
}

/** Enrols a phone for `userId` and answers the new device's id. */
export async function enrolDevice(server: TestServer, adminToken: string, userId: string): Promise<string> {
  // Eight hex characters hold at most 8 digits; a UUID's digit groups joined by dashes can pass for an ID number.
  const label = `Điện thoại thử ${randomBytes(4).toString('hex')}`;
  const enrolled = await server.request('/api/v1/auth/enrol', {
    body: { token: await createEnrolment(server, adminToken, userId), label },
  });
  expect(enrolled.status, enrolled.text).toBe(200);
  const directory = await server.request('/api/v1/admin/directory', { token: adminToken });
  const device = AdminDirectory.parse(directory.body).devices.find((d) => d.label === label);
  if (!device) throw new Error(`no device ${label} in the directory`);
  return device.id;
}

/**
 * A volunteer's bundle of one new record (base64url), or of `mutations`, signed with a device key
 * registered for the volunteer and encrypted to the commune key: what the volunteer's lead uploads.
 */
export async function volunteerBundle(
  server: TestServer,
  volunteer: LoginResponse,
  mutations: Mutation[] = [createOf(fakeRecord(), 1)],
): Promise<string> {
  const device = await generateDeviceKey();
  const cid = clientId();
  const reg = await server.request('/api/v1/handoff/device-keys', {
    token: volunteer.token,
    body: { clientId: cid, publicKey: device.publicRaw },
  });
  expect(reg.status, reg.text).toBe(200);
  const handoff = volunteer.handoff;
  if (!handoff) throw new Error('the login answer carries no hand-off keys');
  return toBase64Url(
    await encodeBundle({
      bundleId: newId(),
      volunteer: {
        id: volunteer.user.id,
        username: volunteer.user.username,
        displayName: volunteer.user.displayName,
      },
      clientId: cid,
      schemaVersion: SCHEMA_VERSION,
      deviceKeyId: device.keyId,
      deviceKey: device.privateKey,
      communeCode: volunteer.user.communeCode,
      communeKeyId: handoff.communeKeyId,
      communePublic: await importEcdhPublic(handoff.encryptPublic),
      mutations,
      createdAt: new Date().toISOString(),
    }),
  );
}

/** Every route the app serves, as `METHOD /url` (HEAD twins left out): what the tables must cover. */
export function routesOf(server: TestServer): string[] {
  return [
    ...new Set(server.app.routeTable.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`)),
  ];
}

export interface TableFixtures {
  userId: string;
  teamId: string;
  hamletId: string;
  deviceId: string;
}

/**
 * A team, a hamlet and a volunteer of team 1 in the demo commune that the admin rows may change
 * freely (the demo accounts stay as they are), and an enrolled device of that volunteer.
 */
export async function addTableFixtures(
  server: TestServer,
  adminToken: string,
  passwordHash: string,
): Promise<TableFixtures> {
  const userId = newId();
  const teamId = 'team-bang';
  const hamletId = 'thon-bang';
  await server.store.transaction(async (tx) => {
    await tx.insertTeam({ id: teamId, communeCode: DEMO_COMMUNE.code, name: 'Tổ thử bảng (test)' });
    await tx.insertHamlet({ id: hamletId, communeCode: DEMO_COMMUNE.code, name: 'Thôn thử', sortOrder: 99 });
    await tx.insertUser({
      id: userId,
      username: 'test-tnv-bang',
      displayName: 'Tình nguyện viên thử (test)',
      passwordHash,
      role: 'volunteer',
      communeCode: DEMO_COMMUNE.code,
      teamId: 'team-1',
      active: true,
    });
  });
  return { userId, teamId, hamletId, deviceId: await enrolDevice(server, adminToken, userId) };
}
