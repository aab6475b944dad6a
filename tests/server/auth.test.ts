// Health, login, the bearer-token gate, and the error shape for bad input, over real HTTP, on both stores.
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_MUTATIONS,
  ErrorResponse,
  HealthResponse,
  LoginResponse,
} from '../../src/shared/index.ts';
import {
  STORE_KINDS,
  clientId,
  startServer,
  testDatabase,
  type TestDatabase,
  type TestServer,
  setupAll,
} from './harness.ts';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  describe('health', () => {
    it('answers ok with the store kind and a version', async () => {
      const res = await server.request('/api/health');
      expect(res.status).toBe(200);
      expect(HealthResponse.parse(res.body)).toEqual({
        ok: true,
        store: kind,
        version: expect.any(String),
        setup: 'done',
        maxMutations: DEFAULT_MAX_MUTATIONS,
      });
    });
  });

  describe('login', () => {
    it('answers a token, the user and the commune with its hamlets for the right password', async () => {
      const res = await server.request('/api/v1/auth/login', {
        body: { username: 'demo-tnv', password: 'demo' },
      });
      expect(res.status).toBe(200);
      const body = LoginResponse.parse(res.body);
      expect(body.user).toMatchObject({
        username: 'demo-tnv',
        role: 'volunteer',
        communeCode: '99001',
        teamId: 'team-1',
      });
      expect(body.commune.name).toBe('Xã Thanh Bình (demo)');
      expect(body.commune.hamlets.map((h) => h.id)).toEqual([
        'thon-dong',
        'thon-tay',
        'thon-nam',
        'thon-bac',
      ]);
    });

    it("gives a lead the team members' names (the lead included), a volunteer none", async () => {
      const lead = await server.request('/api/v1/auth/login', {
        body: { username: 'demo-lead', password: 'demo' },
      });
      expect(lead.status).toBe(200);
      const team = LoginResponse.parse(lead.body).team;
      const byName = [...(team ?? [])].sort((a, b) => a.name.localeCompare(b.name));
      // team-1 only: demo-tnv2 (team-2), the supervisor and the admin are not in it.
      expect(byName.map((m) => m.name)).toEqual(['Lê Văn Cường (demo)', 'Nguyễn Văn An (demo)']);
      // Each id is the member's own, so a record's volunteerId finds its name.
      const volunteer = await server.request('/api/v1/auth/login', {
        body: { username: 'demo-tnv', password: 'demo' },
      });
      const tnv = LoginResponse.parse(volunteer.body);
      expect(team).toContainEqual({ id: tnv.user.id, name: 'Nguyễn Văn An (demo)' });
      expect(team).toContainEqual({
        id: LoginResponse.parse(lead.body).user.id,
        name: 'Lê Văn Cường (demo)',
      });
      // Only the id and the name: no username, role or anything else about a teammate.
      expect(Object.keys(team![0]!).sort()).toEqual(['id', 'name']);
      expect(tnv.team).toBeUndefined();
      expect(volunteer.body).not.toHaveProperty('team');
    });

    it('accepts a username typed with a capital letter', async () => {
      const res = await server.request('/api/v1/auth/login', {
        body: { username: 'Demo-GS ', password: 'demo' },
      });
      expect(res.status).toBe(200);
    });

    it('answers 401 bad_credentials for a wrong password', async () => {
      const res = await server.request('/api/v1/auth/login', {
        body: { username: 'demo-tnv', password: 'wrong' },
      });
      expect(res.status).toBe(401);
      expect(ErrorResponse.parse(res.body).error.code).toBe('bad_credentials');
    });

    it('answers the same 401 for an unknown user', async () => {
      const res = await server.request('/api/v1/auth/login', {
        body: { username: 'nobody', password: 'demo' },
      });
      expect(res.status).toBe(401);
      expect(ErrorResponse.parse(res.body).error).toEqual({
        code: 'bad_credentials',
        message: 'Sai tên đăng nhập hoặc mật khẩu.',
      });
    });

    it('answers 400 invalid_request with field details for a body missing the password', async () => {
      const res = await server.request('/api/v1/auth/login', { body: { username: 'demo-tnv' } });
      expect(res.status).toBe(400);
      const err = ErrorResponse.parse(res.body).error;
      expect(err.code).toBe('invalid_request');
      expect(err.details).toMatchObject({ fields: [{ field: 'password', code: 'required' }] });
    });

    it('answers 400 invalid_json for a body that is not JSON', async () => {
      const res = await server.request('/api/v1/auth/login', { body: '{"username": "demo-tnv", ' });
      expect(res.status).toBe(400);
      expect(ErrorResponse.parse(res.body).error.code).toBe('invalid_json');
    });

    it('answers 415 for a body that is not declared as JSON', async () => {
      const res = await server.request('/api/v1/auth/login', {
        body: 'username=demo-tnv&password=demo',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(415);
      expect(ErrorResponse.parse(res.body).error.code).toBe('unsupported_media_type');
    });

    it('answers 413 payload_too_large for a huge login body', async () => {
      const res = await server.request('/api/v1/auth/login', {
        body: { username: 'demo-tnv', password: 'x'.repeat(64 * 1024) },
      });
      expect(res.status).toBe(413);
      expect(ErrorResponse.parse(res.body).error.code).toBe('payload_too_large');
    });
  });

  describe('the token gate', () => {
    it('answers 401 unauthorized without a token', async () => {
      const res = await server.request('/api/v1/sync/pull', { body: { clientId: clientId(), cursor: null } });
      expect(res.status).toBe(401);
      expect(ErrorResponse.parse(res.body).error.code).toBe('unauthorized');
    });

    it('answers 401 unauthorized for a token the server never issued', async () => {
      const res = await server.request('/api/v1/sync/pull', {
        token: 'A'.repeat(43),
        body: { clientId: clientId(), cursor: null },
      });
      expect(res.status).toBe(401);
      expect(ErrorResponse.parse(res.body).error.code).toBe('unauthorized');
    });

    it('answers 401 for a malformed Authorization header', async () => {
      const res = await server.request('/api/v1/records/x', {
        headers: { authorization: 'Basic ZGVtbzpkZW1v' },
      });
      expect(res.status).toBe(401);
    });

    it('lets a freshly issued token through', async () => {
      const { token } = await server.login('demo-tnv');
      const res = await server.pull(token, clientId(), null);
      expect(res.status).toBe(200);
    });

    it('answers a JSON 404 for an unknown API route', async () => {
      const res = await server.request('/api/v2/nothing');
      expect(res.status).toBe(404);
      expect(ErrorResponse.parse(res.body).error.code).toBe('not_found');
    });
  });

  describe('ending access', () => {
    it('refuses a token after logout', async () => {
      const { token } = await server.login('demo-tnv');
      const out = await server.request('/api/v1/auth/logout', { method: 'POST', token });
      expect(out.status).toBe(204);
      const res = await server.pull(token, clientId(), null);
      expect(res.status).toBe(401);
    });

    it('refuses both the tokens and the login of a disabled user', async () => {
      const { token } = await server.login('demo-admin');
      await db.exec("UPDATE users SET active = FALSE WHERE username = 'demo-admin'");
      expect((await server.pull(token, clientId(), null)).status).toBe(401);
      const login = await server.request('/api/v1/auth/login', {
        body: { username: 'demo-admin', password: 'demo' },
      });
      expect(login.status).toBe(401);
      expect(ErrorResponse.parse(login.body).error.code).toBe('bad_credentials');
    });
  });

  describe('a restart on the same database', () => {
    it('keeps issued tokens valid and applies no migration twice', async () => {
      const { token } = await server.login('demo-lead');
      await server.stop();
      server = await startServer({ db });
      const res = await server.pull(token, clientId(), null);
      expect(res.status).toBe(200);
      expect((await server.store.migrate()).applied).toEqual([]);
    });
  });
});
