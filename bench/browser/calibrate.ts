// Finds the CDP CPU throttling rate that makes this machine score like the DevTools low-end phone
// (Lighthouse BenchmarkIndex ≈ 264, performance.md). The in-page benchmark follows Lighthouse's
// `computeBenchmarkIndex` (Apache-2.0): a string-building loop (GC) and an array-copy loop (no GC).
import type { CDPSession, Page } from 'playwright-core';

export const TARGET_INDEX = 264;

/** Runs in the page; kept as source text so no bundler helper (e.g. `__name`) leaks into it. */
const BENCHMARK_INDEX_JS = `(() => {
  function withGc() {
    const start = Date.now();
    let iterations = 0;
    while (Date.now() - start < 500) {
      let s = '';
      for (let j = 0; j < 10000; j++) s += 'a';
      if (s.length === 1) throw new Error('prevents compiler optimizations');
      iterations++;
    }
    return Math.round(iterations / 10 / ((Date.now() - start) / 1000));
  }
  function withoutGc() {
    const a = [];
    const b = [];
    for (let i = 0; i < 100000; i++) a[i] = b[i] = i;
    const start = Date.now();
    let iterations = 0;
    while (iterations % 10 !== 0 || Date.now() - start < 500) {
      const src = iterations % 2 === 0 ? a : b;
      const dst = iterations % 2 === 0 ? b : a;
      for (let j = 0; j < src.length; j++) dst[j] = src[j];
      iterations++;
    }
    return Math.round(iterations / 10 / ((Date.now() - start) / 1000));
  }
  return (withGc() + withoutGc()) / 2;
})()`;

export async function benchmarkIndex(page: Page, cdp: CDPSession, rate: number): Promise<number> {
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  const score = (await page.evaluate(BENCHMARK_INDEX_JS)) as number;
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  return score;
}

export interface Calibration {
  unthrottled: number;
  rate: number;
  score: number;
  /** The score is within ±10 % of TARGET_INDEX (the budgets' "calibrated phone"). */
  onTarget: boolean;
}

/** How far the throttled score may be from TARGET_INDEX for the phone to count as calibrated. */
export const TOLERANCE = 0.1;
const onTarget = (score: number) => Math.abs(score - TARGET_INDEX) <= TARGET_INDEX * TOLERANCE;

/**
 * Measures at 1× (the best of two: the first run in a fresh page is often far slower, before the
 * JIT has warmed up, which once gave 1,100 against 2,500 and a throttle half what it should be),
 * estimates the rate (score scales ~1/rate), then checks and corrects: twice, and more while the
 * score is outside ±10 % of the target. `onTarget` says whether it got there.
 */
export async function calibrate(page: Page, cdp: CDPSession): Promise<Calibration> {
  const unthrottled = Math.max(await benchmarkIndex(page, cdp, 1), await benchmarkIndex(page, cdp, 1));
  // BENCH_CPU_RATE=<n> fixes the throttle, so paired runs of two builds share it on a busy machine.
  const fixed = Number(process.env.BENCH_CPU_RATE);
  if (fixed > 0) {
    const score = await benchmarkIndex(page, cdp, fixed);
    return { unthrottled, rate: fixed, score, onTarget: onTarget(score) };
  }
  let rate = Math.max(1, unthrottled / TARGET_INDEX);
  let score = await benchmarkIndex(page, cdp, rate);
  // Two corrections, then up to three more while the score is still off target (a busy machine).
  for (let i = 0; i < 5 && (i < 2 || !onTarget(score)); i++) {
    rate = Math.max(1, rate * (score / TARGET_INDEX));
    score = await benchmarkIndex(page, cdp, Math.round(rate * 10) / 10);
  }
  return { unthrottled, rate: Math.round(rate * 10) / 10, score, onTarget: onTarget(score) };
}
