// Two tabs of the app in real Chromium against the real server: the Web Lock lets only one tab push
// at a time (the first push is held until the other tab is seen waiting for the lock), the other
// hears the run over BroadcastChannel (its status says "đang đồng bộ" and the count includes the
// other tab's records), and every record reaches the server exactly once.
import { gunzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { PullResponse, PushRequest, newId } from '../../src/shared/index.ts';
import { AppPage } from './pages/app-page.ts';
import { launchChromium } from './support/browser.ts';
import { apiLogin, startServer, type RunningServer } from './support/server.ts';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  server = await startServer({ staticDir: inject('distDir') });
  browser = await launchChromium();
  // No service worker here: once one controls the page, Chromium sends the page's fetches through it
  // and context.route() no longer sees every push (this test counts pushes in flight; the service
  // worker has its own tests: offline-capture-sync, update-keeps-outbox).
  context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    locale: 'vi-VN',
    serviceWorkers: 'block',
  });
});

afterAll(async () => {
  // A push still held when a test fails must not outlive the context as an unhandled error.
  await context?.unrouteAll({ behavior: 'ignoreErrors' });
  await context?.close();
  await browser?.close();
  await server?.stop();
});

/** The push body as JSON, gzipped or not. */
function pushBody(request: Request): PushRequest {
  const raw = request.postDataBuffer() ?? Buffer.alloc(0);
  const gzipped = (request.headers()['content-encoding'] ?? '').includes('gzip');
  return PushRequest.parse(JSON.parse((gzipped ? gunzipSync(raw) : raw).toString('utf8')));
}

/**
 * Whether, seen from `page`, one tab holds the sync lock and another tab's request for it waits:
 * that tab cannot push until the holder's run ends (navigator.locks.query sees the whole origin).
 */
function otherTabQueued(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const { held = [], pending = [] } = await navigator.locks.query();
    const holder = held.find((lock) => lock.name === 'sync')?.clientId;
    return holder !== undefined && pending.some((lock) => lock.name === 'sync' && lock.clientId !== holder);
  });
}

test('with two tabs syncing at once only one push is in flight, each record is sent once, and the other tab shows the run', async () => {
  const a = new AppPage(await context.newPage());
  await a.open(server.url);
  await a.login('demo-tnv', 'demo');
  const b = new AppPage(await context.newPage());
  await b.open(server.url);
  await b.saveButton.waitFor({ timeout: 10_000 }); // same device storage: already signed in

  // The first push is held until the other tab's run is seen queued behind the sync lock (and both
  // tabs show the run): an overlapping push would arrive while it is held. Later pushes go through.
  const pushes = { inFlight: 0, max: 0, acked: [] as string[] };
  let duringFirstPush: string[] | null = null;
  // What the first push saw while held: the other tab queued (true), or why it was not seen.
  let firstPushSaw: ((seen: true | Error) => void) | null = null;
  const otherTabWaited = new Promise<true | Error>((resolve) => (firstPushSaw = resolve));
  let offline = false;
  await context.route('**/api/v1/sync/push', async (route) => {
    // route.fetch() is made by Playwright, not the page: offline emulation must be applied here.
    if (offline) return route.abort('internetdisconnected');
    pushes.inFlight++;
    pushes.max = Math.max(pushes.max, pushes.inFlight);
    try {
      if (firstPushSaw) {
        const saw = firstPushSaw;
        firstPushSaw = null;
        try {
          await expect.poll(() => otherTabQueued(a.page), { timeout: 10_000, interval: 50 }).toBe(true);
          saw(true);
          // The waiting tab heard of the run over BroadcastChannel; its status says so.
          for (const tab of [a, b])
            await tab.status.filter({ hasText: 'đang đồng bộ' }).waitFor({ timeout: 10_000 });
        } catch (err) {
          saw(err instanceof Error ? err : new Error(String(err)));
        }
        duringFirstPush = await Promise.all([a.status.textContent(), b.status.textContent()]).then((texts) =>
          texts.map((text) => text ?? ''),
        );
      }
      const response = await route.fetch();
      if (response.ok()) pushes.acked.push(...pushBody(route.request()).mutations.map((m) => m.recordId));
      await route.fulfill({ response });
    } finally {
      pushes.inFlight--;
    }
  });

  offline = true;
  await context.setOffline(true);
  const places = ['Thôn Đông', 'Thôn Tây', 'Thôn Nam'];
  // A background tab gets no animation frames, which Playwright's clicks wait for: bring each
  // tab to the front while a person would be typing in it.
  for (const [tab, category] of [
    [a, 'Kích hoạt VNeID mức 1'],
    [b, 'Thẻ căn cước'],
  ] as const) {
    await tab.page.bringToFront();
    for (const hamlet of places) await tab.capture({ category, hamlet, outcome: 'Hoàn thành' });
  }
  // Each tab counts the other tab's records too (one device database).
  await expect.poll(() => a.pendingCount(), { timeout: 10_000 }).toBe(6);
  await expect.poll(() => b.pendingCount(), { timeout: 10_000 }).toBe(6);
  await expect.poll(() => b.status.textContent(), { timeout: 10_000 }).toContain('6 mục chờ gửi');

  // The network comes back: both tabs get 'online' at the same moment and both ask to sync.
  offline = false;
  await context.setOffline(false);
  // The first push is held until the other tab's run waits behind the lock, so it cannot overlap.
  expect(await otherTabWaited).toBe(true);

  for (const tab of [a, b]) {
    await expect.poll(() => tab.pendingCount(), { timeout: 30_000, interval: 250 }).toBe(0);
    await expect.poll(() => tab.status.textContent(), { timeout: 10_000 }).toContain('đã đồng bộ');
  }
  expect(pushes.max).toBe(1);
  expect(pushes.acked).toHaveLength(6);
  expect(new Set(pushes.acked).size).toBe(6);
  // While the lock holder pushed, the waiting tab (which cannot run) showed the run it heard of.
  expect(duringFirstPush).toEqual([
    expect.stringContaining('đang đồng bộ'),
    expect.stringContaining('đang đồng bộ'),
  ]);

  const token = await apiLogin(server.url, 'demo-tnv');
  const res = await fetch(`${server.url}/api/v1/sync/pull`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ clientId: newId(), cursor: null }),
  });
  expect(res.status).toBe(200);
  const pulled = PullResponse.parse(await res.json());
  expect(pulled.changes).toHaveLength(6);
  expect(new Set(pulled.changes.map((c) => c.id))).toEqual(new Set(pushes.acked));
});
