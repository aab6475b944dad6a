// Two communes on one server and database: each role of commune B tries every route of the app's
// route table on commune A's things and gets a refusal or an answer holding none of A's data.
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  SCHEMA_VERSION,
  TALLY_DIMENSIONS,
  newId,
  topicsOrDefault,
  sealContact,
  type LoginResponse,
} from '../../src/shared/index.ts';
import { AdminDirectory } from '../../src/shared/admin.ts';
import { SHIPPED_EDITION } from '../../src/server/http/cards.ts';
import { DEMO_ACCOUNTS, DEMO_COMMUNE, DEMO_HAMLETS, DEMO_TEAMS } from '../../src/server/demo.ts';
import { fakeIdNumber, sealedCitizen } from '../support/citizen-ids.ts';
import { createEnrolment, freshDevicePublicKey, routesOf, volunteerBundle } from './handoff-support.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  deleteOf,
  fakeRecord,
  setupAll,
  startServer,
  testDatabase,
  updateOf,
  type Answer,
  type RequestOptions,
  type TestServer,
} from './harness.ts';
import { seedSecondCommune, type SecondCommune } from './second-commune.ts';
import { insertSessionRow } from './session-rows.ts';

// Two communes' worth of logins (scrypt), keys and bundles: longer than the default hook time on
// a busy machine.
vi.setConfig({ hookTimeout: 60_000 });

const B_CALLERS = ['volunteer', 'lead', 'supervisor', 'admin'] as const;
type BCaller = (typeof B_CALLERS)[number];

const PERIOD = 'from=2025-10-01&to=2025-10-31';
// Generated, not a person: a made-up name and a number in the unassigned 0900 000 xxx range.
const A_CONTACT = { name: 'Người Thử Xã A', phone: '0900000456', dossierCode: 'TEST-XA-0001' };

interface Ctx {
  b: SecondCommune;
  /** A's records: of demo-tnv (team 1, with a sealed ID number and a contact) and demo-tnv2 (team 2). */
  aRecords: string[];
  /** A group session of A's demo-tnv (team 1), reviewed by A's lead. */
  aSession: string;
  /** A record only in a bundle of A that A never uploaded. */
  aBundledOnly: string;
  aRecordVersion: number;
  aUserIds: string[];
  aDeviceId: string;
  aClientId: string;
  aCursor: string;
  aBundle: string;
  aFreshBundle: string;
  /** One ID number given to a citizen helped in A and in B (each commune has its own citizenKey). */
  sharedIdNumber: string;
  bRecords: string[];
  bEnrolTokens: string[];
  /** Every string that is commune A's: ids, names, notes, keys. */
  markers: string[];
  /** A group session of commune A, stored directly for the sessions' tallies and export. */
  aReportSession: string;
}

interface Attempt extends RequestOptions {
  path: string;
  /** The statuses allowed; default: any answer below 500. */
  expect?: number[];
  /** Text the caller sent inside an encoded body (a base64 spreadsheet), which the answer may echo. */
  sentText?: string;
}

interface Row {
  attempts: (ctx: Ctx, caller: BCaller) => Attempt[] | Promise<Attempt[]>;
  /** Each attempt gets a token of its own (the route ends the session). */
  freshToken?: true;
}

const sentIn = (a: Attempt): string => `${a.path} ${JSON.stringify(a.body ?? null)} ${a.sentText ?? ''}`;

/** The markers of A in `text`, leaving out what the caller sent itself (an id in the path, echoed). */
function leaksIn(text: string, markers: readonly string[], sent: string): string[] {
  return markers.filter((m) => text.includes(m) && !sent.includes(m));
}

async function xlsxText(bytes: ArrayBuffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes);
  const cells: string[] = [];
  wb.eachSheet((sheet) =>
    sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value ?? '')))),
  );
  return cells.join('\n');
}

/** A spreadsheet of one volunteer in A's first team, named as A names it. */
const A_TEAM_SHEET = `Họ tên;Tên đăng nhập;Vai trò;Tổ\nNgười của B;xb-nhap-1;tnv;${DEMO_TEAMS[0].name}\n`;

