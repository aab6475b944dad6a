// The HTTPS notice, over real HTTP on both stores: a page asked for over plain http at a non-local
// address (a phone on the LAN, or a phone behind a trusted proxy that did not say https) gets the
// Vietnamese notice instead of the app; localhost and HTTPS get the app; files and the API never change.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HTTPS_NOTICE_HTML, needsHttpsNotice } from '../../src/server/http/https-notice.ts';
import {
  STORE_KINDS,
  removeDir,
  setupAll,
  startServer,
  tempDir,
  testDatabase,
  type TestServer,
} from './harness.ts';

const dir = tempDir();
const staticDir = join(dir, 'dist');
const APP_PAGE = '<!doctype html><title>Sổ tay</title><div id="app"></div>';
mkdirSync(join(staticDir, 'assets'), { recursive: true });
writeFileSync(join(staticDir, 'index.html'), APP_PAGE);
writeFileSync(join(staticDir, 'assets', 'main-abc123.js'), 'console.log(1);');
afterAll(() => removeDir(dir));

const PAGE = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** node:http, whose Host header can be chosen (the address the phone typed). */
function get(url: string, path: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('who needs the notice', () => {
  const at = (over: Partial<Parameters<typeof needsHttpsNotice>[0]>) =>
    needsHttpsNotice({
      protocol: 'http',
      ip: '127.0.0.1',
      host: 'localhost:8080',
      forwardedProto: undefined,
      ...over,
    });

  it('spares the browsers that count as secure: localhost names and loopback addresses', () => {
    for (const host of ['localhost:8080', 'localhost', '127.0.0.1:8080', '[::1]:8080', 'app.localhost']) {
      expect(at({ host })).toBe(false);
      expect(at({ host, ip: '::1' })).toBe(false);
      expect(at({ host, ip: '::ffff:127.0.0.1' })).toBe(false);
    }
  });

  it('shows it to a phone on the LAN and to the server machine opened by its LAN address', () => {
    expect(at({ ip: '192.168.1.23', host: '192.168.1.10:8080' })).toBe(true);
    expect(at({ ip: '127.0.0.1', host: '192.168.1.10:8080' })).toBe(true);
    expect(at({ ip: '10.0.0.5', host: 'localhost:8080' })).toBe(true);
    expect(at({ ip: '192.168.1.23', host: 'sotay.lan' })).toBe(true);
  });

  it('spares any page that reached the browser over https', () => {
    expect(at({ protocol: 'https', ip: '192.168.1.23', host: 'sotay.example.vn' })).toBe(false);
    expect(at({ ip: '127.0.0.1', host: 'sotay.example.vn', forwardedProto: 'https' })).toBe(false);
    expect(at({ ip: '127.0.0.1', host: 'sotay.example.vn', forwardedProto: 'http' })).toBe(true);
  });
});

describe.each(STORE_KINDS)('the HTTPS notice on %s', (kind) => {
  let direct: TestServer;
  let proxied: TestServer;
  setupAll(async () => {
    direct = await startServer({ db: await testDatabase(kind), staticDir, demo: false });
    // Behind a reverse proxy on this machine that TRUST_PROXY names.
    proxied = await startServer({
      db: await testDatabase(kind),
      staticDir,
      demo: false,
      security: { trustProxy: '127.0.0.1' },
    });
  });
  afterAll(async () => {
    for (const s of [direct, proxied]) {
      await s?.stop();
      await s?.db.drop();
    }
  });

  it('gives a phone that typed the LAN address the notice in Vietnamese instead of the app', async () => {
    for (const path of ['/', '/index.html', '/records/today']) {
      const res = await get(direct.url, path, { ...PAGE, host: '192.168.1.10:8080' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toBe(HTTPS_NOTICE_HTML);
      expect(res.text).toContain('cần được mở bằng địa chỉ https://');
      expect(res.text).toContain('hỏi quản trị viên');
      expect(res.text).toContain('docs/operations.md');
      expect(res.text).not.toContain('id="app"');
    }
  });

  it('keeps the set-up page off plain http on the LAN, and says how to set up instead', async () => {
    const res = await get(direct.url, '/setup', { ...PAGE, host: '192.168.1.10:8080' });
    expect(res.text).toBe(HTTPS_NOTICE_HTML);
    expect(res.text).toContain('ssh -L 8080:127.0.0.1:8080');
    expect(res.text).toContain('--setup');
  });

  it('gives the notice to a phone behind the trusted proxy when the proxy says plain http', async () => {
    const res = await get(proxied.url, '/', {
      ...PAGE,
      host: 'sotay.xa.example.vn',
      'x-forwarded-for': '192.168.1.23',
      'x-forwarded-proto': 'http',
    });
    expect(res.text).toBe(HTTPS_NOTICE_HTML);
  });

  it('gives the app, not the notice, on localhost and behind a proxy that says https', async () => {
    const local = await get(direct.url, '/', { ...PAGE, host: 'localhost:8080' });
    expect(local.text).toBe(APP_PAGE);
    const loopback = await get(direct.url, '/records/today', PAGE);
    expect(loopback.text).toBe(APP_PAGE);
    const behindHttps = await get(proxied.url, '/', {
      ...PAGE,
      host: 'sotay.xa.example.vn',
      'x-forwarded-for': '192.168.1.23',
      'x-forwarded-proto': 'https',
    });
    expect(behindHttps.text).toBe(APP_PAGE);
    expect(behindHttps.headers['cache-control']).toBe('no-cache');
  });

  it('leaves the app files and the API alone over plain http', async () => {
    const lan = { host: '192.168.1.10:8080' };
    const asset = await get(direct.url, '/assets/main-abc123.js', { ...lan, accept: '*/*' });
    expect(asset.text).toBe('console.log(1);');
    const health = await get(direct.url, '/api/health', { ...lan, accept: 'text/html,*/*' });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toMatchObject({ ok: true });
  });
});
