// The how-to cards end to end (docs/cards.md), in real Chromium against the real server: the admin
// edits a card and publishes a new edition; a volunteer's phone syncs, loses signal, reloads, and
// opens the card from the capture form showing the new edition's date and text.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { communeDay, formatDayVi } from '../../src/shared/index.ts';
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
  office = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'vi-VN' });
  phone = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'vi-VN' });
});

afterAll(async () => {
  await office?.close();
  await phone?.close();
  await browser?.close();
  await server?.stop();
});

const FEE = 'Miễn phí khi đăng ký đúng hạn; xã cập nhật bản thử.';

test('an edition the admin publishes reaches a phone at its next sync and opens offline after a reload', async () => {
  // The phone first holds the shipped edition.
  const app = new AppPage(await phone.newPage());
  await app.open(server.url);
  await app.login('demo-tnv', 'demo');
  await app.waitForServiceWorker();
  await app.goTo('Hướng dẫn');
  await app.page.getByText('Ấn bản 1 · phát hành ngày').first().waitFor();

  // The admin edits the birth registration card and publishes.
  const admin = await office.newPage();
  await admin.goto(server.url);
  await appTookOver(admin);
  await admin.getByLabel('Tên đăng nhập').fill('demo-admin');
  await admin.getByLabel('Mật khẩu').fill('demo');
  await admin.getByRole('button', { name: 'Đăng nhập' }).click();
  await goToPlace(admin, 'Hướng dẫn');
  await admin.getByLabel('Tìm hướng dẫn (gõ không dấu cũng được)').fill('khai sinh');
  await admin.getByRole('button', { name: 'Đăng ký khai sinh', exact: true }).click();
  await admin.getByRole('button', { name: 'Sửa thẻ này' }).click();
  await admin.getByLabel('Lệ phí').fill(FEE);
  await admin.getByLabel('Các bước').fill('1. Mở VNeID\n3. Nộp');
  await admin.getByRole('button', { name: 'Phát hành ấn bản mới' }).click();
  await admin.getByText('Hãy sửa các ô có lỗi trước khi phát hành.').waitFor();
  await admin.getByText(/Các bước, dòng 2: Danh sách đánh số/).waitFor();
  await admin
    .getByLabel('Các bước')
    .fill('1. Mở VNeID, chọn Đăng ký khai sinh.\n2. Nộp hồ sơ, ghi lại mã hồ sơ.');
  await admin.getByRole('button', { name: 'Phát hành ấn bản mới' }).click();
  const day = formatDayVi(communeDay());
  await admin.getByText(`Ấn bản 2 · phát hành ngày ${day}`).waitFor({ timeout: 15_000 });

  // The phone's next sync brings edition 2, kept whole.
  await app.syncNow();
  await expect
    .poll(
      () =>
        app.page.evaluate(
          () =>
            new Promise<number | null>((resolve, reject) => {
              const open = indexedDB.open('sotay');
              open.onerror = () => reject(open.error);
              open.onsuccess = () => {
                const db = open.result;
                const get = db.transaction('meta').objectStore('meta').get('cards');
                get.onsuccess = () => {
                  resolve(
                    (get.result as { value?: { edition?: number } } | undefined)?.value?.edition ?? null,
                  );
                  db.close();
                };
                get.onerror = () => reject(get.error);
              };
            }),
        ),
      { timeout: 30_000, interval: 250 },
    )
    .toBe(2);

  // Offline, reloaded: the capture form's chosen service opens its card in one tap.
  await phone.setOffline(true);
  await app.page.reload();
  await app.goToCapture();
  await app.page.getByRole('radio', { name: 'Nộp hồ sơ dịch vụ công trực tuyến', exact: true }).check();
  await app.page.getByLabel('Dịch vụ công', { exact: true }).selectOption({ label: 'Đăng ký khai sinh' });
  await app.page.getByRole('button', { name: 'Xem hướng dẫn: Đăng ký khai sinh' }).click();
  await app.page.getByRole('heading', { level: 2, name: 'Đăng ký khai sinh' }).waitFor({ timeout: 15_000 });
  await app.page.getByText(`Ấn bản 2 · phát hành ngày ${day}`).waitFor();
  await app.page.getByText(FEE).waitFor();
  expect(await app.page.getByText('Nộp hồ sơ, ghi lại mã hồ sơ.').count()).toBe(1);
  await phone.setOffline(false);
});
