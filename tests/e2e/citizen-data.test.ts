// Citizens' data end to end, in real Chromium with an on-disk profile against the real server: a
// volunteer opens "Liên hệ theo dõi", records consent, an ID number and a contact, and syncs. Then
// the Chromium profile (IndexedDB, localStorage, caches), the SQLite file and its WAL, and the
// server's log are searched: the ID number is nowhere, the contact nowhere in clear, and the key the
// server made of the number (with the secret in its key file) is on the server's disk only.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { loadOrCreateKeys } from '../../src/server/privacy/keys.ts';
import { PullResponse, newId } from '../../src/shared/index.ts';
import { fakeIdNumber } from '../support/citizen-ids.ts';
import { AppPage } from './pages/app-page.ts';
import { allBytes, openOnDisk, type OnDisk } from './support/on-disk.ts';
import { apiLogin, type RunningServer } from './support/server.ts';

let disk: OnDisk;
let server: RunningServer;
let context: BrowserContext;

beforeAll(async () => {
  disk = await openOnDisk(inject('distDir'));
  ({ server, context } = disk);
});

afterAll(() => disk?.close());

test('an ID number and a contact typed on the phone reach neither its disk nor the server’s in clear', async () => {
  const id = fakeIdNumber();
  const phone = '0900000654';
  const app = new AppPage(await context.newPage());
  await app.open(server.url);
  await app.login('demo-tnv', 'demo');

  const page = app.page;
  await page.getByRole('radio', { name: 'Kích hoạt VNeID mức 1', exact: true }).check();
  await page.getByLabel('Thôn/ấp').selectOption({ label: 'Thôn Đông' });
  await page.getByRole('radio', { name: 'Cần theo dõi tiếp', exact: true }).check();
  await page.getByText('Liên hệ theo dõi').click();
  const consent = page.getByLabel('Người dân đã nghe thông báo và đồng ý');
  expect(await consent.isChecked()).toBe(false);
  await consent.check();
  await page.getByLabel('Cách đồng ý').selectOption('spoken');
  await page.getByLabel('Số định danh cá nhân (12 số)').fill(id);
  await page.getByLabel('Số điện thoại').fill(phone);
  await app.saveButton.click();
  await page.getByText('Đã lưu').first().waitFor();

  await app.goToRecords();
  await expect.poll(() => app.records('synced').count(), { timeout: 30_000, interval: 250 }).toBe(1);

  const token = await apiLogin(server.url, 'demo-tnv');
  const res = await fetch(`${server.url}/api/v1/sync/pull`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ clientId: newId(), cursor: null }),
  });
  const pulled = PullResponse.parse(await res.json());
  expect(pulled.changes[0]?.data).not.toHaveProperty('citizenKey');
  expect(pulled.changes[0]?.data).not.toHaveProperty('citizenSeal');
  expect(pulled.changes[0]?.data).not.toHaveProperty('contact');
  // The key the server made, from its own key file: HMAC under the commune's secret.
  const { keys } = await loadOrCreateKeys(join(disk.dataDir, 'sotay-keys.json'));
  const citizenKey = keys.citizen.keyOf(pulled.changes[0]?.data?.communeCode as string, id);

  await page.close();
  await context.close(); // flushes IndexedDB and localStorage to the profile on disk
  const device = allBytes(disk.profile);
  const serverFiles = readdirSync(disk.dataDir)
    .filter((f) => f.startsWith('sotay.sqlite'))
    .map((f) => readFileSync(join(disk.dataDir, f)).toString('latin1'))
    .join('\n');
  // The search sees stored data: the record's citizenKey is on the server's disk, never the phone's.
  expect(serverFiles).toContain(citizenKey);
  expect(device).not.toContain(citizenKey);
  for (const bytes of [device, serverFiles, server.output()]) {
    expect(bytes).not.toContain(id);
    expect(bytes).not.toContain(phone);
  }
});
