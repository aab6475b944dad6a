// The commune admin's API over real HTTP on both stores: users, teams, hamlets, devices; admin only,
// own commune only (another commune's objects answer 404), bad input answers 400 and stores nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { AdminDirectory, AdminUser, type AdminTeam } from '../../src/shared/admin.ts';
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
import { OTHER_PASSWORD, seedOtherCommune } from './admin-support.ts';

const code = (body: unknown): string => ErrorResponse.parse(body).error.code;
const fields = (body: unknown): string[] => {
  const details = ErrorResponse.parse(body).error.details as { fields?: { field: string }[] };
  return (details.fields ?? []).map((f) => f.field);
};

describe.each(STORE_KINDS)('admin API on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  let admin: string;
  let otherAdmin: string;

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    await seedOtherCommune(server);
    admin = (await server.login('demo-admin')).token;
    otherAdmin = (await server.login('other-admin', OTHER_PASSWORD)).token;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  const directory = async (token = admin) => {
    const res = await server.request('/api/v1/admin/directory', { token });
    expect(res.status).toBe(200);
    return AdminDirectory.parse(res.body);
  };

  it('lists only its own commune: users, teams, hamlets and devices with their last contact', async () => {
    const dir = await directory();
    expect(dir.users.map((u) => u.username)).toContain('demo-tnv');
    expect(dir.users.map((u) => u.username)).not.toContain('other-tnv');
    expect(dir.teams.map((t) => t.id)).toEqual(expect.arrayContaining(['team-1', 'team-2']));
    expect(dir.hamlets.map((h) => h.id)).toContain('thon-dong');
    expect(dir.hamlets.map((h) => h.id)).not.toContain('other-hamlet');
    const adminUser = dir.users.find((u) => u.username === 'demo-admin');
    // The admin's own login made a device, with a last contact.
    const mine = dir.devices.filter((d) => d.userId === adminUser?.id);
    expect(mine.length).toBeGreaterThan(0);
    expect(Date.parse(mine[0]?.lastSeenAt ?? '')).not.toBeNaN();
    const other = await directory(otherAdmin);
    expect(other.users.map((u) => u.username).sort()).toEqual(['other-admin', 'other-tnv']);
  });

  it('refuses every admin route to a volunteer, a lead and a supervisor with 403', async () => {
    for (const username of ['demo-tnv', 'demo-lead', 'demo-gs']) {
      const { token } = await server.login(username);
      const list = await server.request('/api/v1/admin/directory', { token });
      expect(list.status).toBe(403);
      expect(code(list.body)).toBe('forbidden');
      const create = await server.request('/api/v1/admin/teams', { token, body: { name: 'Tổ lén' } });
      expect(create.status).toBe(403);
    }
    expect((await directory()).teams.map((t) => t.name)).not.toContain('Tổ lén');
  });

  it('refuses an anonymous caller with 401', async () => {
    const res = await server.request('/api/v1/admin/directory');
    expect(res.status).toBe(401);
  });

  it('creates a volunteer with a password who can then log in, and edits them', async () => {
    const res = await server.request('/api/v1/admin/users', {
      token: admin,
      body: {
        username: 'tnv-moi',
        displayName: '  Người Thử Mới ',
        role: 'volunteer',
        teamId: 'team-2',
        password: 'mat-khau-moi-1',
      },
    });
    expect(res.status).toBe(201);
    const user = AdminUser.parse(res.body);
    expect(user).toMatchObject({
      displayName: 'Người Thử Mới',
      teamId: 'team-2',
      active: true,
      hasPassword: true,
    });
    const login = await server.request('/api/v1/auth/login', {
      body: { username: 'tnv-moi', password: 'mat-khau-moi-1' },
    });
    expect(LoginResponse.parse(login.body).user).toMatchObject({ role: 'volunteer', teamId: 'team-2' });

    const edit = await server.request(`/api/v1/admin/users/${user.id}`, {
      token: admin,
      body: { displayName: 'Người Thử Đổi Tên', role: 'lead', teamId: 'team-1' },
    });
    expect(edit.status).toBe(200);
    expect(AdminUser.parse(edit.body)).toMatchObject({
      displayName: 'Người Thử Đổi Tên',
      role: 'lead',
      teamId: 'team-1',
    });
    const listed = (await directory()).users.find((u) => u.id === user.id);
    expect(listed).toMatchObject({ role: 'lead', teamId: 'team-1' });
  });

  it('creates an account without a password, which no password opens', async () => {
    const res = await server.request('/api/v1/admin/users', {
      token: admin,
      body: { username: 'tnv-qr', displayName: 'Người Thử QR', role: 'volunteer', teamId: 'team-1' },
    });
    expect(res.status).toBe(201);
    expect(AdminUser.parse(res.body).hasPassword).toBe(false);
    for (const password of ['none', 'x']) {
      const login = await server.request('/api/v1/auth/login', { body: { username: 'tnv-qr', password } });
      expect(login.status).toBe(401);
    }
  });

  it('refuses a taken username with 409 and stores nothing', async () => {
    const before = await db.count('users');
    const res = await server.request('/api/v1/admin/users', {
      token: admin,
      body: { username: 'other-tnv', displayName: 'Trùng tên', role: 'supervisor' },
    });
    expect(res.status).toBe(409);
    expect(code(res.body)).toBe('username_taken');
    expect(await db.count('users')).toBe(before);
  });

  it('gives a username to one of two admins creating it at once; the other gets 409', async () => {
    const body = { username: 'tnv-dua', displayName: 'Người Thử Đua', role: 'supervisor' };
    const answers = await Promise.all(
      [1, 2, 3].map(() => server.request('/api/v1/admin/users', { token: admin, body })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    expect(answers.filter((a) => a.status === 409).map((a) => code(a.body))).toEqual([
      'username_taken',
      'username_taken',
    ]);
  });

  it('answers 400 with the field for bad input and stores nothing', async () => {
    const before = await db.count('users');
    const bad: [unknown, string][] = [
      [{ username: 'Có Dấu', displayName: 'A', role: 'volunteer', teamId: 'team-1' }, 'username'],
      [{ username: 'tnv-x1', displayName: 'A', role: 'boss', teamId: 'team-1' }, 'role'],
      [{ username: 'tnv-x2', displayName: '   ', role: 'volunteer', teamId: 'team-1' }, 'displayName'],
      [{ username: 'tnv-x3', displayName: 'A', role: 'volunteer' }, 'teamId'],
      [{ username: 'tnv-x4', displayName: 'A', role: 'volunteer', teamId: 'other-team' }, 'teamId'],
      [
        { username: 'tnv-x5', displayName: 'A', role: 'volunteer', teamId: 'team-1', password: 'short' },
        'password',
      ],
      [{ username: 'tnv-x6', displayName: 'A', role: 'admin', isRoot: true }, 'isRoot'],
      [{ username: 'tnv-x7', displayName: 'x'.repeat(500), role: 'admin' }, 'displayName'],
    ];
    for (const [body, field] of bad) {
      const res = await server.request('/api/v1/admin/users', { token: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(code(res.body)).toBe('invalid_request');
      expect(fields(res.body)).toContain(field);
    }
    const notJson = await server.request('/api/v1/admin/users', { token: admin, body: '{"username":' });
    expect(notJson.status).toBe(400);
    expect(await db.count('users')).toBe(before);
  });

  it('does not let the admin disable or demote themselves', async () => {
    const me = (await directory()).users.find((u) => u.username === 'demo-admin');
    const off = await server.request(`/api/v1/admin/users/${me?.id}`, {
      token: admin,
      body: { active: false },
    });
    expect(off.status).toBe(400);
    expect(fields(off.body)).toEqual(['active']);
    const demote = await server.request(`/api/v1/admin/users/${me?.id}`, {
      token: admin,
      body: { role: 'supervisor' },
    });
    expect(demote.status).toBe(400);
    expect((await directory()).users.find((u) => u.id === me?.id)).toMatchObject({
      role: 'admin',
      active: true,
    });
  });

  it("answers 404 for another commune's user, team, hamlet and device, and changes nothing", async () => {
    const theirs = await directory(otherAdmin);
    const theirUser = theirs.users.find((u) => u.username === 'other-tnv');
    await server.login('other-tnv', OTHER_PASSWORD);
    const theirDevice = (await directory(otherAdmin)).devices.find((d) => d.userId === theirUser?.id);
    expect(theirDevice).toBeDefined();
    const attempts: [string, unknown][] = [
      [`/api/v1/admin/users/${theirUser?.id}`, { active: false }],
      [`/api/v1/admin/users/${theirUser?.id}/enrolments`, {}],
      ['/api/v1/admin/teams/other-team', { name: 'Đổi trộm' }],
      ['/api/v1/admin/hamlets/other-hamlet', { name: 'Đổi trộm' }],
      [`/api/v1/admin/devices/${theirDevice?.id}/revoke`, {}],
    ];
    for (const [path, body] of attempts) {
      const res = await server.request(path, { token: admin, body });
      expect(res.status, path).toBe(404);
      expect(code(res.body)).toBe('not_found');
    }
    const after = await directory(otherAdmin);
    expect(after.users.find((u) => u.id === theirUser?.id)?.active).toBe(true);
    expect(after.teams.find((t) => t.id === 'other-team')?.name).toBe('Tổ khác');
    expect(after.hamlets.find((h) => h.id === 'other-hamlet')?.name).toBe('Thôn khác');
    expect(after.devices.find((d) => d.id === theirDevice?.id)?.revokedAt).toBeNull();
  });

  it('creates and renames a team, and a volunteer can be moved into it', async () => {
    const res = await server.request('/api/v1/admin/teams', { token: admin, body: { name: 'Tổ CNS số 3' } });
    expect(res.status).toBe(201);
    const team = res.body as AdminTeam;
    const rename = await server.request(`/api/v1/admin/teams/${team.id}`, {
      token: admin,
      body: { name: 'Tổ CNS số 3 (mới)' },
    });
    expect(rename.status).toBe(200);
    expect((await directory()).teams.find((t) => t.id === team.id)?.name).toBe('Tổ CNS số 3 (mới)');
    const tnv = (await directory()).users.find((u) => u.username === 'demo-tnv2');
    const move = await server.request(`/api/v1/admin/users/${tnv?.id}`, {
      token: admin,
      body: { teamId: team.id },
    });
    expect(move.status).toBe(200);
    const login = await server.login('demo-tnv2');
    expect(login.user.teamId).toBe(team.id);
    const empty = await server.request('/api/v1/admin/teams', { token: admin, body: { name: '' } });
    expect(empty.status).toBe(400);
  });

  it('creates, renames and retires a hamlet, which the next login lists or hides', async () => {
    const res = await server.request('/api/v1/admin/hamlets', { token: admin, body: { name: 'Thôn Mới' } });
    expect(res.status).toBe(201);
    const { id } = res.body as { id: string };
    let login = await server.login('demo-tnv');
    expect(login.commune.hamlets.at(-1)).toEqual({ id, name: 'Thôn Mới' });
    const rename = await server.request(`/api/v1/admin/hamlets/${id}`, {
      token: admin,
      body: { name: 'Thôn Mới Lập' },
    });
    expect(rename.status).toBe(200);
    const retire = await server.request(`/api/v1/admin/hamlets/${id}`, {
      token: admin,
      body: { active: false },
    });
    expect(retire.body).toEqual({ id, name: 'Thôn Mới Lập', active: false });
    login = await server.login('demo-tnv');
    expect(login.commune.hamlets.map((h) => h.id)).not.toContain(id);
    expect((await directory()).hamlets.find((h) => h.id === id)).toEqual({
      id,
      name: 'Thôn Mới Lập',
      active: false,
    });
  });

  it('disabling a user refuses their token with account_disabled, and enabling asks for a new login', async () => {
    const { token } = await server.login('demo-tnv');
    const tnv = (await directory()).users.find((u) => u.username === 'demo-tnv');
    const off = await server.request(`/api/v1/admin/users/${tnv?.id}`, {
      token: admin,
      body: { active: false },
    });
    expect(AdminUser.parse(off.body).active).toBe(false);
    const refused = await server.pull(token, clientId(), null);
    expect(refused.status).toBe(401);
    expect(code(refused.body)).toBe('account_disabled');
    const on = await server.request(`/api/v1/admin/users/${tnv?.id}`, {
      token: admin,
      body: { active: true },
    });
    expect(on.status).toBe(200);
    // Disabling ended the session: the old token stays refused, a new login works.
    expect((await server.pull(token, clientId(), null)).status).toBe(401);
    const again = await server.login('demo-tnv');
    expect((await server.pull(again.token, clientId(), null)).status).toBe(200);
  });
});
