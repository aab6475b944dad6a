// A group session logged in the real UI on a phone (docs/group-sessions.md), in Chromium at 360×640
// with no signal: "Thêm" → "Sinh hoạt nhóm" → "Ghi buổi mới", the stepper and the total, a field
// message, then the saved session in the list, waiting in the outbox and in the status line's count.
// Screenshots of the list and the form at 360×640 and 320×568 go to test-results/group-sessions.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { AppPage } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { rowLook } from './support/row-look.ts';
import { startServer, type RunningServer } from './support/server.ts';

const DIR = resolve('test-results/group-sessions');
const PHONES = [
  { width: 360, height: 640 },
  { width: 320, height: 568 },
] as const;

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let app: AppPage;

beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  server = await startServer({ staticDir: inject('distDir') });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: PHONES[0], locale: 'vi-VN' });
  app = new AppPage(await context.newPage());
  await app.open(server.url);
  await app.login('demo-tnv', 'demo');
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

/** Nothing one can tap or type into runs past the screen's edge, and nothing scrolls sideways. */
function sideways(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const w = window.innerWidth;
    for (const el of document.querySelectorAll('main button, main input, main select, main textarea')) {
      if (!el.checkVisibility({ visibilityProperty: true })) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.left < -0.5 || r.right > w + 0.5))
        out.push(
          `${el.tagName.toLowerCase()} "${el.getAttribute('aria-label') ?? el.textContent}" past the edge`,
        );
    }
    const main = document.querySelector('main');
    if (main && main.scrollWidth > main.clientWidth + 1)
      out.push(`main scrolls sideways (${main.scrollWidth}px)`);
    return out;
  });
}

async function shoot(name: string): Promise<string[]> {
  const problems: string[] = [];
  for (const phone of PHONES) {
    await app.page.setViewportSize(phone);
    // <main> is the scroller: one shot per screenful, top to bottom.
    const pages = await app.page.evaluate(() => {
      const main = document.querySelector('main')!;
      return Math.ceil(main.scrollHeight / main.clientHeight);
    });
    for (let i = 0; i < pages; i++) {
      await app.page.evaluate((n) => {
        const main = document.querySelector('main')!;
        main.scrollTop = n * main.clientHeight;
      }, i);
      await app.page.screenshot({ path: `${DIR}/${name}-${phone.width}-${i + 1}.png` });
    }
    await app.page.evaluate(() => (document.querySelector('main')!.scrollTop = 0));
    problems.push(...(await sideways(app.page)).map((p) => `${name} ${phone.width}px: ${p}`));
  }
  await app.page.setViewportSize(PHONES[0]);
  // No axe violation of any impact on any of these screens (as on every other screen).
  const axe = await app.a11yViolations();
  problems.push(...axe.map((v) => `${name} axe: ${v.id} (${v.impact}) ${v.targets.slice(0, 2).join(' | ')}`));
  return problems;
}

test('a session logged offline is listed and counts as waiting', async () => {
  const { page } = app;
  // The screens come from the precache: the phone has no signal in the hamlet hall.
  await app.waitForServiceWorker();
  await context.setOffline(true);
  // The "ready offline" notice would cover the screenshots.
  const close = page.getByRole('button', { name: 'Đóng' });
  if (await close.isVisible()) await close.click();
  await app.goTo('Sinh hoạt nhóm');
  await page.getByRole('heading', { name: 'Buổi sinh hoạt nhóm' }).waitFor();
  await page.getByText('Chưa có buổi nào.').waitFor();
  const problems = await shoot('list-empty');

  await page.getByRole('button', { name: 'Ghi buổi mới' }).click();
  // The capture form stays mounted (hidden) beside it: everything is looked up inside this form.
  const form = page.getByRole('form', { name: 'Ghi buổi sinh hoạt nhóm' });
  await form.waitFor();
  // Saved with nothing counted: the message stands next to the grid, the typed place stays.
  await form.getByLabel('Địa điểm').fill('Nhà văn hóa thôn Đông');
  await form.getByRole('button', { name: 'Lưu buổi' }).click();
  await page.getByText('Buổi sinh hoạt phải có ít nhất một người tham dự.').waitFor();
  await page.getByText('Vui lòng chọn chủ đề.').waitFor();
  expect(await form.getByLabel('Địa điểm').inputValue()).toBe('Nhà văn hóa thôn Đông');
  problems.push(...(await shoot('form-errors')));

  await form.getByLabel('Thôn/ấp').selectOption({ label: 'Thôn Đông' });
  await form.getByLabel('Chủ đề').selectOption({ label: 'Ứng dụng AI' });
  const more = form.getByRole('button', { name: 'Thêm một: Nữ, từ 60 tuổi' });
  for (let i = 0; i < 4; i++) await more.click();
  await form.getByRole('button', { name: 'Bớt một: Nữ, từ 60 tuổi' }).click();
  await form.getByLabel('Nam, 18–59 tuổi', { exact: true }).fill('9');
  await expect.poll(() => form.getByTestId('session-total').textContent()).toBe('Tổng cộng: 12 người');
  await form.getByLabel('Thêm người hướng dẫn').fill('Cán bộ văn hóa xã');
  await form.getByRole('button', { name: 'Thêm', exact: true }).click();
  await form.getByRole('button', { name: 'Bỏ Cán bộ văn hóa xã' }).waitFor();
  problems.push(...(await shoot('form-filled')));
  await form.getByRole('button', { name: 'Lưu buổi' }).click();

  await page.getByText('Đã lưu buổi sinh hoạt. Sẽ gửi khi có mạng.').waitFor();
  const row = page.locator('li[data-session-id]');
  await expect.poll(() => row.count()).toBe(1);
  expect(await row.getAttribute('data-sync-state')).toBe('to_post');
  expect(await row.textContent()).toContain('Ứng dụng AI');
  expect(await row.textContent()).toContain('12 người');
  expect(await row.textContent()).toContain('Chờ gửi');
  // The row draws as the sessions list always has: bold count, grey date line, long words wrap.
  expect(await rowLook(row)).toEqual({
    row: { display: 'flex', minHeight: '56px' },
    what: 'anywhere',
    lines: {
      plain: { color: 'rgb(75, 85, 99)', fontSize: '15px', fontWeight: '400' },
      count: { color: 'rgb(31, 41, 55)', fontSize: '15px', fontWeight: '600' },
    },
    badge: { maxWidth: '45%', fontSize: '14px', borderRadius: '999px' },
  });
  // Waiting: one outbox row, and the status line counts it.
  expect(await app.outboxCount()).toBe(1);
  await expect.poll(() => app.pendingCount()).toBe(1);
  problems.push(...(await shoot('list-saved')));

  // The form is one tap away for editing, the saved values in it.
  await row.locator('button').click();
  const edit = page.getByRole('form', { name: 'Sửa buổi sinh hoạt nhóm' });
  await edit.waitFor();
  expect(await edit.getByLabel('Nữ, từ 60 tuổi', { exact: true }).inputValue()).toBe('3');
  problems.push(...(await shoot('form-edit')));
  expect(problems).toEqual([]);
  await context.setOffline(false);
});
