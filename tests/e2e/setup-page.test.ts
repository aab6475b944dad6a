// The first-run set-up in real Chromium at 360 px against the production build and the real server
// on an empty database: the printed link opens the page (its own chunk, no service worker, no CSP
// violation), a wrong field is named in Vietnamese, a good set-up is done, and the admin logs in.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { AppPage } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { navLink } from './pages/app-page.ts';
import { appTookOver } from './support/app-took-over.ts';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  server = await startServer({ staticDir: inject('distDir'), demo: false });
  browser = await launchChromium();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

test('the printed link sets up the commune on a 360 px phone and the admin then logs in', async () => {
  const link = /(http:\/\/\S+\/setup#\S+)/.exec(server.output())?.[1];
  expect(link, server.output()).toBeDefined();
  context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'vi-VN' });
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(e.violatedDirective));
  });
  const page = await context.newPage();
  await page.goto(link ?? '');
  await page.getByRole('heading', { name: 'Thiết lập lần đầu' }).waitFor();
  // The token leaves the address bar (and the history) as the page opens.
  expect(new URL(page.url()).hash).toBe('');

  await page.getByLabel('Tên chính thức của xã/phường').fill('Xã Thử Nghiệm');
  await page.getByLabel('Mã xã/phường (5 chữ số)').fill('267');
  await page.getByLabel(/^Thôn\/ấp\/tổ dân phố \(/).fill('Thôn Một\nThôn Hai\n\nThôn Một');
  await page.getByLabel(/^Các tổ công nghệ số \(/).fill('Tổ CNS số 1');
  await page.getByLabel('Họ tên hiển thị').fill('Người Quản Trị');
  await appTookOver(page);
  await page.getByLabel('Tên đăng nhập').fill('qt-thu');
  await page.getByLabel('Mật khẩu (ít nhất 8 ký tự)').fill('mat-khau-thu-1');
  await page.getByLabel('Nhập lại mật khẩu').fill('mat-khau-thu-1');
  await page.getByRole('button', { name: 'Tạo xã và tài khoản quản trị' }).click();
  await page.getByText(/Mã xã\/phường gồm đúng 5 chữ số/).waitFor();
  // Nothing wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  // Its own page (header and <main>), with a field message shown: no axe violation of any impact.
  expect(await new AppPage(page).a11yViolations()).toEqual([]);
  expect(await new AppPage(page).widthAtTextSize(130)).toBeLessThanOrEqual(360);

  await page.getByLabel('Mã xã/phường (5 chữ số)').fill('26734');
  await page.getByRole('button', { name: 'Tạo xã và tài khoản quản trị' }).click();
  await page.getByText('Đã thiết lập xong Xã Thử Nghiệm (mã 26734). 2 thôn/ấp/tổ dân phố, 1 tổ.').waitFor();
  expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();

  await page.getByRole('link', { name: 'Đến màn hình đăng nhập' }).click();
  await appTookOver(page);
  await page.getByLabel('Tên đăng nhập').fill('qt-thu');
  await page.getByLabel('Mật khẩu').fill('mat-khau-thu-1');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await navLink(page, 'Tài khoản').waitFor({ timeout: 15_000 });
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
});
