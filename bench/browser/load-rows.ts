// Load rows (performance.md rows 2 and 3): LCP, and beside it when the app WORKS — a tap that does
// something, timed from the start of navigation in the page's own clock:
// - cold load, "Đăng nhập" tapped as soon as the button shows, until the capture form is shown;
// - a signed-in phone whose caches were cleared (Cache Storage, service worker and HTTP cache gone;
//   IndexedDB and localStorage kept), until a tap on "Lưu" is answered;
// - offline repeat load (service worker), until a tap on "Lưu" is answered.
// Beside them, from the same run and under the same throttles, the baseline: our capture form as an
// ODK Web Forms page (bench/odk), its LCP and when a tap on its "Send" is answered.
import type { CDPSession, Page } from 'playwright-core';
import { summary } from '../lib/stats.ts';
import type { BenchRow } from '../lib/table.ts';
import {
  login,
  newPage,
  NETWORKS,
  throttle,
  waitForServiceWorker,
  type BrowserBenchOptions,
} from './rows.ts';

type Network = (typeof NETWORKS)[keyof typeof NETWORKS];

const LCP_JS = `new Promise((resolve) => {
  let last = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) last = e.startTime; })
    .observe({ type: 'largest-contentful-paint', buffered: true });
  setTimeout(() => resolve(last), 1000);
})`;

export const PROBE_FLAG = 'sotay.bench.worksAt';

/**
 * Installed in every document of the context; active only while localStorage holds PROBE_FLAG (so
 * the device rows after row 3 get a clean form). At every frame it looks for an enabled "Lưu"; the
 * first one found is tapped (an empty form, so nothing is saved), and "works at" is the next frame
 * after the form answers (its required fields marked invalid).
 * Kept as source text so no bundler helper leaks into the page.
 */
export const PROBE_JS = `(() => {
  let on = false;
  try { on = localStorage.getItem(${JSON.stringify(PROBE_FLAG)}) === '1'; } catch {}
  if (!on) return;
  window.__lcp = null;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__lcp = e.startTime; })
    .observe({ type: 'largest-contentful-paint', buffered: true });
  window.__worksAt = new Promise((resolve) => {
    let tappedAt = 0;
    const save = () => [...document.querySelectorAll('button')].find((b) => !b.disabled && b.textContent.trim() === 'Lưu');
    const answered = () => document.querySelector('form [aria-invalid="true"]') !== null;
    const frame = () => {
      if (!tappedAt) {
        const b = save();
        if (b) { tappedAt = performance.now(); b.click(); }
      }
      if (tappedAt && answered()) {
        requestAnimationFrame(() => setTimeout(() => resolve({ tappedAt, worksAt: performance.now() }), 0));
        return;
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
})()`;

/**
 * A fresh visit's login, typed and tapped in the page at the first frame that shows an enabled
 * "Đăng nhập" (the static form's, or the app's when the build has none); "works at" is the first
 * frame that shows the capture form's "Lưu".
 */
const LOGIN_PROBE_JS = `(() => {
  window.__worksAt = new Promise((resolve) => {
    let tappedAt = 0;
    const button = (name) => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === name && b.checkVisibility());
    const frame = () => {
      if (!tappedAt) {
        const b = button('Đăng nhập');
        const user = document.getElementById('login-username');
        const password = document.getElementById('login-password');
        if (b && !b.disabled && user && password) {
          tappedAt = performance.now();
          for (const [field, value] of [[user, 'demo-tnv'], [password, 'demo']]) {
            field.value = value;
            field.dispatchEvent(new Event('input', { bubbles: true }));
          }
          b.click();
        }
      } else if (button('Lưu')) {
        resolve({ tappedAt, worksAt: performance.now() });
        return;
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
})()`;

/**
 * PROBE_JS for the ODK Web Forms page: at every frame it looks for an enabled submit button ("Send"
 * in ODK Web Forms today, or a translated one); the first found is tapped on the empty form, and
 * "works at" is the next frame after ODK answers (a required question marked: its container gets
 * `highlight` once the form is `submit-pressed`). ODK sets no aria-invalid on a radio list.
 */
