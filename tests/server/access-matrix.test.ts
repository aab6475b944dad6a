// Every role × every route, with the expected status from one table: anonymous, a volunteer and a
// lead of the record's team and of another team, the supervisor, the admin, and the admin of
// another commune. The route list comes from the app: a route missing from the table fails.
import { fakeIdNumber } from '../support/citizen-ids.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, newId } from '../../src/shared/index.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { DEMO_COMMUNE } from '../../src/server/demo.ts';
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
/** Reading one record of team 1 in commune 99001. */
const teamOneRecord = (status: number): Record<Caller, number> =>
  signedIn(status, { volunteerOtherTeam: 403, leadOtherTeam: 403, adminOtherCommune: 403 });

const MATRIX: Record<string, Row> = {
  'GET /api/health': { path: () => '/api/health', expect: all(200) },
  'GET /': { path: () => '/', expect: all(200) },
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
  'GET /api/v1/records/:id/history': {
    path: (c) => `/api/v1/records/${c.recordId}/history`,
    expect: teamOneRecord(200),
  },
  'GET /api/v1/conflicts': { path: () => '/api/v1/conflicts', expect: reviewers(200) },
  'GET /api/v1/tallies': { path: () => `/api/v1/tallies?${day}&groupBy=hamlet`, expect: signedIn(200) },
  'GET /api/v1/tallies/records': {
    path: () => `/api/v1/tallies/records?${day}&category=vneid_l1`,
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
  'GET /api/v1/export/logs.csv': { path: () => `/api/v1/export/logs.csv?${day}`, expect: signedIn(200) },
  'GET /api/v1/export/logs.xlsx': { path: () => `/api/v1/export/logs.xlsx?${day}`, expect: signedIn(200) },
  'GET /api/v1/audit': { path: () => '/api/v1/audit', expect: admins(200) },
  'POST /api/v1/privacy/subject-requests': {
    path: () => '/api/v1/privacy/subject-requests',
    request: () => ({ body: { idNumber: fakeIdNumber(), action: 'find' } }),
    expect: admins(200),
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
  });

  afterAll(async () => {
    await server?.stop();
    await server?.db.drop();
  });

  it('has a row for every route the app serves, and none for a route it does not', () => {
    const routes = [
      ...new Set(server.app.routeTable.filter((r) => r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`)),
    ];
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
