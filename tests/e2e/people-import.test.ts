// Importing people end to end, in real Chromium against the real server: the admin downloads the
// template, imports a spreadsheet saved by Excel (";" and a BOM), prints the QR sheet on A4 (one
// card per person, none split), and a phone that scans a card's QR code is signed in without a password;
// on a phone 320 or 360 px wide, and on a desktop, the preview shows every row's problems without
// scrolling sideways.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** The QR code of one card, read from its pixels like a phone camera would. */
async function readCardQr(page: Page, username: string): Promise<string> {
  const qr = page.locator(`article[data-username="${username}"] [data-testid="qr-code"]`);
  await qr.locator('svg').waitFor();
  const shot = (await qr.screenshot()).toString('base64');
  // The screenshot's pixels, decoded by the browser on a blank page (no Content Security Policy).
  const blank = await page.context().newPage();
  const image = await blank.evaluate(async (png) => {
    const img = new Image();
    img.src = `data:image/png;base64,${png}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2d context');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, img.width, img.height);
    return { width: d.width, height: d.height, data: Array.from(d.data) };
  }, shot);
  await blank.close();
  const code = jsQR(Uint8ClampedArray.from(image.data), image.width, image.height);
  if (!code) throw new Error(`the QR code of ${username} could not be read`);
  return code.data;
}

test('a spreadsheet of nine volunteers becomes nine QR cards on two A4 pages, and a phone that scans one is signed in', async () => {
  const admin = await office.newPage();
  await admin.goto(server.url);
  await appTookOver(admin);
  await admin.getByLabel('Tên đăng nhập').fill('demo-admin');
  await admin.getByLabel('Mật khẩu').fill('demo');
  await admin.getByRole('button', { name: 'Đăng nhập' }).click();
  await goToPlace(admin, 'Tài khoản');
  await admin.getByRole('heading', { name: 'Nhập từ bảng tính' }).waitFor();

  const download = admin.waitForEvent('download');
  await admin.getByRole('button', { name: 'Tải tệp mẫu (CSV)' }).click();
  const template = await download;
  expect(template.suggestedFilename()).toBe('mau-nhap-nguoi-dung.csv');
  const templateText = readFileSync(await template.path(), 'utf8');
  expect(templateText).toBe('\uFEFFHọ tên;Tên đăng nhập;Vai trò;Tổ;Số điện thoại\r\n');

  // The template filled in, as Excel saves it; one row with a problem first.
  const lines = [templateText.trimEnd()];
  for (let i = 1; i <= 9; i++)
    lines.push(`Người Nhập Thử ${i};tnv-nhap-${i};tình nguyện viên;to cns so ${1 + (i % 2)};0912 345 67${i}`);
  await admin.getByLabel('Chọn tệp bảng tính').setInputFiles({
    name: 'danh-sach.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from([...lines, 'Người Lỗi;demo-tnv;tình nguyện viên;Tổ CNS số 1;'].join('\r\n')),
  });
  const problem = admin.locator('tr[data-line="11"]');
  await problem.getByText('Tên đăng nhập đã có người dùng.').waitFor();
  expect(await admin.getByRole('button', { name: 'Nhập 10 người' }).isDisabled()).toBe(true);

  await admin.getByLabel('Chọn tệp bảng tính').setInputFiles({
    name: 'danh-sach.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(lines.join('\r\n')),
  });
  await admin.getByRole('button', { name: 'Nhập 9 người' }).click();
  await admin.getByText('Đã nhập 9 người.', { exact: false }).waitFor();
  const sheet = admin.getByTestId('qr-sheet');
  await expect.poll(() => sheet.locator('[data-testid="qr-code"] svg').count(), { timeout: 10_000 }).toBe(9);
  // The new people are in the user list, in their teams.
  expect(await admin.locator('li[data-username="tnv-nhap-2"]').textContent()).toContain('Tổ CNS số 1');
  // The admin screen with the QR sheet open: no axe violation of any impact.
  expect(await new AppPage(admin).a11yViolationsIn('section.admin')).toEqual([]);

  // Printed on A4: six cards a page, so two pages, and no card cut by a page break.
  await admin.emulateMedia({ media: 'print' });
  const pdf = await admin.pdf({ format: 'A4', preferCSSPageSize: true });
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)).toHaveLength(2);
  await admin.emulateMedia({ media: 'screen' });

  const url = await readCardQr(admin, 'tnv-nhap-4');
  expect(url).toMatch(new RegExp(`^${server.url.replace(/[.]/g, '\\.')}/#enrol=[A-Za-z0-9_-]{43}$`));
  const app = new AppPage(await phone.newPage());
  await app.open(url);
  await app.saveButton.waitFor({ timeout: 15_000 });
  expect(await app.page.getByLabel('Mật khẩu').count()).toBe(0);
  // The admin sees that person's phone in the device list.
  await admin.reload();
  await goToPlace(admin, 'Tài khoản');
  const device = admin.locator('tr[data-device]', { hasText: 'Người Nhập Thử 4' });
  await expect.poll(() => device.count(), { timeout: 10_000 }).toBe(1);
});

test('on a phone 320 or 360 px wide, and on a desktop, every problem of the preview is on the screen and nothing scrolls sideways', async () => {
  // Screenshots for a person to look at; the e2e suite has no output folder of its own.
  const shots = mkdtempSync(join(tmpdir(), 'sotay-e2e-import-'));
  for (const viewport of [
    { width: 320, height: 568 },
    { width: 360, height: 640 },
    // A desktop keeps the table, with its problems column on the screen too.
    { width: 1024, height: 768 },
  ]) {
    const context = await browser.newContext({ viewport, locale: 'vi-VN' });
    const admin = await context.newPage();
    await admin.goto(server.url);
    await appTookOver(admin);
    await admin.getByLabel('Tên đăng nhập').fill('demo-admin');
    await admin.getByLabel('Mật khẩu').fill('demo');
    await admin.getByRole('button', { name: 'Đăng nhập' }).click();
    await goToPlace(admin, 'Tài khoản');
    await admin.getByRole('heading', { name: 'Nhập từ bảng tính' }).waitFor();
    const csv = [
      '\uFEFFHọ tên;Tên đăng nhập;Vai trò;Tổ;Số điện thoại',
      'Nguyễn Văn An;nguyen-van-an;tình nguyện viên;Tổ CNS số 1;0912345678',
      'Trần Bình;demo-tnv;tổ trưởng;Tổ 9;12345',
      'Lê Cường 001203004005;le-cuong;admin;Tổ CNS số 2;',
    ].join('\r\n');
    await admin.getByLabel('Chọn tệp bảng tính').setInputFiles({
      name: 'nguoi.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    const preview = admin.getByTestId('import-preview');
    await preview.locator('[data-line="3"]').getByText('Tên đăng nhập đã có người dùng.').waitFor();
    // The admin is told which rows to look at before the list itself.
    expect(await admin.locator('.jump button').allTextContents()).toEqual(['3', '4']);
    expect(await new AppPage(admin).a11yViolationsIn('section.admin')).toEqual([]);
    // The phone's text at 130 %: still nothing wider than the screen.
    expect(await new AppPage(admin).widthAtTextSize(130)).toBeLessThanOrEqual(viewport.width);

    const problems = preview.locator('.problems li');
    expect(await problems.count()).toBeGreaterThanOrEqual(4);
    for (const problem of await problems.all()) {
      const text = (await problem.textContent()) ?? '';
      const box = (await problem.boundingBox()) ?? { x: -1, width: Infinity };
      expect(box.x, text).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, text).toBeLessThanOrEqual(viewport.width);
    }
    expect(await admin.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      viewport.width,
    );

    await preview.scrollIntoViewIfNeeded();
    await admin.screenshot({ path: join(shots, `import-preview-${viewport.width}.png`) });
    await admin
      .locator('section.import')
      .screenshot({ path: join(shots, `import-section-${viewport.width}.png`) });
    await context.close();
  }
  console.log(`import preview screenshots: ${shots}`);
});
