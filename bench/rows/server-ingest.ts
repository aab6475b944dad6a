// Rows 8 and 10: server ingest (validate + store) through real HTTP from a bounded loader on
// 127.0.0.1 (a fixed record count, N clients, pushes of the server's maxMutations), with the server's RSS sampled;
// baseline: raw better-sqlite3 inserts, or raw PostgreSQL `COPY`, of the same rows. The loader
// makes each push's records when it sends them, so 1M records never sit in the bench's memory.
// About 30 % carry an ID number sealed to the server's key from the login answer, as phones send
// them, so the rate includes the server opening each seal (ECDH) and keying the citizen. The seals
// are made before the clock starts (only they are kept: ~150 B each), so the loader's own ECDH
// does not take the server's CPU while it is timed.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { v7 } from 'uuid';
import { SCHEMA_VERSION, type LogRecord } from '../../src/shared/index.ts';
import { startServer } from '../../tests/e2e/support/server.ts';
import { citizenIdsOf, makeRecords, sealCitizenIds, withSeals } from '../lib/data.ts';
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
  /** Share of records with a sealed ID number (`--citizen-share`, default CITIZEN_SHARE). */
  citizenShare?: number;
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** CPU time (user + system, ms) the process has used so far, from /proc (Linux; NaN elsewhere). */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime (fields 14 and 15 of proc(5)), in clock ticks of 10 ms on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10;
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

/** The records of one push: deterministic for (seed, client, push); without their seals. */
function pushRecords(seed: number, client: number, push: number, n: number): LogRecord[] {
  return makeRecords(n, pushSeed(seed, client, push));
}
const pushSeed = (seed: number, client: number, push: number) => seed * 1_000_003 + client * 100_003 + push;

/**
 * Log in as the demo volunteer: the token, the server's public key ID numbers are sealed to, and the
 * push size it takes (`maxMutations`; 100 from a server that does not say).
 */
async function login(url: string): Promise<{ token: string; contactKey: string; size: number }> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo-tnv', password: 'demo' }),
  });
  const answer = (await res.json()) as {
    token?: string;
    commune?: { contactKey?: string };
    maxMutations?: number;
  };
  if (!res.ok || !answer.token || !answer.commune?.contactKey)
    throw new Error(`login answered ${res.status} without a token and a contactKey`);
  return { token: answer.token, contactKey: answer.commune.contactKey, size: answer.maxMutations ?? 100 };
}

/** Each client's pushes' seals, [client][push][record], sealed to `contactKey`. */
async function sealAll(
  opts: IngestOptions,
  seed: number,
  contactKey: string,
  perClient: number,
  size: number,
): Promise<(string | undefined)[][][]> {
  const out: (string | undefined)[][][] = [];
  for (let c = 0; c < opts.concurrency; c++) {
    const mine = Math.max(0, Math.min(perClient, opts.records - c * perClient));
    const pushes: (string | undefined)[][] = [];
    for (let i = 0; i < mine; i += size) {
      const n = Math.min(size, mine - i);
      const records = pushRecords(seed, c, i / size, n);
      const ids = citizenIdsOf(n, pushSeed(seed, c, i / size), opts.citizenShare);
      pushes.push(await sealCitizenIds(contactKey, records, ids));
    }
    out.push(pushes);
  }
  return out;
}

async function oneRun(opts: IngestOptions, seed: number) {
  const pgDb = opts.postgres ? await createBenchDatabase('ingest') : null;
  const server = await startServer({ staticDir: 'dist', env: pgDb ? { DATABASE_URL: pgDb.url } : {} });
  try {
    const { contactKey, size } = await login(server.url);
    // One session a client, as phones have: the per-session request limit is each phone's own.
    const tokens = await Promise.all(
      Array.from({ length: opts.concurrency }, async () => (await login(server.url)).token),
    );
    const perClient = Math.ceil(opts.records / opts.concurrency);
    const s0 = performance.now();
    const seals = await sealAll(opts, seed, contactKey, perClient, size);
    const sealSecs = (performance.now() - s0) / 1000;
    const sealed = seals.flat(2).filter((x) => x !== undefined).length;
    const latencies: number[] = [];
    let peakRss = rssMb(server.pid);
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssMb(server.pid));
    }, 100);
    const cpu0 = cpuMs(server.pid);
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: opts.concurrency }, async (_, c) => {
        const mine = Math.max(0, Math.min(perClient, opts.records - c * perClient));
        const clientId = v7();
        for (let i = 0; i < mine; i += size) {
          const chunk = withSeals(
            pushRecords(seed, c, i / size, Math.min(size, mine - i)),
            seals[c]![i / size]!,
          );
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
            authorization: `Bearer ${tokens[c]}`,
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
    const serverCpuMs = cpuMs(server.pid) - cpu0;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, rssMb(server.pid));
    let baseline: number;
    // The baseline stores the same number of rows (at most 100k: the rate is reached long before),
    // without their seals: the server stores a citizenKey in their place, not the seal.
    const sample: LogRecord[] = [];
    for (let push = 0; sample.length < Math.min(opts.records, 100_000); push++)
      sample.push(...pushRecords(seed, 0, push, 100));
    if (pgDb) baseline = await copyBaseline(pgDb.url, sample);
    else baseline = rawSqliteBaseline(sample);
    return {
      rate: opts.records / secs,
      p99: percentile(latencies, 99),
      peakRss,
      baseline,
      sealed,
      sealSecs,
      size,
      serverCpuMs,
    };
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
  let sealed = 0;
  let size = 0;
  for (let run = 0; run < opts.runs; run++) {
    const r = await oneRun(opts, 7 + run);
    sealed = r.sealed;
    size = r.size;
    console.log(
      `server ingest, ${opts.label}: ${r.sealed.toLocaleString('en-US')} ID numbers sealed in ${r.sealSecs.toFixed(1)} s before the clock`,
    );
    // The server's own CPU per record does not depend on what else loads the machine, unlike rec/s.
    console.log(
      `server ingest, ${opts.label}: server CPU ${((1000 * r.serverCpuMs) / opts.records).toFixed(0)} ms per 1,000 records`,
    );
    rates.push(r.rate);
    p99s.push(r.p99);
    rss.push(r.peakRss);
    baselines.push(r.baseline);
  }
  const baseline = summary(baselines).median;
  const rate = summary(rates);
  const p99 = summary(p99s);
  const mem = summary(rss);
  const share = Math.round((100 * sealed) / opts.records);
  const load = `${opts.records.toLocaleString('en-US')} records (${share} % sealed), ${opts.concurrency} clients`;
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
      figure: `push POST p99, ${opts.label}, pushes of ${size}`,
      unit: 'ms',
      goal: '≤ 250',
      ...p99,
      meetsGoal: p99.median <= 250,
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
