// The supervisors' "Tổng hợp" dashboard end to end in Chromium against the real server: two
// volunteers save and sync records on their phones, then a supervisor sees exactly those numbers.
// The screen is reached through the nav item "Tổng hợp", which the app shell adds for leads,
// supervisors and admins.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { AppPage, goToPlace } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { appTookOver } from './support/app-took-over.ts';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await startServer({ staticDir: inject('distDir') });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
});

async function newContext(viewport: { width: number; height: number }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  contexts.push(context);
  return context;
}

/** A volunteer's phone: log in, save these records, wait until all are synced. */
async function volunteerSaves(
  username: string,
  captures: { category: string; hamlet: string; outcome: string }[],
): Promise<void> {
  const app = new AppPage(await (await newContext({ width: 360, height: 640 })).newPage());
  await app.open(server.url);
  await app.login(username, 'demo');
  for (const c of captures) await app.capture(c);
  await expect
    .poll(() => app.status.textContent(), { timeout: 30_000, interval: 250 })
    .toContain('đã đồng bộ');
  expect(await app.pendingCount()).toBe(0);
}

/** The dashboard as a supervisor sees it at the office. */
class DashboardPage {
  constructor(readonly page: Page) {}

  async login(username: string): Promise<void> {
    await this.page.goto(server.url);
    await appTookOver(this.page);
    await this.page.getByLabel('Tên đăng nhập').fill(username);
    await this.page.getByLabel('Mật khẩu').fill('demo');
    await this.page.getByRole('button', { name: 'Đăng nhập' }).click();
  }

  async open(): Promise<void> {
    await goToPlace(this.page, 'Tổng hợp');
    await this.page.getByRole('heading', { name: 'Tổng hợp · Toàn xã' }).waitFor();
  }

  total(which: 'count' | 'citizens'): Locator {
    return this.page.locator(`[data-total="${which}"] dd:not(.compare)`);
  }

  bar(chart: 'hamlet' | 'category', key: string): Locator {
    return this.page.locator(`[data-chart="${chart}"] [data-bar="${key}"]`);
  }

  reconRow(displayName: string): Locator {
    return this.page.locator('tr[data-mark]').filter({ hasText: displayName });
  }
}

test('a supervisor sees the records two volunteers saved and synced, by hamlet, category and volunteer', async () => {
  await volunteerSaves('demo-tnv', [
    { category: 'Kích hoạt VNeID mức 2', hamlet: 'Thôn Đông', outcome: 'Hoàn thành' },
    { category: 'Kích hoạt VNeID mức 2', hamlet: 'Thôn Đông', outcome: 'Hoàn thành' },
  ]);
  await volunteerSaves('demo-tnv2', [
    { category: 'Thẻ căn cước', hamlet: 'Thôn Nam', outcome: 'Chuyển công an xã / trung tâm phục vụ HCC' },
  ]);

  const dash = new DashboardPage(await (await newContext({ width: 1280, height: 900 })).newPage());
  await dash.login('demo-gs');
  await dash.open();

  await expect.poll(() => dash.total('count').textContent(), { timeout: 15_000 }).toBe('3');
  expect(await dash.bar('hamlet', 'thon-dong').getAttribute('data-value')).toBe('2');
  expect(await dash.bar('hamlet', 'thon-nam').getAttribute('data-value')).toBe('1');
  expect(await dash.bar('category', 'vneid_l2').getAttribute('data-value')).toBe('2');
  expect(await dash.bar('category', 'can_cuoc').getAttribute('data-value')).toBe('1');
  expect(await dash.page.getByRole('alert').count()).toBe(0);

  // The Đề án 06 view keeps both categories here: ID card and VNeID.
  await dash.page.getByRole('button', { name: 'Đề án 06 (công an xã)' }).click();
  await expect.poll(() => dash.total('count').textContent()).toBe('3');

  // Reconciliation: what the server holds per volunteer.
  const an = dash.reconRow('Nguyễn Văn An (demo)');
  await an.waitFor({ timeout: 15_000 });
  expect(await an.locator('td').nth(1).textContent()).toBe('2');
  expect(await dash.reconRow('Trần Thị Bình (demo)').locator('td').nth(1).textContent()).toBe('1');

  // Drill into Thôn Đông: both records are demo-tnv's.
  await dash.page.locator('tr[data-hamlet="thon-dong"] th button').click();
  const drill = dash.page.locator('[data-drill]');
  await expect.poll(() => drill.locator('tr[data-volunteer]').count(), { timeout: 10_000 }).toBe(1);
  expect(await drill.textContent()).toContain('Nguyễn Văn An (demo)');

  // The records behind the Thôn Đông × VNeID mức 2 cell: the two demo-tnv synced, not reviewed yet.
  await dash.page.locator('tr[data-hamlet="thon-dong"] td[data-category="vneid_l2"] button').click();
  const records = dash.page.locator('[data-records]');
  await expect.poll(() => records.locator('tr[data-record]').count(), { timeout: 10_000 }).toBe(2);
  expect(await records.textContent()).toContain('Nguyễn Văn An (demo)');
  expect(await records.locator('[data-review="none"]').count()).toBe(2);
  // The whole dashboard, with its drill-down and records open: no axe violation of any impact.
  expect(await new AppPage(dash.page).a11yViolationsIn('section.dashboard')).toEqual([]);
  // On a 360 px phone with its text at 130 %, wide tables and the trend scroll inside their own
  // regions; the page itself does not scroll sideways.
  await dash.page.setViewportSize({ width: 360, height: 640 });
  const page = new AppPage(dash.page);
  expect(await page.widthAtTextSize(130)).toBeLessThanOrEqual(360);
  expect(await page.a11yViolationsIn('section.dashboard')).toEqual([]);
  await dash.page.setViewportSize({ width: 1280, height: 900 });

  // The CSV export downloads through the bearer token.
  const download = dash.page.waitForEvent('download', { timeout: 15_000 });
  await dash.page.getByRole('button', { name: 'Xuất CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
});
