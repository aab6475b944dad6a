// The volunteer's app on a small phone (360×640): each screen passes axe-core without serious or
// critical violations, and the usual capture takes three taps (category, outcome, save) once the
// hamlet is known.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { AppPage } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';

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

test('login, capture, records, tallies and storage have no serious or critical axe violations', async () => {
  const app = new AppPage(await context.newPage());
  await app.open(server.url);
  await app.page.getByLabel('Tên đăng nhập').waitFor();
  expect(await app.seriousA11yViolations()).toEqual([]);

  await app.login('demo-tnv', 'demo');
  expect(await app.seriousA11yViolations()).toEqual([]);

  await app.capture({ category: 'Kích hoạt VNeID mức 2', hamlet: 'Thôn Đông', outcome: 'Hoàn thành' });
  await app.goToRecords();
  await app.records().first().waitFor();
  expect(await app.seriousA11yViolations()).toEqual([]);

  await app.goToTallies();
  expect(await app.seriousA11yViolations()).toEqual([]);
  // The tallies screen itself, colours included: no violation of any impact.
  await app.page.locator('[data-period="today"]').waitFor();
  expect(await app.a11yViolationsIn('section.tallies')).toEqual([]);
  // With the phone's text at 130 %, the tallies still fit the 360 px width.
  expect(await app.widthAtTextSize(130)).toBeLessThanOrEqual(360);

  await app.goToStorage();
  expect(await app.seriousA11yViolations()).toEqual([]);
});

test('the usual capture is three taps, with the save button at the bottom of a 360×640 screen', async () => {
  const app = new AppPage(await context.newPage());
  await app.open(server.url);
  const before = await app.tallyToday();
  await app.goToCapture();
  // The hamlet is remembered; the category is chosen for every record (never pre-selected).
  await expect.poll(() => app.page.getByLabel('Thôn/ấp').inputValue()).not.toBe('');
  expect(
    await app.page.getByRole('radiogroup', { name: 'Loại hỗ trợ' }).locator('input:checked').count(),
  ).toBe(0);

  await app.page.getByRole('radio', { name: 'Kích hoạt VNeID mức 2', exact: true }).click();
  await app.page.getByRole('radio', { name: 'Hoàn thành', exact: true }).click();
  await app.saveButton.click();

  await app.page.getByRole('button', { name: 'Hoàn tác' }).waitFor();
  const box = await app.saveButton.boundingBox();
  // Right above the bottom navigation, in the thumb's reach.
  const nav = (await app.page.getByRole('navigation', { name: 'Chức năng' }).boundingBox())!;
  expect(box!.y + box!.height).toBeGreaterThan(nav.y - 16);
  expect(box!.y + box!.height).toBeLessThanOrEqual(nav.y + 1);
  expect(nav.y + nav.height).toBeGreaterThan(640 - 2);
  expect(box!.height).toBeGreaterThanOrEqual(48);
  await expect.poll(() => app.tallyToday()).toBe(before + 1);
});
