// Rows 8 and 10: server ingest (validate + store) through real HTTP from a bounded loader on
// 127.0.0.1 (a fixed record count, N clients, pushes of 100), with the server's RSS sampled;
// baseline: raw better-sqlite3 inserts, or raw PostgreSQL `COPY`, of the same rows. The loader
// makes each push's records when it sends them, so 1M records never sit in the bench's memory.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { v7 } from 'uuid';
import { SCHEMA_VERSION, type LogRecord } from '../../src/shared/index.ts';
import { apiLogin, startServer } from '../../tests/e2e/support/server.ts';
import { makeRecords } from '../lib/data.ts';
import { copyBaseline, createBenchDatabase } from '../lib/pg.ts';
import { percentile, summary } from '../lib/stats.ts';
import type { BenchRow } from '../lib/table.ts';

export interface IngestOptions {
  records: number;
  concurrency: number;
  runs: number;
  /** PostgreSQL: each run gets a fresh bench database (and COPY is the baseline). */
  postgres?: boolean;
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

/** The records of one push: deterministic for (seed, client, push). */
function pushRecords(seed: number, client: number, push: number, n: number): LogRecord[] {
  return makeRecords(n, seed * 1_000_003 + client * 100_003 + push);
}

async function oneRun(opts: IngestOptions, seed: number) {
  const pgDb = opts.postgres ? await createBenchDatabase('ingest') : null;
  const server = await startServer({ staticDir: 'dist', env: pgDb ? { DATABASE_URL: pgDb.url } : {} });
  try {
    const token = await apiLogin(server.url, 'demo-tnv');
    const perClient = Math.ceil(opts.records / opts.concurrency);
    const latencies: number[] = [];
    let peakRss = rssMb(server.pid);
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssMb(server.pid));
    }, 100);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: opts.concurrency }, async (_, c) => {
        const mine = Math.max(0, Math.min(perClient, opts.records - c * perClient));
        const clientId = v7();
        for (let i = 0; i < mine; i += 100) {
          const chunk = pushRecords(seed, c, i / 100, Math.min(100, mine - i));
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
    let baseline: number;
    // The baseline stores the same number of rows (at most 100k: the rate is reached long before).
    const sample: LogRecord[] = [];
    for (let push = 0; sample.length < Math.min(opts.records, 100_000); push++)
      sample.push(...pushRecords(seed, 0, push, 100));
    if (pgDb) baseline = await copyBaseline(pgDb.url, sample);
    else baseline = rawSqliteBaseline(sample);
    return { rate: opts.records / secs, p99: percentile(latencies, 99), peakRss, baseline };
  } finally {
    await server.stop();
    await pgDb?.drop();
  }
}

export async function serverIngest(opts: IngestOptions): Promise<BenchRow[]> {
  const rates: number[] = [];
  const p99s: number[] = [];
  const rss: number[] = [];
  const baselines: number[] = [];
  for (let run = 0; run < opts.runs; run++) {
    const r = await oneRun(opts, 7 + run);
    rates.push(r.rate);
    p99s.push(r.p99);
    rss.push(r.peakRss);
    baselines.push(r.baseline);
  }
  const baseline = summary(baselines).median;
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
      baselineName: opts.postgres ? 'raw COPY, 100 per statement' : 'raw better-sqlite3',
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