const ODK_PROBE_JS = `(() => {
  window.__lcp = null;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__lcp = e.startTime; })
    .observe({ type: 'largest-contentful-paint', buffered: true });
  window.__worksAt = new Promise((resolve) => {
    let tappedAt = 0;
    const names = ['Send', 'Gửi', 'Submit'];
    const submit = () => [...document.querySelectorAll('.odk-form button')].find((b) => !b.disabled && names.includes(b.textContent.trim()));
    const answered = () => document.querySelector('.odk-form.submit-pressed .question-container.highlight') !== null;
    const frame = () => {
      if (!tappedAt) {
        const b = submit();
        if (b) { tappedAt = performance.now(); b.click(); }
      }
      if (tappedAt && answered()) {
        requestAnimationFrame(() => setTimeout(() => resolve({ tappedAt, worksAt: performance.now() }), 0));
        return;
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
})()`;

interface WorksAt {
  tappedAt: number;
  worksAt: number;
}

async function readProbe(page: Page): Promise<WorksAt & { lcp: number | null }> {
  // A function, not source text: the app's CSP refuses the eval a string predicate needs.
  await page.waitForFunction(() => '__worksAt' in window, undefined, { timeout: 60_000 });
  const w = (await page.evaluate('window.__worksAt')) as WorksAt;
  // The largest paint so far (the probe's observer; null when the probe is not in the page).
  return { ...w, lcp: (await page.evaluate('window.__lcp ?? null')) as number | null };
}

const med = (xs: (number | null)[]) => {
  const ys = xs.filter((x): x is number => x !== null);
  return ys.length ? `${Math.round(summary(ys).median)} ms` : '—';
};

/** BENCH_LOAD_TRACE=1: each request of a run, when it started and ended after navigation (ms). */
function traceRequests(page: Page, label: string): () => void {
  if (process.env.BENCH_LOAD_TRACE !== '1') return () => undefined;
  const t0 = Date.now();
  const lines: string[] = [];
  page.on('requestfinished', (req) => {
    const timing = req.timing();
    const path = new URL(req.url()).pathname;
    lines.push(
      `    ${String(Math.round(timing.startTime - t0 + (timing.responseEnd >= 0 ? timing.responseEnd : 0))).padStart(6)} ms end  ${req.method()} ${path}`,
    );
  });
  return () => console.log(`  ${label}:\n${lines.join('\n')}`);
}

/** The ODK Web Forms page measured in the run: Slow 4G medians, and why it has no offline figure. */
export interface OdkBaseline {
  lcp: number;
  worksAt: number;
  tappedAt: number;
  /** Why the offline repeat load has no ODK figure, or null when the page did load offline. */
  offline: string | null;
}

/**
 * The baseline of rows 2 and 3: the ODK Web Forms page at `odkUrl`, each run a fresh context at the
 * calibrated CPU throttle on Slow 4G, as our cold load. LCP is read once the form's questions are
 * shown (ODK renders them after its engine has parsed the form, past the load event); "works at" as
 * ODK_PROBE_JS says. Then, on a page that has loaded it online, whether it loads offline at all.
 */
export async function odkBaseline(
  opts: BrowserBenchOptions,
  rate: number,
  odkUrl: string,
): Promise<OdkBaseline> {
  const { browser, runs } = opts;
  const lcps: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { context, page, cdp } = await newPage(browser);
    await throttle(cdp, rate, NETWORKS.slow4g);
    await page.goto(odkUrl, { waitUntil: 'load', timeout: 120_000 });
    await page.waitForFunction(
      () => document.querySelector('.odk-form .question-container') !== null,
      undefined,
      {
        timeout: 120_000,
      },
    );
    lcps.push((await page.evaluate(LCP_JS)) as number);
    await context.close();
  }
  const works: WorksAt[] = [];
  for (let i = 0; i < runs; i++) {
    const { context, page, cdp } = await newPage(browser);
    await context.addInitScript(ODK_PROBE_JS);
    await throttle(cdp, rate, NETWORKS.slow4g);
    const print = traceRequests(page, `ODK Web Forms run ${i + 1}`);
    await page.goto(odkUrl, { waitUntil: 'commit', timeout: 120_000 });
    works.push(await readProbe(page));
    print();
    await context.close();
  }
  return {
    lcp: summary(lcps).median,
    worksAt: summary(works.map((w) => w.worksAt)).median,
    tappedAt: summary(works.map((w) => w.tappedAt)).median,
    offline: await odkOffline(opts, odkUrl),
  };
}