const ROWS: Record<string, Row> = {
  // Set-up is over once any commune exists: nobody, of any commune, can run it again.
  'POST /api/setup': {
    attempts: () => [{ path: '/api/setup', body: { token: 'x'.repeat(43) }, expect: [409] }],
  },
  // B's admin looks for A's team by name: not found (a row problem), and nothing of A comes back.
  'POST /api/v1/admin/users/import/preview': {
    attempts: (_c, caller) => [
      {
        path: '/api/v1/admin/users/import/preview',
        body: { file: Buffer.from(A_TEAM_SHEET).toString('base64') },
        sentText: A_TEAM_SHEET,
        expect: caller === 'admin' ? [200] : [403],
      },
    ],
  },
  'POST /api/v1/admin/users/import/commit': {
    attempts: (_c, caller) => [
      {
        path: '/api/v1/admin/users/import/commit',
        body: {
          rows: [
            { line: 2, name: 'Người của B', username: 'xb-nhap-2', role: 'tnv', team: DEMO_TEAMS[0].name },
          ],
        },
        expect: caller === 'admin' ? [400] : [403],
      },
    ],
  },
  'GET /api/health': { attempts: () => [{ path: '/api/health', expect: [200] }] },
  'GET /': { attempts: () => [{ path: '/' }] },
  'OPTIONS *': { attempts: () => [{ path: '/api/v1/sync/pull', method: 'OPTIONS' }] },
  'POST /api/v1/auth/login': {
    attempts: (c, caller) => [
      {
        path: '/api/v1/auth/login',
        body: { username: c.b.accounts[caller].username, password: 'demo' },
        expect: [200],
      },
      // B's password with A's username: no way into A.
      { path: '/api/v1/auth/login', body: { username: 'demo-admin', password: 'khong-dung' }, expect: [401] },
    ],
  },
  'POST /api/v1/auth/logout': {
    freshToken: true,
    attempts: () => [{ path: '/api/v1/auth/logout', method: 'POST', expect: [204] }],
  },
  'POST /api/v1/sync/push': {
    attempts: (c, caller) => {
      const writer = caller === 'volunteer' || caller === 'lead';
      const [a1 = '', a2 = ''] = c.aRecords;
      return [
        {
          path: '/api/v1/sync/push',
          body: {
            clientId: clientId(),
            schemaVersion: SCHEMA_VERSION,
            mutations: [
              updateOf(a1, 1, c.aRecordVersion, { note: 'B sửa bản ghi của A' }),
              deleteOf(a2, 2, null),
              // A create that reuses A's id, and one in A's hamlet.
              { ...createOf(fakeRecord({ hamletId: c.b.hamlets[0]?.id }), 3), recordId: a1 },
              createOf(fakeRecord({ hamletId: DEMO_HAMLETS[0].id }), 4),
              // A record of B's own hamlet handed to A's volunteer.
              createOf(fakeRecord({ hamletId: c.b.hamlets[0]?.id }), 5),
            ].map((m, i) => {
              if (i === 2 && m.patch) return { ...m, patch: { ...m.patch, id: a1 } };
              if (i === 4 && m.patch) return { ...m, patch: { ...m.patch, volunteerId: c.aUserIds[0] } };
              return m;
            }),
          },
          expect: writer ? [200] : [403],
        },
        // A's sync client, replaying its first seq: A's stored answer must not come back.
        {
          path: '/api/v1/sync/push',
          body: {
            clientId: c.aClientId,
            schemaVersion: SCHEMA_VERSION,
            mutations: [createOf(fakeRecord({ hamletId: c.b.hamlets[0]?.id }), 1)],
          },
          expect: [403],
        },
      ];
    },
  },
  'POST /api/v1/sync/pull': {
    attempts: (c) => [
      { path: '/api/v1/sync/pull', body: { clientId: clientId(), cursor: null }, expect: [200] },
      // A's cursor, and A's own clientId.
      { path: '/api/v1/sync/pull', body: { clientId: clientId(), cursor: c.aCursor }, expect: [200, 400] },
      { path: '/api/v1/sync/pull', body: { clientId: c.aClientId, cursor: null }, expect: [403] },
    ],
  },
  'GET /api/v1/records/:id': {
    attempts: (c) => c.aRecords.map((id) => ({ path: `/api/v1/records/${id}`, expect: [403, 404] })),
  },
  'GET /api/v1/records/:id/contact': {
    attempts: (c) => c.aRecords.map((id) => ({ path: `/api/v1/records/${id}/contact`, expect: [403, 404] })),
  },
  'GET /api/v1/records/:id/history': {
    attempts: (c) => c.aRecords.map((id) => ({ path: `/api/v1/records/${id}/history`, expect: [403, 404] })),
  },
  'GET /api/v1/conflicts': {
    attempts: () => [{ path: '/api/v1/conflicts' }, { path: '/api/v1/conflicts?since=0' }],
  },
  'GET /api/v1/tallies': {
    attempts: () => [
      { path: `/api/v1/tallies?${PERIOD}`, expect: [200] },
      ...TALLY_DIMENSIONS.map((d) => ({ path: `/api/v1/tallies?${PERIOD}&groupBy=${d}`, expect: [200] })),
      { path: `/api/v1/tallies?${PERIOD}&groupBy=hamlet,team,volunteer`, expect: [200] },
      // Filtered on A's hamlet: nothing of A is counted.
      {
        path: `/api/v1/tallies?${PERIOD}&groupBy=hamlet&hamlet=${DEMO_HAMLETS[0].id}`,
        expect: [200, 400],
      },
      { path: `/api/v1/tallies?from=2000-01-01&to=2099-12-31&groupBy=volunteer`, expect: [200, 400] },
    ],
  },
  'GET /api/v1/tallies/records': {
    attempts: (c) => [
      { path: `/api/v1/tallies/records?${PERIOD}`, expect: [200] },
      { path: `/api/v1/tallies/records?${PERIOD}&hamlet=${DEMO_HAMLETS[0].id}`, expect: [200, 400] },
      { path: `/api/v1/tallies/records?${PERIOD}&team=${DEMO_TEAMS[0].id}`, expect: [200, 400] },
      ...c.aUserIds.map((id) => ({
        path: `/api/v1/tallies/records?${PERIOD}&volunteer=${id}`,
        expect: [200, 400],
      })),
    ],
  },
  'GET /api/v1/tallies/sessions': {
    attempts: () => [
      { path: `/api/v1/tallies/sessions?${PERIOD}&groupBy=team`, expect: [200] },
      { path: `/api/v1/tallies/sessions?${PERIOD}&hamlet=${DEMO_HAMLETS[0].id}`, expect: [200, 400] },
      { path: `/api/v1/tallies/sessions?${PERIOD}&team=${DEMO_TEAMS[0].id}`, expect: [200, 400] },
    ],
  },
  'PUT /api/v1/targets': {
    attempts: (_c, caller) => [
      {
        path: '/api/v1/targets',
        method: 'PUT',
        body: {
          period: { from: '2025-10-01', to: '2025-12-31' },
          category: 'vneid_l1',
          target: 10,
          hamletId: DEMO_HAMLETS[0].id,
        },
        expect: caller === 'admin' ? [400] : [403],
      },
      {
        path: '/api/v1/targets',
        method: 'PUT',
        body: { period: { from: '2025-10-01', to: '2025-12-31' }, category: 'can_cuoc', target: 10 },
        expect: caller === 'admin' ? [200] : [403],
      },
    ],
  },
  'GET /api/v1/targets': {
    attempts: (_c, caller) => [
      {
        path: `/api/v1/targets?from=2025-01-01&to=2025-12-31`,
        expect: caller === 'volunteer' ? [403] : [200],
      },
    ],
  },
  // The report and its settings are the caller's commune's (or team's): nothing of A to read, and
  // settings written by B's admin land in B.
  'GET /api/v1/report': {
    attempts: (_c, caller) => [
      {
        path: `/api/v1/report?from=2025-01-01&to=2025-12-31`,
        expect: caller === 'volunteer' ? [403] : [200],
      },
    ],
  },
  'GET /api/v1/report-settings': {
    attempts: (_c, caller) => [
      { path: '/api/v1/report-settings', expect: caller === 'volunteer' ? [403] : [200] },
    ],
  },
  'PUT /api/v1/report-settings': {
    attempts: (_c, caller) => [
      {
        path: '/api/v1/report-settings',
        method: 'PUT',
        body: {
          issuer: 'UBND XÃ B',
          numberSuffix: 'BC-UBND',
          addressees: [],
          bases: [],
          recipients: [],
          signerCapacity: '',
          signerTitle: 'CHỦ TỊCH',
          signerName: 'Người Ký B',
        },
        expect: caller === 'admin' ? [200] : [403],
      },
    ],
  },
  'GET /api/v1/cards': {
    attempts: () => [{ path: '/api/v1/cards', expect: [200] }],
  },
  'POST /api/v1/cards': {
    attempts: (_c, caller) => [
      {
        path: '/api/v1/cards',
        method: 'POST',
        body: { source: 'Nguồn của xã B', cards: SHIPPED_EDITION.cards },
        expect: caller === 'admin' ? [200] : [403],
      },
    ],
  },
  'GET /api/v1/session-topics': {
    attempts: () => [{ path: '/api/v1/session-topics', expect: [200] }],
  },
  // B's admin keeps B's list; A's list (in the snapshot) stays as A's admin left it.
  'PUT /api/v1/session-topics': {
    attempts: (_c, caller) => [
      {
        path: '/api/v1/session-topics',
        method: 'PUT',
        body: {
          topics: [...topicsOrDefault([]), { code: 'b_only', label: 'Chủ đề của xã B', active: true }],
        },
        expect: caller === 'admin' ? [200] : [403],
      },
    ],
  },
  'GET /api/v1/sessions': {
    attempts: (_c, caller) => [
      { path: `/api/v1/sessions`, expect: caller === 'volunteer' ? [403] : [200] },
      // A's team named by B: B's lead may not ask, B's supervisor and admin find nothing of A.
      {
        path: `/api/v1/sessions?teamId=${DEMO_TEAMS[0].id}`,
        expect: caller === 'volunteer' ? [403] : [200, 403],
      },
    ],
  },
  'POST /api/v1/sessions/:id/review': {
    attempts: (c) => [
      {
        path: `/api/v1/sessions/${c.aSession}/review`,
        body: { state: 'rejected', comment: 'B từ chối' },
        expect: [403, 404],
      },
    ],
  },
  'POST /api/v1/records/:id/review': {
    attempts: (c) =>
      c.aRecords.map((id) => ({
        path: `/api/v1/records/${id}/review`,
        body: { state: 'rejected', comment: 'B từ chối' },
        expect: [403, 404],
      })),
  },
  'POST /api/v1/devices/report': {
    attempts: (c) => [
      {
        path: '/api/v1/devices/report',
        body: { clientId: c.aClientId, periodCounts: [], pending: 0, at: '2025-10-15T08:00:00.000+07:00' },
        expect: [403],
      },
    ],
  },
  'GET /api/v1/reconciliation': {
    attempts: (_c, caller) => [
      { path: `/api/v1/reconciliation?${PERIOD}`, expect: caller === 'volunteer' ? [403] : [200] },
    ],
  },
  'GET /api/v1/export/logs.csv': {
    attempts: () => [
      { path: `/api/v1/export/logs.csv?${PERIOD}`, expect: [200] },
      { path: `/api/v1/export/logs.csv?from=2000-01-01&to=2099-12-31`, expect: [200, 400] },
    ],
  },
  'GET /api/v1/export/logs.xlsx': {
    attempts: () => [
      { path: `/api/v1/export/logs.xlsx?${PERIOD}`, expect: [200] },
      { path: `/api/v1/export/logs.xlsx?from=2000-01-01&to=2099-12-31`, expect: [200, 400] },
    ],
  },
  'GET /api/v1/export/sessions.csv': {
    attempts: () => [
      { path: `/api/v1/export/sessions.csv?${PERIOD}`, expect: [200] },
      { path: `/api/v1/export/sessions.csv?from=2000-01-01&to=2099-12-31`, expect: [200, 400] },
    ],
  },
  // The province's counts take a province reader's token: no commune account reads them.
  'GET /api/v1/province/tallies': {
    attempts: () => [{ path: `/api/v1/province/tallies?${PERIOD}`, expect: [401] }],
  },
  'GET /api/v1/audit': {
    attempts: (c, caller) => [
      { path: '/api/v1/audit?limit=200', expect: caller === 'admin' ? [200] : [403] },
      ...c.aUserIds.map((id) => ({
        path: `/api/v1/audit?limit=200&userId=${id}`,
        expect: caller === 'admin' ? [200] : [403],
      })),
    ],
  },
  'POST /api/v1/privacy/subject-requests': {
    attempts: (c, caller) =>
      (['find', 'export'] as const).flatMap((action) =>
        [undefined, 'csv' as const].map((format) => ({
          path: '/api/v1/privacy/subject-requests',
          body: { idNumber: c.sharedIdNumber, action, ...(format && action === 'export' ? { format } : {}) },
          expect: caller === 'admin' ? [200] : [403],
        })),
      ),
  },
  'POST /api/v1/auth/enrol': {
    attempts: (c) => [
      {
        path: '/api/v1/auth/enrol',
        body: { token: c.bEnrolTokens.shift(), label: 'Điện thoại xã B' },
        expect: [200],
      },
    ],
  },
  'GET /api/v1/admin/directory': {
    attempts: (_c, caller) => [
      { path: '/api/v1/admin/directory', expect: caller === 'admin' ? [200] : [403] },
    ],
  },
  'POST /api/v1/admin/users': {
    attempts: (_c, caller) => [
      // Into A's team: refused (a volunteer needs a team of the admin's own commune).
      {
        path: '/api/v1/admin/users',
        body: {
          username: `xb-moi-${newId().slice(-8)}`,
          displayName: 'Người mới xã B',
          role: 'volunteer',
          teamId: DEMO_TEAMS[0].id,
        },
        expect: caller === 'admin' ? [400, 404] : [403],
      },
      // Usernames are one namespace for the whole deployment (a login names no commune): A's is
      // taken, and the answer says only that.
      {
        path: '/api/v1/admin/users',
        body: { username: 'demo-tnv', displayName: 'Người trùng tên xã B', role: 'supervisor' },
        expect: caller === 'admin' ? [409] : [403],
      },
    ],
  },
  'POST /api/v1/admin/users/:id': {
    attempts: (c, caller) =>
      c.aUserIds.map((id) => ({
        path: `/api/v1/admin/users/${id}`,
        body: { displayName: 'B đổi tên người của A', active: false },
        expect: caller === 'admin' ? [404] : [403],
      })),
  },
  'POST /api/v1/admin/users/:id/enrolments': {
    attempts: (c, caller) =>
      c.aUserIds.map((id) => ({
        path: `/api/v1/admin/users/${id}/enrolments`,
        body: {},
        expect: caller === 'admin' ? [404] : [403],
      })),
  },
  'POST /api/v1/admin/teams': {
    attempts: (_c, caller) => [
      {
        path: '/api/v1/admin/teams',
        body: { name: 'Tổ mới của xã B' },
        expect: caller === 'admin' ? [201] : [403],
      },
    ],
  },
  'POST /api/v1/admin/teams/:id': {
    attempts: (_c, caller) =>
      DEMO_TEAMS.map((t) => ({
        path: `/api/v1/admin/teams/${t.id}`,
        body: { name: 'B đổi tên tổ của A' },
        expect: caller === 'admin' ? [404] : [403],
      })),
  },
  'POST /api/v1/admin/hamlets': {
    attempts: (_c, caller) => [
      {
        path: '/api/v1/admin/hamlets',
        body: { name: 'Ấp mới của xã B' },
        expect: caller === 'admin' ? [201] : [403],
      },
    ],
  },
  'POST /api/v1/admin/hamlets/:id': {
    attempts: (_c, caller) =>
      DEMO_HAMLETS.map((h) => ({
        path: `/api/v1/admin/hamlets/${h.id}`,
        body: { name: 'B đổi tên thôn của A', active: false },
        expect: caller === 'admin' ? [404] : [403],
      })),
  },
  'POST /api/v1/admin/devices/:id/revoke': {
    attempts: (c, caller) => [
      {
        path: `/api/v1/admin/devices/${c.aDeviceId}/revoke`,
        method: 'POST',
        expect: caller === 'admin' ? [404] : [403],
      },
    ],
  },
  'POST /api/v1/handoff/device-keys': {
    attempts: (c, caller) => [
      // A's sync client: B cannot bind a key to it.
      {
        path: '/api/v1/handoff/device-keys',
        body: { clientId: c.aClientId, publicKey: freshDevicePublicKey() },
        expect: caller === 'volunteer' || caller === 'lead' ? [403, 409] : [403],
      },
    ],
  },
  'GET /api/v1/handoff/device-keys': {
    attempts: (_c, caller) => [
      { path: '/api/v1/handoff/device-keys', expect: caller === 'lead' ? [200] : [403] },
    ],
  },
  'GET /api/v1/handoff/commune-key': {
    attempts: (_c, caller) => [
      {
        path: '/api/v1/handoff/commune-key',
        expect: caller === 'lead' || caller === 'admin' ? [200] : [403],
      },
    ],
  },
  'POST /api/v1/handoff/bundles': {
    // A bundle A already uploaded, and one A never did: B's lead imports neither.
    attempts: (c) => [
      { path: '/api/v1/handoff/bundles', body: { bundle: c.aBundle }, expect: [400, 403, 404, 409, 422] },
      {
        path: '/api/v1/handoff/bundles',
        body: { bundle: c.aFreshBundle },
        expect: [400, 403, 404, 409, 422],
      },
    ],
  },
};

