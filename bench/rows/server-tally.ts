// Row 9: server tally over N records, SQLite and PostgreSQL, through the store (counts and distinct
// citizens from the citizen cells, for these commune-wide queries), beside the full-scan
// baseline (the JSON `data` of every live record in the period, no tally column, no index), and
// the answer's gzip size. The note gives the first tally (building the cells), the counts alone from
// the aggregates and the query the store ran before the aggregates (one pass over the covering index).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { seedDemo, DEMO_COMMUNE, DEMO_HAMLETS } from '../../src/server/demo.ts';
import { tallyCountsSql, tallyGroupsSql } from '../../src/server/store/tallies/sql.ts';
import { bulkInsertRecords } from '../../src/server/reporting/seed-bulk.ts';
import { syntheticRecords } from '../../src/server/reporting/synthetic.ts';
import { openStore, SQLITE_FILE_NAME } from '../../src/server/store/open.ts';
import type { TallyInput } from '../../src/server/store/store.ts';
import { createBenchDatabase } from '../lib/pg.ts';
import { summary } from '../lib/stats.ts';
import type { BenchRow } from '../lib/table.ts';

const VOLUNTEERS = Array.from({ length: 20 }, (_, i) => ({
  id: `bench-v${i + 1}`,
  teamId: i % 2 ? 'team-2' : 'team-1',
}));

type Kind = 'sqlite' | 'postgres';

/** Raw SQL on the same database, outside the store. */
interface Raw {
  time(sql: string, params: unknown[]): Promise<number>;
  close(): Promise<void>;
}

async function timed(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function serverTally(opts: { records: number; runs: number; kind: Kind }): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sotay-bench-tally-'));
  const pgDb = opts.kind === 'postgres' ? await createBenchDatabase('tally') : null;
  const store = openStore({ dataDir: dir, databaseUrl: pgDb?.url });
  let raw: Raw | null = null;
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
    if (pgDb) {
      const c = new pg.Client({ connectionString: pgDb.url });
      await c.connect();
      // Index-only scans need the visibility map; autovacuum would get there after a bulk load.
      await c.query('VACUUM ANALYZE');
      raw = { time: (sql, params) => timed(() => c.query(sql, params)), close: () => c.end() };
    } else {
      const db = new Database(join(dir, SQLITE_FILE_NAME), { readonly: true });
      raw = {
        time: (sql, params) => timed(() => db.prepare(sql).all(...params)),
        close: async () => void db.close(),
      };
    }
    const scope = { kind: 'commune' as const, communeCode: DEMO_COMMUNE.code };
    const json = (f: string) =>
      opts.kind === 'sqlite' ? `json_extract(data, '$.${f}')` : `(data ->> '${f}')`;
    const queries: { name: string; q: TallyInput; keys: string }[] = [
      {
        name: 'a quarter by hamlet',
        q: {
          scope,
          communeCode: DEMO_COMMUNE.code,
          from: '2026-10-01',
          to: '2026-12-31',
          groupBy: ['hamlet'],
        },
        keys: json('hamletId'),
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
        keys: `${json('hamletId')}, ${json('category')}`,
      },
    ];
    const label = opts.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const rows: BenchRow[] = [];
    for (const { name, q, keys } of queries) {
      const times: number[] = [];
      const countTimes: number[] = [];
      const indexTimes: number[] = [];
      let answerGz = 0;
      // The first tally after the bulk load builds the citizen cells of every day in its period
      // (migration 20261128-10); the timed runs then read them, as a dashboard does between writes.
      const t0 = performance.now();
      await store.tally(q);
      const firstMs = performance.now() - t0;
      const counts = tallyCountsSql(q, q.groupBy, opts.kind);
      // Before the aggregates: count and citizens in one pass over the covering index.
      const before = tallyGroupsSql(q, q.groupBy, opts.kind);
      for (let i = 0; i < opts.runs; i++) {
        const t0 = performance.now();
        const answer = await store.tally(q);
        times.push(performance.now() - t0);
        answerGz = gzipSync(JSON.stringify(answer)).length;
        countTimes.push(await raw.time(counts.sql, counts.params));
        indexTimes.push(await raw.time(before.sql, before.params));
      }
      const live = opts.kind === 'sqlite' ? 'deleted = 0' : 'NOT deleted';
      const p = opts.kind === 'sqlite' ? ['?', '?'] : ['$1', '$2'];
      const baseline = await raw.time(
        `SELECT ${keys}, count(*), count(DISTINCT ${json('citizenKey')}) FROM records
         WHERE ${live} AND ${json('occurredOn')} BETWEEN ${p[0]} AND ${p[1]} GROUP BY ${keys}`,
        [q.from, q.to],
      );
      const s = summary(times);
      rows.push({
        row: 9,
        figure: `server tally, ${label}, ${opts.records.toLocaleString('en-US')} records, ${name}`,
        unit: 'ms',
        goal: '≤ 100, answer ≤ 20 KB gz',
        ...s,
        baselineName: 'full scan',
        baseline,
        ratio: s.median / baseline,
        meetsGoal: s.median <= 100 && answerGz <= 20 * 1024,
        note:
          `answer ${(answerGz / 1024).toFixed(1)} KB gz; the store reads counts and citizens from the ` +
          `citizen cells; first tally after the bulk load (building the cells) ${firstMs.toFixed(0)} ms; ` +
          `counts alone from the daily aggregates (other tallies' path) ${summary(countTimes).median.toFixed(0)} ms; ` +
          `covering index alone (before the aggregates) ${summary(indexTimes).median.toFixed(0)} ms`,
      });
    }
    return rows;
  } finally {
    await raw?.close();
    await store.close();
    await pgDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
