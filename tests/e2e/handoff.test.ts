// Hand-off end to end (docs/handoff.md), two browser contexts against the real server: a volunteer
// offline throughout exports a bundle file; the team lead imports it and syncs; the lead's receipt
// file marks the records delivered on the volunteer's phone; the volunteer comes online at last and
// every record is on the server exactly once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { PullResponse, newId } from '../../src/shared/index.ts';
import { AppPage } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { apiLogin, startServer, type RunningServer } from './support/server.ts';

let server: RunningServer;
let browser: Browser;
let volunteerCtx: BrowserContext;
let leadCtx: BrowserContext;

beforeAll(async () => {
  server = await startServer({ staticDir: inject('distDir') });
  browser = await launchChromium();
  const options = { viewport: { width: 360, height: 720 }, locale: 'vi-VN', acceptDownloads: true };
  volunteerCtx = await browser.newContext(options);
  leadCtx = await browser.newContext(options);
});

afterAll(async () => {
  await volunteerCtx?.close();
  await leadCtx?.close();
  await browser?.close();
  await server?.stop();
});

/** Live records on the server, read from its SQLite file. */
function storedRecords(volunteerId: string): { id: string; version: number }[] {
  const db = new Database(join(server.dataDir, 'sotay.sqlite'), { readonly: true });
  try {
    return db
      .prepare('SELECT id, version FROM records WHERE volunteer_id = ? AND deleted = 0 ORDER BY id')
      .all(volunteerId) as { id: string; version: number }[];
  } finally {
    db.close();
  }
}

async function pullAs(username: string) {
  const token = await apiLogin(server.url, username);
  const res = await fetch(`${server.url}/api/v1/sync/pull`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ clientId: newId(), cursor: null }),
  });
  return PullResponse.parse(await res.json());
}

