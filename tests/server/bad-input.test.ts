// Every route of the real app × bad input: malformed JSON, bodies that are not objects, wrong types,
// unknown fields, 1 MB strings, SQL and HTML injection and NFC/NFD-mixed Vietnamese in the fields
// that have a format. Each answer is 400 (or 413, or 404 for a path) with a catalogue code, no
// table changes, and /api/health still answers. The route list comes from the app itself: a route
// without an entry below fails this test.
import { fakeIdNumber } from '../support/citizen-ids.ts';
import { disguisedIdNumbers } from '../support/disguised-ids.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { SHIPPED_EDITION } from '../../src/server/http/cards.ts';
import {
  ERRORS,
  SCHEMA_VERSION,
  isErrorCode,
  newId,
  statusOf,
  topicsOrDefault,
  type ErrorBody,
  type PushResponse,
} from '../../src/shared/index.ts';
import { hashToken, newToken } from '../../src/server/auth/tokens.ts';
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

const TABLES = [
  'communes',
  'hamlets',
  'teams',
  'users',
  'sessions',
  'records',
  'clients',
  'mutation_results',
  'record_history',
  'record_reviews',
  'targets',
  'device_reports',
  'devices',
  'enrolments',
  'handoff_commune_keys',
  'handoff_device_keys',
  'handoff_bundles',
  'group_sessions',
  'session_topics',
];

const SQL = "' OR '1'='1'; DROP TABLE records; --";
const HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>';
/** "Thôn Đông" with the Đ precomposed and the ô decomposed: neither NFC nor NFD throughout. */
const MIXED_VI = `Th${'ô'.normalize('NFD')}n ${'Đông'.normalize('NFC')}`;
const NFD_VI = 'căn cước'.normalize('NFD');
const MB = 'x'.repeat(1024 * 1024);
const BIG_QUERY = 'x'.repeat(8 * 1024);

interface Ctx {
  /** The four roles' sessions, and a province reader's token (src/server/http/province.ts). */
  tokens: Record<'volunteer' | 'lead' | 'supervisor' | 'admin' | 'province', string>;
  spareTokens: string[];
  recordId: string;
  /** A group session of demo-tnv (team 1). */
  sessionId: string;
  /** A volunteer of team 1, a team and a hamlet of the demo commune, made for the admin's routes. */
  userId: string;
  teamId: string;
  hamletId: string;
  /** An enrolled phone of that volunteer. */
  deviceId: string;
  /** An unused enrolment token of that volunteer (every bad request leaves it unused). */
  enrolToken: string;
  /** A public key no device has registered. */
  devicePublicKey: string;
  /** A bundle of demo-tnv (team 1) not uploaded yet. */
  bundle: string;
}

interface Entry {
  /** The caller (a role allowed on the route), or null for a public route. */
  as: keyof Ctx['tokens'] | null;
  /** The path with valid parameters. */
  path: (ctx: Ctx) => string;
  /** A valid query (GET) or body (POST/PUT); bad values replace its fields. */
  valid?: (ctx: Ctx) => Record<string, unknown>;
  /** Fields whose values have a format, where injection and odd Unicode must be refused. */
  strict?: string[];
  /** Free text a person types, where an ID number in any disguise must be refused. */
  freeText?: string[];
  /** The path's id parameter is checked (404 for anything that is not a known id). */
  pathId?: (ctx: Ctx, id: string) => string;
  /** Routes with no input: junk is ignored, never a 5xx. */
  noInput?: true;
  /** The route ignores its body (logout): only unparsable or oversized bodies are refused. */
  bodyIgnored?: true;
  /** Query parameters holding a day: one that does not exist (30 February) is a 400 naming it. */
  dates?: string[];
}

const day = { from: '2025-10-01', to: '2025-10-31' };

