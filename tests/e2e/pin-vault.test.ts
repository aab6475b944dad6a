// The volunteer's PIN-encrypted contact copy in real Chromium, against the real server: set a PIN in
// "Liên hệ theo dõi", capture with a contact, sync, read the contact back on the record after
// unlocking, and search the whole Chromium profile on disk for the contact in clear: not found.
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { testRandom } from '../support/seed.ts';
import { AppPage } from './pages/app-page.ts';
import { allBytes, openOnDisk, type OnDisk } from './support/on-disk.ts';
import type { RunningServer } from './support/server.ts';

let disk: OnDisk;
let server: RunningServer;
let context: BrowserContext;

beforeAll(async () => {
  disk = await openOnDisk(inject('distDir'));
  ({ server, context } = disk);
});

afterAll(() => disk?.close());

test('a contact kept under the PIN is readable after unlocking and nowhere in clear on the disk', async () => {
  // Generated: an unassigned 0900 000 xxx number and a made-up ASCII code (found byte for byte).
  const n = String(Math.floor(testRandom() * 1000)).padStart(3, '0');
  const phone = `0900000${n}`;
  const dossier = `PINTEST-${n}-${Date.now().toString(36).toUpperCase()}`;
  const app = new AppPage(await context.newPage());
  await app.open(server.url);
  await app.login('demo-tnv', 'demo');
  const page = app.page;

  await page.getByRole('radio', { name: 'Kích hoạt VNeID mức 1', exact: true }).check();
  await page.getByLabel('Thôn/ấp').selectOption({ label: 'Thôn Đông' });
  await page.getByRole('radio', { name: 'Cần theo dõi tiếp', exact: true }).check();
  await page.getByText('Liên hệ theo dõi').click();
  await page.getByLabel('Mã PIN', { exact: true }).fill('482913');
  await page.getByLabel('Nhập lại mã PIN').fill('482913');
  await page.getByRole('button', { name: 'Đặt mã PIN' }).click();
  await page.getByRole('button', { name: 'Khoá ngay' }).waitFor();
  await page.getByLabel('Người dân đã nghe thông báo và đồng ý').check();
  await page.getByLabel('Cách đồng ý').selectOption('spoken');
  await page.getByLabel('Số điện thoại').fill(phone);
  await page.getByLabel('Mã hồ sơ').fill(dossier);
  await app.saveButton.click();
  await page.getByText('Đã lưu').first().waitFor();

  await app.goToRecords();
  await expect.poll(() => app.records('synced').count(), { timeout: 30_000, interval: 250 }).toBe(1);
  await app.records('synced').first().locator('button.row').click();
  await page.getByText(dossier).waitFor();
  // Locked: the contact goes, the PIN prompt stands in its place; the right PIN shows it again.
  await page.getByRole('button', { name: 'Khoá ngay' }).click();
  await page.getByText('Liên hệ đang khoá').waitFor();
  expect(await page.getByText(dossier).count()).toBe(0);
  await page.getByLabel('Mã PIN', { exact: true }).fill('482913');
  await page.getByRole('button', { name: 'Mở khoá' }).click();
  await page.getByText(dossier).waitFor();
  expect(await page.getByRole('link', { name: phone }).getAttribute('href')).toBe(`tel:${phone}`);

  await page.close();
  await context.close(); // flushes IndexedDB and localStorage to the profile on disk
  const device = allBytes(disk.profile);
  expect(device).toContain('vaultContacts'); // the search does see the vault's store on disk
  expect(device).not.toContain(phone);
  expect(device).not.toContain(dossier);
});
