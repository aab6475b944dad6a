// A tour of every screen of every demo role on two small phones (360×640 and 320×568), also at 130 %
// font size: a screenshot of each (test-results/screens/<role>-<place>-<width>.png, for a person to
// look at), the bottom navigation wholly inside the viewport, no horizontal scroll, and no axe
// violation of any impact on any screen.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { AppPage } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { appTookOver } from './support/app-took-over.ts';
import { rowLook } from './support/row-look.ts';

const DIR = resolve('test-results/screens');
const PHONES = [
  { width: 360, height: 640 },
  { width: 320, height: 568 },
] as const;

/** Each demo role's places, in the bottom bar and behind "Thêm" (state/route.svelte.ts). */
const ROLES = {
  'demo-tnv': ['capture', 'records', 'tallies', 'handoff', 'more', 'sessions', 'cards', 'storage'],
  'demo-lead': [
    'capture',
    'records',
    'team',
    'tallies',
    'more',
    'sessions',
    'cards',
    'handoff',
    'storage',
    'conflicts',
    'dashboard',
  ],
  'demo-gs': ['dashboard', 'more', 'cards', 'storage'],
  'demo-admin': ['dashboard', 'admin', 'subjects', 'more', 'cards', 'sessions', 'storage'],
} as const;

let server: RunningServer;
let browser: Browser;
/** Axe violations by screen: printed at the end of the run, and each test asserts its own. */
const report: Record<string, string[]> = {};

beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  console.log(`screenshots: ${DIR}`);
  server = await startServer({ staticDir: inject('distDir') });
  browser = await launchChromium();
});

afterAll(async () => {
  const bad = Object.entries(report).filter(([, v]) => v.length > 0);
  if (bad.length > 0)
    console.log(`axe violations:\n${bad.map(([k, v]) => `  ${k}: ${v.join(', ')}`).join('\n')}`);
  await browser?.close();
  await server?.stop();
});

/** Waits until the screen shown has finished loading (no "Đang …" placeholder left in <main>). */
async function settled(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const main = document.querySelector('main');
          if (!main) return 'no main';
          const busy = [...main.querySelectorAll('p, span')].find(
            (el) =>
              (el as HTMLElement).offsetParent !== null &&
              /^Đang (mở|tải|đếm|kiểm tra)…$/.test(el.textContent!.trim()),
          );
          return busy ? busy.textContent : 'ok';
        }),
      { timeout: 15_000 },
    )
    .toBe('ok');
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

/** What lies outside the viewport or scrolls sideways (empty when the layout holds). */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const w = window.innerWidth;
    const h = window.innerHeight;
    const nav = document.querySelector('nav.bottom-nav');
    if (!nav) out.push('no bottom navigation');
    for (const el of nav ? [nav, ...nav.querySelectorAll('*')] : []) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < -0.5 || r.right > w + 0.5 || r.top < -0.5 || r.bottom > h + 0.5)
        out.push(
          `nav ${el.tagName.toLowerCase()} "${el.textContent?.trim()}" at ${r.left},${r.top}–${r.right},${r.bottom}`,
        );
    }
    for (const label of nav?.querySelectorAll('a > span:last-child') ?? [])
      if (label.scrollWidth > label.clientWidth + 1) out.push(`nav label "${label.textContent}" cut`);
    // Anything one can tap or type into, across the width: a save bar's button past the edge is lost.
    for (const el of document.querySelectorAll('button, a, input, select, textarea')) {
      if (!el.checkVisibility({ visibilityProperty: true })) continue;
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.left < -0.5 || r.right > w + 0.5))
        out.push(
          `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || '').trim()}" past the edge (${Math.round(r.left)}–${Math.round(r.right)})`,
        );
    }
    const root = document.scrollingElement!;
    if (root.scrollWidth > root.clientWidth + 1) out.push(`page scrolls sideways (${root.scrollWidth}px)`);
    const main = document.querySelector('main');
    if (main && main.scrollWidth > main.clientWidth + 1)
      out.push(`main scrolls sideways (${main.scrollWidth}px)`);
    return out;
  });
}

async function visit(app: AppPage, role: string, place: string): Promise<void> {
  await app.page.evaluate((p) => (location.hash = `#/${p}`), place);
  await expect.poll(() => app.page.evaluate(() => location.hash)).toBe(`#/${place}`);
  await settled(app.page);
}

