// Browser rows (performance.md 2–5, 7) in Debian Chromium at the calibrated low-end CPU throttle,
// 360×640, with CDP network emulation; against the real server serving the production build.
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { createHash } from 'node:crypto';
import { citizenIdsOf, makeRecords } from '../lib/data.ts';
import { summary } from '../lib/stats.ts';
import type { BenchRow } from '../lib/table.ts';
import { calibrate, type Calibration } from './calibrate.ts';
import { coldLoadRows, odkBaseline, offlineRepeatRow, type OdkBaseline } from './load-rows.ts';
import { rawListPage, rawSave, rawTallies } from './device-rows.ts';
import { syncRow } from './sync-rows.ts';
import { appTookOver } from '../../tests/e2e/support/app-took-over.ts';

export const NETWORKS = {
  slow4g: { name: 'Slow 4G', latency: 562.5, down: 180 * 1024, up: 84 * 1024 },
  regular3g: { name: 'Regular 3G', latency: 1125, down: 78.75 * 1024, up: 84 * 1024 },
  sync400: { name: '400 kbps / 300 ms RTT', latency: 300, down: 50 * 1000, up: 50 * 1000 },
} as const;
type Network = (typeof NETWORKS)[keyof typeof NETWORKS];

export interface BrowserBenchOptions {
  browser: Browser;
  url: string;
  runs: number;
  deviceRecords: number;
  syncRecords: number;
  /** Pending records of the second sync row (a week offline); 0 leaves that row out. */
  syncBacklog?: number;
  /** Which row groups to run (`--only=`); all when absent. */
  want?: (name: string) => boolean;
  /** The ODK Web Forms baseline page (bench/odk/serve.ts) the load rows measure beside the app. */
  odkUrl?: string;
}

export async function throttle(cdp: CDPSession, rate: number, net?: Network, offline = false): Promise<void> {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  if (net) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline,
      latency: net.latency,
      downloadThroughput: net.down,
      uploadThroughput: net.up,
    });
  }
}

export async function newPage(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'vi-VN' });
  // A phone that has seen the first-run onboarding (shown once per phone, over the app): the rows
  // time what a volunteer does every day, not that one-off guide.
  await context.addInitScript(() => localStorage.setItem('sotay.onboarded', '1'));
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  return { context, page, cdp };
}

export async function login(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await appTookOver(page);
  await page.getByLabel('Tên đăng nhập').fill('demo-tnv');
  await page.getByLabel('Mật khẩu').fill('demo');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Lưu', exact: true }).waitFor();
}

export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
    timeout: 20_000,
  });
}

