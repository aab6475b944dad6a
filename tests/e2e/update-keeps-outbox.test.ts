// An app update never loses the outbox: build v1, save offline, deploy v2 on the same server data,
// accept the update, and the record still waits in the outbox, then syncs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { AppPage } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';

let server: RunningServer | undefined;
let browser: Browser;
let context: BrowserContext;
const dataDir = mkdtempSync(join(tmpdir(), 'sotay-e2e-update-data-'));
const v2Dir = mkdtempSync(join(tmpdir(), 'sotay-e2e-dist-v2-'));

beforeAll(async () => {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  process.env.VITE_APP_BUILD = 'v2';
  try {
    await build({
      configFile: join(process.cwd(), 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir: v2Dir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
    delete process.env.VITE_APP_BUILD;
  }
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'vi-VN' });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(v2Dir, { recursive: true, force: true });
});

test('build v1, save offline, deploy v2, accept the update: the outbox is intact and syncs', async () => {
  server = await startServer({ staticDir: inject('distDir'), dataDir });
  const port = new URL(server.url).port;
  const app = new AppPage(await context.newPage());
  await app.open(server.url);
  await app.login('demo-tnv', 'demo');
  await app.waitForServiceWorker();
  await app.goToStorage();
  await expect(app.page.getByTestId('app-build').textContent()).resolves.not.toContain('v2');

  await context.setOffline(true);
  await app.capture({ category: 'Kỹ năng số', hamlet: 'Thôn Tây', outcome: 'Hoàn thành' });
  expect(await app.outboxCount()).toBe(1);

  // Deploy v2 on the same data and port; sync stays blocked so only the update can touch the outbox.
  await server.stop();
  server = await startServer({ staticDir: v2Dir, dataDir, env: { PORT: port } });
  await context.route('**/api/v1/sync/**', (route) => route.abort('internetdisconnected'));
  await context.setOffline(false);
  await app.page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    await reg?.update();
  });
  const update = app.page.getByRole('button', { name: 'Cập nhật', exact: true });
  await update.waitFor({ timeout: 20_000 });
  const reloaded = app.page.waitForEvent('load', { timeout: 20_000 });
  await update.click();
  await reloaded;

  await app.goToStorage();
  await expect
    .poll(() => app.page.getByTestId('app-build').textContent(), { timeout: 10_000 })
    .toContain('v2');
  expect(await app.outboxCount()).toBe(1);

  await context.unroute('**/api/v1/sync/**');
  await app.syncNow();
  await expect.poll(() => app.outboxCount(), { timeout: 20_000, interval: 250 }).toBe(0);
  await app.goToRecords();
  await expect.poll(() => app.records('to_post').count()).toBe(0);
});