/** Screenshots at both phones (and 130 % at 320 px), layout checks, and axe at 360 px. */
async function check(app: AppPage, role: string, name: string): Promise<void> {
  const problems: string[] = [];
  for (const phone of PHONES) {
    await app.page.setViewportSize(phone);
    await app.page.screenshot({ path: `${DIR}/${role}-${name}-${phone.width}.png` });
    problems.push(...(await layoutProblems(app.page)).map((p) => `${phone.width}px: ${p}`));
  }
  await app.page.evaluate(() => (document.documentElement.style.fontSize = '130%'));
  await app.page.screenshot({ path: `${DIR}/${role}-${name}-320-130.png` });
  problems.push(...(await layoutProblems(app.page)).map((p) => `130 %: ${p}`));
  await app.page.evaluate(() => (document.documentElement.style.fontSize = ''));
  await app.page.setViewportSize(PHONES[0]);
  const violations = await app.a11yViolations();
  report[`${role} ${name}`] = violations.map(
    (v) => `${v.id} (${v.impact}) ${v.targets.slice(0, 2).join(' | ')}`,
  );
  expect.soft(problems, `${role} ${name}: layout`).toEqual([]);
  expect.soft(report[`${role} ${name}`], `${role} ${name}: axe`).toEqual([]);
}

async function newApp(): Promise<{ app: AppPage; context: BrowserContext }> {
  const context = await browser.newContext({ viewport: PHONES[0], locale: 'vi-VN' });
  return { app: new AppPage(await context.newPage()), context };
}

test('the login screen', async () => {
  const { app, context } = await newApp();
  try {
    await app.open(server.url);
    await app.page.getByLabel('Tên đăng nhập').waitFor();
    for (const phone of PHONES) {
      await app.page.setViewportSize(phone);
      await app.page.screenshot({ path: `${DIR}/login-${phone.width}.png` });
    }
    await app.page.setViewportSize(PHONES[0]);
    report.login = (await app.a11yViolations()).map((v) => `${v.id} (${v.impact})`);
    expect(report.login).toEqual([]);
  } finally {
    await context.close();
  }
});

for (const [username, places] of Object.entries(ROLES)) {
  const role = username.replace('demo-', '');
  test(`every place of ${username}`, { timeout: 240_000 }, async () => {
    const { app, context } = await newApp();
    try {
      await app.open(server.url);
      await appTookOver(app.page);
      await app.page.getByLabel('Tên đăng nhập').fill(username);
      await app.page.getByLabel('Mật khẩu').fill('demo');
      await app.page.getByRole('button', { name: 'Đăng nhập' }).click();
      await app.nav('Thêm').waitFor({ timeout: 15_000 });
      if (role === 'tnv' || role === 'lead') {
        // The first-run onboarding over the app, then skipped.
        await app.page.getByRole('dialog', { name: 'Hướng dẫn bắt đầu' }).waitFor({ timeout: 15_000 });
        await settled(app.page);
        await check(app, role, 'onboarding');
        await app.skipOnboarding();
      }
      if (role === 'tnv' || role === 'lead')
        await app.capture({ category: 'Kích hoạt VNeID mức 2', hamlet: 'Thôn Đông', outcome: 'Hoàn thành' });
      for (const place of places) {
        await visit(app, role, place);
        await check(app, role, place);
      }
      if (role === 'tnv' || role === 'lead') {
        // The editor, opened from the own list.
        await visit(app, role, 'records');
        // The own list's row draws as it always has: grey lines, a darker outcome, a wider badge.
        expect(await rowLook(app.records().first())).toEqual({
          row: { display: 'flex', minHeight: '56px' },
          what: 'normal',
          lines: {
            plain: { color: 'rgb(75, 85, 99)', fontSize: '15px', fontWeight: '400' },
            outcome: { color: 'rgb(31, 41, 55)', fontSize: '15px', fontWeight: '400' },
          },
          badge: { maxWidth: '50%', fontSize: '14px', borderRadius: '999px' },
        });
        await app.records().first().locator('button').first().click();
        await expect.poll(() => app.page.evaluate(() => location.hash)).toMatch(/^#\/records\/.+/);
        await settled(app.page);
        await check(app, role, 'editor');
        await app.page.goBack();
        await expect.poll(() => app.page.evaluate(() => location.hash)).toBe('#/records');
      }
    } finally {
      await context.close();
    }
  });
}