/** Loads the ODK page online, then again offline: null if it loads, else why it cannot be timed. */
async function odkOffline(opts: BrowserBenchOptions, odkUrl: string): Promise<string | null> {
  const { context, page } = await newPage(opts.browser);
  try {
    await page.goto(odkUrl, { waitUntil: 'load', timeout: 60_000 });
    await page.waitForFunction(() => document.querySelector('.odk-form .question-container') !== null);
    const workers = await page.evaluate(
      async () => (await navigator.serviceWorker.getRegistrations()).length,
    );
    await context.setOffline(true);
    const failed = await page.reload({ waitUntil: 'load', timeout: 30_000 }).then(
      () => null,
      (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'failed',
    );
    if (failed === null) return null;
    const error = /net::[A-Z_]+/.exec(failed)?.[0] ?? failed;
    return `no service worker (${workers} registered), offline reload fails: ${error}`;
  } finally {
    await context.close();
  }
}

/** Row 2: LCP, login tapped at once, and the signed-in start with no caches. */
export async function coldLoadRows(
  opts: BrowserBenchOptions,
  rate: number,
  at: string,
  odk: OdkBaseline | null = null,
): Promise<BenchRow[]> {
  const { browser, url, runs } = opts;
  const rows: BenchRow[] = [];
  for (const [net, goal] of [
    [NETWORKS.slow4g, 2500],
    [NETWORKS.regular3g, 4000],
  ] as [Network, number][]) {
    const lcps: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { context, page, cdp } = await newPage(browser);
      await throttle(cdp, rate, net);
      await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
      lcps.push((await page.evaluate(LCP_JS)) as number);
      await context.close();
    }
    const s = summary(lcps);
    const slow = net === NETWORKS.slow4g;
    rows.push({
      row: 2,
      figure: `cold load LCP, ${net.name}, ${at}`,
      unit: 'ms',
      goal: `≤ ${goal}`,
      ...s,
      ...(slow && odk ? odkColumns('ODK Web Forms LCP', s.median, odk.lcp) : {}),
      meetsGoal: s.median <= goal,
    });

    // "Đăng nhập" tapped as soon as the button shows (index.html's static form works before the
    // app arrives), until the capture form is shown. In the page, as a person taps: Playwright's own
    // fill and click need several round trips into a page whose main thread is busy starting up,
    // which at a 10× throttle cost seconds a person does not spend.
    const works: number[] = [];
    const buttons: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { context, page, cdp } = await newPage(browser);
      await context.addInitScript(LOGIN_PROBE_JS);
      await throttle(cdp, rate, net);
      const print = traceRequests(page, `login run ${i + 1}, ${net.name}`);
      await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
      const r = await readProbe(page);
      buttons.push(r.tappedAt);
      works.push(r.worksAt);
      print();
      await context.close();
    }
    const w = summary(works);
    rows.push({
      row: 2,
      figure: `cold load, login tapped at once works at, ${net.name}, ${at}`,
      unit: 'ms',
      goal: slow ? '≤ 2500' : '—',
      ...w,
      ...(slow && odk ? odkColumns('ODK Web Forms "Send" answered (no login)', w.median, odk.worksAt) : {}),
      meetsGoal: slow ? w.median <= 2500 : null,
      note: `tapped at ${med(buttons)} (median)`,
    });
  }
  rows.push(await noCacheRow(opts, rate, at, odk));
  return rows;
}

/** The baseline columns of a row beside ODK Web Forms (ratio = ours / ODK's, as every baseline). */
function odkColumns(name: string, ours: number, theirs: number): Partial<BenchRow> {
  return { baselineName: name, baseline: theirs, ratio: ours / theirs };
}

/** Cache Storage, the service worker and the HTTP cache gone; IndexedDB and localStorage kept. */
async function clearCaches(page: Page, cdp: CDPSession): Promise<void> {
  await page.evaluate(async () => {
    for (const key of await caches.keys()) await caches.delete(key);
    for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
  });
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache');
}

