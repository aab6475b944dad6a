// Serving the built PWA: files, cache headers for a service-worker app, the SPA fallback, and the
// message shown when nothing was built. Independent of the store, so only over SQLite.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_BUILD_MESSAGE } from '../../src/server/http/static.ts';
import { removeDir, startServer, tempDir, testDatabase, type TestServer } from './harness.ts';

const dir = tempDir();
const staticDir = join(dir, 'dist');
let built: TestServer;
let unbuilt: TestServer;
/** No commune yet: the first-run set-up is pending. */
let pending: TestServer;

beforeAll(async () => {
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Sổ tay</title>');
  writeFileSync(join(staticDir, 'sw.js'), 'self.addEventListener("install", () => {});');
  writeFileSync(join(staticDir, 'assets', 'main-abc123.js'), 'console.log(1);');
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