/** Whether this page's device key is registered with the server (IndexedDB, table handoffDevice). */
function keyRegistered(app: AppPage): Promise<boolean> {
  return app.page.evaluate(
    () =>
      new Promise<boolean>((resolve, reject) => {
        const open = indexedDB.open('sotay');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('handoffDevice')) return resolve(false);
          const get = db.transaction('handoffDevice').objectStore('handoffDevice').get('device');
          get.onsuccess = () => {
            resolve(Boolean((get.result as { registered?: boolean } | undefined)?.registered));
            db.close();
          };
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

test('a volunteer offline throughout hands records to the lead; each reaches the server exactly once', async () => {
  const volunteer = new AppPage(await volunteerCtx.newPage());
  await volunteer.open(server.url);
  await volunteer.login('demo-tnv', 'demo');
  await volunteer.waitForServiceWorker();
  await expect.poll(() => keyRegistered(volunteer), { timeout: 10_000 }).toBe(true);
  expect((await pullAs('demo-tnv')).changes).toHaveLength(0);

  await volunteerCtx.setOffline(true);
  await volunteer.page.reload();
  await volunteer.saveButton.waitFor({ timeout: 10_000 });
  for (const c of [
    { category: 'Kích hoạt VNeID mức 2', hamlet: 'Thôn Đông', outcome: 'Hoàn thành' },
    { category: 'Kích hoạt VNeID mức 1', hamlet: 'Thôn Tây', outcome: 'Hoàn thành' },
    { category: 'Thẻ căn cước', hamlet: 'Thôn Nam', outcome: 'Hoàn thành' },
  ])
    await volunteer.capture(c);

  // "Gửi cho tổ trưởng": no Web Share with files in headless Chromium, so the file downloads.
  await volunteer.goTo('Giao nhận');
  await volunteer.page.getByRole('heading', { name: 'Gửi cho tổ trưởng' }).waitFor();
  expect(await volunteer.seriousA11yViolations()).toEqual([]);
  expect(await volunteer.a11yViolationsIn('section.handoff')).toEqual([]);
  expect(await volunteer.widthAtTextSize(130)).toBeLessThanOrEqual(360);
  const downloading = volunteer.page.waitForEvent('download');
  await volunteer.page.getByRole('button', { name: 'Gửi cho tổ trưởng' }).click();
  const bundleFile = await (await downloading).path();
  await expect
    .poll(() => volunteer.page.getByTestId('handoff-counts').textContent())
    .toContain('3 đã giao, chờ xác nhận');
  expect(await volunteer.outboxCount()).toBe(3);

  // The lead, online at the commune office: keys fetched on opening the tab.
  const lead = new AppPage(await leadCtx.newPage());
  await lead.open(server.url);
  await lead.login('demo-lead', 'demo');
  await lead.goTo('Giao nhận');
  await expect.poll(() => lead.page.getByTestId('lead-ready').textContent()).toContain('Sẵn sàng nhận');
  expect(await lead.seriousA11yViolations()).toEqual([]);
  expect(await lead.a11yViolationsIn('section.handoff, section.lead')).toEqual([]);
  expect(await lead.widthAtTextSize(130)).toBeLessThanOrEqual(360);
  // The keys are on the lead's device: the file opens and is checked without any network.
  await leadCtx.setOffline(true);
  await lead.page.getByTestId('bundle-file').setInputFiles(bundleFile);
  await lead.page.getByText('Đã nhận 3 thay đổi của Nguyễn Văn An (demo).', { exact: false }).waitFor();
  expect(await lead.page.getByTestId('inbox-row').getAttribute('data-status')).toBe('queued');
  // Back online, the lead's ordinary sync sends the queued bundle.
  await leadCtx.setOffline(false);
  await expect
    .poll(() => lead.page.getByTestId('inbox-row').getAttribute('data-status'), { timeout: 15_000 })
    .toBe('sent');
  await expect(lead.page.getByTestId('inbox-row').textContent()).resolves.toContain(
    'Nguyễn Văn An (demo): 3 thay đổi',
  );

  const tnv = (await pullAs('demo-tnv')).changes;
  expect(tnv).toHaveLength(3);
  const tnvId = String(tnv[0]?.data?.volunteerId);
  const afterLead = storedRecords(tnvId);
  expect(afterLead).toHaveLength(3);

  // The receipt, as a file here (the QR route reads the same text with the camera).
  await lead.page.getByRole('button', { name: 'Hiện biên nhận' }).click();
  await lead.page.getByTestId('qr-sequence').locator('img').waitFor();
  const savingReceipt = lead.page.waitForEvent('download');
  await lead.page.getByRole('button', { name: 'Lưu tệp biên nhận' }).click();
  const receiptFile = await (await savingReceipt).path();
  // The QR on the lead's screen carries exactly the receipt (what the volunteer's camera would read).
  const size = 360;
  const pixels = await lead.page
    .getByTestId('qr-sequence')
    .locator('img')
    .evaluate(async (img: HTMLImageElement, px: number) => {
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = px;
      canvas.height = px;
      const ctx = canvas.getContext('2d');
      if (!ctx) return [];
      ctx.drawImage(img, 0, 0, px, px);
      return Array.from(ctx.getImageData(0, 0, px, px).data);
    }, size);
  const jsQR = (await import('jsqr')).default;
  const scanned = jsQR(Uint8ClampedArray.from(pixels), size, size)?.data;
  expect(scanned).toMatch(/^CNSR1\./);
  expect(scanned).toBe(readFileSync(receiptFile, 'utf8'));
  await volunteer.page.getByLabel('Mở tệp biên nhận').setInputFiles(receiptFile);
  await volunteer.page.getByText('Đã xác nhận 3 thay đổi được tổ trưởng gửi lên máy chủ.').waitFor();
  await expect
    .poll(() => volunteer.page.getByTestId('handoff-counts').textContent())
    .toContain('3 tổ trưởng đã xác nhận nhận');
  expect(await volunteer.outboxCount()).toBe(3);

  // Online at last: the volunteer's own push of the same mutations changes nothing on the server.
  await volunteerCtx.setOffline(false);
  await expect.poll(() => volunteer.outboxCount(), { timeout: 30_000, interval: 250 }).toBe(0);
  await volunteer.goToRecords();
  await expect.poll(() => volunteer.records('synced').count(), { timeout: 15_000 }).toBe(3);
  expect(storedRecords(tnvId)).toEqual(afterLead);
  expect((await pullAs('demo-tnv')).changes).toHaveLength(3);
});
