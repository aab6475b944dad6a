// Rows 8 and 10: server ingest (validate + store) through real HTTP from a bounded loader on
// 127.0.0.1, with the server's RSS sampled; baseline: raw better-sqlite3 inserts of the same rows.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { v7 } from 'uuid';
import { SCHEMA_VERSION, type LogRecord } from '../../src/shared/index.ts';
import { apiLogin, startServer } from '../../tests/e2e/support/server.ts';
import { makeRecords } from '../lib/data.ts';
import { percentile, summary } from '../lib/stats.ts';
import type { BenchRow } from '../lib/table.ts';

export interface IngestOptions {
  records: number;
  concurrency: number;
  runs: number;
  /** Extra env for the server (DATABASE_URL for PostgreSQL). */
  env?: Record<string, string>;
  label: string;
  gzip: boolean;
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Raw better-sqlite3: the same rows, 100 per transaction, WAL + synchronous=FULL like the server. */
function rawSqliteBaseline(records: LogRecord[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'sotay-bench-raw-'));
  const db = new Database(join(dir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE records (id TEXT PRIMARY KEY, version INTEGER NOT NULL, data TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO records (id, version, data) VALUES (?, ?, ?)');
  const batch = db.transaction((rows: LogRecord[], base: number) => {
    rows.forEach((r, i) => insert.run(r.id, base + i, JSON.stringify(r)));
  });
  const t0 = performance.now();
  for (let i = 0; i < records.length; i += 100) batch(records.slice(i, i + 100), i);
  const secs = (performance.now() - t0) / 1000;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return records.length / secs;
}

async function oneRun(opts: IngestOptions, seed: number) {
  const server = await startServer({ staticDir: 'dist', env: opts.env ?? {} });
  try {
    const token = await apiLogin(server.url, 'demo-tnv');
    const records = makeRecords(opts.records, seed);
    const perClient = Math.ceil(records.length / opts.concurrency);
    const latencies: number[] = [];
    let peakRss = rssMb(server.pid);
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssMb(server.pid));
    }, 100);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: opts.concurrency }, async (_, c) => {
        const mine = records.slice(c * perClient, (c + 1) * perClient);
        const clientId = v7();
        for (let i = 0; i < mine.length; i += 100) {
          const chunk = mine.slice(i, i + 100);
          const json = JSON.stringify({
            clientId,
            schemaVersion: SCHEMA_VERSION,
            mutations: chunk.map((r, k) => ({
              seq: i + k + 1,
              mutationId: v7(),
              recordId: r.id,
              op: 'upsert',
              baseVersion: null,
              patch: r,
            })),
          });
          const headers: Record<string, string> = {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
          };
          const body = opts.gzip ? gzipSync(json) : json;
          if (opts.gzip) headers['content-encoding'] = 'gzip';
          const s = performance.now();
          const res = await fetch(`${server.url}/api/v1/sync/push`, { method: 'POST', headers, body });
          const answer = (await res.json()) as { ackedSeq?: number };
          latencies.push(performance.now() - s);
          if (res.status !== 200 || answer.ackedSeq !== i + chunk.length)
            throw new Error(`push answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
        }
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, rssMb(server.pid));
    return { rate: records.length / secs, p99: percentile(latencies, 99), peakRss, records };
  } finally {
    await server.stop();
  }
}

export async function serverIngest(opts: IngestOptions): Promise<BenchRow[]> {
  const rates: number[] = [];
  const p99s: number[] = [];
  const rss: number[] = [];
  let sample: LogRecord[] = [];
  for (let run = 0; run < opts.runs; run++) {
    const r = await oneRun(opts, 7 + run);
    rates.push(r.rate);
    p99s.push(r.p99);
    rss.push(r.peakRss);
    sample = r.records;
  }
  const baseline = rawSqliteBaseline(sample);
  const rate = summary(rates);
  const p99 = summary(p99s);
  const mem = summary(rss);
  const load = `${opts.records.toLocaleString('en-US')} records, ${opts.concurrency} clients`;
  return [
    {
      row: 8,
      figure: `server ingest, ${opts.label}, ${load}`,
      unit: 'rec/s',
      goal: '≥ 20,000',
      ...rate,
      baselineName: 'raw better-sqlite3',
      baseline,
      ratio: rate.median / baseline,
      meetsGoal: rate.median >= 20_000,
    },
    {
      row: 8,
      figure: `push POST p99, ${opts.label}`,
      unit: 'ms',
      goal: '≤ 50',
      ...p99,
      meetsGoal: p99.median <= 50,
    },
    {
      row: 10,
      figure: `server peak RSS while ingesting, ${opts.label}, ${load}`,
      unit: 'MB',
      goal: '≤ 256 (at 1M)',
      ...mem,
      meetsGoal: mem.max <= 256,
    },
  ];
}
