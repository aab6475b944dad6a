// `npm run bench`: every budget row of performance.md that can be measured today, one table,
// saved as JSON. `--smoke` runs each row once on small data (CI runs it so the bench never rots;
// CI fails only on byte budgets or a crash, never on a timing).
import { existsSync } from 'node:fs';
import { measureBudgets } from './budget.ts';
import { runBrowserRows } from './browser/rows.ts';
import { launchChromium } from '../tests/e2e/support/browser.ts';
import { startServer } from '../tests/e2e/support/server.ts';
import { printTable, saveJson, type BenchRow } from './lib/table.ts';
import { handoffBundle } from './rows/handoff-bundle.ts';
import { serverIngest } from './rows/server-ingest.ts';
import { serverTally } from './rows/server-tally.ts';
import { wireBytes } from './rows/wire-bytes.ts';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const arg = (name: string, dflt: number) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split('=')[1]) : dflt;
};

async function main(): Promise<void> {
  const started = Date.now();
  const rows: BenchRow[] = [];
  const meta: Record<string, unknown> = {};
  if (!existsSync('dist/.vite/manifest.json')) throw new Error('Run "npm run build" first.');

  for (const b of measureBudgets('dist')) {
    rows.push({
      row: 1,
      figure: b.figure,
      unit: 'KB gz',
      goal: `≤ ${b.limitGz / 1024}`,
      median: b.bytesGz / 1024,
      min: b.bytesGz / 1024,
      max: b.bytesGz / 1024,
      runs: 1,
      meetsGoal: b.bytesGz <= b.limitGz,
    });
  }

  rows.push(wireBytes(smoke ? 1 : 10));

  const records = arg('records', smoke ? 2_000 : 100_000);
  const runs = smoke ? 1 : arg('runs', 5);
  rows.push(...(await serverIngest({ records, concurrency: 4, runs, label: 'SQLite', gzip: false })));

  rows.push(...(await serverTally({ records: arg('tally-records', smoke ? 20_000 : 500_000), runs })));

  rows.push(...(await handoffBundle({ records: arg('handoff-records', smoke ? 200 : 5_000), runs })));

  if (!args.includes('--no-browser')) {
    const server = await startServer({ staticDir: 'dist' });
    const browser = await launchChromium();
    try {
      const { calibration, rows: browserRows } = await runBrowserRows({
        browser,
        url: server.url,
        runs: smoke ? 1 : arg('runs', 5),
        deviceRecords: arg('device-records', smoke ? 2_000 : 20_000),
        syncRecords: arg('sync-records', smoke ? 200 : 1_000),
      });
      console.log(
        `CPU calibration: BenchmarkIndex ${calibration.unthrottled.toFixed(0)} at 1×; ` +
          `throttle ${calibration.rate}× gives ${calibration.score.toFixed(0)} (target 264, the DevTools low-end phone)`,
      );
      meta.calibration = calibration;
      rows.push(...browserRows);
    } finally {
      await browser.close();
      await server.stop();
    }
  }

  printTable(rows);
  const file = smoke ? 'bench-results/smoke.json' : 'bench-results/latest.json';
  saveJson(
    file,
    { at: new Date().toISOString(), smoke, seconds: (Date.now() - started) / 1000, ...meta },
    rows,
  );
  console.log(`\nSaved ${file} (${((Date.now() - started) / 1000).toFixed(0)} s).`);
  const budgetsOk = rows.filter((r) => r.row === 1).every((r) => r.meetsGoal);
  if (!budgetsOk) process.exit(1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
