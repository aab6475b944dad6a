// Every role × every route, with the expected status from one table: anonymous, a volunteer and a
// lead of the record's team and of another team, the supervisor, the admin, and the admin of
// another commune. The route list comes from the app: a route missing from the table fails.
import { fakeIdNumber } from '../support/citizen-ids.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_REPORT_SETTINGS, SCHEMA_VERSION, newId, topicsOrDefault } from '../../src/shared/index.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { SHIPPED_EDITION } from '../../src/server/http/cards.ts';
import { DEMO_COMMUNE } from '../../src/server/demo.ts';
import {
  addTableFixtures,
  createEnrolment,
  freshDevicePublicKey,
  routesOf,
  volunteerBundle,
} from './handoff-support.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  type RequestOptions,
  type TestServer,
} from './harness.ts';

const CALLERS = {
  anonymous: null,
  volunteer: 'demo-tnv',
  volunteerOtherTeam: 'demo-tnv2',
  lead: 'demo-lead',
  leadOtherTeam: 'test-lead2',
  supervisor: 'demo-gs',
  admin: 'demo-admin',
  adminOtherCommune: 'test-admin-khac',
} as const;
type Caller = keyof typeof CALLERS;

interface Ctx {
  /** A record of demo-tnv (team 1). */
  recordId: string;
  /** A group session of demo-tnv (team 1). */
  sessionId: string;
  /** A volunteer of team 1 in commune 99001, made for the admin's routes. */
  userId: string;
  /** A team and a hamlet of commune 99001, made for the admin's routes. */
  teamId: string;
  hamletId: string;
  /** An enrolled phone of that volunteer. */
  deviceId: string;
  /** Unused enrolment tokens of that volunteer: each call of the enrol route takes one. */
  enrolTokens: string[];
  /** A bundle of demo-tnv (team 1), for the lead's upload. */
  bundle: string;
}

interface Row {
  path: (ctx: Ctx) => string;
  /** The request besides method, path and token (a fresh body per call). */
  request?: (ctx: Ctx) => RequestOptions;
  /** Each call gets a token of its own (the route ends the session). */
  freshToken?: true;
  expect: Record<Caller, number>;
}

const day = 'from=2025-10-01&to=2025-10-31';
let usernames = 0;
/** A username not taken yet (the admin's POST /admin/users makes one per call). */
const newUsername = (): string => `${process.pid}-${(usernames += 1)}`;
const all = (status: number): Record<Caller, number> => ({
  anonymous: status,
  volunteer: status,
  volunteerOtherTeam: status,
  lead: status,
  leadOtherTeam: status,
  supervisor: status,
  admin: status,
  adminOtherCommune: status,
});
const signedIn = (status: number, except: Partial<Record<Caller, number>> = {}): Record<Caller, number> => ({
  ...all(status),
  anonymous: 401,
  ...except,
});
const reviewers = (status: number, except: Partial<Record<Caller, number>> = {}): Record<Caller, number> =>
  signedIn(status, { volunteer: 403, volunteerOtherTeam: 403, ...except });
const writers = (status: number): Record<Caller, number> =>
  signedIn(status, { supervisor: 403, admin: 403, adminOtherCommune: 403 });
const admins = (status: number): Record<Caller, number> =>
  signedIn(403, { admin: status, adminOtherCommune: status });
/** The commune admin's routes on a thing of commune 99001: another commune's admin gets 404. */
const communeAdmin = (status: number): Record<Caller, number> =>
  signedIn(403, { admin: status, adminOtherCommune: 404 });
/** Reading one record of team 1 in commune 99001. */
const teamOneRecord = (status: number): Record<Caller, number> =>
  signedIn(status, { volunteerOtherTeam: 403, leadOtherTeam: 403, adminOtherCommune: 403 });

