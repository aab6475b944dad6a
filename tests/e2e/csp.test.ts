// The strict Content Security Policy in real Chromium against the production build and the real
// server: the header is sent, the shell's inline script runs (its hash is allowed), the service
// worker, manifest, login, capture, sync and the lazily loaded dashboard work with no CSP violation
// reported — and a script injected into the page is refused.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { AppPage, goToPlace } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { appTookOver } from './support/app-took-over.ts';

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

interface Violations {
  events: string[];
  console: string[];
}

beforeAll(async () => {
  server = await startServer({ staticDir: inject('distDir') });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
});

/** A page that records every CSP violation: the DOM event and Chromium's console message. */
async function watchedPage(viewport: {
  width: number;
  height: number;
}): Promise<{ page: Page; seen: Violations }> {
  const context = await browser.newContext({ viewport, locale: 'vi-VN' });
  contexts.push(context);
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  const seen: Violations = { events: [], console: [] };
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) seen.console.push(m.text());
  });
  return { page, seen };
}

async function domViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
}

test('the shell is served with a strict CSP and runs its inline script; a volunteer works with no violation', async () => {
  const { page, seen } = await watchedPage({ width: 360, height: 640 });
  const app = new AppPage(page);
  const res = await page.goto(server.url);
  const csp = res?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);

  await app.login('demo-tnv', 'demo');
  await app.capture({ category: 'Kích hoạt VNeID mức 2', hamlet: 'Thôn Đông', outcome: 'Hoàn thành' });
  await expect
    .poll(() => app.status.textContent(), { timeout: 30_000, interval: 250 })
    .toContain('đã đồng bộ');
  await app.waitForServiceWorker();
  // Reloaded through the service worker: the inline script in <head> marks a signed-in device
  // before the app's JS runs (it would not run if its hash were not allowed).
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.classList.contains('signed-in'))).toBe(true);
  await app.saveButton.waitFor();
  const manifest = await page.evaluate(async () => {
    const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
    return link ? (await fetch(link.href)).status : 0;
  });
  expect(manifest).toBe(200);

  expect(await domViolations(page)).toEqual([]);
  expect(seen.console).toEqual([]);
});

test('an injected inline script is refused and reported (the policy is enforced, not just sent)', async () => {
  const { page, seen } = await watchedPage({ width: 360, height: 640 });
  await page.goto(server.url);
  await page.getByLabel('Tên đăng nhập').waitFor();
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true;';
    document.body.append(s);
  });
  await expect.poll(() => domViolations(page)).toHaveLength(1);
  expect((await domViolations(page))[0]).toMatch(/^script-src/);
  expect(
    await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected),
  ).toBeUndefined();
  expect(seen.console.length).toBeGreaterThan(0);
});

async function openDashboard(username: string): Promise<{ page: Page; seen: Violations; files: string[] }> {
  const { page, seen } = await watchedPage({ width: 1280, height: 900 });
  const files: string[] = [];
  // Scripts the page loads; the role's screens cached while idle (state/role-chunks.ts) are fetches.
  page.on('request', (r) => {
    if (r.resourceType() === 'script') files.push(new URL(r.url()).pathname);
  });
  await page.goto(server.url);
  await appTookOver(page);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill('demo');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await goToPlace(page, 'Tổng hợp');
  await page.getByRole('heading', { name: /^Tổng hợp( · |$)/ }).waitFor();
  await page.locator('[data-total="count"] dd:not(.compare)').waitFor();
  return { page, seen, files };
}

test('a supervisor opens the lazily loaded dashboard with no violation, without the audit panel', async () => {
  const { page, seen, files } = await openDashboard('demo-gs');
  expect(await page.getByRole('heading', { name: 'Nhật ký truy cập' }).count()).toBe(0);
  expect(files.filter((f) => /AuditPanel/.test(f))).toEqual([]);
  expect(await domViolations(page)).toEqual([]);
  expect(seen.console).toEqual([]);
});

test("the admin's audit panel loads as its own chunk and lists this session's login, with no violation", async () => {
  const { page, seen, files } = await openDashboard('demo-admin');
  await page.getByRole('heading', { name: 'Nhật ký truy cập' }).waitFor();
  const login = page
    .locator('[data-audit] tbody tr[data-action="login_ok"]')
    .filter({ hasText: 'demo-admin' });
  await login.first().waitFor({ timeout: 15_000 });
  expect(files.filter((f) => /AuditPanel.*\.js$/.test(f))).toHaveLength(1);
  expect(await domViolations(page)).toEqual([]);
  expect(seen.console).toEqual([]);
});