const TABLE: Record<string, Entry> = {
  'GET /api/health': { as: null, path: () => '/api/health', noInput: true },
  'GET /': { as: null, path: () => '/', noInput: true },
  // Set up already (the demo commune): only the shape of the body is checked before setup_done;
  // its fields are tested while pending in setup.test.ts.
  'POST /api/setup': { as: null, path: () => '/api/setup' },
  'OPTIONS *': { as: null, path: () => '/api/v1/sync/pull', noInput: true },
  'POST /api/v1/auth/login': {
    as: null,
    path: () => '/api/v1/auth/login',
    valid: () => ({ username: 'demo-tnv', password: 'mat-khau-khong-dung' }),
  },
  'POST /api/v1/auth/logout': { as: 'volunteer', path: () => '/api/v1/auth/logout', bodyIgnored: true },
  'POST /api/v1/sync/push': {
    as: 'volunteer',
    path: () => '/api/v1/sync/push',
    valid: () => ({ clientId: clientId(), schemaVersion: SCHEMA_VERSION, mutations: [] }),
    strict: ['schemaVersion'],
  },
  'POST /api/v1/sync/pull': {
    as: 'volunteer',
    path: () => '/api/v1/sync/pull',
    valid: () => ({ clientId: clientId(), cursor: null, limit: 10 }),
    strict: ['limit'],
  },
  'GET /api/v1/records/:id': {
    as: 'supervisor',
    path: (c) => `/api/v1/records/${c.recordId}`,
    pathId: (_c, id) => `/api/v1/records/${encodeURIComponent(id)}`,
  },
  'GET /api/v1/records/:id/contact': {
    as: 'supervisor',
    path: (c) => `/api/v1/records/${c.recordId}/contact`,
    pathId: (_c, id) => `/api/v1/records/${encodeURIComponent(id)}/contact`,
  },
  'GET /api/v1/records/:id/history': {
    as: 'supervisor',
    path: (c) => `/api/v1/records/${c.recordId}/history`,
    pathId: (_c, id) => `/api/v1/records/${encodeURIComponent(id)}/history`,
  },
  'GET /api/v1/conflicts': {
    as: 'lead',
    path: () => '/api/v1/conflicts',
    valid: () => ({ since: '0', limit: '10' }),
    strict: ['since', 'limit'],
    dates: ['since'],
  },
  'GET /api/v1/province/tallies': {
    as: 'province',
    path: () => '/api/v1/province/tallies',
    valid: () => ({ ...day, groupBy: 'category,month', category: 'vneid_l1' }),
    strict: ['from', 'to', 'groupBy', 'category'],
    dates: ['from', 'to'],
  },
  'GET /api/v1/tallies': {
    as: 'supervisor',
    path: () => '/api/v1/tallies',
    valid: () => ({ ...day, groupBy: 'hamlet', category: 'vneid_l1' }),
    strict: ['from', 'to', 'groupBy', 'category'],
    dates: ['from', 'to'],
  },
  'GET /api/v1/tallies/records': {
    as: 'supervisor',
    path: () => '/api/v1/tallies/records',
    valid: () => ({ ...day, category: 'vneid_l1', limit: '10' }),
    strict: ['from', 'to', 'category', 'limit'],
    dates: ['from', 'to'],
  },
  'GET /api/v1/tallies/sessions': {
    as: 'supervisor',
    path: () => '/api/v1/tallies/sessions',
    valid: () => ({ ...day, groupBy: 'topic,month', topic: 'vneid' }),
    strict: ['from', 'to', 'groupBy', 'topic'],
    dates: ['from', 'to'],
  },
  'PUT /api/v1/targets': {
    as: 'admin',
    path: () => '/api/v1/targets',
    valid: () => ({ period: { ...day }, category: 'vneid_l1', hamletId: 'thon-dong', target: 45 }),
    strict: ['category', 'hamletId', 'target'],
    freeText: ['label'],
  },
  'GET /api/v1/targets': {
    as: 'supervisor',
    path: () => '/api/v1/targets',
    valid: () => ({ ...day }),
    strict: ['from', 'to'],
    dates: ['from', 'to'],
  },
  'GET /api/v1/report': {
    as: 'supervisor',
    path: () => '/api/v1/report',
    valid: () => ({ ...day, view: 'de_an_06' }),
    strict: ['from', 'to', 'view'],
    dates: ['from', 'to'],
  },
  'GET /api/v1/report-settings': { as: 'supervisor', path: () => '/api/v1/report-settings', noInput: true },
  'PUT /api/v1/report-settings': {
    as: 'admin',
    path: () => '/api/v1/report-settings',
    valid: () => ({
      issuer: 'UBND XÃ THỬ',
      numberSuffix: 'BC-UBND',
      addressees: ['UBND huyện Thử'],
      bases: [],
      recipients: ['Như trên', 'Lưu: VT'],
      signerCapacity: 'TM. ỦY BAN NHÂN DÂN',
      signerTitle: 'CHỦ TỊCH',
      signerName: 'Người Ký Thử',
    }),
    strict: ['numberSuffix', 'addressees'],
    freeText: ['signerName', 'issuer'],
  },
  'GET /api/v1/cards': { as: 'volunteer', path: () => '/api/v1/cards', noInput: true },
  'POST /api/v1/cards': {
    as: 'admin',
    path: () => '/api/v1/cards',
    valid: () => ({ source: SHIPPED_EDITION.source, cards: SHIPPED_EDITION.cards }),
  },
  'GET /api/v1/session-topics': { as: 'volunteer', path: () => '/api/v1/session-topics', noInput: true },
  'PUT /api/v1/session-topics': {
    as: 'admin',
    path: () => '/api/v1/session-topics',
    valid: () => ({ topics: topicsOrDefault([]) }),
    strict: ['topics'],
  },
  'GET /api/v1/sessions': {
    as: 'supervisor',
    path: () => '/api/v1/sessions',
    valid: () => ({ ...day, topic: 'ai_apps' }),
    strict: ['from', 'to', 'topic'],
    dates: ['from', 'to'],
  },
  'POST /api/v1/sessions/:id/review': {
    as: 'supervisor',
    path: (c) => `/api/v1/sessions/${c.sessionId}/review`,
    valid: () => ({ state: 'approved', comment: null }),
    strict: ['state'],
    pathId: (_c, id) => `/api/v1/sessions/${encodeURIComponent(id)}/review`,
    freeText: ['comment'],
  },
  'POST /api/v1/records/:id/review': {
    as: 'supervisor',
    path: (c) => `/api/v1/records/${c.recordId}/review`,
    valid: () => ({ state: 'approved', comment: null }),
    strict: ['state'],
    pathId: (_c, id) => `/api/v1/records/${encodeURIComponent(id)}/review`,
    freeText: ['comment'],
  },
  'POST /api/v1/devices/report': {
    as: 'volunteer',
    path: () => '/api/v1/devices/report',
    valid: () => ({
      clientId: clientId(),
      periodCounts: [{ ...day, count: 3 }],
      pending: 0,
      at: '2025-10-15T08:00:00.000+07:00',
    }),
    strict: ['at', 'pending'],
  },
  'GET /api/v1/reconciliation': {
    as: 'lead',
    path: () => '/api/v1/reconciliation',
    valid: () => ({ ...day }),
    strict: ['from', 'to'],
    dates: ['from', 'to'],
  },
  'GET /api/v1/export/logs.csv': {
    as: 'supervisor',
    path: () => '/api/v1/export/logs.csv',
    valid: () => ({ ...day }),
    strict: ['from', 'to'],
    dates: ['from', 'to'],
  },
  'GET /api/v1/export/sessions.csv': {
    as: 'supervisor',
    path: () => '/api/v1/export/sessions.csv',
    valid: () => ({ ...day }),
    strict: ['from', 'to'],
    dates: ['from', 'to'],
  },
  'GET /api/v1/export/logs.xlsx': {
    as: 'supervisor',
    path: () => '/api/v1/export/logs.xlsx',
    valid: () => ({ ...day }),
    strict: ['from', 'to'],
    dates: ['from', 'to'],
  },
  'POST /api/v1/privacy/subject-requests': {
    as: 'admin',
    path: () => '/api/v1/privacy/subject-requests',
    valid: () => ({ idNumber: fakeIdNumber(), action: 'find' }),
    strict: ['idNumber', 'action'],
  },
  'GET /api/v1/audit': {
    as: 'admin',
    path: () => '/api/v1/audit',
    valid: () => ({ action: 'view', from: day.from, to: day.to, limit: '10', before: newId() }),
    strict: ['action', 'from', 'to', 'limit', 'before'],
    dates: ['from', 'to'],
  },
  'POST /api/v1/auth/enrol': {
    as: null,
    path: () => '/api/v1/auth/enrol',
    valid: (c) => ({ token: c.enrolToken, label: 'Điện thoại thử' }),
    strict: ['token'],
    freeText: ['label'],
  },
  'GET /api/v1/admin/directory': { as: 'admin', path: () => '/api/v1/admin/directory', noInput: true },
  'POST /api/v1/admin/users/import/preview': {
    as: 'admin',
    path: () => '/api/v1/admin/users/import/preview',
    valid: () => ({ file: Buffer.from('Họ tên;Tên đăng nhập;Vai trò;Tổ\n').toString('base64') }),
    strict: ['file'],
  },
  'POST /api/v1/admin/users/import/commit': {
    as: 'admin',
    path: () => '/api/v1/admin/users/import/commit',
    valid: () => ({
      rows: [{ line: 2, name: 'Người nhập (test)', username: 'test-nhap', role: 'tnv', team: 'Tổ CNS số 1' }],
    }),
  },
  'POST /api/v1/admin/users': {
    as: 'admin',
    path: () => '/api/v1/admin/users',
    valid: () => ({
      username: 'test-nguoi-moi',
      displayName: 'Người mới (test)',
      role: 'volunteer',
      teamId: 'team-1',
      password: 'mat-khau-thu-dai',
    }),
    strict: ['username', 'role', 'teamId'],
    freeText: ['displayName'],
  },
  'POST /api/v1/admin/users/:id': {
    as: 'admin',
    path: (c) => `/api/v1/admin/users/${c.userId}`,
    valid: () => ({ displayName: 'Tên mới (test)', role: 'volunteer', teamId: 'team-1', active: true }),
    strict: ['role', 'teamId'],
    pathId: (_c, id) => `/api/v1/admin/users/${encodeURIComponent(id)}`,
    freeText: ['displayName'],
  },
  'POST /api/v1/admin/users/:id/enrolments': {
    as: 'admin',
    path: (c) => `/api/v1/admin/users/${c.userId}/enrolments`,
    valid: () => ({}),
    pathId: (_c, id) => `/api/v1/admin/users/${encodeURIComponent(id)}/enrolments`,
  },
  'POST /api/v1/admin/teams': {
    as: 'admin',
    path: () => '/api/v1/admin/teams',
    valid: () => ({ name: 'Tổ mới (test)' }),
    freeText: ['name'],
  },
  'POST /api/v1/admin/teams/:id': {
    as: 'admin',
    path: (c) => `/api/v1/admin/teams/${c.teamId}`,
    valid: () => ({ name: 'Tổ đổi tên (test)' }),
    pathId: (_c, id) => `/api/v1/admin/teams/${encodeURIComponent(id)}`,
    freeText: ['name'],
  },
  'POST /api/v1/admin/hamlets': {
    as: 'admin',
    path: () => '/api/v1/admin/hamlets',
    valid: () => ({ name: 'Thôn mới (test)', active: true }),
    freeText: ['name'],
  },
  'POST /api/v1/admin/hamlets/:id': {
    as: 'admin',
    path: (c) => `/api/v1/admin/hamlets/${c.hamletId}`,
    valid: () => ({ name: 'Thôn đổi tên (test)', active: false }),
    pathId: (_c, id) => `/api/v1/admin/hamlets/${encodeURIComponent(id)}`,
    freeText: ['name'],
  },
  'POST /api/v1/admin/devices/:id/revoke': {
    as: 'admin',
    path: (c) => `/api/v1/admin/devices/${c.deviceId}/revoke`,
    valid: () => ({}),
    pathId: (_c, id) => `/api/v1/admin/devices/${encodeURIComponent(id)}/revoke`,
  },
  'POST /api/v1/handoff/device-keys': {
    as: 'volunteer',
    path: () => '/api/v1/handoff/device-keys',
    valid: (c) => ({ clientId: clientId(), publicKey: c.devicePublicKey }),
    strict: ['publicKey'],
  },
  'GET /api/v1/handoff/device-keys': { as: 'lead', path: () => '/api/v1/handoff/device-keys', noInput: true },
  'GET /api/v1/handoff/commune-key': { as: 'lead', path: () => '/api/v1/handoff/commune-key', noInput: true },
  'POST /api/v1/handoff/bundles': {
    as: 'lead',
    path: () => '/api/v1/handoff/bundles',
    valid: (c) => ({ bundle: c.bundle }),
    strict: ['bundle'],
  },
};

