// When sync runs: full-jitter backoff after failures (reset on success), no retry loop after 426,
// the triggers (online, visible, service-worker request, after save with Background Sync), and one
// tab syncing while another hears the status over BroadcastChannel.
import { render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SotayDB } from '../../src/app/db/database.ts';
import { saveNewRecord } from '../../src/app/db/records-repo.ts';
import { SessionState } from '../../src/app/state/session.svelte.ts';
import { SyncStatus } from '../../src/app/state/sync-status.svelte.ts';
import { ApiClient } from '../../src/app/sync/api.ts';
import { SyncEngine, type RunLocked, type SyncEvent, type SyncOutcome } from '../../src/app/sync/engine.ts';
import { SyncScheduler } from '../../src/app/sync/scheduler.ts';
import StatusBar from '../../src/app/ui/StatusBar.svelte';
import { contextOf } from '../../src/app/state/context.ts';
import { Health, healthSlot } from '../../src/app/state/health.svelte.ts';
import { loggedInDb, wireRecord } from './support/db.ts';
import { FakeServer } from './support/fake-server.ts';

const started: SyncScheduler[] = [];

function stubEngine(outcomes: SyncOutcome[]) {
  let i = 0;
  const syncNow = vi.fn(async () => outcomes[Math.min(i++, outcomes.length - 1)]!);
  return { syncNow, engine: { syncNow, subscribe: () => () => undefined } as unknown as SyncEngine };
}

function scheduler(engine: SyncEngine, random = () => 1): SyncScheduler {
  const s = new SyncScheduler({ engine, random, isOnline: () => true, intervalMs: 10 * 60_000 });
  started.push(s);
  s.start();
  return s;
}

afterEach(() => {
  for (const s of started.splice(0)) s.stop();
  vi.useRealTimers();
});

describe('sync scheduler backoff', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  it('retries after 1 s, then within a doubling ceiling, and starts again from 1 s after a success', async () => {
    const { engine, syncNow } = stubEngine(['failed', 'offline', 'failed', 'ok', 'failed', 'ok']);
    scheduler(engine); // random() = 1: always the ceiling
    await vi.advanceTimersByTimeAsync(0);
    expect(syncNow).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(999);
    expect(syncNow).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(syncNow).toHaveBeenCalledTimes(2); // after 1 s
    await vi.advanceTimersByTimeAsync(2000);
    expect(syncNow).toHaveBeenCalledTimes(3); // after 2 s
    await vi.advanceTimersByTimeAsync(3999);
    expect(syncNow).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(syncNow).toHaveBeenCalledTimes(4); // after 4 s: ok, backoff resets

    const s = started[0]!;
    expect(s.retryPending).toBe(false);
    await s.request(); // fails
    await vi.advanceTimersByTimeAsync(1000);
    expect(syncNow).toHaveBeenCalledTimes(6); // 1 s again, not 8 s
  });

  it('draws each retry uniformly between 1 s and the ceiling (full jitter)', async () => {
    const { engine, syncNow } = stubEngine(['failed']);
    scheduler(engine, () => 0);
    await vi.advanceTimersByTimeAsync(0);
    for (let n = 2; n <= 6; n++) {
      await vi.advanceTimersByTimeAsync(1000); // random() = 0: always the 1 s floor
      expect(syncNow).toHaveBeenCalledTimes(n);
    }
  });

  it('stops after a 426: no retry timer, and later triggers answer "outdated" without calling the server', async () => {
    const { engine, syncNow } = stubEngine(['outdated']);
    const s = scheduler(engine);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.retryPending).toBe(false);

    await vi.advanceTimersByTimeAsync(60 * 60_000);
    window.dispatchEvent(new Event('online'));
    expect(await s.request()).toBe('outdated');

    expect(syncNow).toHaveBeenCalledTimes(1);
  });
});

