// QR enrolment and revocation end to end, in real Chromium against the real server, in two browser
// contexts: the admin makes an enrolment QR code, the test reads it like a phone camera would
// (jsQR on the canvas pixels), the phone opens the URL and is signed in without a password, saves a
// record offline and syncs; the admin revokes the phone, whose next contact wipes its data.
import jsQR from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { AppPage, goToPlace } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { appTookOver } from './support/app-took-over.ts';

let server: RunningServer;
let browser: Browser;
let office: BrowserContext;
let phone: BrowserContext;

beforeAll(async () => {
  server = await startServer({ staticDir: inject('distDir') });
  browser = await launchChromium();
  office = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'vi-VN' });
  phone = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'vi-VN' });
});

afterAll(async () => {
  await office?.close();
  await phone?.close();
  await browser?.close();
  await server?.stop();
});

async function openAdminTab(page: Page): Promise<void> {
  await goToPlace(page, 'Tài khoản');
  await page.getByRole('heading', { name: 'Quản trị tài khoản và thiết bị' }).waitFor();
}

/** The QR code on the admin's screen, decoded from its pixels. */
async function readQr(page: Page): Promise<string> {
  const canvas = page.getByTestId('enrolment-qr').locator('canvas');
  await canvas.waitFor();
  await expect
    .poll(() => canvas.evaluate((c: HTMLCanvasElement) => c.width), { timeout: 10_000 })
    .toBeGreaterThan(100);
  const image = await canvas.evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    const d = ctx.getImageData(0, 0, c.width, c.height);
    return { width: d.width, height: d.height, data: Array.from(d.data) };
  });
  const code = jsQR(Uint8ClampedArray.from(image.data), image.width, image.height);
  if (!code) throw new Error('the QR code could not be read');
  return code.data;
}

/** Names of this page's IndexedDB databases (the app's is `sotay`). */
function databases(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
}

test('a phone enrolled from the QR code works without a password, and revoking it wipes it at its next contact', async () => {
  const admin = await office.newPage();
  await admin.goto(server.url);
  await appTookOver(admin);
  await admin.getByLabel('Tên đăng nhập').fill('demo-admin');
  await admin.getByLabel('Mật khẩu').fill('demo');
  await admin.getByRole('button', { name: 'Đăng nhập' }).click();
  await openAdminTab(admin);
  const row = admin.locator('li[data-username="demo-tnv"]');
  await row.getByRole('button', { name: 'Mã QR đăng ký máy' }).click();

  const url = await readQr(admin);
  expect(url).toMatch(new RegExp(`^${server.url.replace(/[.]/g, '\\.')}/#enrol=[A-Za-z0-9_-]{43}$`));

  // The phone opens what its camera read: signed in, no password asked, the token gone from the URL.
  const app = new AppPage(await phone.newPage());
  await app.open(url);
  await app.saveButton.waitFor({ timeout: 15_000 });
  await app.skipOnboarding();
  expect(await app.page.getByLabel('Mật khẩu').count()).toBe(0);
  expect(await app.page.evaluate(() => location.hash)).toBe('');
  await app.waitForServiceWorker();

  await phone.setOffline(true);
  await app.capture({ category: 'Kích hoạt VNeID mức 1', hamlet: 'Thôn Đông', outcome: 'Hoàn thành' });
  await app.goToRecords();
  await expect.poll(() => app.records('to_post').count(), { timeout: 10_000 }).toBe(1);
  await phone.setOffline(false);
  await app.syncNow();
  await app.goToRecords();
  await expect.poll(() => app.records('synced').count(), { timeout: 30_000, interval: 250 }).toBe(1);
  expect(await databases(app.page)).toContain('sotay');

  // The admin sees the phone with its last contact and revokes it.
  await admin.reload();
  await openAdminTab(admin);
  const device = admin.locator('tr[data-device]', { hasText: 'Nguyễn Văn An (demo)' });
  await expect.poll(() => device.count(), { timeout: 10_000 }).toBe(1);
  expect(await device.locator('td').nth(2).textContent()).toMatch(/\d/);
  admin.once('dialog', (d) => void d.accept());
  await device.getByRole('button', { name: 'Thu hồi' }).click();
  await device.getByText(/Đã thu hồi lúc/).waitFor();

  // The phone's next contact: refused, wiped, explained.
  await app.page.reload();
  await app.page.getByText('Thiết bị đã bị ngắt khỏi hệ thống').waitFor({ timeout: 20_000 });
  expect(await app.page.getByRole('alert').textContent()).toContain('thu hồi quyền truy cập');
  await expect.poll(() => databases(app.page), { timeout: 10_000 }).not.toContain('sotay');
  expect(await app.page.evaluate(() => localStorage.getItem('sotay.signedIn'))).toBeNull();

  // Still explained after a restart, and no data comes back.
  await app.page.reload();
  await app.page.getByText('Thiết bị đã bị ngắt khỏi hệ thống').waitFor({ timeout: 10_000 });
  expect(await databases(app.page)).not.toContain('sotay');
});
