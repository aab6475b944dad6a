// gzip on the wire, over real HTTP on both stores: gzip request bodies for login, push and pull; a
// zip bomb answers 413 and a broken stream 400, storing nothing; JSON answers are gzipped only for
// clients that accept it.
import { request as httpRequest } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { pushBodyLimit } from '../../src/server/http/sync.ts';
import {
  DEFAULT_MAX_MUTATIONS,
  ErrorResponse,
  LoginResponse,
  PullResponse,
  PushResponse,
  SCHEMA_VERSION,
} from '../../src/shared/index.ts';
import {
  STORE_KINDS,
  clientId,
  createOf,
  fakeRecord,
  startServer,
  testDatabase,
  type TestDatabase,
  type TestServer,
  setupAll,
} from './harness.ts';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http, so that nothing decompresses the answer behind the test's back. */
function raw(url: string, path: string, body: Buffer, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const gz = (value: unknown): Buffer => gzipSync(Buffer.from(JSON.stringify(value)));

describe.each(STORE_KINDS)('on %s', (kind) => {
  let server: TestServer;
  let db: TestDatabase;
  let tnv = '';

  setupAll(async () => {
    db = await testDatabase(kind);
    server = await startServer({ db });
    tnv = (await server.login('demo-tnv')).token;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  const gzipHeaders = (token?: string): Record<string, string> => ({
    'content-encoding': 'gzip',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  });

  describe('gzip request bodies', () => {
    it('logs in with a gzip body', async () => {
      const res = await server.request('/api/v1/auth/login', {
        body: gz({ username: 'demo-tnv', password: 'demo' }),
        headers: { 'content-encoding': 'gzip' },
      });
      expect(res.status).toBe(200);
      expect(LoginResponse.parse(res.body).user.username).toBe('demo-tnv');
    });

    it('applies a gzip push exactly as a plain one and pulls with a gzip body', async () => {
      const records = Array.from({ length: 20 }, () => fakeRecord());
      const cid = clientId();
      const body = gz({
        clientId: cid,
        schemaVersion: SCHEMA_VERSION,
        mutations: records.map((r, i) => createOf(r, i + 1)),
      });
      const res = await server.request('/api/v1/sync/push', {
        token: tnv,
        body,
        headers: { 'content-encoding': 'gzip' },
      });
      expect(res.status).toBe(200);
      const pushed = PushResponse.parse(res.body);
      expect(pushed.ackedSeq).toBe(20);
      expect(pushed.results.every((r) => r.status === 'applied')).toBe(true);

      const pulled = await server.request('/api/v1/sync/pull', {
        token: tnv,
        body: gz({ clientId: cid, cursor: null }),
        headers: { 'content-encoding': 'gzip' },
      });
      expect(pulled.status).toBe(200);
      const ids = PullResponse.parse(pulled.body).changes.map((c) => c.id);
      expect(ids).toEqual(expect.arrayContaining(records.map((r) => r.id)));
    });

    it('answers 413 to a zip bomb that inflates past the body limit, storing nothing', async () => {
      const before = await db.count('records');
      const bomb = gz({
        clientId: clientId(),
        schemaVersion: SCHEMA_VERSION,
        mutations: [createOf(fakeRecord(), 1)],
        pad: ' '.repeat(pushBodyLimit(DEFAULT_MAX_MUTATIONS) + 1024 * 1024),
      });
      expect(bomb.length).toBeLessThan(64 * 1024);
      const res = await raw(server.url, '/api/v1/sync/push', bomb, gzipHeaders(tnv));
      expect(res.status).toBe(413);
      expect(ErrorResponse.parse(JSON.parse(res.body.toString())).error.code).toBe('payload_too_large');
      expect(await db.count('records')).toBe(before);

      const login = await raw(
        server.url,
        '/api/v1/auth/login',
        gz({ username: 'demo-tnv', password: 'x'.repeat(64 * 1024) }),
        gzipHeaders(),
      );
      expect(login.status).toBe(413);
    });

    it('answers 400 invalid_json for a corrupt or truncated gzip body', async () => {
      const good = gz({ username: 'demo-tnv', password: 'demo' });
      const corrupt = Buffer.from(good);
      corrupt.fill(0x41, 10, 20);
      for (const body of [corrupt, good.subarray(0, good.length - 12), Buffer.from('not gzip at all')]) {
        const res = await raw(server.url, '/api/v1/auth/login', body, gzipHeaders());
        expect(res.status).toBe(400);
        const error = ErrorResponse.parse(JSON.parse(res.body.toString())).error;
        expect(error.code).toBe('invalid_json');
        expect(error.details).toEqual({ reason: 'invalid_gzip' });
      }
    });

    it('answers 400 invalid_json for gzip around something that is not JSON', async () => {
      const res = await raw(
        server.url,
        '/api/v1/auth/login',
        gzipSync(Buffer.from('{"username": ')),
        gzipHeaders(),
      );
      expect(res.status).toBe(400);
      expect(ErrorResponse.parse(JSON.parse(res.body.toString())).error.code).toBe('invalid_json');
    });

    it('answers 415 for a content encoding other than gzip', async () => {
      const res = await raw(server.url, '/api/v1/auth/login', Buffer.from('{}'), {
        'content-encoding': 'br',
      });
      expect(res.status).toBe(415);
      expect(ErrorResponse.parse(JSON.parse(res.body.toString())).error.code).toBe('unsupported_media_type');
    });
  });

  describe('gzip answers', () => {
    const pullBody = (): Buffer => Buffer.from(JSON.stringify({ clientId: clientId(), cursor: null }));

    it('gzips a large JSON answer for a client that accepts gzip', async () => {
      const res = await raw(server.url, '/api/v1/sync/pull', pullBody(), {
        authorization: `Bearer ${tnv}`,
        'accept-encoding': 'gzip',
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers.vary).toContain('accept-encoding');
      const body = PullResponse.parse(JSON.parse(gunzipSync(res.body).toString()));
      expect(body.changes.length).toBeGreaterThanOrEqual(20);
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
    });

    it('sends plain JSON to a client that does not accept gzip, and small answers plain', async () => {
      const plain = await raw(server.url, '/api/v1/sync/pull', pullBody(), {
        authorization: `Bearer ${tnv}`,
      });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(PullResponse.parse(JSON.parse(plain.body.toString())).changes.length).toBeGreaterThan(0);
      const small = await raw(server.url, '/api/v1/auth/login', Buffer.from('{}'), {
        'accept-encoding': 'gzip',
      });
      expect(small.status).toBe(400);
      expect(small.headers['content-encoding']).toBeUndefined();
    });
  });
});
