// First-run set-up over real HTTP on both stores: while no commune exists only health and set-up
// answer; bad input is refused field by field with nothing written; a good set-up creates the
// commune, hamlets, teams and admin at once, the admin logs in, and a second set-up is refused.
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorResponse, type LoginResponse } from '../../src/shared/index.ts';
import { issueSetupToken } from '../../src/server/setup/commune.ts';
import {
  STORE_KINDS,
  setupAll,
  startServer,
  testDatabase,
  type TestDatabase,
  type TestServer,
} from './harness.ts';

const code = (body: unknown): string => ErrorResponse.parse(body).error.code;
const fieldMessages = (body: unknown): Record<string, string> => {
  const details = ErrorResponse.parse(body).error.details as {
    fields?: { field: string; message: string }[];
  };
  return Object.fromEntries((details.fields ?? []).map((f) => [f.field, f.message]));
};

const PASSWORD = 'mat-khau-thu-1';

function goodSetup(token: string) {
  return {
    token,
    commune: { code: '26734', name: 'Xã Thử Nghiệm' },
    hamlets: '  Thôn Một \n\nThôn Hai\nthôn một\r\nTổ dân phố 3\n',
    teams: ['Tổ CNS số 1', ' Tổ CNS số 2 ', ''],
    admin: {
      displayName: 'Người Quản Trị Thử',
      username: 'qt-thu',
      password: PASSWORD,
      passwordConfirm: PASSWORD,
    },
  };
}

describe.each(STORE_KINDS)('first-run set-up on %s', (kind) => {
  let server: TestServer;
  /** A second server process on the same database (several processes behind a load balancer). */
  let other: TestServer;
  let db: TestDatabase;
  let token: string;

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db, demo: false });
    other = await startServer({ db, demo: false });
    token = (await issueSetupToken(server.store)) ?? '';
  });
  afterAll(async () => {
    await server?.stop();
    await other?.stop();
    await db?.drop();
  });

  const written = async () =>
    (await db.count('communes')) +
    (await db.count('hamlets')) +
    (await db.count('teams')) +
    (await db.count('users'));

  it('says set-up is pending on /api/health and answers setup_pending everywhere else under /api', async () => {
    const health = await server.request<{ setup: string }>('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.setup).toBe('pending');
    const login = await server.request('/api/v1/auth/login', {
      body: { username: 'qt-thu', password: PASSWORD },
    });
    expect(login.status).toBe(503);
    expect(code(login.body)).toBe('setup_pending');
    expect(ErrorResponse.parse(login.body).error.message).toContain('chưa được thiết lập');
    for (const path of [
      '/api/v1/admin/directory',
      '/api/v1/tallies?from=2025-01-01&to=2025-01-31',
      '/api/nothing',
    ]) {
      const res = await server.request(path);
      expect(res.status, path).toBe(503);
      expect(code(res.body)).toBe('setup_pending');
    }
  });

  it('refuses a wrong token and writes nothing', async () => {
    const res = await server.request('/api/setup', { body: goodSetup('x'.repeat(43)) });
    expect(res.status).toBe(403);
    expect(code(res.body)).toBe('setup_token_invalid');
    expect(await written()).toBe(0);
  });

  it('refuses bad input with a Vietnamese message per field and writes nothing', async () => {
    const bad = {
      token,
      commune: { code: '2673', name: '   ' },
      hamlets: '\n \n',
      teams: 'Tổ 0 0 1 0 9 9 0 1 2 3 4 5',
      admin: { displayName: 'Lan', username: 'Quản Trị', password: 'ngan', passwordConfirm: 'khac' },
    };
    const res = await server.request('/api/setup', { body: bad });
    expect(res.status).toBe(400);
    expect(code(res.body)).toBe('invalid_request');
    const f = fieldMessages(res.body);
    expect(f['commune.code']).toContain('5 chữ số');
    expect(f['commune.name']).toBe('Vui lòng nhập tên xã/phường.');
    expect(f.hamlets).toContain('ít nhất một thôn/ấp/tổ dân phố');
    expect(f.teams).toContain('số định danh');
    expect(f['admin.username']).toContain('chữ thường không dấu');
    expect(f['admin.password']).toContain('8');
    expect(f['admin.passwordConfirm']).toBe('Hai lần nhập mật khẩu không khớp.');
    expect(f['admin.displayName']).toBeUndefined();
    expect(await written()).toBe(0);
    // Not JSON at all: a 400, never a 500.
    const notJson = await server.request('/api/setup', {
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect(await written()).toBe(0);
  });

  it('creates the commune, its hamlets and teams trimmed and de-duplicated, and the admin, who then logs in', async () => {
    // The link printed by one process works on another sharing the database, and the first one
    // (which answered setup_pending before) opens its API as soon as the set-up is done.
    const res = await other.request<{ communeCode: string; hamlets: number; teams: number }>('/api/setup', {
      body: goodSetup(token),
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ communeCode: '26734', hamlets: 3, teams: 2 });
    const commune = await server.store.getCommune('26734');
    expect(commune?.name).toBe('Xã Thử Nghiệm');
    expect(commune?.hamlets.map((h) => h.name)).toEqual(['Thôn Một', 'Thôn Hai', 'Tổ dân phố 3']);
    expect((await server.store.listTeams('26734')).map((t) => t.name).sort()).toEqual([
      'Tổ CNS số 1',
      'Tổ CNS số 2',
    ]);
    expect(await db.count('setup_tokens')).toBe(0);

    expect((await server.request<{ setup: string }>('/api/health')).body.setup).toBe('done');
    const login = await server.request<LoginResponse>('/api/v1/auth/login', {
      body: { username: 'qt-thu', password: PASSWORD },
    });
    expect(login.status, login.text).toBe(200);
    expect(login.body.user.role).toBe('admin');
    expect(login.body.commune.code).toBe('26734');
    const dir = await server.request('/api/v1/admin/directory', { token: login.body.token });
    expect(dir.status).toBe(200);
  });

  it('refuses any second set-up, with the spent link or a fresh one, and writes nothing more', async () => {
    const before = await written();
    const again = await server.request('/api/setup', {
      body: { ...goodSetup(token), commune: { code: '26735', name: 'Xã Khác' } },
    });
    expect(again.status).toBe(409);
    expect(code(again.body)).toBe('setup_done');
    // No new link is issued once a commune exists.
    expect(await issueSetupToken(server.store)).toBeNull();
    expect(await written()).toBe(before);
  });
});