/** `{ method url }` of every route the app serves (HEAD mirrors GET and is left out). */

/** A value of another JSON type than `v`. */
function wrongType(v: unknown): unknown {
  if (typeof v === 'string') return 12345;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return 'true';
  if (Array.isArray(v)) return { not: 'an array' };
  if (v === null) return { not: 'null' };
  return 42;
}

interface Attack {
  name: string;
  request: RequestOptions;
  /** Query instead of body (GET routes). */
  query?: Record<string, string>;
  path?: string;
  /** The path names nothing: 404. */
  badPath?: true;
  /** The answer must be 400 invalid_request naming this field, as for the same mistake in a body. */
  field?: string;
}

/** Days that do not exist, though shaped like one (`Date.parse` rolls the first two into March). */
const IMPOSSIBLE_DAYS = ['2026-02-30', '2025-02-29', '2025-04-31', '2025-13-01', '2025-00-10'];

function bodyAttacks(entry: Entry, ctx: Ctx): Attack[] {
  const out: Attack[] = [
    { name: 'malformed JSON', request: { body: '{"clientId": "abc", ' } },
    { name: 'a JSON array', request: { body: '[1, 2, 3]' } },
    { name: 'a JSON string', request: { body: '"chuỗi"' } },
    { name: 'JSON null', request: { body: 'null' } },
    { name: 'a 1 MB string', request: { body: { ...entry.valid?.(ctx), note: MB } } },
    { name: 'text/plain', request: { body: 'x=1', headers: { 'content-type': 'text/plain' } } },
  ];
  if (entry.bodyIgnored || !entry.valid) return out;
  const valid = entry.valid(ctx);
  out.push({ name: 'an unknown field', request: { body: { ...valid, vaiTro: 'admin' } } });
  out.push({ name: 'a prototype-polluting field', request: { body: `{"__proto__": {"role": "admin"}}` } });
  for (const [field, value] of Object.entries(valid))
    out.push({
      name: `a wrong type in ${field}`,
      request: { body: { ...valid, [field]: wrongType(value) } },
    });
  for (const field of entry.strict ?? [])
    for (const [label, bad] of [
      ['SQL injection', SQL],
      ['HTML injection', HTML],
      ['NFD Vietnamese', NFD_VI],
      ['mixed-normalisation Vietnamese', MIXED_VI],
      ['a 1 MB string', MB],
    ] as const)
      out.push({ name: `${label} in ${field}`, request: { body: { ...valid, [field]: bad } } });
  for (const field of entry.freeText ?? [])
    for (const [how, text] of disguisedIdNumbers())
      out.push({ name: `an ID number (${how}) in ${field}`, request: { body: { ...valid, [field]: text } } });
  return out;
}