const MATRIX: Record<string, Row> = {
  'GET /api/health': { path: () => '/api/health', expect: all(200) },
  'GET /': { path: () => '/', expect: all(200) },
  // Public, and refused for everyone once a commune exists (docs/operations.md, first run).
  'POST /api/setup': {
    path: () => '/api/setup',
    request: () => ({ body: { token: 'x'.repeat(43) } }),
    expect: all(409),
  },
  'OPTIONS *': { path: () => '/api/v1/sync/pull', expect: all(404) },
  'POST /api/v1/auth/login': {
    path: () => '/api/v1/auth/login',
    request: () => ({ body: { username: 'demo-gs', password: 'demo' } }),
    expect: all(200),
  },
  'POST /api/v1/auth/logout': { path: () => '/api/v1/auth/logout', freshToken: true, expect: signedIn(204) },
  'POST /api/v1/sync/push': {
    path: () => '/api/v1/sync/push',
    request: () => ({
      body: { clientId: clientId(), schemaVersion: SCHEMA_VERSION, mutations: [createOf(fakeRecord(), 1)] },
    }),
    expect: writers(200),
  },
  'POST /api/v1/sync/pull': {
    path: () => '/api/v1/sync/pull',
    request: () => ({ body: { clientId: clientId(), cursor: null } }),
    expect: signedIn(200),
  },
  'GET /api/v1/records/:id': { path: (c) => `/api/v1/records/${c.recordId}`, expect: teamOneRecord(200) },
  'GET /api/v1/records/:id/contact': {
    path: (c) => `/api/v1/records/${c.recordId}/contact`,
    // Volunteers never read contacts back (docs/privacy.md).
    expect: { ...teamOneRecord(200), volunteer: 403 },
  },
  'GET /api/v1/records/:id/history': {
    path: (c) => `/api/v1/records/${c.recordId}/history`,
    expect: teamOneRecord(200),
  },
  'GET /api/v1/conflicts': { path: () => '/api/v1/conflicts', expect: reviewers(200) },
  // Only a province reader's token passes (tests/server/province.test.ts): no commune account does.
  'GET /api/v1/province/tallies': { path: () => `/api/v1/province/tallies?${day}`, expect: all(401) },
  'GET /api/v1/tallies': { path: () => `/api/v1/tallies?${day}&groupBy=hamlet`, expect: signedIn(200) },
  'GET /api/v1/tallies/records': {
    path: () => `/api/v1/tallies/records?${day}&category=vneid_l1`,
    expect: signedIn(200),
  },
  'GET /api/v1/tallies/sessions': {
    path: () => `/api/v1/tallies/sessions?${day}&groupBy=topic`,
    expect: signedIn(200),
  },
  'PUT /api/v1/targets': {
    path: () => '/api/v1/targets',
    request: () => ({
      method: 'PUT',
      body: { period: { from: '2025-10-01', to: '2025-12-31' }, category: 'vneid_l1', target: 45 },
    }),
    expect: admins(200),
  },
  'GET /api/v1/targets': { path: () => `/api/v1/targets?${day}`, expect: reviewers(200) },
  'POST /api/v1/records/:id/review': {
    path: (c) => `/api/v1/records/${c.recordId}/review`,
    request: () => ({ body: { state: 'received' } }),
    expect: reviewers(200, { leadOtherTeam: 403, adminOtherCommune: 403 }),
  },
  'POST /api/v1/devices/report': {
    path: () => '/api/v1/devices/report',
    request: () => ({
      body: { clientId: clientId(), periodCounts: [], pending: 0, at: '2025-10-15T08:00:00.000+07:00' },
    }),
    expect: writers(204),
  },
  'GET /api/v1/reconciliation': { path: () => `/api/v1/reconciliation?${day}`, expect: reviewers(200) },
  'GET /api/v1/report': { path: () => `/api/v1/report?${day}`, expect: reviewers(200) },
  'GET /api/v1/report-settings': { path: () => '/api/v1/report-settings', expect: reviewers(200) },
  'PUT /api/v1/report-settings': {
    path: () => '/api/v1/report-settings',
    request: () => ({ method: 'PUT', body: { ...DEFAULT_REPORT_SETTINGS, signerName: 'Người Ký Thử' } }),
    expect: admins(200),
  },
  'GET /api/v1/cards': { path: () => '/api/v1/cards', expect: signedIn(200) },
  'POST /api/v1/cards': {
    path: () => '/api/v1/cards',
    request: () => ({ body: { source: SHIPPED_EDITION.source, cards: SHIPPED_EDITION.cards } }),
    expect: admins(200),
  },
  'GET /api/v1/session-topics': { path: () => '/api/v1/session-topics', expect: signedIn(200) },
  'PUT /api/v1/session-topics': {
    path: () => '/api/v1/session-topics',
    request: () => ({ method: 'PUT', body: { topics: topicsOrDefault([]) } }),
    expect: admins(200),
  },
  'GET /api/v1/sessions': { path: () => `/api/v1/sessions?${day}`, expect: reviewers(200) },
  'POST /api/v1/sessions/:id/review': {
    path: (c) => `/api/v1/sessions/${c.sessionId}/review`,
    request: () => ({ body: { state: 'received' } }),
    expect: reviewers(200, { leadOtherTeam: 403, adminOtherCommune: 403 }),
  },
  'GET /api/v1/export/logs.csv': { path: () => `/api/v1/export/logs.csv?${day}`, expect: signedIn(200) },
  'GET /api/v1/export/logs.xlsx': { path: () => `/api/v1/export/logs.xlsx?${day}`, expect: signedIn(200) },
  'GET /api/v1/export/sessions.csv': {
    path: () => `/api/v1/export/sessions.csv?${day}`,
    expect: signedIn(200),
  },
  'GET /api/v1/audit': { path: () => '/api/v1/audit', expect: admins(200) },
  'POST /api/v1/privacy/subject-requests': {
    path: () => '/api/v1/privacy/subject-requests',
    request: () => ({ body: { idNumber: fakeIdNumber(), action: 'find' } }),
    expect: admins(200),
  },
  'POST /api/v1/auth/enrol': {
    path: () => '/api/v1/auth/enrol',
    // Public: whoever holds an unused token gets a device session (a bearer token changes nothing).
    request: (c) => ({ body: { token: c.enrolTokens.shift(), label: 'Điện thoại thử' } }),
    expect: all(200),
  },
  'GET /api/v1/admin/directory': { path: () => '/api/v1/admin/directory', expect: admins(200) },
  'POST /api/v1/admin/users': {
    path: () => '/api/v1/admin/users',
    // A supervisor needs no team, so another commune's admin can make one in their own commune.
    request: () => ({
      body: { username: `test-gs-${newUsername()}`, displayName: 'Giám sát mới (test)', role: 'supervisor' },
    }),
    expect: admins(201),
  },
  'POST /api/v1/admin/users/import/preview': {
    path: () => '/api/v1/admin/users/import/preview',
    request: () => ({
      body: {
        file: Buffer.from('Họ tên;Tên đăng nhập;Vai trò;Tổ\nAi (test);test-ai;tnv;Tổ CNS số 1\n').toString(
          'base64',
        ),
      },
    }),
    expect: admins(200),
  },
  'POST /api/v1/admin/users/import/commit': {
    path: () => '/api/v1/admin/users/import/commit',
    // A team of commune 99001 by name: another commune's admin does not find it (a row problem, 400).
    request: () => ({
      body: {
        rows: [
          {
            line: 2,
            name: 'Người nhập (test)',
            username: `test-nhap-${newUsername()}`,
            role: 'tnv',
            team: 'Tổ CNS số 1',
          },
        ],
      },
    }),
    expect: signedIn(403, { admin: 201, adminOtherCommune: 400 }),
  },
  'POST /api/v1/admin/users/:id': {
    path: (c) => `/api/v1/admin/users/${c.userId}`,
    request: () => ({ body: { displayName: 'Tình nguyện viên đổi tên (test)' } }),
    expect: communeAdmin(200),
  },
  'POST /api/v1/admin/users/:id/enrolments': {
    path: (c) => `/api/v1/admin/users/${c.userId}/enrolments`,
    request: () => ({ body: {} }),
    expect: communeAdmin(201),
  },
  'POST /api/v1/admin/teams': {
    path: () => '/api/v1/admin/teams',
    request: () => ({ body: { name: 'Tổ mới (test)' } }),
    expect: admins(201),
  },
  'POST /api/v1/admin/teams/:id': {
    path: (c) => `/api/v1/admin/teams/${c.teamId}`,
    request: () => ({ body: { name: 'Tổ đổi tên (test)' } }),
    expect: communeAdmin(200),
  },
  'POST /api/v1/admin/hamlets': {
    path: () => '/api/v1/admin/hamlets',
    request: () => ({ body: { name: 'Thôn mới (test)' } }),
    expect: admins(201),
  },
  'POST /api/v1/admin/hamlets/:id': {
    path: (c) => `/api/v1/admin/hamlets/${c.hamletId}`,
    request: () => ({ body: { name: 'Thôn đổi tên (test)', active: true } }),
    expect: communeAdmin(200),
  },
  'POST /api/v1/admin/devices/:id/revoke': {
    path: (c) => `/api/v1/admin/devices/${c.deviceId}/revoke`,
    expect: communeAdmin(200),
  },
  'POST /api/v1/handoff/device-keys': {
    path: () => '/api/v1/handoff/device-keys',
    request: () => ({ body: { clientId: clientId(), publicKey: freshDevicePublicKey() } }),
    expect: signedIn(403, { volunteer: 200, volunteerOtherTeam: 200, lead: 200, leadOtherTeam: 200 }),
  },
  'GET /api/v1/handoff/device-keys': {
    path: () => '/api/v1/handoff/device-keys',
    expect: signedIn(403, { lead: 200, leadOtherTeam: 200 }),
  },
  'GET /api/v1/handoff/commune-key': {
    path: () => '/api/v1/handoff/commune-key',
    expect: signedIn(403, { lead: 200, leadOtherTeam: 200, admin: 200, adminOtherCommune: 200 }),
  },
  'POST /api/v1/handoff/bundles': {
    path: () => '/api/v1/handoff/bundles',
    // The same bytes for every caller: the lead of team 1 uploads it (200), the lead of team 2 is
    // refused even though the server has it stored by then (403 handoff_other_team).
    request: (c) => ({ body: { bundle: c.bundle } }),
    expect: signedIn(403, { lead: 200 }),
  },
};

