// The dashboard is not in the precache every phone downloads at install: a supervisor's phone caches
// it after login while online, and opens it again offline, reloaded through the service worker.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { AppPage } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { appTookOver } from './support/app-took-over.ts';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
const dist = inject('distDir');

beforeAll(async () => {
  server = await startServer({ staticDir: dist });
  browser = await launchChromium();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

test('the dashboard is cached for a supervisor after login and opens offline', async () => {
  const lists = JSON.parse(readFileSync(join(dist, 'role-chunks.json'), 'utf8')) as Record<string, string[]>;
  const dashboard = lists.supervisor?.find((f) => /\/DashboardScreen-[\w-]+\.js$/.test(f));
  expect(dashboard).toBeDefined();
  // Left out of the precache: the service worker's manifest does not name it.
  expect(readFileSync(join(dist, 'sw.js'), 'utf8')).not.toContain(dashboard!.slice(1));
  expect(lists.volunteer).toBeUndefined();

  context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'vi-VN' });
  const app = new AppPage(await context.newPage());
  await app.open(server.url);
  await appTookOver(app.page);
  await app.page.getByLabel('Tên đăng nhập').fill('demo-gs');
  await app.page.getByLabel('Mật khẩu').fill('demo');
  await app.page.getByRole('button', { name: 'Đăng nhập' }).click();
  await app.page.getByRole('heading', { name: /^Tổng hợp( · |$)/ }).waitFor({ timeout: 20_000 });
  // The worker registers once the signed-in app has painted (main.ts), not on the login page.
  await app.waitForServiceWorker();
  // Cached while idle after login, every file of the supervisor's list.
  await expect
    .poll(
      () =>
        app.page.evaluate(async (want) => {
          const cache = await caches.open('sotay-role-chunks');
          const held = (await cache.keys()).map((r) => new URL(r.url).pathname);
          return want.every((f) => held.includes(f));
        }, lists.supervisor!),
      { timeout: 20_000, interval: 250 },
    )
    .toBe(true);

  await context.setOffline(true);
  await app.page.reload();
  await app.page.getByRole('heading', { name: /^Tổng hợp( · |$)/ }).waitFor({ timeout: 20_000 });
  expect(await app.page.getByText('Không tải được').count()).toBe(0);
});