function queryAttacks(entry: Entry, ctx: Ctx): Attack[] {
  if (!entry.valid) return [];
  const valid = Object.fromEntries(Object.entries(entry.valid(ctx)).map(([k, v]) => [k, String(v)]));
  const out: Attack[] = [
    { name: 'an unknown parameter', request: {}, query: { ...valid, vaiTro: 'admin' } },
    { name: 'a repeated parameter', request: {}, path: `${entry.path(ctx)}?from=2025-10-01&from=2025-10-02` },
  ];
  for (const field of entry.strict ?? [])
    for (const [label, bad] of [
      ['SQL injection', SQL],
      ['HTML injection', HTML],
      ['NFD Vietnamese', NFD_VI],
      ['mixed-normalisation Vietnamese', MIXED_VI],
      ['an 8 KB string', BIG_QUERY],
    ] as const)
      out.push({ name: `${label} in ${field}`, request: {}, query: { ...valid, [field]: bad } });
  for (const field of entry.dates ?? [])
    for (const bad of [...IMPOSSIBLE_DAYS, `${IMPOSSIBLE_DAYS[0]}T08:00:00Z`])
      out.push({ name: `the day ${bad} in ${field}`, request: {}, query: { ...valid, [field]: bad }, field });
  return out;
}

function pathAttacks(entry: Entry, ctx: Ctx): Attack[] {
  if (!entry.pathId) return [];
  return [SQL, HTML, MIXED_VI, '../../etc/passwd', newId(), 'x'.repeat(2000)].map((id) => ({
    name: `path id ${id.slice(0, 20)}`,
    path: entry.pathId?.(ctx, id),
    badPath: true,
    request: entry.valid ? { body: entry.valid(ctx) } : {},
  }));
}