describe.each(STORE_KINDS)('access matrix on %s', (kind) => {
  let server: TestServer;
  const tokens = new Map<Caller, string>();
  const ctx = {} as Ctx;

  setupAll(async () => {
    server = await startServer({ db: await testDatabase(kind) });
    const passwordHash = await hashPassword('demo');
    await server.store.transaction(async (tx) => {
      await tx.insertCommune('99002', 'Xã thử khác (test)');
      await tx.insertTeam({ id: 'team-khac', communeCode: '99002', name: 'Tổ thử khác' });
      await tx.insertUser({
        id: newId(),
        username: CALLERS.adminOtherCommune,
        displayName: 'Quản trị xã khác (test)',
        passwordHash,
        role: 'admin',
        communeCode: '99002',
        teamId: null,
        active: true,
      });
      await tx.insertUser({
        id: newId(),
        username: CALLERS.leadOtherTeam,
        displayName: 'Tổ trưởng tổ 2 (test)',
        passwordHash,
        role: 'lead',
        communeCode: DEMO_COMMUNE.code,
        teamId: 'team-2',
        active: true,
      });
    });
    for (const [caller, username] of Object.entries(CALLERS) as [Caller, string | null][])
      if (username !== null) tokens.set(caller, (await server.login(username)).token);
    const record = fakeRecord();
    const pushed = await server.push(tokens.get('volunteer') ?? '', clientId(), [createOf(record, 1)]);
    expect(pushed.body.results[0]?.status).toBe('applied');
    ctx.recordId = record.id;
    const session = {
      id: newId(),
      heldOn: '2025-10-15',
      hamletId: 'thon-dong',
      place: 'Nhà văn hóa thôn (thử)',
      topic: 'ai_apps',
      attendance: { 'female:60_plus': 4 },
      facilitators: ['Người hướng dẫn thử'],
    };
    const logged = await server.push(tokens.get('volunteer') ?? '', clientId(), [
      {
        seq: 1,
        mutationId: newId(),
        recordId: session.id,
        kind: 'session',
        op: 'upsert',
        baseVersion: null,
        patch: session,
      },
    ]);
    expect(logged.body.results[0]?.status).toBe('applied');
    ctx.sessionId = session.id;
    Object.assign(ctx, await addTableFixtures(server, tokens.get('admin') ?? '', passwordHash));
    ctx.enrolTokens = [];
    // One per caller: the enrol row takes one for each.
    for (let i = 0; i < Object.keys(CALLERS).length; i += 1)
      ctx.enrolTokens.push(await createEnrolment(server, tokens.get('admin') ?? '', ctx.userId));
    ctx.bundle = await volunteerBundle(server, await server.login(CALLERS.volunteer));
  });

  afterAll(async () => {
    await server?.stop();
    await server?.db.drop();
  });

  it('has a row for every route the app serves, and none for a route it does not', () => {
    const routes = routesOf(server);
    expect(
      routes.filter((r) => !(r in MATRIX)),
      'routes missing from MATRIX',
    ).toEqual([]);
    expect(
      Object.keys(MATRIX).filter((r) => !routes.includes(r)),
      'rows for no route',
    ).toEqual([]);
  });

  for (const [route, row] of Object.entries(MATRIX)) {
    it(`${route} answers each caller as the table says`, async () => {
      const method = route.split(' ')[0] ?? 'GET';
      const got: Partial<Record<Caller, number>> = {};
      for (const caller of Object.keys(CALLERS) as Caller[]) {
        const username = CALLERS[caller];
        let token = tokens.get(caller);
        if (row.freshToken && username !== null) token = (await server.login(username)).token;
        const res = await server.request(row.path(ctx), { method, token, ...row.request?.(ctx) });
        got[caller] = res.status;
        if (res.status >= 400) expect(res.text, `${caller}: ${res.text}`).toContain('"code"');
      }
      expect(got).toEqual(row.expect);
    });
  }

  it('refuses a revoked token everywhere it refuses no token', async () => {
    const token = (await server.login('demo-admin')).token;
    expect((await server.request('/api/v1/auth/logout', { method: 'POST', token })).status).toBe(204);
    for (const [route, row] of Object.entries(MATRIX)) {
      if (row.expect.anonymous !== 401) continue;
      const method = route.split(' ')[0] ?? 'GET';
      const res = await server.request(row.path(ctx), { method, token, ...row.request?.(ctx) });
      expect(res.status, route).toBe(401);
    }
  });
});