describe.each(STORE_KINDS)('two communes on one %s database', (kind) => {
  let server: TestServer;
  const ctx = {} as Ctx;
  const a = {} as Record<'tnv' | 'tnv2' | 'lead' | 'gs' | 'admin', LoginResponse>;
  const bTokens = new Map<BCaller, string>();

  /** A's directory, records and targets as A's admin reads them: what B's attempts must not change. */
  async function aSnapshot(): Promise<unknown> {
    const token = a.admin.token;
    const dir = AdminDirectory.parse((await server.request('/api/v1/admin/directory', { token })).body);
    const records = [];
    for (const id of ctx.aRecords)
      records.push((await server.request(`/api/v1/records/${id}`, { token })).body);
    return {
      users: dir.users.map((u) => [u.id, u.username, u.displayName, u.role, u.teamId, u.active]),
      teams: dir.teams,
      hamlets: dir.hamlets,
      devices: dir.devices.map((d) => [d.id, d.revokedAt]),
      records,
      targets: (await server.request(`/api/v1/targets?from=2025-01-01&to=2025-12-31`, { token })).body,
      bundledOnly: (await server.request(`/api/v1/records/${ctx.aBundledOnly}`, { token })).status,
      reportSettings: (await server.request('/api/v1/report-settings', { token })).body,
      cards: (await server.request('/api/v1/cards', { token })).body,
      sessionTopics: (await server.request('/api/v1/session-topics', { token })).body,
      sessions: (await server.request('/api/v1/sessions', { token })).body,
      reportTotals: (
        (await server.request(`/api/v1/report?from=2025-01-01&to=2025-12-31`, { token })).body as {
          totals: unknown;
        }
      ).totals,
    };
  }
  let before: unknown;

  setupAll(async () => {
    server = await startServer({ db: await testDatabase(kind) });
    ctx.b = await seedSecondCommune(server.store);
    for (const [key, username] of [
      ['tnv', 'demo-tnv'],
      ['tnv2', 'demo-tnv2'],
      ['lead', 'demo-lead'],
      ['gs', 'demo-gs'],
      ['admin', 'demo-admin'],
    ] as const)
      a[key] = await server.login(username);
    for (const caller of B_CALLERS)
      bTokens.set(caller, (await server.login(ctx.b.accounts[caller].username)).token);

    // Commune A: records (one with a sealed ID number and a contact), an edit that loses a value
    // (a conflict), a review, a target, a device report, an enrolled phone, a hand-off bundle.
    ctx.sharedIdNumber = fakeIdNumber();
    const contactKey = a.tnv.commune.contactKey;
    const r1 = fakeRecord({ hamletId: DEMO_HAMLETS[0].id, note: 'Ghi chú của xã A số một' });
    Object.assign(r1, await sealedCitizen(contactKey, r1.id, ctx.sharedIdNumber));
    Object.assign(r1, { contact: await sealContact(contactKey ?? '', r1.id, A_CONTACT) });
    const r2 = fakeRecord({ hamletId: DEMO_HAMLETS[1].id, note: 'Ghi chú của xã A số hai' });
    ctx.aClientId = clientId();
    const p1 = await server.push(a.tnv.token, ctx.aClientId, [createOf(r1, 1)]);
    expect(p1.body.results[0]?.status, p1.text).toBe('applied');
    const p2 = await server.push(a.tnv2.token, clientId(), [createOf(r2, 1)]);
    expect(p2.body.results[0]?.status, p2.text).toBe('applied');
    const e1 = await server.push(a.tnv.token, ctx.aClientId, [
      updateOf(r1.id, 2, 1, { note: 'Xã A sửa lần một' }),
    ]);
    expect(e1.body.results[0]?.status, e1.text).toBe('applied');
    const e2 = await server.push(a.lead.token, clientId(), [
      updateOf(r1.id, 1, 1, { note: 'Xã A sửa lần hai' }),
    ]);
    expect(e2.status, e2.text).toBe(200);
    // A group session of A, reviewed, and A's own topic list.
    const aSession = {
      id: newId(),
      heldOn: '2025-10-20',
      hamletId: DEMO_HAMLETS[0].id,
      place: 'Nhà văn hóa của xã A',
      topic: 'a_only',
      attendance: { 'female:60_plus': 9 },
      facilitators: ['Người hướng dẫn của xã A'],
    };
    const topics = await server.request('/api/v1/session-topics', {
      token: a.admin.token,
      method: 'PUT',
      body: {
        topics: [...topicsOrDefault([]), { code: 'a_only', label: 'Chủ đề riêng của xã A', active: true }],
      },
    });
    expect(topics.status, topics.text).toBe(200);
    const s1 = await server.push(a.tnv.token, clientId(), [
      {
        seq: 1,
        mutationId: newId(),
        recordId: aSession.id,
        kind: 'session',
        op: 'upsert',
        baseVersion: null,
        patch: aSession,
      },
    ]);
    expect(s1.body.results[0]?.status, s1.text).toBe('applied');
    ctx.aSession = aSession.id;
    const sessionReview = await server.request(`/api/v1/sessions/${aSession.id}/review`, {
      token: a.lead.token,
      body: { state: 'approved', comment: 'Nhận xét buổi của xã A' },
    });
    expect(sessionReview.status, sessionReview.text).toBe(200);
    const review = await server.request(`/api/v1/records/${r1.id}/review`, {
      token: a.lead.token,
      body: { state: 'has_issues', comment: 'Nhận xét của xã A' },
    });
    expect(review.status, review.text).toBe(200);
    const target = await server.request<{ target: { id: string } }>('/api/v1/targets', {
      token: a.admin.token,
      method: 'PUT',
      body: {
        period: { from: '2025-10-01', to: '2025-12-31' },
        category: 'vneid_l1',
        target: 77,
        hamletId: DEMO_HAMLETS[0].id,
        label: 'Chỉ tiêu riêng của xã A',
      },
    });
    expect(target.status, target.text).toBe(200);
    // The same period and category B's admin sets for B below: one commune's target never overwrites
    // the other's.
    const sameKey = await server.request<{ target: { id: string } }>('/api/v1/targets', {
      token: a.admin.token,
      method: 'PUT',
      body: {
        period: { from: '2025-10-01', to: '2025-12-31' },
        category: 'can_cuoc',
        target: 55,
        label: 'Chỉ tiêu căn cước của xã A',
      },
    });
    expect(sameKey.status, sameKey.text).toBe(200);
    const report = await server.request('/api/v1/devices/report', {
      token: a.tnv.token,
      body: { clientId: ctx.aClientId, periodCounts: [], pending: 0, at: '2025-10-15T08:00:00.000+07:00' },
    });
    expect(report.status, report.text).toBe(204);
    // An enrolled phone of A's volunteer (a fixed label: the free-text screen refuses digit runs).
    const enrolled = await server.request('/api/v1/auth/enrol', {
      body: { token: await createEnrolment(server, a.admin.token, a.tnv.user.id), label: 'Điện thoại xã A' },
    });
    expect(enrolled.status, enrolled.text).toBe(200);
    const aPhones = AdminDirectory.parse(
      (await server.request('/api/v1/admin/directory', { token: a.admin.token })).body,
    ).devices.filter((d) => d.label.includes('Điện thoại xã A'));
    expect(aPhones).toHaveLength(1);
    ctx.aDeviceId = aPhones[0]?.id ?? 'no-device';
    ctx.aBundle = await volunteerBundle(server, a.tnv);
    const uploaded = await server.request('/api/v1/handoff/bundles', {
      token: a.lead.token,
      body: { bundle: ctx.aBundle },
    });
    expect(uploaded.status, uploaded.text).toBe(200);
    const bundled = fakeRecord({ note: 'Ghi chú chỉ có trong gói của xã A' });
    ctx.aBundledOnly = bundled.id;
    ctx.aFreshBundle = await volunteerBundle(server, a.tnv, [createOf(bundled, 1)]);
    // Someone types a username no commune has (the audit log keeps it with no commune).
    expect(
      (await server.request('/api/v1/auth/login', { body: { username: 'khong-ai-ca', password: 'x' } }))
        .status,
    ).toBe(401);
    const pulled = await server.pull(a.tnv.token, ctx.aClientId, null);
    ctx.aCursor = pulled.body.cursor;
    ctx.aRecords = [r1.id, r2.id];
    ctx.aRecordVersion = (
      await server.request<{ version: number }>(`/api/v1/records/${r1.id}`, { token: a.admin.token })
    ).body.version;

    // A group session of A's, so that the sessions' tallies and export have A's data to hold back.
    ctx.aReportSession = await insertSessionRow(server.db, {
      teamId: DEMO_TEAMS[0].id,
      volunteerId: a.tnv.user.id,
      heldOn: '2025-10-15',
      hamletId: DEMO_HAMLETS[0].id,
      topic: 'vneid',
      attendance: { 'female:60_plus': 7 },
      place: 'Nhà văn hóa của xã A',
    });

    // Commune B: records of its own, one for a citizen with the same ID number as A's.
    const bLogin = await server.login(ctx.b.accounts.volunteer.username);
    const b1 = fakeRecord({ hamletId: ctx.b.hamlets[0]?.id, note: 'Ghi chú của xã B' });
    Object.assign(b1, await sealedCitizen(bLogin.commune.contactKey, b1.id, ctx.sharedIdNumber));
    const b2 = fakeRecord({ hamletId: ctx.b.hamlets[1]?.id, note: 'Ghi chú khác của xã B' });
    const pb = await server.push(bLogin.token, clientId(), [createOf(b1, 1), createOf(b2, 2)]);
    expect(
      pb.body.results.map((r) => r.status),
      pb.text,
    ).toEqual(['applied', 'applied']);
    ctx.bRecords = [b1.id, b2.id];
    ctx.bEnrolTokens = [];
    for (let i = 0; i < B_CALLERS.length; i += 1)
      ctx.bEnrolTokens.push(
        await createEnrolment(server, bTokens.get('admin') ?? '', ctx.b.accounts.volunteer2.id),
      );

    // Everything that is A's, as it would show in an answer.
    const aDir = AdminDirectory.parse(
      (await server.request('/api/v1/admin/directory', { token: a.admin.token })).body,
    );
    ctx.aUserIds = aDir.users.map((u) => u.id);
    const keys = await server.request<{ keys: { keyId: string; publicKey: string; clientId: string }[] }>(
      '/api/v1/handoff/device-keys',
      { token: a.lead.token },
    );
    const communeKey = await server.request<Record<string, string>>('/api/v1/handoff/commune-key', {
      token: a.admin.token,
    });
    expect(keys.body.keys.length).toBeGreaterThan(0);
    expect(communeKey.body.communeKeyId).toBeTruthy();
    ctx.markers = [
      ...ctx.aRecords,
      ctx.aBundledOnly,
      ...ctx.aUserIds,
      ...aDir.users.flatMap((u) => [u.username, u.displayName]),
      ...aDir.devices.map((d) => d.id),
      ...DEMO_ACCOUNTS.map((u) => u.displayName),
      ...DEMO_HAMLETS.flatMap((h) => [h.id, h.name]),
      ...DEMO_TEAMS.flatMap((t) => [t.id, t.name]),
      DEMO_COMMUNE.name,
      `"${DEMO_COMMUNE.code}"`,
      ctx.aClientId,
      ctx.aSession,
      'Nhà văn hóa của xã A',
      target.body.target.id,
      sameKey.body.target.id,
      'Chỉ tiêu căn cước của xã A',
      'Chỉ tiêu riêng của xã A',
      'Nhận xét của xã A',
      ctx.aReportSession,
      'Nhà văn hóa của xã A',
      'Người hướng dẫn của xã A',
      'Chủ đề riêng của xã A',
      'a_only',
      'Nhận xét buổi của xã A',
      'Ghi chú của xã A',
      'Xã A sửa lần',
      A_CONTACT.name,
      A_CONTACT.phone,
      A_CONTACT.dossierCode,
      ...keys.body.keys.flatMap((k) => [k.keyId, k.publicKey]),
      communeKey.body.communeKeyId ?? 'no-key-id',
      communeKey.body.encryptPrivate ?? 'no-private',
      a.tnv.handoff?.encryptPublic ?? 'no-public',
    ];
    before = await aSnapshot();
  });

  afterAll(async () => {
    await server?.stop();
    await server?.db.drop();
  });

  it('has a row for every route the server registers, and none for a route it does not', () => {
    const routes = routesOf(server);
    expect(
      routes.filter((r) => !(r in ROWS)),
      'routes without a two-commune row',
    ).toEqual([]);
    expect(
      Object.keys(ROWS).filter((r) => !routes.includes(r)),
      'rows for no route',
    ).toEqual([]);
  });

  it("shows commune A's own callers A's data, so every check below can fail", async () => {
    const get = async (path: string, token: string): Promise<string> => {
      const res = await server.request(path, { token });
      expect(res.status, `${path}: ${res.text}`).toBe(200);
      return res.text;
    };
    const admin = a.admin.token;
    expect(await get('/api/v1/admin/directory', admin)).toContain('demo-tnv');
    expect(await get(`/api/v1/tallies?${PERIOD}&groupBy=hamlet`, admin)).toContain(DEMO_HAMLETS[0].id);
    expect(await get(`/api/v1/export/logs.csv?${PERIOD}`, admin)).toContain(ctx.aRecords[0]);
    expect(await get(`/api/v1/export/sessions.csv?${PERIOD}`, admin)).toContain('Nhà văn hóa của xã A');
    expect(await get(`/api/v1/tallies/sessions?${PERIOD}&groupBy=team`, admin)).toContain(DEMO_TEAMS[0].id);
    expect(await get(`/api/v1/reconciliation?${PERIOD}`, admin)).toContain(a.tnv.user.displayName);
    expect(await get('/api/v1/conflicts', admin)).toContain('Xã A sửa lần');
    expect(await get('/api/v1/audit?limit=200', admin)).toContain('demo-tnv');
    expect(await get('/api/v1/handoff/device-keys', a.lead.token)).toContain(a.tnv.user.id);
    const pulled = await server.pull(admin, clientId(), null);
    expect(pulled.body.changes.map((c) => c.id)).toEqual(expect.arrayContaining(ctx.aRecords));
    const found = await server.request<{ records: { id: string }[] }>('/api/v1/privacy/subject-requests', {
      token: admin,
      body: { idNumber: ctx.sharedIdNumber, action: 'find' },
    });
    expect(found.body.records.map((r) => r.id)).toEqual([ctx.aRecords[0]]);
  });

  for (const [route, row] of Object.entries(ROWS)) {
    it(`${route}: every role of commune B is refused or answered nothing of commune A`, async () => {
      for (const caller of B_CALLERS) {
        for (const attempt of await row.attempts(ctx, caller)) {
          const { path, expect: allowed, sentText: _sent, ...options } = attempt;
          const token = row.freshToken
            ? (await server.login(ctx.b.accounts[caller].username)).token
            : bTokens.get(caller);
          const method = options.method ?? route.split(' ')[0];
          const what = `${caller} ${method} ${path}`;
          let res: Answer;
          let text: string;
          if (path.includes('.xlsx')) {
            const raw = await fetch(server.url + path, {
              headers: { authorization: `Bearer ${token ?? ''}` },
            });
            res = { status: raw.status, headers: raw.headers, body: null, text: '' };
            text = raw.status === 200 ? await xlsxText(await raw.arrayBuffer()) : await raw.text();
          } else {
            res = await server.request(path, { token, ...options, method });
            text = res.text;
          }
          expect(res.status, `${what}: ${text}`).toBeLessThan(500);
          if (allowed) expect(allowed, `${what} answered ${res.status}: ${text}`).toContain(res.status);
          if (res.status >= 400 && !path.includes('.xlsx')) expect(text, what).toContain('"code"');
          expect(leaksIn(text, ctx.markers, sentIn(attempt)), `${what} answered A's data: ${text}`).toEqual(
            [],
          );
        }
      }
    });
  }

  it("pushes of commune B never apply to A's records or A's hamlets", async () => {
    const res = await server.push(bTokens.get('volunteer') ?? '', clientId(), [
      updateOf(ctx.aRecords[0] ?? '', 1, ctx.aRecordVersion, { note: 'B sửa' }),
      deleteOf(ctx.aRecords[1] ?? '', 2, null),
      createOf(fakeRecord({ hamletId: DEMO_HAMLETS[0].id }), 3),
    ]);
    expect(res.status, res.text).toBe(200);
    expect(res.body.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const handed = createOf(fakeRecord({ hamletId: ctx.b.hamlets[0]?.id }), 1);
    const byLead = await server.push(bTokens.get('lead') ?? '', clientId(), [
      { ...handed, patch: { ...handed.patch, volunteerId: a.tnv.user.id } },
    ]);
    expect(
      byLead.body.results.map((r) => r.status),
      byLead.text,
    ).toEqual(['rejected']);
  });

  it("refuses B's lead A's bundles: one A uploaded is another team's, one A never did is another commune's", async () => {
    const code = async (bundle: string): Promise<string> => {
      const res = await server.request<{ error: { code: string } }>('/api/v1/handoff/bundles', {
        token: bTokens.get('lead'),
        body: { bundle },
      });
      return res.body.error.code;
    };
    expect(await code(ctx.aBundle)).toBe('handoff_other_team');
    expect(await code(ctx.aFreshBundle)).toBe('handoff_wrong_commune');
    const res = await server.request(`/api/v1/records/${ctx.aBundledOnly}`, { token: a.admin.token });
    expect(res.status).toBe(404);
  });

  it("counts only B's records in B's tallies, and B's citizen is a different citizen for the commune", async () => {
    for (const caller of ['supervisor', 'admin'] as const) {
      const res = await server.request<{ total: { count: number; citizens?: number } }>(
        `/api/v1/tallies?${PERIOD}`,
        { token: bTokens.get(caller) },
      );
      expect(res.body.total.count, res.text).toBe(ctx.bRecords.length);
    }
    const found = await server.request<{ records: { id: string }[] }>('/api/v1/privacy/subject-requests', {
      token: bTokens.get('admin'),
      body: { idNumber: ctx.sharedIdNumber, action: 'find' },
    });
    expect(found.body.records.map((r) => r.id)).toEqual([ctx.bRecords[0]]);
  });

  it("an erasure request of B's admin erases B's citizen only, never A's record with that number", async () => {
    const erased = await server.request<{ erased: number }>('/api/v1/privacy/subject-requests', {
      token: bTokens.get('admin'),
      body: { idNumber: ctx.sharedIdNumber, action: 'erase' },
    });
    expect(erased.status, erased.text).toBe(200);
    expect(erased.body.erased).toBe(1);
    expect(leaksIn(erased.text, ctx.markers, '')).toEqual([]);
    const found = await server.request<{ records: { id: string; deleted: boolean }[] }>(
      '/api/v1/privacy/subject-requests',
      { token: a.admin.token, body: { idNumber: ctx.sharedIdNumber, action: 'find' } },
    );
    expect(found.body.records.map((r) => [r.id, r.deleted])).toEqual([[ctx.aRecords[0], false]]);
  });

  it("leaves commune A's people, teams, hamlets, phones, records and targets as they were", async () => {
    expect(await aSnapshot()).toEqual(before);
  });

  it("shows B's admin an audit log of B's own people only, every page of it", async () => {
    const bIds = new Set(Object.values(ctx.b.accounts).map((u) => u.id));
    const entries: { userId: string | null; target: string | null }[] = [];
    let before: string | null = null;
    do {
      const res: Answer<{ entries: typeof entries; next: string | null }> = await server.request(
        `/api/v1/audit?limit=200${before ? `&before=${before}` : ''}`,
        { token: bTokens.get('admin') },
      );
      expect(res.status, res.text).toBe(200);
      expect(leaksIn(res.text, ctx.markers, '')).toEqual([]);
      entries.push(...res.body.entries);
      before = res.body.next;
    } while (before !== null);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((e) => e.userId === null || !bIds.has(e.userId))).toEqual([]);
  });
});

describe.each(STORE_KINDS)('failed logins of no commune on %s', (kind) => {
  let server: TestServer;

  setupAll(async () => {
    server = await startServer({ db: await testDatabase(kind) });
  });

  afterAll(async () => {
    await server?.stop();
    await server?.db.drop();
  });

  it("are the only commune's admin's to see, and nobody's once the deployment holds a second commune", async () => {
    const failed = await server.request('/api/v1/auth/login', {
      body: { username: 'khong-ai-ca', password: 'x' },
    });
    expect(failed.status).toBe(401);
    const admin = await server.login('demo-admin');
    const unattributed = async (): Promise<number> => {
      const res = await server.request<{ entries: { action: string; userId: string | null }[] }>(
        '/api/v1/audit?action=login_failed',
        { token: admin.token },
      );
      expect(res.status, res.text).toBe(200);
      return res.body.entries.filter((e) => e.userId === null).length;
    };
    expect(await unattributed()).toBe(1);
    await seedSecondCommune(server.store);
    expect(await unattributed()).toBe(0);
  });
});
