// Group sessions end to end in Chromium against the real server (docs/group-sessions.md): the admin
// adds a topic; a volunteer's phone syncs, gets it, logs a session with it offline beside one
// assistance, comes online and syncs; the lead sees the session in the team's list and sends
// "Cần sửa" with a comment; the volunteer's next sync shows it; the supervisor's dashboard shows
// the session in its own section and the report counts it apart from individual assistance.
// Screenshots at 360×640 and 320×568 go to test-results/group-sessions-sync.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { ReportSummary } from '../../src/shared/index.ts';
import { AppPage, goToPlace } from './pages/app-page.ts';
import { appTookOver } from './support/app-took-over.ts';
import { launchChromium } from './support/browser.ts';
import { apiLogin, startServer, type RunningServer } from './support/server.ts';

const DIR = resolve('test-results/group-sessions-sync');
const PHONES = [
  { width: 360, height: 640 },
  { width: 320, height: 568 },
] as const;
const TOPIC = 'Chữ ký số cho người cao tuổi';
const TOPIC_CODE = 'chu_ky_so_cho_nguoi_cao_tuoi';
const COMMENT = 'Kiểm tra lại số người từ 60 tuổi giúp tổ.';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  server = await startServer({ staticDir: inject('distDir') });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
});

async function newPage(viewport: { width: number; height: number }): Promise<{
  context: BrowserContext;
  page: Page;
}> {
  const context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  contexts.push(context);
  // The first-run guide is another test's subject; these phones have seen it.
  await context.addInitScript(() => localStorage.setItem('sotay.onboarded', '1'));
  return { context, page: await context.newPage() };
}

/** A login without a capture form to wait for (the admin, the supervisor). */
async function loginAt(page: Page, username: string): Promise<void> {
  await page.goto(server.url);
  await appTookOver(page);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill('demo');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

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

/** Screenshots of every screenful at both phone sizes, with what runs off the edge and axe's findings. */
async function shoot(app: AppPage, name: string): Promise<string[]> {
  const problems: string[] = [];
  const { page } = app;
  for (const phone of PHONES) {
    await page.setViewportSize(phone);
    const pages = await page.evaluate(() => {
      const main = document.querySelector('main')!;
      return Math.ceil(main.scrollHeight / main.clientHeight);
    });
    for (let i = 0; i < pages; i++) {
      await page.evaluate((n) => {
        const main = document.querySelector('main')!;
        main.scrollTop = n * main.clientHeight;
      }, i);
      await page.screenshot({ path: `${DIR}/${name}-${phone.width}-${i + 1}.png` });
    }
    await page.evaluate(() => (document.querySelector('main')!.scrollTop = 0));
    problems.push(...(await sideways(page)).map((p) => `${name} ${phone.width}px: ${p}`));
  }
  await page.setViewportSize(PHONES[0]);
  const axe = await app.a11yViolations();
  problems.push(...axe.map((v) => `${name} axe: ${v.id} (${v.impact}) ${v.targets.slice(0, 2).join(' | ')}`));
  return problems;
}

/** The topic codes the phone keeps from its last pull (meta `sessionTopics`), in its IndexedDB. */
function keptTopicCodes(app: AppPage): Promise<string[]> {
  return app.page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('sotay');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const get = db.transaction('meta').objectStore('meta').get('sessionTopics');
          get.onsuccess = () => {
            const row = get.result as { value?: { code: string }[] } | undefined;
            resolve((row?.value ?? []).map((t) => t.code));
            db.close();
          };
          get.onerror = () => reject(get.error);
        };
      }),
  );
}

/** Syncs from "Thêm" and waits until the status line says it is done with nothing waiting. */
async function syncAndSettle(app: AppPage): Promise<void> {
  await app.syncNow();
  await expect
    .poll(() => app.status.textContent(), { timeout: 30_000, interval: 250 })
    .toContain('đã đồng bộ');
  await expect.poll(() => app.outboxCount(), { timeout: 15_000 }).toBe(0);
}