describe('sync triggers', () => {
  function fakeServiceWorker() {
    const sw = new EventTarget();
    const register = vi.fn(async (_tag: string) => undefined);
    Object.assign(sw, { getRegistration: async () => ({ sync: { register } }) });
    Object.defineProperty(navigator, 'serviceWorker', { value: sw, configurable: true });
    return { sw, register };
  }

  afterEach(() => {
    Reflect.deleteProperty(navigator, 'serviceWorker');
  });

  it('syncs when the network comes back, when the app is shown again, and when the service worker asks', async () => {
    const { sw } = fakeServiceWorker();
    const { engine, syncNow } = stubEngine(['ok']);
    scheduler(engine);
    await waitFor(() => expect(syncNow).toHaveBeenCalledTimes(1)); // at start

    window.dispatchEvent(new Event('online'));
    await waitFor(() => expect(syncNow).toHaveBeenCalledTimes(2));
    document.dispatchEvent(new Event('visibilitychange'));
    await waitFor(() => expect(syncNow).toHaveBeenCalledTimes(3));
    sw.dispatchEvent(new MessageEvent('message', { data: { type: 'SYNC_REQUEST' } }));
    await waitFor(() => expect(syncNow).toHaveBeenCalledTimes(4));
    // Another message, then a sync request: once the request is heard, the message before it was
    // handled too, and it asked for nothing.
    sw.dispatchEvent(new MessageEvent('message', { data: { type: 'something-else' } }));
    sw.dispatchEvent(new MessageEvent('message', { data: { type: 'SYNC_REQUEST' } }));
    await waitFor(() => expect(syncNow.mock.calls.length).toBeGreaterThanOrEqual(5));
    expect(syncNow).toHaveBeenCalledTimes(5);
  });

  it('starts offline without a run, and runs once the network comes back', async () => {
    const { engine, syncNow } = stubEngine(['ok']);
    let online = false;
    const s = new SyncScheduler({ engine, isOnline: () => online });
    started.push(s);
    s.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(syncNow).not.toHaveBeenCalled();
    online = true;
    window.dispatchEvent(new Event('online'));
    await waitFor(() => expect(syncNow).toHaveBeenCalledTimes(1));
  });

  it('registers the Background Sync tag "sotay-sync" after a save and syncs at once', async () => {
    const { register } = fakeServiceWorker();
    const { engine, syncNow } = stubEngine(['ok']);
    const s = new SyncScheduler({ engine, isOnline: () => true });

    expect(await s.afterSave()).toBe('ok');

    await waitFor(() => expect(register).toHaveBeenCalledWith('sotay-sync'));
    expect(syncNow).toHaveBeenCalledTimes(1);
  });

  it('still syncs after a save where the browser has no Background Sync', async () => {
    const { engine, syncNow } = stubEngine(['ok']);
    const s = new SyncScheduler({ engine, isOnline: () => true });

    expect(await s.afterSave()).toBe('ok');
    expect(syncNow).toHaveBeenCalledTimes(1);
  });
});

describe('two tabs', () => {
  /** What navigator.locks does across tabs: one holder at a time, in request order. */
  function memoryLock(): RunLocked {
    let tail: Promise<unknown> = Promise.resolve();
    return <T>(_name: string, fn: () => Promise<T>) => {
      const run = tail.then(fn);
      tail = run.catch(() => undefined);
      return run;
    };
  }

  function tab(db: SotayDB, server: FakeServer, runLocked: RunLocked) {
    const status = new SyncStatus();
    const own: SyncEvent[] = [];
    const onEvent = (e: SyncEvent) => {
      own.push(e);
      status.apply(e);
    };
    const engine = new SyncEngine({ db, fetch: server.fetch, runLocked, onEvent });
    const s = new SyncScheduler({
      engine,
      isOnline: () => true,
      intervalMs: 10 * 60_000,
      onRemoteEvent: (e) => status.apply(e, true),
    });
    started.push(s);
    /** Mutations this tab's own engine sent. */
    const pushed = () => Math.max(0, ...own.map((e) => (e.type === 'progress' ? e.sent : 0)));
    return { status, scheduler: s, pushed };
  }

  it('shows in the second tab "đang đồng bộ" while the first tab pushes, then the new count and "đã đồng bộ"', async () => {
    const db = await loggedInDb();
    const server = new FakeServer();
    const lock = memoryLock();
    const first = tab(db, server, lock);
    const second = tab(db, server, lock);
    const session = new SessionState({ db, api: new ApiClient({ fetch: server.fetch }) });
    await session.load();
    const health = new Health({ db, status: second.status, session, storage: undefined });
    const stop = health.start();
    render(StatusBar, {
      props: { onRelogin: () => undefined },
      context: contextOf(healthSlot.entry(health)),
    });
    await saveNewRecord(db, wireRecord());
    await saveNewRecord(db, wireRecord());
    const bar = screen.getByRole('status');
    await waitFor(() => expect(bar.textContent).toContain('2 mục chờ gửi'));
    let seenInSecondTab = '';
    server.onPush = async () => {
      await waitFor(() => expect(bar.textContent).toContain('đang đồng bộ'));
      seenInSecondTab = bar.textContent ?? '';
    };

    first.scheduler.start();
    second.scheduler.start();

    await waitFor(() => expect(bar.getAttribute('data-pending')).toBe('0'));
    await waitFor(() => expect(bar.textContent).toContain('đã đồng bộ'));
    expect(seenInSecondTab).toContain('đang đồng bộ');
    expect([first.pushed(), second.pushed()]).toEqual([2, 0]);
    expect(server.maxInFlight).toBe(1);
    expect(server.pushes()).toHaveLength(1);
    stop();
  });
});
