// A paired comparison of two builds for rows 4 and 5 (docs/performance.md, "On this machine"), for
// a loaded machine where two single bench runs are not comparable: one Chromium, one server per
// build, one device per build with the same seeded records, the same CPU throttle, and each round
// measures both devices back to back (which goes first alternates): a save, the list and the
// tallies just after it, then both again with no write since. Round 1 is dropped (it loads the
// lazy chunks and mounts each screen for the first time).
//   npx tsx bench/paired.ts --base=/tmp/base-dist --new=dist [--rate=9.2] [--rounds=15] [--records=20000]
// Without --rate the throttle is calibrated to BenchmarkIndex 264 first, as the bench does.
import { launchChromium } from '../tests/e2e/support/browser.ts';
import { startServer } from '../tests/e2e/support/server.ts';
import { calibrate } from './browser/calibrate.ts';
import {
  login,
  measureSave,
  measureTab,
  newPage,
  seedDevice,
  throttle,
  usableForm,
  waitForServiceWorker,
} from './browser/rows.ts';
import { median } from './lib/stats.ts';

const args = process.argv.slice(2);
const arg = (name: string) => args.find((x) => x.startsWith(`--${name}=`))?.slice(name.length + 3);
const builds = { base: arg('base') ?? '/tmp/base-dist', new: arg('new') ?? 'dist' };
const rounds = Number(arg('rounds') ?? 15);
const records = Number(arg('records') ?? 20_000);

type Figure = 'save' | 'longest task' | 'list' | 'tallies' | 'list after a save' | 'tallies after a save';
const FIGURES: Figure[] = [
  'save',
  'longest task',
  'list after a save',
  'tallies after a save',
  'list',
  'tallies',
];

async function main(): Promise<void> {
  const browser = await launchChromium();
  const servers = await Promise.all(
    (['base', 'new'] as const).map((k) => startServer({ staticDir: builds[k] })),
  );
  try {
    let rate = Number(arg('rate') ?? 0);
    if (!rate) {
      const { context, page, cdp } = await newPage(browser);
      await page.goto('about:blank');
      const cal = await calibrate(page, cdp);
      await context.close();
      rate = cal.rate;
      console.log(
        `calibrated: BenchmarkIndex ${cal.unthrottled.toFixed(0)} at 1×, ${rate}× gives ${cal.score.toFixed(0)}`,
      );
    }
    const devices = [];
    for (const [i, server] of servers.entries()) {
      const d = await newPage(browser);
      await login(d.page, server.url);
      await waitForServiceWorker(d.page);
      await seedDevice(d.page, records);
      await d.context.setOffline(true);
      await throttle(d.cdp, rate);
      await d.page.reload({ waitUntil: 'commit' });
      await d.page.waitForFunction(usableForm, undefined, { polling: 'raf', timeout: 60_000 });
      devices.push({ name: i === 0 ? 'base' : 'new', page: d.page });
    }
    const got: Record<string, Record<Figure, number[]>> = {};
    for (const d of devices)
      got[d.name] = Object.fromEntries(FIGURES.map((f) => [f, [] as number[]])) as Record<Figure, number[]>;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? devices : [...devices].reverse();
      for (const d of order) {
        await d.page.locator('nav').getByText('Ghi nhận', { exact: true }).click();
        const save = await measureSave(d.page);
        await d.page.waitForTimeout(300);
        // Both screens once after the save (they re-read), then again with no write since (as the
        // bench's rows 5 do).
        const listAfter = await measureTab(d.page, 'Bản ghi');
        const talliesAfter = await measureTab(d.page, 'Thống kê');
        const list = await measureTab(d.page, 'Bản ghi');
        const tallies = await measureTab(d.page, 'Thống kê');
        if (round === 0) continue;
        const g = got[d.name]!;
        g.save.push(save.ms);
        g['longest task'].push(save.longest);
        g['list after a save'].push(listAfter);
        g['tallies after a save'].push(talliesAfter);
        g.list.push(list);
        g.tallies.push(tallies);
      }
    }
    console.log(`\nthrottle ${rate}×, ${records} records, ${rounds - 1} rounds counted`);
    console.log('| figure | base median | new median | median paired difference | new faster in |');
    console.log('|---|---:|---:|---:|---:|');
    for (const f of FIGURES) {
      const b = got.base![f];
      const n = got.new![f];
      const diffs = n.map((x, i) => x - b[i]!);
      const faster = diffs.filter((x) => x < 0).length;
      console.log(
        `| ${f} | ${median(b).toFixed(0)} | ${median(n).toFixed(0)} | ${median(diffs).toFixed(0)} | ${faster} / ${diffs.length} |`,
      );
    }
    console.log(`\nraw: ${JSON.stringify(got)}`);
  } finally {
    await browser.close();
    await Promise.all(servers.map((s) => s.stop()));
  }
}

await main();