test('a topic, an offline session, its review and its count travel between four people', async () => {
  const problems: string[] = [];

  // The volunteer's phone is in use before the topic exists.
  const tnv = new AppPage((await newPage(PHONES[0])).page);
  const tnvContext = contexts.at(-1)!;
  await tnv.open(server.url);
  await tnv.login('demo-tnv', 'demo');
  await tnv.waitForServiceWorker();

  // 1. The admin adds a topic in the topic editor.
  const admin = new AppPage((await newPage(PHONES[0])).page);
  await loginAt(admin.page, 'demo-admin');
  await goToPlace(admin.page, 'Sinh hoạt nhóm');
  await admin.page.getByRole('heading', { name: 'Chủ đề sinh hoạt nhóm' }).waitFor();
  await admin.page.getByLabel('Chủ đề mới').fill(TOPIC);
  await admin.page.getByRole('button', { name: 'Thêm chủ đề' }).click();
  await admin.page.locator(`li[data-topic="${TOPIC_CODE}"]`).waitFor();
  await admin.page.getByRole('button', { name: 'Lưu danh sách chủ đề' }).click();
  await admin.page.getByText('Đã lưu danh sách. Điện thoại của các tổ nhận ở lần đồng bộ tới.').waitFor();
  problems.push(...(await shoot(admin, 'admin-topics')));

  // 2. The volunteer's phone syncs and gets the topic; then, offline, logs a session with it and
  // one individual assistance.
  await syncAndSettle(tnv);
  // "đã đồng bộ" may still be the login's sync: the topic list the pull brings is what counts.
  await expect.poll(() => keptTopicCodes(tnv), { timeout: 30_000, interval: 250 }).toContain(TOPIC_CODE);
  await tnvContext.setOffline(true);
  const close = tnv.page.getByRole('button', { name: 'Đóng' });
  if (await close.isVisible()) await close.click();
  await tnv.capture({ category: 'Kích hoạt VNeID mức 2', hamlet: 'Thôn Đông', outcome: 'Hoàn thành' });
  await tnv.goTo('Sinh hoạt nhóm');
  await tnv.page.getByRole('button', { name: 'Ghi buổi mới' }).click();
  const form = tnv.page.getByRole('form', { name: 'Ghi buổi sinh hoạt nhóm' });
  await form.waitFor();
  await form.getByLabel('Thôn/ấp').selectOption({ label: 'Thôn Tây' });
  await form.getByLabel('Địa điểm').fill('Nhà văn hóa thôn Tây');
  await form.getByLabel('Chủ đề').selectOption({ label: TOPIC });
  await form.getByLabel('Nữ, từ 60 tuổi', { exact: true }).fill('8');
  await form.getByLabel('Nam, từ 60 tuổi', { exact: true }).fill('6');
  await expect.poll(() => form.getByTestId('session-total').textContent()).toBe('Tổng cộng: 14 người');
  problems.push(...(await shoot(tnv, 'volunteer-form')));
  await form.getByRole('button', { name: 'Lưu buổi' }).click();
  await tnv.page.getByText('Đã lưu buổi sinh hoạt. Sẽ gửi khi có mạng.').waitFor();
  const row = tnv.page.locator('li[data-session-id]');
  await expect.poll(() => row.count()).toBe(1);
  const sessionId = (await row.getAttribute('data-session-id')) ?? '';
  expect(await row.getAttribute('data-sync-state')).toBe('to_post');
  // One record and one session wait; the status line counts both, in words true for both.
  await expect.poll(() => tnv.pendingCount()).toBe(2);
  expect(await tnv.status.textContent()).toContain('2 mục chờ gửi');
  problems.push(...(await shoot(tnv, 'volunteer-waiting')));

  // 3. Online again: the sync sends both.
  await tnvContext.setOffline(false);
  await syncAndSettle(tnv);
  await tnv.goTo('Sinh hoạt nhóm');
  await expect.poll(() => row.getAttribute('data-sync-state'), { timeout: 15_000 }).toBe('synced');
  expect(await row.textContent()).toContain(TOPIC);

  // 4. The lead's phone has it in the team's list, by whom, and sends "Cần sửa" with a comment.
  const lead = new AppPage((await newPage(PHONES[0])).page);
  await lead.open(server.url);
  await lead.login('demo-lead', 'demo');
  await syncAndSettle(lead);
  await lead.goTo('Sinh hoạt nhóm');
  const leadRow = lead.page.locator(`li[data-session-id="${sessionId}"]`);
  await leadRow.waitFor({ timeout: 15_000 });
  expect(await leadRow.textContent()).toContain(TOPIC);
  expect(await leadRow.textContent()).toContain('14 người');
  expect(await leadRow.textContent()).toContain('Người ghi: Nguyễn Văn An (demo)');
  problems.push(...(await shoot(lead, 'lead-list')));
  await leadRow.locator('button').click();
  await lead.page.getByRole('heading', { name: 'Duyệt buổi sinh hoạt' }).waitFor();
  await lead.page.getByRole('radio', { name: 'Cần sửa' }).check();
  await lead.page.getByLabel('Nhận xét').fill(COMMENT);
  problems.push(...(await shoot(lead, 'lead-review')));
  await lead.page.getByRole('button', { name: 'Gửi kết quả duyệt' }).click();
  await expect
    .poll(() => lead.page.getByTestId('session-review-notice').textContent(), { timeout: 15_000 })
    .toContain('Đã gửi kết quả duyệt.');
  expect(await lead.page.getByTestId('session-review-state').textContent()).toContain('Cần sửa');

  // 5. The volunteer's next sync brings the review state and the comment.
  await syncAndSettle(tnv);
  await tnv.goTo('Sinh hoạt nhóm');
  await expect
    .poll(() => row.locator('[data-review-state]').getAttribute('data-review-state'), { timeout: 15_000 })
    .toBe('has_issues');
  expect(await row.textContent()).toContain('Cần sửa');
  expect(await row.textContent()).toContain(COMMENT);
  problems.push(...(await shoot(tnv, 'volunteer-reviewed')));

  // 6. The supervisor's dashboard: the session in its own section, the record in the records' total.
  const { page: dash } = await newPage({ width: 1280, height: 900 });
  await loginAt(dash, 'demo-gs');
  await goToPlace(dash, 'Tổng hợp');
  await dash.getByRole('heading', { name: 'Tổng hợp · Toàn xã' }).waitFor();
  const panel = dash.locator('[data-sessions-panel]');
  await expect
    .poll(
      () => panel.locator('[data-sessions-totals] tr[data-row="sessions"] td[data-count]').textContent(),
      {
        timeout: 20_000,
      },
    )
    .toBe('1');
  expect(
    await panel.locator('[data-sessions-totals] tr[data-row="attendees"] td[data-count]').textContent(),
  ).toBe('14');
  const topicRow = panel.locator(`[data-sessions-by="topic"] tr[data-row="${TOPIC_CODE}"]`);
  expect(await topicRow.locator('th').textContent()).toBe(TOPIC);
  expect(await topicRow.locator('td[data-sessions]').textContent()).toBe('1');
  expect(await dash.locator('[data-total="count"] dd:not(.compare)').first().textContent()).toBe('1');

  // The report for the same period: one assistance counted, one session with its 14 attendees beside.
  const range = dash.locator('output[data-from]');
  const from = (await range.getAttribute('data-from')) ?? '';
  const to = (await range.getAttribute('data-to')) ?? '';
  const token = await apiLogin(server.url, 'demo-gs');
  const res = await fetch(`${server.url}/api/v1/report?from=${from}&to=${to}&view=all`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  const report = (await res.json()) as ReportSummary;
  expect(report.totals.current.count).toBe(1);
  expect(report.sessions?.totals.current).toEqual({ sessions: 1, attendees: 14 });
  expect(report.sessions?.byTopic.find((t) => t.id === TOPIC_CODE)).toMatchObject({
    label: TOPIC,
    sessions: 1,
  });

  expect(problems).toEqual([]);
});
