// The first-run onboarding in real Chromium against the real server: a volunteer's first login shows
// its three screens, "Bỏ qua" lands on the capture form, and a reload does not show it again. Each
// screen (and the storage place's install and protection parts) is saved as a screenshot at 360×640
// and 320×568 in test-results/screens/ for a person to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { AppPage } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { appTookOver } from './support/app-took-over.ts';

const SHOTS = join(process.cwd(), 'test-results', 'screens');
const PHONE = { width: 360, height: 640 };
const SIZES = [PHONE, { width: 320, height: 568 }];

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer({ staticDir: inject('distDir') });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: PHONE, locale: 'vi-VN' });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

/** Screenshots of the page as it is at both phone sizes; nothing sticks out sideways. */
async function shoot(app: AppPage, name: string): Promise<void> {
  for (const size of SIZES) {
    await app.page.setViewportSize(size);
    expect(await app.page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(
      size.width,
    );
    await app.page.screenshot({ path: join(SHOTS, `onboarding-${name}-${size.width}x${size.height}.png`) });
  }
  await app.page.setViewportSize(PHONE);
}

test('the first login shows the onboarding; "Bỏ qua" lands on capture and a reload does not show it again', async () => {
  const app = new AppPage(await context.newPage());
  const page = app.page;
  await app.open(server.url);
  await appTookOver(page);
  await page.getByLabel('Tên đăng nhập').fill('demo-tnv');
  await page.getByLabel('Mật khẩu').fill('demo');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();

  const dialog = page.getByRole('dialog', { name: 'Hướng dẫn bắt đầu' });
  await dialog.getByRole('heading', { name: 'Cài vào màn hình chính' }).waitFor();
  await expect.poll(() => dialog.getAttribute('data-onboarding')).toBe('install');
  // Headless Chromium offers no install prompt: the browser menu's way is shown instead.
  expect(await dialog.textContent()).toContain('menu của trình duyệt');
  await shoot(app, '1-install');

  await dialog.getByRole('button', { name: 'Tiếp theo' }).click();
  await dialog.getByRole('heading', { name: 'Đặt mã PIN trước người dân đầu tiên' }).waitFor();
  await dialog.getByRole('button', { name: 'Đặt mã PIN' }).waitFor();
  await shoot(app, '2-pin');

  await dialog.getByRole('button', { name: 'Tiếp theo' }).click();
  await dialog.getByRole('heading', { name: 'Đồng bộ hoạt động thế nào' }).waitFor();
  await shoot(app, '3-sync');
  // The phone's font size at 130 %: still nothing outside a 320 px screen, both buttons whole.
  await page.setViewportSize({ width: 320, height: 568 });
  await page.evaluate(() => (document.documentElement.style.fontSize = '130%'));
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  for (const name of ['Quay lại', 'Bắt đầu']) {
    const box = await dialog.getByRole('button', { name, exact: true }).boundingBox();
    expect(box!.x, name).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, name).toBeLessThanOrEqual(320);
  }
  await page.screenshot({ path: join(SHOTS, 'onboarding-3-sync-320x568-font130.png') });
  await page.evaluate(() => document.documentElement.style.removeProperty('font-size'));
  await page.setViewportSize(PHONE);

  await dialog.getByRole('button', { name: 'Quay lại' }).click();
  await dialog.getByRole('heading', { name: 'Đặt mã PIN trước người dân đầu tiên' }).waitFor();
  await dialog.getByRole('button', { name: 'Bỏ qua' }).click();
  await app.onboarding.waitFor({ state: 'detached' });
  // The capture form takes taps again: nothing lies over the save button.
  await app.saveButton.click({ trial: true });
  expect(await page.evaluate(() => localStorage.getItem('sotay.onboarded'))).toBe('1');

  await page.reload();
  await app.saveButton.waitFor();
  // The onboarding would render in the same pass as the capture form.
  expect(await app.onboarding.count()).toBe(0);

  await app.goToStorage();
  await page.getByRole('heading', { name: 'Cài vào màn hình chính' }).waitFor();
  await page.getByTestId('persisted').waitFor();
  await shoot(app, '4-storage');
  await page.getByRole('button', { name: 'Xem lại hướng dẫn bắt đầu' }).click();
  await dialog.waitFor();
  expect(await dialog.getAttribute('data-onboarding')).toBe('install');
});
