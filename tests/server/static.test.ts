// Serving the built PWA: files, their Brotli and gzip copies by Accept-Encoding, cache headers for a
// service-worker app, the SPA fallback, and the message shown when nothing was built. Independent
// of the store, so only over SQLite.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_BUILD_MESSAGE } from '../../src/server/http/static.ts';
import { removeDir, startServer, tempDir, testDatabase, type TestServer } from './harness.ts';

const dir = tempDir();
const staticDir = join(dir, 'dist');
let built: TestServer;
let unbuilt: TestServer;
/** No commune yet: the first-run set-up is pending. */
let pending: TestServer;

// Big enough to be worth compressing, as the build's copies are.
const APP_JS = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `từ ${i}`))};\n`;
const INDEX_HTML = `<!doctype html><title>Sổ tay</title>${'<p>Ghi nhận hỗ trợ người dân</p>'.repeat(60)}`;

/** Writes a file with the `.br` and `.gz` copies `npm run build` makes. */
function writeWithCopies(path: string, text: string): void {
  writeFileSync(path, text);
  writeFileSync(`${path}.br`, brotliCompressSync(Buffer.from(text)));
  writeFileSync(`${path}.gz`, gzipSync(Buffer.from(text)));
}

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** node:http, so that nothing decodes the answer behind the test's back (fetch would). */
function rawGet(url: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeWithCopies(join(staticDir, 'index.html'), INDEX_HTML);
  writeFileSync(join(staticDir, 'sw.js'), 'self.addEventListener("install", () => {});');
  writeFileSync(join(staticDir, 'assets', 'main-abc123.js'), 'console.log(1);');
  writeWithCopies(join(staticDir, 'assets', 'app-d4e5f6.js'), APP_JS);
  writeWithCopies(join(staticDir, 'manifest.webmanifest'), JSON.stringify({ name: 'Sổ tay', icons: [] }));
  built = await startServer({ db: await testDatabase('sqlite'), staticDir });
  pending = await startServer({ db: await testDatabase('sqlite'), staticDir, demo: false });
  unbuilt = await startServer({
    db: await testDatabase('sqlite'),
    staticDir: join(dir, 'missing'),
    demo: false,
  });
});
afterAll(async () => {
  for (const s of [built, unbuilt, pending]) {
    await s.stop();
    await s.db.drop();
  }
  removeDir(dir);
});

describe('static files', () => {
  it('serves index.html at / without caching', async () => {
    const res = await built.request('/', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Sổ tay');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves the service worker without caching', async () => {
    const res = await built.request('/sw.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves hashed assets as immutable', async () => {
    const res = await built.request('/assets/main-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
  });

  it('answers an app route asked for as HTML with index.html', async () => {
    const res = await built.request('/records/today', { headers: { accept: 'text/html,*/*' } });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<!doctype html>');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing asset and an unknown API route with a JSON 404, not index.html', async () => {
    const asset = await built.request('/assets/missing.js', { headers: { accept: '*/*' } });
    expect(asset.status).toBe(404);
    const api = await built.request('/api/v1/nothing-here', { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(api.body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('serves the set-up page and the assets while set-up is pending, and closes the rest of the API', async () => {
    const page = await pending.request('/setup', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Sổ tay</title>');
    expect((await pending.request('/assets/main-abc123.js')).status).toBe(200);
    const api = await pending.request('/api/v1/nothing-here');
    expect(api.status).toBe(503);
    expect(api.body).toMatchObject({ error: { code: 'setup_pending' } });
  });

  it('tells to run npm run build when there is no build, while the API still works', async () => {
    const res = await unbuilt.request('/');
    expect(res.status).toBe(200);
    expect(res.text).toBe(NO_BUILD_MESSAGE);
    expect(res.text).toContain('npm run build');
    expect((await unbuilt.request('/api/health')).status).toBe(200);
  });
});

describe('compressed copies of the built files', () => {
  const asset = () => `${built.url}/assets/app-d4e5f6.js`;

  it('sends the Brotli copy to a phone that accepts br, and it decodes to the same bytes', async () => {
    const res = await rawGet(asset(), { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(res.body.length).toBeLessThan(Buffer.byteLength(APP_JS));
    expect(brotliDecompressSync(res.body).toString()).toBe(APP_JS);
  });

  it('sends the gzip copy to a phone that accepts only gzip', async () => {
    const res = await rawGet(asset(), { 'accept-encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['vary']).toMatch(/accept-encoding/i);
    expect(gunzipSync(res.body).toString()).toBe(APP_JS);
  });

  it('sends the file as it is to a client that accepts no encoding', async () => {
    for (const headers of [{}, { 'accept-encoding': 'identity' }] as Record<string, string>[]) {
      const res = await rawGet(asset(), headers);
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.body.toString()).toBe(APP_JS);
      expect(res.headers['vary']).toMatch(/accept-encoding/i);
    }
  });

  it('caches a hashed asset for a year as immutable, in every encoding', async () => {
    for (const encoding of ['br', 'gzip', 'identity']) {
      const res = await rawGet(asset(), { 'accept-encoding': encoding });
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  it('sends index.html compressed but never cached, at / and as the app routes fallback', async () => {
    for (const path of ['/', '/index.html', '/records/today']) {
      const res = await rawGet(`${built.url}${path}`, { accept: 'text/html', 'accept-encoding': 'br' });
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(brotliDecompressSync(res.body).toString()).toBe(INDEX_HTML);
    }
  });

  it('revalidates the web manifest and the service worker, compressed or not', async () => {
    const manifest = await rawGet(`${built.url}/manifest.webmanifest`, { 'accept-encoding': 'gzip' });
    expect(manifest.headers['content-encoding']).toBe('gzip');
    expect(manifest.headers['cache-control']).toBe('no-cache');
    const sw = await rawGet(`${built.url}/sw.js`, { 'accept-encoding': 'br, gzip' });
    expect(sw.headers['content-encoding']).toBeUndefined();
    expect(sw.headers['cache-control']).toBe('no-cache');
  });
});
