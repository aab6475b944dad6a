// The walking skeleton end to end, in real Chromium against the real server: a volunteer logs in,
// loses signal, keeps working through reloads and a closed app, and every record arrives exactly once.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { PullResponse, newId } from '../../src/shared/index.ts';
import { AppPage } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { apiLogin, startServer, type RunningServer } from './support/server.ts';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  server = await startServer({ staticDir: inject('distDir') });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'vi-VN' });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

test('records saved offline survive a reload and a closed app, then sync exactly once when online', async () => {
  const app = new AppPage(await context.newPage());
  await app.open(server.url);
  await app.login('demo-tnv', 'demo');
  await app.waitForServiceWorker();

  await context.setOffline(true);
  await app.page.reload();
  await app.saveButton.waitFor({ timeout: 10_000 });

  const captures = [
    { category: 'Kích hoạt VNeID mức 2', hamlet: 'Thôn Đông', outcome: 'Hoàn thành' },
    { category: 'Kích hoạt VNeID mức 1', hamlet: 'Thôn Tây', outcome: 'Hoàn thành' },
    { category: 'Thẻ căn cước', hamlet: 'Thôn Nam', outcome: 'Chuyển công an xã / trung tâm phục vụ HCC' },
  ];
  for (const c of captures) await app.capture(c);

  await app.page.close();
  const again = new AppPage(await context.newPage());
  await again.open(server.url);
  await again.goToRecords();
  await expect.poll(() => again.records('to_post').count(), { timeout: 10_000 }).toBe(3);
  await expect(again.status.textContent()).resolves.toContain('3');

  await context.setOffline(false);
  await expect.poll(() => again.records('synced').count(), { timeout: 30_000, interval: 250 }).toBe(3);
  await expect.poll(() => again.status.textContent(), { timeout: 10_000 }).toContain('đã đồng bộ');
  expect(await again.records().count()).toBe(3);

  const token = await apiLogin(server.url, 'demo-tnv');
  const res = await fetch(`${server.url}/api/v1/sync/pull`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ clientId: newId(), cursor: null }),
  });
  expect(res.status).toBe(200);
  const pulled = PullResponse.parse(await res.json());
  expect(pulled.changes).toHaveLength(3);
  expect(new Set(pulled.changes.map((c) => c.data?.hamletId))).toEqual(
    new Set(['thon-dong', 'thon-tay', 'thon-nam']),
  );
});
