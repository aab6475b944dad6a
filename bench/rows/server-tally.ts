// Row 9: server tally over N records on SQLite through the store (the covering index), beside
// the full-scan baseline (json_extract over every row, no index), and the answer's gzip size.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { seedDemo, DEMO_COMMUNE, DEMO_HAMLETS } from '../../src/server/demo.ts';
import { bulkInsertRecords } from '../../src/server/reporting/seed-bulk.ts';
import { syntheticRecords } from '../../src/server/reporting/synthetic.ts';
import { openStore } from '../../src/server/store/open.ts';
import type { TallyInput } from '../../src/server/store/store.ts';
import { summary } from '../lib/stats.ts';
import type { BenchRow } from '../lib/table.ts';

const VOLUNTEERS = Array.from({ length: 20 }, (_, i) => ({
  id: `bench-v${i + 1}`,
  teamId: i % 2 ? 'team-2' : 'team-1',
}));

export async function serverTally(opts: { records: number; runs: number }): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sotay-bench-tally-'));
  const store = openStore({ dataDir: dir });
  try {
    await store.migrate();
    await seedDemo(store);
    await bulkInsertRecords(
      store,
      syntheticRecords(opts.records, {
        communeCode: DEMO_COMMUNE.code,
        hamletIds: DEMO_HAMLETS.map((h) => h.id),
        volunteers: VOLUNTEERS,
        from: '2026-01-01',
        days: 365,
        seed: 11,
      }),
    );
    const scope = { kind: 'commune' as const, communeCode: DEMO_COMMUNE.code };
    const queries: { name: string; q: TallyInput; sql: string }[] = [
      {
        name: 'a quarter by hamlet',
        q: {
          scope,
          communeCode: DEMO_COMMUNE.code,
          from: '2026-10-01',
          to: '2026-12-31',
          groupBy: ['hamlet'],
        },
        sql: "json_extract(data,'$.hamletId')",
      },
      {
        name: 'the year by hamlet × category',
        q: {
          scope,
          communeCode: DEMO_COMMUNE.code,
          from: '2026-01-01',
          to: '2026-12-31',
          groupBy: ['hamlet', 'category'],
        },
        sql: "json_extract(data,'$.hamletId'), json_extract(data,'$.category')",
      },
    ];
    const raw = new Database(join(dir, 'sotay.sqlite'), { readonly: true });
    const rows: BenchRow[] = [];
    try {
      for (const { name, q, sql } of queries) {
        const times: number[] = [];
        let answerGz = 0;
        for (let i = 0; i < opts.runs; i++) {
          const t0 = performance.now();
          const answer = await store.tally(q);
          times.push(performance.now() - t0);
          answerGz = gzipSync(JSON.stringify(answer)).length;
        }
        const scan = raw.prepare(
          `SELECT ${sql}, count(*), count(DISTINCT json_extract(data,'$.citizenKey')) FROM records
           WHERE deleted = 0 AND json_extract(data,'$.occurredOn') BETWEEN ? AND ? GROUP BY ${sql}`,
        );
        const t0 = performance.now();
        scan.all(q.from, q.to);
        const baseline = performance.now() - t0;
        const s = summary(times);
        rows.push({
          row: 9,
          figure: `server tally, SQLite, ${opts.records.toLocaleString('en-US')} records, ${name}`,
          unit: 'ms',
          goal: '≤ 100, answer ≤ 20 KB gz',
          ...s,
          baselineName: 'full scan',
          baseline,
          ratio: s.median / baseline,
          meetsGoal: s.median <= 100 && answerGz <= 20 * 1024,
          note: `answer ${(answerGz / 1024).toFixed(1)} KB gz`,
        });
      }
    } finally {
      raw.close();
    }
    return rows;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