describe.each(STORE_KINDS)('bad input on every route on %s', (kind) => {
  let server: TestServer;
  const ctx = {} as Ctx;

  setupAll(async () => {
    server = await startServer({ db: await testDatabase(kind) });
    ctx.tokens = {
      volunteer: (await server.login('demo-tnv')).token,
      lead: (await server.login('demo-lead')).token,
      supervisor: (await server.login('demo-gs')).token,
      admin: (await server.login('demo-admin')).token,
      province: newToken(),
    };
    await server.store.addProvinceReader({
      id: newId(),
      name: 'Tỉnh thử',
      tokenHash: hashToken(ctx.tokens.province),
      createdAt: new Date().toISOString(),
      revokedAt: null,
    });
    ctx.spareTokens = [];
    ctx.spareTokens.push((await server.login('demo-tnv')).token);
    const record = fakeRecord();
    const pushed = await server.push(ctx.tokens.volunteer, clientId(), [createOf(record, 1)]);
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
    const logged = await server.push(ctx.tokens.volunteer, clientId(), [
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
    Object.assign(ctx, await addTableFixtures(server, ctx.tokens.admin, 'none'));
    ctx.enrolToken = await createEnrolment(server, ctx.tokens.admin, ctx.userId);
    ctx.devicePublicKey = freshDevicePublicKey();
    ctx.bundle = await volunteerBundle(server, await server.login('demo-tnv'));
  });

  afterAll(async () => {
    await server?.stop();
    await server?.db.drop();
  });

  it('has an entry for every route the app serves, and none for a route it does not', () => {
    const routes = routesOf(server);
    expect(
      routes.filter((r) => !(r in TABLE)),
      'routes missing from TABLE',
    ).toEqual([]);
    expect(
      Object.keys(TABLE).filter((r) => !routes.includes(r)),
      'entries for no route',
    ).toEqual([]);
  });

  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of TABLES) out[t] = await server.db.count(t);
    return out;
  }

  for (const [route, entry] of Object.entries(TABLE)) {
    it(`${route}: every bad input is a 4xx with a catalogue code, nothing is stored, the server stays up`, async () => {
      const method = route.split(' ')[0] ?? 'GET';
      const before = await counts();
      const versionBefore = await server.db.version();
      const failures: string[] = [];
      const attacks: Attack[] = entry.noInput
        ? []
        : method === 'GET'
          ? [...queryAttacks(entry, ctx), ...pathAttacks(entry, ctx)]
          : [...bodyAttacks(entry, ctx), ...pathAttacks(entry, ctx)];
      if (!entry.noInput) expect(attacks.length).toBeGreaterThan(4);
      for (const attack of attacks) {
        let path = attack.path ?? entry.path(ctx);
        if (attack.query) path += `?${new URLSearchParams(attack.query).toString()}`;
        const token = entry.bodyIgnored
          ? ctx.spareTokens[0]
          : entry.as === null
            ? undefined
            : ctx.tokens[entry.as];
        const res = await server.request<ErrorBody>(path, { method, token, ...attack.request });
        const code = (res.body as Partial<ErrorBody>)?.error?.code;
        const expected = attack.badPath ? [404] : [400, 413, 415];
        const fields =
          (res.body as { error?: { details?: { fields?: { field: string }[] } } })?.error?.details?.fields ??
          [];
        if (!expected.includes(res.status) || !isErrorCode(code) || statusOf(code) !== res.status)
          failures.push(`${attack.name}: ${res.status} ${res.text.slice(0, 160)}`);
        else if (
          attack.field &&
          (code !== 'invalid_request' || !fields.some((f) => f.field === attack.field))
        )
          failures.push(`${attack.name}: ${res.status} ${res.text.slice(0, 160)}`);
        else if (res.body.error.message !== ERRORS[code].vi)
          failures.push(`${attack.name}: message not Vietnamese`);
      }
      if (entry.noInput) {
        // Junk in the query of a route without input changes nothing: same answer, no 5xx.
        const clean = await server.request(entry.path(ctx), { method });
        const junk = await server.request(`${entry.path(ctx)}?${SQL}=${encodeURIComponent(HTML)}`, {
          method,
        });
        expect(junk.status).toBe(clean.status);
        expect(junk.status).toBeLessThan(500);
      }
      expect(failures).toEqual([]);
      expect(await counts()).toEqual(before);
      expect(await server.db.version()).toBe(versionBefore);
      const health = await server.request<{ ok: boolean }>('/api/health');
      expect(health.status).toBe(200);
      expect(health.body.ok).toBe(true);
    });
  }

  it('rejects a mutation nested 5,000 deep on its own and applies the other 99 of its batch', async () => {
    const before = await counts();
    const versionBefore = await server.db.version();
    const records = Array.from({ length: 100 }, () => fakeRecord());
    const mutations = records.map((r, i) => JSON.stringify(createOf(r, i + 1)));
    // Built as text: JSON.stringify itself cannot walk a value this deep. Arrays in one field,
    // objects in another: both shapes once overflowed a recursive walk and failed the whole push.
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const deepObject = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const poisoned = JSON.stringify(createOf(records[49]!, 50)).replace(
      /}}$/,
      `,"note":${deep},"extra":${deepObject}}}`,
    );
    mutations[49] = poisoned;
    const body = `{"clientId":"${clientId()}","schemaVersion":${SCHEMA_VERSION},"mutations":[${mutations.join(',')}]}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await server.request<PushResponse>('/api/v1/sync/push', {
        token: ctx.tokens.volunteer,
        body,
      });
      expect(res.status).toBe(200);
      expect(res.body.ackedSeq).toBe(100);
      const statuses = res.body.results.map((r) => r.status);
      expect(statuses.filter((s) => s === 'applied')).toHaveLength(99);
      expect(res.body.results[49]).toMatchObject({
        seq: 50,
        status: 'rejected',
        error: { code: 'invalid_record' },
      });
    }
    expect(await server.db.count('records')).toBe((before.records ?? 0) + 99);
    expect(await server.db.version()).toBe(versionBefore + 99);
    expect(await server.store.getRecord(records[49]!.id)).toBeNull();
    expect(await server.store.getRecord(records[50]!.id)).toMatchObject({ deleted: false });
  });

  it('answers a patch of 80,000 unknown fields with a bounded rejection, not an answer of megabytes', async () => {
    const r = fakeRecord();
    const extra = Array.from({ length: 80_000 }, (_, i) => `"k${i}":1`).join(',');
    const mutation = JSON.stringify(createOf(r, 1)).replace(/}}$/, `,${extra}}}`);
    const body = `{"clientId":"${clientId()}","schemaVersion":${SCHEMA_VERSION},"mutations":[${mutation}]}`;
    const res = await server.request<PushResponse>('/api/v1/sync/push', {
      token: ctx.tokens.volunteer,
      body,
    });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({
      status: 'rejected',
      error: { code: 'invalid_record', details: { moreFields: 80_000 - 20 } },
    });
    expect((res.body.results[0]?.error?.details as { fields: unknown[] }).fields).toHaveLength(20);
    expect(res.text.length).toBeLessThan(10_000);
  });

  it('rejects a pushed record with injection or odd Unicode in its coded fields, one by one, storing none', async () => {
    const before = await counts();
    const bad = [
      fakeRecord({ category: SQL as never }),
      fakeRecord({ hamletId: MIXED_VI }),
      fakeRecord({ outcome: HTML as never }),
      fakeRecord({ occurredOn: NFD_VI }),
    ];
    const cid = clientId();
    const res = await server.request<PushResponse>('/api/v1/sync/push', {
      token: ctx.tokens.volunteer,
      body: {
        clientId: cid,
        schemaVersion: SCHEMA_VERSION,
        mutations: bad.map((r, i) => createOf(r, i + 1)),
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    for (const r of res.body.results) expect(isErrorCode(r.error?.code)).toBe(true);
    const after = await counts();
    expect(after.records).toBe(before.records);
    expect(after.record_history).toBe(before.record_history);
  });

  it('rejects a pushed record with an ID number disguised in its note, one by one, storing none', async () => {
    const before = await counts();
    const disguises = disguisedIdNumbers();
    const res = await server.request<PushResponse>('/api/v1/sync/push', {
      token: ctx.tokens.volunteer,
      body: {
        clientId: clientId(),
        schemaVersion: SCHEMA_VERSION,
        mutations: disguises.map(([, note], i) => createOf(fakeRecord({ note }), i + 1)),
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => r.status)).toEqual(disguises.map(() => 'rejected'));
    for (const r of res.body.results)
      expect(r.error?.details).toMatchObject({ fields: [{ field: 'note', code: 'looks_like_id' }] });
    const after = await counts();
    expect(after.records).toBe(before.records);
    expect(after.record_history).toBe(before.record_history);
  });
});
