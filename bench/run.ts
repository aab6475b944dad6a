// `npm run bench`: every budget row of performance.md that can be measured today, one table,
// saved as JSON. `--smoke` runs each row once on small data (CI runs it so the bench never rots;
// CI fails only on byte budgets or a crash, never on a timing).
import { existsSync } from 'node:fs';
import { measureBudgets } from './budget.ts';
import { runBrowserRows } from './browser/rows.ts';
import { launchChromium } from '../tests/e2e/support/browser.ts';
import { startServer } from '../tests/e2e/support/server.ts';
import { startOdkServer, type OdkServer } from './odk/serve.ts';
import { CITIZEN_SHARE } from './lib/data.ts';
import { postgresReachable } from './lib/pg.ts';
import { printTable, saveJson, type BenchRow } from './lib/table.ts';
import { handoffBundle } from './rows/handoff-bundle.ts';
import { provinceRow } from './rows/province.ts';
import { serverIngest } from './rows/server-ingest.ts';
import { servedBytes } from './rows/served-bytes.ts';
import { serverTally } from './rows/server-tally.ts';
import { wireBytes } from './rows/wire-bytes.ts';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
// `--only=<substring>[,<substring>…]`: run only the row groups whose name contains one of them
// (byte budgets always run), e.g. `--only=tallies,list`; names: bytes sent, bytes per synced record, server ingest, server
// tally, province, cold load, offline repeat load, save one record, records list, on-device tallies, sync.
const only = args.find((x) => x.startsWith('--only='))?.slice('--only='.length);
const want = (name: string) => only === undefined || only.split(',').some((part) => name.includes(part));
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

  // The bytes the server really sends (Brotli/gzip copies), beside the gzip -9 budget figures.
  if (want('bytes sent')) rows.push(...(await servedBytes('dist')));
  if (want('bytes per synced record')) rows.push(wireBytes(smoke ? 1 : 10));

  const records = arg('records', smoke ? 2_000 : 1_000_000);
  const runs = smoke ? 1 : arg('runs', 5);
  // 1M records per ingest run take minutes on two cores: one run unless asked for more.
  const ingestRuns = smoke ? 1 : arg('ingest-runs', 1);
  const tallyRecords = arg('tally-records', smoke ? 20_000 : 500_000);
  const withPostgres = !args.includes('--no-postgres') && (await postgresReachable());
  if (!args.includes('--no-server')) {
    // `--citizen-share=0` times ingest without sealed ID numbers (the cost of opening seals, paired).
    const citizenShare = arg('citizen-share', CITIZEN_SHARE);
    const ingest = { records, concurrency: 8, runs: ingestRuns, gzip: false, citizenShare };
    if (want('server ingest')) {
      rows.push(...(await serverIngest({ ...ingest, label: 'SQLite' })));
      if (withPostgres)
        rows.push(...(await serverIngest({ ...ingest, label: 'PostgreSQL', postgres: true })));
    }
    if (want('server tally')) {
      rows.push(...(await serverTally({ records: tallyRecords, runs, kind: 'sqlite' })));
      if (withPostgres) rows.push(...(await serverTally({ records: tallyRecords, runs, kind: 'postgres' })));
    }
    // A province on one PostgreSQL: 100 communes × 50,000 (5M) by default; `--communes=`,
    // `--per-commune=`, `--phones=`, `--calls=`, `--phone-interval=` (ms), `--pool-max=` size it.
    if (want('province') && withPostgres)
      rows.push(
        ...(await provinceRow({
          communes: arg('communes', smoke ? 5 : 100),
          perCommune: arg('per-commune', smoke ? 2_000 : 50_000),
          phones: arg('phones', smoke ? 20 : 100),
          calls: arg('calls', smoke ? 5 : 20),
          phoneIntervalMs: arg('phone-interval', 10_000),
          pushSize: arg('push-size', 10),
          ...(args.some((x) => x.startsWith('--pool-max=')) ? { poolMax: arg('pool-max', 10) } : {}),
        })),
      );
    if (!withPostgres)
      console.log('PostgreSQL not reachable (BENCH_DATABASE_URL): its server rows are left out.');
  }

  if (want('hand-off')) {
    rows.push(...(await handoffBundle({ records: arg('handoff-records', smoke ? 200 : 5_000), runs })));
  }

  const browserGroups = [
    'cold load',
    'offline repeat load',
    'save one record',
    'records list',
    'on-device tallies',
    'sync',
  ];
  if (!args.includes('--no-browser') && browserGroups.some(want)) {
    // BENCH_DIST: another build's directory (paired runs of two builds without rebuilding).
    const server = await startServer({ staticDir: process.env.BENCH_DIST ?? 'dist' });
    // The load rows' baseline, ODK Web Forms (bench/odk), served as the app is; built when missing,
    // afresh with `--odk-rebuild`; `--no-odk` leaves it out.
    const odk: OdkServer | null =
      !args.includes('--no-odk') && ['cold load', 'offline repeat load'].some(want)
        ? await startOdkServer(undefined, args.includes('--odk-rebuild'))
        : null;
    const browser = await launchChromium();
    try {
      const { calibration, rows: browserRows } = await runBrowserRows({
        browser,
        url: server.url,
        runs: smoke ? 1 : arg('runs', 5),
        deviceRecords: arg('device-records', smoke ? 2_000 : 20_000),
        syncRecords: arg('sync-records', smoke ? 200 : 1_000),
        syncBacklog: arg('sync-backlog', smoke ? 0 : 5_000),
        want,
        ...(odk ? { odkUrl: odk.url } : {}),
      });
      console.log(
        `CPU calibration: BenchmarkIndex ${calibration.unthrottled.toFixed(0)} at 1×; ` +
          `throttle ${calibration.rate}× gives ${calibration.score.toFixed(0)} (target 264 ± 10 %, the DevTools low-end phone)` +
          (calibration.onTarget ? '' : ' — OFF TARGET: the CPU rows are not at the calibrated phone'),
      );
      meta.calibration = calibration;
      rows.push(...browserRows);
    } finally {
      await browser.close();
      await server.stop();
      await odk?.stop();
    }
  }

  printTable(rows);
  const file = smoke
    ? 'bench-results/smoke.json'
    : only === undefined
      ? 'bench-results/latest.json'
      : 'bench-results/only.json';
  saveJson(
    file,
    { at: new Date().toISOString(), smoke, only, seconds: (Date.now() - started) / 1000, ...meta },
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
