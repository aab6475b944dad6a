// Paired offline repeat loads of two builds (docs/performance.md, "On this machine"): one Chromium,
// one server and one signed-in device per build, the same fixed CPU throttle, and each round reloads
// both offline (which goes first alternates) until a tap on "Lưu" is answered, as row 3 times it.
// `--profile` also prints, per build, the page's script self time by function from a CDP CPU profile
// of one reload (the first round's), so the start-up work before the first tap can be read.
//   npx tsx bench/boot-paired.ts --base=/tmp/base-dist --new=dist --rate=8 [--rounds=8] [--records=20000] [--profile]
import type { CDPSession } from 'playwright-core';
import { launchChromium } from '../tests/e2e/support/browser.ts';
import { startServer } from '../tests/e2e/support/server.ts';
import { PROBE_FLAG, PROBE_JS } from './browser/load-rows.ts';
import { login, newPage, seedDevice, throttle, waitForServiceWorker } from './browser/rows.ts';
import { median } from './lib/stats.ts';

const args = process.argv.slice(2);
const arg = (name: string) => args.find((x) => x.startsWith(`--${name}=`))?.slice(name.length + 3);
const builds = { base: arg('base') ?? '/tmp/base-dist', new: arg('new') ?? 'dist' };
const rounds = Number(arg('rounds') ?? 8);
const records = Number(arg('records') ?? 20_000);
const rate = Number(arg('rate') ?? 8);
const profile = args.includes('--profile');
const tracing = args.includes('--trace');

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
  pid: number;
  args?: { data?: { documentLoaderURL?: string } };
}

/**
 * The renderer main thread's work from a Chromium trace, by event name (children of each top-level
 * task), in the windows [0, shown] and [shown, works] from navigation start (ms).
 */
function traceWindows(events: TraceEvent[], shown: number, works: number): string[] {
  const nav = events
    .filter((e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.startsWith('http'))
    .at(-1);
  if (!nav) return ['  (no navigationStart in the trace)'];
  const t0 = nav.ts;
  const on = events.filter((e) => e.pid === nav.pid && e.tid === nav.tid && e.ph === 'X' && e.dur);
  const tasks = on.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  if (process.env.BOOT_TRACE_NAMES) console.log([...new Set(on.map((e) => e.name))].slice(0, 40).join(', '));
  const out: string[] = [];
  for (const [label, from, to] of [
    ['navigation → shown', 0, shown],
    ['shown → works', shown, works],
  ] as const) {
    const inWindow = (e: TraceEvent) => (e.ts - t0) / 1000 >= from && (e.ts - t0) / 1000 < to;
    const busy = tasks.filter(inWindow).reduce((n, e) => n + e.dur! / 1000, 0);
    const by = new Map<string, number>();
    // Direct children of the window's tasks: what each task spent its time on.
    for (const task of tasks.filter(inWindow)) {
      const end = task.ts + task.dur!;
      const kids = on.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= end);
      const direct = kids.filter(
        (k) =>
          !kids.some((p) => p !== k && p.ts <= k.ts && p.ts + p.dur! >= k.ts + k.dur! && p.dur! > k.dur!),
      );
      for (const k of direct) by.set(k.name, (by.get(k.name) ?? 0) + k.dur! / 1000);
    }
    const longest = tasks
      .filter(inWindow)
      .sort((a, b) => b.dur! - a.dur!)
      .slice(0, 5)
      .map((e) => `${((e.ts - t0) / 1000).toFixed(0)}+${(e.dur! / 1000).toFixed(0)}`);
    out.push(
      `  ${label} (${from.toFixed(0)}–${to.toFixed(0)} ms): main thread busy ${busy.toFixed(0)} ms; longest tasks at+ms ${longest.join(', ')}`,
    );
    for (const [name, ms] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 10))
      out.push(`    ${ms.toFixed(1).padStart(7)} ms  ${name}`);
  }
  return out;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

/** Self time (ms) by function of a CDP CPU profile, largest first. */
function selfTimes(p: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }): [string, number][] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const total = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const file = f.url.split('/').pop() ?? '';
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    total.set(key, (total.get(key) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  });
  return [...total].sort((a, b) => b[1] - a[1]);
}

