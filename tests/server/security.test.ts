// Server hardening through real HTTP on both stores: security headers and the CSP, CORS closed by
// default and open to an allow-list, body limits answered 413 in JSON, login throttling and the
// global limit (429 with Retry-After), the access mechanism refusing undeclared routes, and the
// audit log: what it records, that it holds no secrets, and that only an admin reads it.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { ERRORS, type AuditResponse, type ErrorBody } from '../../src/shared/index.ts';
import { PUBLIC, registerAccess } from '../../src/server/security/access.ts';
import { inlineScriptHashes } from '../../src/server/security/headers.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  deleteOf,
  fakeRecord,
  removeDir,
  setupAll,
  startServer,
  tempDir,
  testDatabase,
  type TestServer,
} from './harness.ts';

const WRONG = 'mat-khau-sai-9137';
const SHELL_SCRIPT = "try { document.documentElement.className = 'x'; } catch {}";

function cspOf(headers: Headers): Map<string, string[]> {
  const text = headers.get('content-security-policy') ?? '';
  return new Map(
    text
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name = '', ...values]) => [name, values]),
  );
}

describe('security headers without a server', () => {
  it('hashes every inline script of a page and skips scripts with a src', () => {
    const html = `<script>${SHELL_SCRIPT}</script><script type="module" src="/a.js"></script><script>b()</script>`;
    const expected = [SHELL_SCRIPT, 'b()'].map(
      (s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`,
    );
    expect(inlineScriptHashes(html)).toEqual(expected);
  });

  it('refuses at start a route that declares no access, or takes a body with no explicit limit', async () => {
    const bare = Fastify();
    registerAccess(bare, {} as never);
    expect(() => bare.get('/forgotten', async () => 'x')).toThrow(/declares no access/);
    expect(() => bare.post('/unbounded', { config: { access: PUBLIC } }, async () => 'x')).toThrow(
      /bodyLimit/,
    );
    expect(() =>
      bare.get(
        '/bad-role',
        { config: { access: { roles: ['mayor' as never], scope: 'own' } } },
        async () => 'x',
      ),
    ).toThrow(/roles/);
    await bare.close();
  });
});

describe.each(STORE_KINDS)('server hardening on %s', (kind) => {
  let server: TestServer;
  let open: TestServer;
  let limited: TestServer;
  let staticDir: string;

  setupAll(async () => {
    staticDir = tempDir('sotay-static-');
    writeFileSync(
      join(staticDir, 'index.html'),
      `<!doctype html><html><head><script>${SHELL_SCRIPT}</script></head><body></body></html>`,
    );
    server = await startServer({
      db: await testDatabase(kind),
      staticDir,
      security: {
        rateLimits: {
          loginFreeFailures: 1,
          loginDelayMs: 300,
          loginMaxDelayMs: 2000,
          loginLockFailures: 4,
          loginLockMs: 60_000,
          perSessionPerMinute: 40,
        },
      },
    });
    open = await startServer({
      db: await testDatabase(kind),
      security: {
        corsOrigins: ['https://bao-cao.example.vn'],
        hsts: true,
      },
    });
    limited = await startServer({
      db: await testDatabase(kind),
      security: { rateLimits: { loginPerIpPerMinute: 4 } },
    });
  });

  afterAll(async () => {
    for (const s of [server, open, limited]) {
      await s?.stop();
      await s?.db.drop();
    }
    if (staticDir) removeDir(staticDir);
  });

  describe('headers', () => {
    it('sends a strict CSP on the shell: scripts only from self and the hash of its inline script', async () => {
      const res = await server.request('/', { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      const csp = cspOf(res.headers);
      expect(csp.get('default-src')).toEqual(["'self'"]);
      const scripts = csp.get('script-src') ?? [];
      expect(scripts).toContain("'self'");
      expect(scripts).toContain(inlineScriptHashes(res.text)[0]);
      expect(scripts.join(' ')).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('worker-src')).toEqual(["'self'"]);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('sends the same headers on API answers, and HSTS only when configured for HTTPS', async () => {
      const plain = await server.request('/api/health');
      expect(plain.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(plain.headers.get('strict-transport-security')).toBeNull();
      const https = await open.request('/api/health');
      expect(https.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    });
  });

  describe('CORS', () => {
    it('is closed by default: no Access-Control-Allow-Origin, and a preflight is refused', async () => {
      const origin = 'https://evil.example';
      const get = await server.request('/api/health', { headers: { origin } });
      expect(get.status).toBe(200);
      expect(get.headers.get('access-control-allow-origin')).toBeNull();
      const pre = await server.request('/api/v1/sync/pull', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(pre.status).toBe(404);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      expect(pre.headers.get('access-control-allow-methods')).toBeNull();
    });

    it('answers an allowed origin, preflight included, and still refuses any other', async () => {
      const origin = 'https://bao-cao.example.vn';
      const pre = await open.request('/api/v1/sync/pull', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
      expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
      const get = await open.request('/api/health', { headers: { origin } });
      expect(get.headers.get('access-control-allow-origin')).toBe(origin);
      const other = await open.request('/api/health', {
        headers: { origin: 'https://bao-cao.example.vn.evil.example' },
      });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('body limits', () => {
    it('declares an explicit body limit on every route that takes a body', () => {
      const withBody = server.app.routeTable.filter((r) =>
        ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method),
      );
      expect(withBody.length).toBeGreaterThan(3);
      for (const r of withBody) expect(r.bodyLimit, `${r.method} ${r.url}`).toBeTypeOf('number');
    });

    it('answers 413 in the JSON error shape past a route limit, plain or gzip-inflated', async () => {
      const big = JSON.stringify({ username: 'x'.repeat(20 * 1024), password: 'y' });
      const plain = await open.request<ErrorBody>('/api/v1/auth/login', { body: big });
      expect(plain.status).toBe(413);
      expect(plain.body.error.code).toBe('payload_too_large');
      expect(plain.body.error.message).toBe(ERRORS.payload_too_large.vi);
      const zipped = gzipSync(Buffer.from(big));
      expect(zipped.length).toBeLessThan(16 * 1024);
      const gz = await server.request<ErrorBody>('/api/v1/auth/login', {
        body: new Uint8Array(zipped),
        headers: { 'content-encoding': 'gzip' },
      });
      expect(gz.status).toBe(413);
      expect(gz.body.error.code).toBe('payload_too_large');
    });
  });

  describe('login throttling', () => {
    it('slows answers after a failure, doubling, then locks the username with 429 and Retry-After', async () => {
      const wrong = { username: 'demo-tnv2', password: 'sai-mat-khau' };
      const timed = async (body: unknown) => {
        const t = performance.now();
        const res = await server.request<ErrorBody>('/api/v1/auth/login', { body });
        return { res, ms: performance.now() - t };
      };
      expect((await timed(wrong)).res.status).toBe(401);
      const second = await timed(wrong);
      expect(second.res.status).toBe(401);
      expect(second.ms).toBeGreaterThanOrEqual(280);
      const third = await timed(wrong);
      expect(third.res.status).toBe(401);
      expect(third.ms).toBeGreaterThanOrEqual(580);
      expect((await timed(wrong)).res.status).toBe(401);
      // Locked: even the right password waits for the lock to run out.
      const locked = await timed({ username: 'Demo-TNV2', password: 'demo' });
      expect(locked.res.status).toBe(429);
      expect(locked.res.body.error.code).toBe('rate_limited');
      expect(locked.res.body.error.message).toBe(ERRORS.rate_limited.vi);
      expect(Number(locked.res.headers.get('retry-after'))).toBeGreaterThan(50);
    });

    it('forgets the failures of a username once it logs in', async () => {
      const wrong = { username: 'demo-lead', password: 'sai' };
      for (let i = 0; i < 3; i++)
        expect((await server.request('/api/v1/auth/login', { body: wrong })).status).toBe(401);
      expect(
        (await server.request('/api/v1/auth/login', { body: { username: 'demo-lead', password: 'demo' } }))
          .status,
      ).toBe(200);
      // Without the reset these would be failures 4 and 5: the lock (at 4) would refuse the next login.
      for (let i = 0; i < 3; i++)
        expect((await server.request('/api/v1/auth/login', { body: wrong })).status).toBe(401);
      expect(
        (await server.request('/api/v1/auth/login', { body: { username: 'demo-lead', password: 'demo' } }))
          .status,
      ).toBe(200);
    });

    it('limits login attempts per client address, whatever the username', async () => {
      const statuses: number[] = [];
      for (const u of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'])
        statuses.push(
          (await limited.request('/api/v1/auth/login', { body: { username: u, password: 'x' } })).status,
        );
      expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
      expect(statuses.slice(4)).toEqual([429, 429]);
      const res = await limited.request<ErrorBody>('/api/v1/auth/login', {
        body: { username: 'a7', password: 'x' },
      });
      expect(res.body.error.code).toBe('rate_limited');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('limits requests per session, so phones sharing one address do not share a budget', async () => {
      const a = await server.login('demo-tnv');
      const b = await server.login('demo-gs');
      // Any route but push and pull (those have a budget of their own: rate-limit-sync.test.ts).
      const read = (token: string) => server.request(`/api/v1/records/${clientId()}`, { token });
      const statuses: number[] = [];
      for (let i = 0; i < 45; i++) statuses.push((await read(a.token)).status);
      expect(statuses.filter((s) => s !== 429)).toHaveLength(40);
      expect(statuses.at(-1)).toBe(429);
      expect((await read(b.token)).status).not.toBe(429);
    });
  });

  describe('audit log', () => {
    it('records logins, views, exports, edits, deletes, reviews and target changes — ids, never secrets', async () => {
      const admin = await server.login('demo-admin');
      const lead = await open.login('demo-lead');
      // The rest happens on `open` (its own database), so this test reads only its own entries.
      const tnv = await open.login('demo-tnv');
      expect(
        (await open.request('/api/v1/auth/login', { body: { username: 'demo-tnv', password: WRONG } }))
          .status,
      ).toBe(401);
      const rec = fakeRecord();
      const gone = fakeRecord();
      const cid = clientId();
      expect((await open.push(tnv.token, cid, [createOf(rec, 1), createOf(gone, 2)])).status).toBe(200);
      expect((await open.push(tnv.token, cid, [deleteOf(gone.id, 3)])).status).toBe(200);
      const gs = await open.login('demo-gs');
      expect((await open.request(`/api/v1/records/${rec.id}`, { token: gs.token })).status).toBe(200);
      expect(
        (await open.request('/api/v1/tallies?from=2025-10-01&to=2025-10-31', { token: gs.token })).status,
      ).toBe(200);
      expect(
        (await open.request('/api/v1/export/logs.csv?from=2025-10-01&to=2025-10-31', { token: gs.token }))
          .status,
      ).toBe(200);
      expect(
        (
          await open.request(`/api/v1/records/${rec.id}/review`, {
            token: lead.token,
            body: { state: 'approved' },
          })
        ).status,
      ).toBe(200);
      const openAdmin = await open.login('demo-admin');
      expect(
        (
          await open.request('/api/v1/targets', {
            method: 'PUT',
            token: openAdmin.token,
            body: { period: { from: '2025-10-01', to: '2025-12-31' }, category: 'vneid_l1', target: 45 },
          })
        ).status,
      ).toBe(200);
      expect(
        (await open.request('/api/v1/targets?from=2025-10-01&to=2025-10-31', { token: tnv.token })).status,
      ).toBe(403);
      const other = await open.login('demo-tnv2');
      expect((await open.request(`/api/v1/records/${rec.id}`, { token: other.token })).status).toBe(403);

      const res = await open.request<AuditResponse>('/api/v1/audit?limit=200', { token: openAdmin.token });
      expect(res.status).toBe(200);
      const entries = res.body.entries;
      const has = (action: string, match: Partial<(typeof entries)[number]> = {}) =>
        entries.some(
          (e) => e.action === action && Object.entries(match).every(([k, v]) => e[k as keyof typeof e] === v),
        );
      expect(has('login_ok', { username: 'demo-tnv', role: 'volunteer', status: 200 })).toBe(true);
      expect(has('login_failed', { username: 'demo-tnv', status: 401 })).toBe(true);
      expect(has('view', { username: 'demo-gs', target: `record:${rec.id}` })).toBe(true);
      expect(has('view', { username: 'demo-gs', target: 'tallies' })).toBe(true);
      expect(has('export', { username: 'demo-gs', target: 'export:logs.csv' })).toBe(true);
      expect(entries.find((e) => e.action === 'edit')?.detail).toEqual({ records: [rec.id, gone.id] });
      expect(entries.find((e) => e.action === 'delete')?.detail).toEqual({ records: [gone.id] });
      expect(has('review', { username: 'demo-lead', target: `record:${rec.id}` })).toBe(true);
      expect(has('target_change', { username: 'demo-admin' })).toBe(true);
      expect(has('denied', { username: 'demo-tnv', target: 'GET /api/v1/targets', status: 403 })).toBe(true);
      expect(has('denied', { username: 'demo-tnv2', target: 'GET /api/v1/records/:id', status: 403 })).toBe(
        true,
      );
      expect(entries.every((e) => e.ip === '127.0.0.1' && !Number.isNaN(Date.parse(e.at)))).toBe(true);
      // Newest first.
      expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort().reverse());
      // No tokens, no passwords, no record content.
      const text = JSON.stringify(entries);
      for (const secret of [tnv.token, gs.token, lead.token, openAdmin.token, WRONG, 'demo"', rec.note ?? ''])
        expect(text).not.toContain(secret);
      // The admin of the other database sees none of this.
      const elsewhere = await server.request<AuditResponse>('/api/v1/audit', { token: admin.token });
      expect(elsewhere.body.entries.some((e) => e.target === `record:${rec.id}`)).toBe(false);
    });

    it('filters by action, user and day, pages with `before`, and is for admins only', async () => {
      const admin = await open.login('demo-admin');
      const gs = await open.login('demo-gs');
      for (let i = 0; i < 3; i++)
        expect(
          (await open.request('/api/v1/tallies?from=2025-10-01&to=2025-10-31', { token: gs.token })).status,
        ).toBe(200);
      const views = await open.request<AuditResponse>(
        `/api/v1/audit?action=view&userId=${gs.user.id}&limit=2`,
        {
          token: admin.token,
        },
      );
      expect(views.status).toBe(200);
      expect(views.body.entries).toHaveLength(2);
      expect(views.body.entries.every((e) => e.action === 'view' && e.userId === gs.user.id)).toBe(true);
      expect(views.body.next).toBe(views.body.entries[1]?.id);
      const older = await open.request<AuditResponse>(
        `/api/v1/audit?action=view&userId=${gs.user.id}&limit=2&before=${views.body.next}`,
        { token: admin.token },
      );
      expect(older.body.entries.length).toBeGreaterThan(0);
      expect(older.body.entries.every((e) => e.id < (views.body.next ?? ''))).toBe(true);
      const today = new Date().toISOString().slice(0, 10);
      const none = await open.request<AuditResponse>(`/api/v1/audit?from=2000-01-01&to=2000-01-02`, {
        token: admin.token,
      });
      expect(none.body.entries).toEqual([]);
      const todays = await open.request<AuditResponse>(`/api/v1/audit?from=${today}&to=${today}`, {
        token: admin.token,
      });
      expect(todays.body.entries.length).toBeGreaterThan(0);
      for (const who of ['demo-tnv', 'demo-lead', 'demo-gs']) {
        const t = await open.login(who);
        expect((await open.request('/api/v1/audit', { token: t.token })).status).toBe(403);
      }
      expect((await open.request('/api/v1/audit')).status).toBe(401);
      const bad = await open.request<ErrorBody>('/api/v1/audit?limit=5000', { token: admin.token });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_request');
    });
  });
});
