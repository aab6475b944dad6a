// The login in index.html works before the app's JS arrives (a tap at once logs in: no dead button,
// no reload, no second login), and a signed-in phone whose caches were cleared (an update or an
// eviction: Cache Storage and the service worker gone, IndexedDB and localStorage kept) starts on a
// capture form that works, over the network, without a login.
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, expect, inject, test } from 'vitest';
import { AppPage } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await startServer({ staticDir: inject('distDir') });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'vi-VN' });
  await context.addInitScript(() => localStorage.setItem('sotay.onboarded', '1'));
  page = await context.newPage();
});
afterEach(async () => {
  await context?.close();
});

/** Holds every JS file of the build until `release()`: the page has only index.html meanwhile. */
async function holdScripts(p: Page): Promise<{ release: () => void; held: () => number }> {
  const waiting: Route[] = [];
  let released = false;
  await p.route(/\/assets\/.*\.js$/, (route) => (released ? route.continue() : void waiting.push(route)));
  return {
    release: () => {
      released = true;
      for (const r of waiting.splice(0)) void r.continue();
    },
    held: () => waiting.length,
  };
}

/** Counts logins sent and documents loaded (a reload would load a second one). */
function watch(p: Page): { logins: () => number; documents: () => number } {
  let logins = 0;
  let documents = 0;
  p.on('request', (req) => {
    if (req.url().endsWith('/api/v1/auth/login')) logins++;
    if (req.resourceType() === 'document') documents++;
  });
  return { logins: () => logins, documents: () => documents };
}

test('a tap on the static "Đăng nhập" before the app arrives logs in once, without a reload', async () => {
  const seen = watch(page);
  const scripts = await holdScripts(page);
  await page.goto(server.url, { waitUntil: 'commit' });
  await page.locator('#static-login').waitFor();
  await expect.poll(scripts.held).toBeGreaterThan(0);
  const button = page.getByRole('button', { name: 'Đăng nhập' });

  // An empty form is answered at once, in Vietnamese, and the button stays usable.
  await button.click();
  await expect(page.getByRole('alert').textContent()).resolves.toContain('Vui lòng nhập tên đăng nhập');
  await expect(button.isEnabled()).resolves.toBe(true);

  await page.getByLabel('Tên đăng nhập').fill('demo-tnv');
  await page.getByLabel('Mật khẩu').fill('demo');
  const answered = page.waitForResponse((res) => res.url().endsWith('/api/v1/auth/login'));
  await button.click();
  // The tap did something: the login is sent and the button says it is busy.
  await expect((await answered).status()).toBe(200);
  await expect(button.getAttribute('aria-busy')).resolves.toBe('true');
  expect(scripts.held()).toBeGreaterThan(0);

  scripts.release();
  const app = new AppPage(page);
  await app.saveButton.waitFor({ timeout: 20_000 });
  expect(seen.logins()).toBe(1);
  expect(seen.documents()).toBe(1);
  // The app kept the session: a reload starts signed in.
  await page.reload();
  await app.saveButton.waitFor({ timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Đăng nhập' }).count()).resolves.toBe(0);
});

test('a login the app arrives in the middle of is finished by the app', async () => {
  const seen = watch(page);
  const scripts = await holdScripts(page);
  // The login's answer is held too, so the app boots while it is under way.
  let answerLogin: () => void = () => undefined;
  await page.route('**/api/v1/auth/login', async (route) => {
    await new Promise<void>((resolve) => (answerLogin = resolve));
    await route.continue();
  });
  await page.goto(server.url, { waitUntil: 'commit' });
  await page.locator('#static-login').waitFor();
  await page.getByLabel('Tên đăng nhập').fill('demo-tnv');
  await page.getByLabel('Mật khẩu').fill('demo');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect.poll(seen.logins).toBe(1);
  scripts.release();
  // The app's own login screen shows the login as busy, with the name typed.
  await expect.poll(() => page.evaluate(() => document.querySelector('#static-login') === null)).toBe(true);
  await expect(page.getByLabel('Tên đăng nhập').inputValue()).resolves.toBe('demo-tnv');
  await expect(page.getByRole('button', { name: 'Đăng nhập' }).isDisabled()).resolves.toBe(true);
  answerLogin();
  await new AppPage(page).saveButton.waitFor({ timeout: 20_000 });
  expect(seen.logins()).toBe(1);
  expect(seen.documents()).toBe(1);
});

test('a refused static login says why and can be tried again; typing survives the app arriving', async () => {
  const scripts = await holdScripts(page);
  await page.goto(server.url, { waitUntil: 'commit' });
  await page.locator('#static-login').waitFor();
  await page.getByLabel('Tên đăng nhập').fill('demo-tnv');
  await page.getByLabel('Mật khẩu').fill('wrong-password');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('Sai tên đăng nhập hoặc mật khẩu');
  await expect(page.getByRole('button', { name: 'Đăng nhập' }).isEnabled()).resolves.toBe(true);
  // The person starts correcting the password when the app arrives.
  await page.getByLabel('Mật khẩu').fill('dem');
  scripts.release();
  await expect.poll(() => page.evaluate(() => document.querySelector('#static-login') === null)).toBe(true);
  await expect(page.getByLabel('Mật khẩu').inputValue()).resolves.toBe('dem');
  await expect(page.getByRole('alert').textContent()).resolves.toContain('Sai tên đăng nhập');
  await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('login-password');
  await page.keyboard.type('o');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await new AppPage(page).saveButton.waitFor({ timeout: 20_000 });
});

test('signed in, caches and service worker cleared: the capture form works without a login', async () => {
  const app = new AppPage(page);
  await app.open(server.url);
  await app.login('demo-tnv', 'demo');
  await app.waitForServiceWorker();
  // What an update or an eviction leaves: IndexedDB and localStorage, no caches, no worker.
  await page.evaluate(async () => {
    for (const key of await caches.keys()) await caches.delete(key);
    for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
  });
  const fresh = await context.newPage();
  await page.close();
  page = fresh;
  const seen = watch(page);
  const again = new AppPage(page);
  await page.goto(server.url);
  // The page came from the network, not from a service worker.
  await expect(
    page.evaluate(
      () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).workerStart,
    ),
  ).resolves.toBe(0);
  await again.capture({ category: 'Kỹ năng số', hamlet: 'Thôn Tây', outcome: 'Hoàn thành' });
  expect(seen.logins()).toBe(0);
  await expect(page.getByRole('button', { name: 'Đăng nhập' }).count()).resolves.toBe(0);
});