async function main(): Promise<void> {
  const browser = await launchChromium();
  const servers = await Promise.all(
    (['base', 'new'] as const).map((k) => startServer({ staticDir: builds[k] })),
  );
  try {
    const devices: { name: string; page: import('playwright-core').Page; cdp: CDPSession }[] = [];
    for (const [i, server] of servers.entries()) {
      const d = await newPage(browser);
      await login(d.page, server.url);
      await waitForServiceWorker(d.page);
      await seedDevice(d.page, records);
      await d.context.setOffline(true);
      await throttle(d.cdp, rate);
      await d.context.addInitScript(PROBE_JS);
      await d.page.evaluate((flag) => localStorage.setItem(flag, '1'), PROBE_FLAG);
      devices.push({ name: i === 0 ? 'base' : 'new', page: d.page, cdp: d.cdp });
    }
    const got: Record<string, { shown: number[]; works: number[]; gap: number[] }> = {};
    for (const d of devices) got[d.name] = { shown: [], works: [], gap: [] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? devices : [...devices].reverse();
      for (const d of order) {
        const profiling = profile && round === 1;
        if (profiling) {
          await d.cdp.send('Profiler.enable');
          await d.cdp.send('Profiler.setSamplingInterval', { interval: 500 });
          await d.cdp.send('Profiler.start');
        }
        const traced = tracing && round === 1;
        if (traced)
          await browser.startTracing(d.page, {
            categories: ['toplevel', 'devtools.timeline', 'v8.execute', 'blink.user_timing', '__metadata'],
          });
        await d.page.reload({ waitUntil: 'commit' });
        await d.page.waitForFunction(() => '__worksAt' in window, undefined, { timeout: 60_000 });
        const w = (await d.page.evaluate('window.__worksAt')) as { tappedAt: number; worksAt: number };
        if (traced) {
          const buffer = await browser.stopTracing();
          const { traceEvents } = JSON.parse(buffer.toString()) as { traceEvents: TraceEvent[] };
          console.log(`\n${d.name}: shown ${w.tappedAt.toFixed(0)} ms, works ${w.worksAt.toFixed(0)} ms`);
          for (const line of traceWindows(traceEvents, w.tappedAt, w.worksAt)) console.log(line);
        }
        if (profiling) {
          const { profile: p } = await d.cdp.send('Profiler.stop');
          const top = selfTimes(p as never).slice(0, 25);
          console.log(
            `\n${d.name}: shown ${w.tappedAt.toFixed(0)} ms, works ${w.worksAt.toFixed(0)} ms; self time:`,
          );
          for (const [k, ms] of top) console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${k}`);
        }
        // Round 0 warms the service worker's and V8's caches of both builds alike.
        if (round === 0) continue;
        got[d.name]!.shown.push(w.tappedAt);
        got[d.name]!.works.push(w.worksAt);
        got[d.name]!.gap.push(w.worksAt - w.tappedAt);
      }
    }
    console.log(`\nthrottle ${rate}×, ${records} records, ${rounds - 1} rounds counted, offline repeat load`);
    console.log('| figure | base median | new median | median paired difference | new faster in |');
    console.log('|---|---:|---:|---:|---:|');
    const label = { shown: '"Lưu" shown at', works: '"Lưu" works at', gap: 'shown → works' };
    for (const f of ['shown', 'works', 'gap'] as const) {
      const b = got.base![f];
      const n = got.new![f];
      const diffs = n.map((x, i) => x - b[i]!);
      console.log(
        `| ${label[f]} | ${median(b).toFixed(0)} | ${median(n).toFixed(0)} | ${median(diffs).toFixed(0)} | ${diffs.filter((x) => x < 0).length} / ${diffs.length} |`,
      );
    }
    console.log(`\nraw: ${JSON.stringify(got)}`);
  } finally {
    await browser.close();
    await Promise.all(servers.map((s) => s.stop()));
  }
}

await main();
