// Row 7: sync of N pending records at 400 kbps / 300 ms RTT on the calibrated phone, with an
// optional trace (BENCH_SYNC_TRACE=1) and CPU profile (BENCH_SYNC_PROFILE=1) of each run.
import { makeRecords } from '../lib/data.ts';
import { summary } from '../lib/stats.ts';
import type { BenchRow } from '../lib/table.ts';
import {
  login,
  NETWORKS,
  newPage,
  seedDevice,
  throttle,
  waitForServiceWorker,
  type BrowserBenchOptions,
} from './rows.ts';

/**
 * Sync `n` pending records at 400 kbps / 300 ms RTT, from going online until the status says
 * "đã đồng bộ" with nothing pending.
 */
export async function syncRow(
  opts: BrowserBenchOptions,
  rate: number,
  at: string,
  n: number,
  goal: number,
): Promise<BenchRow> {
  const { browser, url, runs } = opts;
  const syncs: number[] = [];
  const wire: number[] = [];
  const jsonBytes = Buffer.byteLength(JSON.stringify(makeRecords(n, 99)));
  const plainSeconds = jsonBytes / NETWORKS.sync400.up;
  for (let i = 0; i < runs; i++) {
    const dev = await newPage(browser);
    await login(dev.page, url);
    await waitForServiceWorker(dev.page);
    const status = dev.page.locator('[data-testid=sync-status]');
    await status.getByText('đã đồng bộ').waitFor({ timeout: 20_000 });
    await dev.context.setOffline(true);
    // New records every run: the same ids again would be answered as resends, with nothing written.
    await seedDevice(dev.page, n, true, 99 + i);
    // The seed bypassed Dexie, so the app learns of the rows by reading them afresh (offline reload).
    await dev.page.reload();
    await dev.page.locator(`[data-testid=sync-status][data-pending="${n}"]`).waitFor({ timeout: 30_000 });
    // Still offline: emulating the network with `offline: false` here would put the page online
    // (an 'online' event, a run started) before the clock starts. The run in progress when the page
    // showed its pending records (the reload's own, failing offline) ends first.
    await throttle(dev.cdp, rate, NETWORKS.sync400, true);
    await status.and(dev.page.locator('[data-syncing="false"]')).waitFor({ timeout: 30_000 });
    let bytes = 0;
    dev.page.on('request', (req) => {
      if (req.url().includes('/api/v1/sync/')) bytes += req.postDataBuffer()?.length ?? 0;
    });
    const t0 = Date.now();
    // BENCH_SYNC_TRACE=1: when each API request of the run started and ended (ms after going online).
    const trace = process.env.BENCH_SYNC_TRACE === '1' ? new Map<unknown, string>() : null;
    if (trace) {
      const name = (req: { url(): string }) => new URL(req.url()).pathname.replace('/api/v1/', '');
      dev.page.on('request', (req) => {
        if (req.url().includes('/api/')) trace.set(req, `${name(req)} ${Date.now() - t0}`);
      });
      dev.page.on('requestfinished', (req) => {
        const start = trace.get(req);
        if (!start) return;
        const end = Date.now() - t0;
        void req
          .sizes()
          .then((s) =>
            console.log(
              `  run ${i + 1}: ${start}–${end} ms, ${s.requestBodySize} B up, ${s.responseBodySize} B down`,
            ),
          );
      });
    }
    if (trace) await dev.page.evaluate('performance.clearMarks(); performance.mark("sync:t0")');
    // BENCH_SYNC_PROFILE=1: the page's JavaScript self time by function over the run (CDP sampling).
    const profile = process.env.BENCH_SYNC_PROFILE === '1';
    if (profile) {
      await dev.cdp.send('Profiler.enable');
      await dev.cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await dev.cdp.send('Profiler.start');
    }
    await dev.context.setOffline(false);
    await throttle(dev.cdp, rate, NETWORKS.sync400);
    await dev.page.evaluate(() => window.dispatchEvent(new Event('online')));
    await dev.page
      .locator('[data-testid=sync-status][data-pending="0"][data-syncing="false"]')
      .waitFor({ timeout: 180_000 });
    syncs.push(Date.now() - t0);
    if (profile) {
      const { profile: p } = (await dev.cdp.send('Profiler.stop')) as unknown as {
        profile: {
          nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
          samples: number[];
          timeDeltas: number[];
        };
      };
      const byId = new Map(p.nodes.map((n) => [n.id, n]));
      const self = new Map<string, number>();
      p.samples.forEach((id, k) => {
        const f = byId.get(id)!.callFrame;
        const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
        self.set(key, (self.get(key) ?? 0) + (p.timeDeltas[k] ?? 0) / 1000);
      });
      const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 30);
      for (const [k, ms] of top) console.log(`    ${ms.toFixed(0).padStart(6)} ms  ${k}`);
    }
    if (trace) console.log(`  run ${i + 1}: status "synced" at ${syncs.at(-1)} ms`);
    if (trace) {
      // The engine's User Timing marks (sync:push, sync:answer, sync:prepared, sync:applied …).
      const marks = (await dev.page.evaluate(
        `performance.getEntriesByType('mark').filter((m) => m.name.startsWith('sync:')).map((m) => [m.name, m.startTime])`,
      )) as [string, number][];
      const base = marks.find(([n]) => n === 'sync:t0')?.[1] ?? 0;
      console.log(
        `  run ${i + 1} marks: ` + marks.map(([n, t]) => `${n.slice(5)} ${(t - base).toFixed(0)}`).join(', '),
      );
    }
    wire.push(bytes);
    await dev.context.close();
  }
  const r7 = summary(syncs);
  return {
    row: 7,
    figure: `sync ${n.toLocaleString('en-US')} pending records, ${NETWORKS.sync400.name}, ${at}`,
    unit: 'ms',
    goal: `≤ ${goal}`,
    ...r7,
    baselineName: 'records as plain JSON at 50 KB/s',
    baseline: plainSeconds * 1000,
    ratio: r7.median / (plainSeconds * 1000),
    meetsGoal: r7.median <= goal,
    note: `request bodies ${Math.round(summary(wire).median / 1024)} KB vs ${Math.round(jsonBytes / 1024)} KB JSON`,
  };
}