/** Row 2b: a signed-in phone after an update or an eviction, Slow 4G, until "Lưu" answers a tap. */
async function noCacheRow(
  opts: BrowserBenchOptions,
  rate: number,
  at: string,
  odk: OdkBaseline | null,
): Promise<BenchRow> {
  const { browser, url, runs } = opts;
  const { context, page } = await newPage(browser);
  await context.addInitScript(PROBE_JS);
  await login(page, url);
  await waitForServiceWorker(page);
  await page.locator('[data-testid=sync-status]').getByText('đã đồng bộ').waitFor({ timeout: 30_000 });
  let current = page;
  const works: WorksAt[] = [];
  const lcps: (number | null)[] = [];
  for (let i = 0; i < runs; i++) {
    await current.evaluate((flag) => localStorage.setItem(flag, '1'), PROBE_FLAG);
    await clearCaches(current, await context.newCDPSession(current));
    // A new page: the old one's worker registration goes with its last client.
    const next = await context.newPage();
    await current.close();
    current = next;
    const cdp = await context.newCDPSession(current);
    await throttle(cdp, rate, NETWORKS.slow4g);
    const print = traceRequests(current, `no-cache run ${i + 1}`);
    await current.goto(url, { waitUntil: 'commit', timeout: 60_000 });
    const r = await readProbe(current);
    print();
    works.push(r);
    lcps.push(r.lcp);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await current.evaluate((flag) => localStorage.removeItem(flag), PROBE_FLAG);
    // The app registers its worker again; wait for it, so the next run clears a whole install.
    await waitForServiceWorker(current).catch(() => undefined);
  }
  await context.close();
  const s = summary(works.map((w) => w.worksAt));
  return {
    row: 2,
    figure: `signed in, caches cleared, capture form works at, ${NETWORKS.slow4g.name}, ${at}`,
    unit: 'ms',
    goal: '≤ 2500',
    ...s,
    ...(odk ? odkColumns('ODK Web Forms "Send" answered', s.median, odk.worksAt) : {}),
    meetsGoal: s.median <= 2500,
    note:
      `"Lưu" shown at ${med(works.map((w) => w.tappedAt))}, LCP ${med(lcps)} (medians)` +
      (odk ? `; ODK "Send" shown at ${Math.round(odk.tappedAt)} ms` : ''),
  };
}

/**
 * Row 3 on a logged-in page whose service worker controls it, offline and throttled: reload until
 * a tap on "Lưu" is answered. Leaves the page reloaded once more without the probe, with a clean form.
 */
export async function offlineRepeatRow(
  page: Page,
  runs: number,
  at: string,
  odk: OdkBaseline | null = null,
): Promise<BenchRow | null> {
  if (runs === 0) return null;
  await page.context().addInitScript(PROBE_JS);
  await page.evaluate((flag) => localStorage.setItem(flag, '1'), PROBE_FLAG);
  const works: WorksAt[] = [];
  const lcps: (number | null)[] = [];
  for (let i = 0; i < runs; i++) {
    await page.reload({ waitUntil: 'commit' });
    const r = await readProbe(page);
    works.push(r);
    lcps.push(r.lcp);
  }
  await page.evaluate((flag) => localStorage.removeItem(flag), PROBE_FLAG);
  await page.reload({ waitUntil: 'commit' });
  await page.getByRole('button', { name: 'Lưu', exact: true }).waitFor({ timeout: 30_000 });
  const s = summary(works.map((w) => w.worksAt));
  return {
    row: 3,
    figure: `offline repeat load, capture form works at, ${at}`,
    unit: 'ms',
    goal: '≤ 1000',
    ...s,
    // ODK Web Forms has no service worker of its own: offline there is nothing to time.
    ...(odk
      ? odk.offline === null
        ? { baselineName: 'ODK Web Forms (loads offline, not timed)', baseline: null, ratio: null }
        : { baselineName: `ODK Web Forms: n/a, ${odk.offline}`, baseline: null, ratio: null }
      : {}),
    meetsGoal: s.median <= 1000,
    note: `"Lưu" shown at ${med(works.map((w) => w.tappedAt))}, LCP ${med(lcps)} (medians)`,
  };
}