/** Seeds `n` synced records straight into the app's IndexedDB (the app's own schema). */
export async function seedDevice(page: Page, n: number, pending = false, seed = 99): Promise<void> {
  const ids = citizenIdsOf(n, seed);
  const records = makeRecords(n, seed).map((r, i) => ({
    ...r,
    serverVersion: pending ? 0 : 1,
    syncState: pending ? 'to_post' : 'synced',
    // The app's own-record flag (Dexie v2): own lists read [own+…] indexes.
    own: 1,
    // About 30 % typed with an ID number on this phone: the device's own key of it (Dexie v8
    // index), which the tallies' distinct citizens read. A stand-in for the app's HMAC under the
    // device key: any 64 hex digits, one per citizen, count alike.
    ...(ids[i] ? { deviceCitizenKey: createHash('sha256').update(ids[i]).digest('hex') } : {}),
  }));
  // The app's per-day tally counters (Dexie v3), as its write middleware would have kept them.
  const counts = new Map<string, number>();
  for (const r of records) {
    const k = JSON.stringify([r.occurredOn, r.category, r.outcome]);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const counters = [...counts].map(([k, n]) => ({ key: JSON.parse(k) as [string, string, string], n }));
  await page.evaluate(
    async ({ records, pending, counters }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('sotay');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      // An app build from before the counters (Dexie v2) has no such store: compare builds.
      const withCounters = db.objectStoreNames.contains('counters');
      const stores = [
        ...(withCounters ? ['records', 'counters'] : ['records']),
        ...(pending ? ['outbox', 'meta'] : []),
      ];
      const tx = db.transaction(stores, 'readwrite');
      const recordStore = tx.objectStore('records');
      for (const r of records) recordStore.put(r);
      const counterStore = withCounters ? tx.objectStore('counters') : null;
      for (const { key, n } of counterStore ? counters : []) {
        const req = counterStore!.get(key);
        req.onsuccess = () => {
          const have = (req.result as { n: number } | undefined)?.n ?? 0;
          counterStore!.put({ day: key[0], category: key[1], outcome: key[2], n: have + n });
        };
      }
      if (pending) {
        const outbox = tx.objectStore('outbox');
        const meta = tx.objectStore('meta');
        const syncReq = meta.get('sync');
        syncReq.onsuccess = () => {
          const row = syncReq.result as { key: string; value: { nextSeq: number } };
          let seq = row.value.nextSeq;
          for (const r of records) {
            // The patch is the record as the app queues it: no device bookkeeping (`own` and the
            // device key are not record fields; the server would refuse every create and the run
            // would time rejections).
            const { serverVersion: _v, syncState: _s, own: _o, deviceCitizenKey: _d, ...patch } = r;
            outbox.put({
              seq: seq++,
              mutationId: crypto.randomUUID(),
              recordId: r.id,
              op: 'upsert',
              baseVersion: 0,
              patch,
              createdAt: r.createdAt,
            });
          }
          meta.put({ key: 'sync', value: { ...row.value, nextSeq: seq } });
        };
      }
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { records, pending, counters },
  );
}

export async function runBrowserRows(
  opts: BrowserBenchOptions,
): Promise<{ calibration: Calibration; rows: BenchRow[] }> {
  const { browser } = opts;
  const want = opts.want ?? (() => true);
  const rows: BenchRow[] = [];

  const cal = await (async () => {
    const { context, page, cdp } = await newPage(browser);
    await page.goto('about:blank');
    const c = await calibrate(page, cdp);
    await context.close();
    return c;
  })();
  const rate = cal.rate;
  const at = `${rate}× CPU`;

  // The load rows' baseline, measured first under the same calibrated throttle (load-rows.ts).
  const odk: OdkBaseline | null =
    opts.odkUrl && (want('cold load') || want('offline repeat load'))
      ? await odkBaseline(opts, rate, opts.odkUrl)
      : null;

  // Row 2: cold load LCP and when login works; the signed-in start with no caches (load-rows.ts).
  if (want('cold load')) rows.push(...(await coldLoadRows(opts, rate, at, odk)));

  if (['offline repeat load', 'save one record', 'records list', 'on-device tallies'].some(want)) {
    rows.push(...(await deviceRows(opts, rate, at, want, odk)));
  }
  if (want('sync')) {
    rows.push(await syncRow(opts, rate, at, opts.syncRecords, 5000));
    if (opts.syncBacklog) rows.push(await syncRow(opts, rate, at, opts.syncBacklog, 20_000));
  }
  return { calibration: cal, rows };
}

export const usableForm = () => {
  const b = [...document.querySelectorAll('button')].find((x) => x.textContent?.trim() === 'Lưu');
  return b && !b.disabled ? performance.now() : false;
};

/**
 * Row 4's figure on a logged-in page whose capture form is shown: fill the form, tap "Lưu", time
 * until the saved notice is painted, and the longest task meanwhile (and 100 ms after).
 */
export async function measureSave(page: Page): Promise<{ ms: number; longest: number }> {
  await page.getByRole('radio', { name: 'Kích hoạt VNeID mức 2', exact: true }).check();
  await page.getByLabel('Thôn/ấp').selectOption({ index: 1 });
  await page.getByRole('radio', { name: 'Chuyển công an xã / trung tâm phục vụ HCC', exact: true }).check();
  return (await page.evaluate(`new Promise((resolve) => {
      const tasks = [];
      const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) tasks.push(e.duration); });
      obs.observe({ type: 'longtask' });
      const btn = [...document.querySelectorAll('button')].find((x) => x.textContent.trim() === 'Lưu');
      const notice = () => document.querySelector('[data-testid=save-notice]');
      const before = notice()?.textContent ?? '';
      const t0 = performance.now();
      const mo = new MutationObserver(() => {
        const n = notice();
        if (n && n.textContent && n.isConnected) {
          mo.disconnect();
          requestAnimationFrame(() => setTimeout(() => {
            const t1 = performance.now();
            setTimeout(() => { obs.disconnect(); resolve({ ms: t1 - t0, longest: Math.max(0, ...tasks) }); }, 100);
          }, 0));
        }
      });
      mo.observe(document.body, { subtree: true, childList: true, characterData: true });
      btn.click();
      void before;
    })`)) as { ms: number; longest: number };
}

/**
 * What a tab shows once painted: its rows (records list) or its three totals (tallies), visible and
 * current: a kept screen shown again after a write keeps its old content, marked aria-busy, until
 * its re-read answers.
 */
const SHOWN = `(x) => x.checkVisibility() && !x.closest('[aria-busy="true"]')`;
const TAB_READY: Record<string, string> = {
  'Bản ghi': `[...document.querySelectorAll('li[data-sync-state]')].some(${SHOWN})`,
  'Thống kê': `[...document.querySelectorAll('dd[data-period]')].filter(${SHOWN}).length >= 3`,
};

/**
 * Row 5's figures: from the capture tab, tap `tab` and time until its content is visible and the
 * next frame starts. Visible, not merely present: the list and the tallies stay mounted, hidden,
 * after a first visit (App.svelte), so being in the document is not being shown.
 */
export async function measureTab(page: Page, tab: 'Bản ghi' | 'Thống kê'): Promise<number> {
  await page.locator('nav').getByText('Ghi nhận', { exact: true }).click();
  await page.waitForTimeout(200);
  return (await page.evaluate(`new Promise((resolve) => {
      const tab = [...document.querySelectorAll('nav button, nav a')].find((x) => x.textContent.trim() === ${JSON.stringify(tab)});
      const t0 = performance.now();
      const check = () => ${TAB_READY[tab]}
        ? requestAnimationFrame(() => resolve(performance.now() - t0)) : requestAnimationFrame(check);
      tab.click();
      check();
    })`)) as number;
}

/** Rows 3–5 on one logged-in device with `deviceRecords` stored. */
async function deviceRows(
  opts: BrowserBenchOptions,
  rate: number,
  at: string,
  want: (name: string) => boolean,
  odk: OdkBaseline | null,
): Promise<BenchRow[]> {
  const { browser, url, runs } = opts;
  const rows: BenchRow[] = [];
  const { context, page, cdp } = await newPage(browser);
  await login(page, url);
  await waitForServiceWorker(page);
  await seedDevice(page, opts.deviceRecords);

  // Row 3: offline repeat load until the capture form is usable.
  await context.setOffline(true);
  await throttle(cdp, rate);
  if (!want('offline repeat load')) {
    // The seed bypassed Dexie: the app reads it afresh.
    await page.reload({ waitUntil: 'commit' });
    await page.waitForFunction(usableForm, undefined, { polling: 'raf', timeout: 30_000 });
  }
  const r3 = await offlineRepeatRow(page, want('offline repeat load') ? runs : 0, at, odk);
  if (r3) rows.push(r3);

  // Row 4: save one record, tap to next paint, with N records stored; long tasks watched.
  const saves: number[] = [];
  const longest: number[] = [];
  for (let i = 0; i < (want('save one record') ? runs : 0); i++) {
    const m = await measureSave(page);
    saves.push(m.ms);
    longest.push(m.longest);
    await page.waitForTimeout(300);
  }
  const rawPut = want('save one record') ? await rawSave(page) : 0;
  const r4 = summary(saves);
  if (saves.length > 0)
    rows.push({
      row: 4,
      figure: `save one record, tap to next paint, ${opts.deviceRecords.toLocaleString('en-US')} stored, ${at}`,
      unit: 'ms',
      goal: '≤ 200, no long task > 50',
      ...r4,
      baselineName: 'raw IndexedDB save transaction',
      baseline: rawPut,
      ratio: r4.median / rawPut,
      meetsGoal: r4.median <= 200 && Math.max(...longest) <= 50,
      note: `longest task ${Math.max(...longest).toFixed(0)} ms`,
    });

  // Row 5: list first page.
  const lists: number[] = [];
  for (let i = 0; i < (want('records list') ? runs : 0); i++) {
    const ms = await measureTab(page, 'Bản ghi');
    lists.push(ms);
  }
  const r5 = summary(lists);
  const rawList = lists.length > 0 ? await rawListPage(page) : 0;
  if (lists.length > 0)
    rows.push({
      row: 5,
      figure: `records list first page, ${opts.deviceRecords.toLocaleString('en-US')} stored, ${at}`,
      unit: 'ms',
      goal: '≤ 50',
      ...r5,
      baselineName: 'raw IndexedDB index cursor, 12 rows',
      baseline: rawList,
      ratio: r5.median / rawList,
      meetsGoal: r5.median <= 50,
    });
  // Row 5b: on-device tallies (today / week / month) from indexes: tab tap to numbers shown.
  const tallies: number[] = [];
  for (let i = 0; i < (want('on-device tallies') ? runs : 0); i++) {
    const ms = await measureTab(page, 'Thống kê');
    tallies.push(ms);
  }
  const r5b = summary(tallies);
  const rawTally = tallies.length > 0 ? await rawTallies(page) : 0;
  if (tallies.length > 0)
    rows.push({
      row: 5,
      figure: `on-device tallies, ${opts.deviceRecords.toLocaleString('en-US')} stored, ${at}`,
      unit: 'ms',
      goal: '≤ 100',
      ...r5b,
      baselineName: 'raw IndexedDB counters range + index keys',
      baseline: rawTally,
      ratio: r5b.median / rawTally,
      meetsGoal: r5b.median <= 100,
      note: 'the first run includes loading the lazy screen',
    });
  await context.close();
  return rows;
}
