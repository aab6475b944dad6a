// Row 11: a province on one PostgreSQL. Bulk-loads N communes × M generated
// records straight into a bench database (the store's bulk path, as the tally row does), then runs
// TWO server processes (the CLI) on it and, while simulated phones push and pull through HTTP,
// times one commune's year tally by hamlet × category and the province's tally by commune ×
// category (each spread over both processes), a commune-wide pull page and a CSV export of the
// year (time to first byte and total), and samples both processes' RSS from /proc every 100 ms.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { v7 } from 'uuid';
import { SCHEMA_VERSION, newId } from '../../src/shared/index.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { hashToken, newToken } from '../../src/server/auth/tokens.ts';
import { provinceTallySql } from '../../src/server/store/tallies/province.ts';
import { bulkInsertRecords } from '../../src/server/reporting/seed-bulk.ts';
import { syntheticRecords } from '../../src/server/reporting/synthetic.ts';
import { openStore } from '../../src/server/store/open.ts';
import { startServer, type RunningServer } from '../../tests/e2e/support/server.ts';
import { makeRecords } from '../lib/data.ts';
import { createBenchDatabase } from '../lib/pg.ts';
import { percentile, summary } from '../lib/stats.ts';
import type { BenchRow } from '../lib/table.ts';

export interface ProvinceOptions {
  communes: number;
  perCommune: number;
  /** Simulated phones, spread over the communes and both processes. */
  phones: number;
  /** Timed calls of each tally (≥ 20 for a p95). */
  calls: number;
  /** A phone's pause between two syncs (push of `pushSize`, then one pull page). */
  phoneIntervalMs: number;
  pushSize: number;
  /** Connections per server process (PG_POOL_MAX). */
  poolMax?: number;
}

const HAMLETS = 8;
const VOLUNTEERS = 10;
const YEAR = { from: '2026-01-01', to: '2026-12-31' };

const code = (c: number): string => `8${String(c).padStart(4, '0')}`;
const hamletIds = (c: number): string[] => Array.from({ length: HAMLETS }, (_, h) => `p${c}-h${h + 1}`);
const volunteers = (c: number) =>
  Array.from({ length: VOLUNTEERS }, (_, v) => ({
    id: `p${c}-v${v + 1}`,
    username: `p${c}-tnv${v + 1}`,
    teamId: `p${c}-t${(v % 2) + 1}`,
  }));

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The communes, their people and records, the citizen cells and one province reader; its token. */
export async function loadProvince(
  url: string,
  o: ProvinceOptions,
): Promise<{ token: string; loadSecs: number; cellSecs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sotay-bench-province-'));
  const store = openStore({ dataDir: dir, databaseUrl: url });
  try {
    await store.migrate();
    const passwordHash = await hashPassword('demo');
    const t0 = performance.now();
    for (let c = 0; c < o.communes; c++) {
      const cc = code(c);
      await store.transaction(async (tx) => {
        await tx.insertCommune(cc, `Xã thử ${c + 1}`);
        for (const [i, id] of hamletIds(c).entries())
          await tx.insertHamlet({ id, communeCode: cc, name: `Thôn ${i + 1}`, sortOrder: i + 1 });
        for (const t of [1, 2]) await tx.insertTeam({ id: `p${c}-t${t}`, communeCode: cc, name: `Tổ ${t}` });
        const people = [
          ...volunteers(c).map((v) => ({ ...v, role: 'volunteer' as const })),
          { id: `p${c}-admin`, username: `p${c}-admin`, teamId: null, role: 'admin' as const },
        ];
        for (const p of people)
          await tx.insertUser({
            id: p.id,
            username: p.username,
            displayName: p.username,
            passwordHash,
            role: p.role,
            communeCode: cc,
            teamId: p.teamId,
            active: true,
          });
      });
      await bulkInsertRecords(
        store,
        syntheticRecords(o.perCommune, {
          communeCode: cc,
          hamletIds: hamletIds(c),
          volunteers: volunteers(c),
          from: YEAR.from,
          days: 365,
          seed: 1000 + c,
        }),
        { chunk: 10_000 },
      );
      if ((c + 1) % 10 === 0 || c + 1 === o.communes)
        console.log(
          `province: ${c + 1}/${o.communes} communes loaded (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
        );
    }
    const loadSecs = (performance.now() - t0) / 1000;
    // A server builds dirty citizen cells in the background at start; done here, both processes
    // start on clean cells and the timed tallies read what a deployment reads between writes.
    const c0 = performance.now();
    await store.rebuildCitizenCells();
    const cellSecs = (performance.now() - c0) / 1000;
    const token = newToken();
    await store.addProvinceReader({
      id: newId(),
      name: 'Tỉnh (bench)',
      tokenHash: hashToken(token),
      createdAt: new Date().toISOString(),
      revokedAt: null,
    });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // Index-only scans need the visibility map; autovacuum would get there after a bulk load.
    await client.query('VACUUM ANALYZE');
    await client.end();
    return { token, loadSecs, cellSecs };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function login(url: string, username: string): Promise<string> {
  for (;;) {
    const res = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'demo' }),
    });
    // The per-IP login limit: every simulated phone shares 127.0.0.1.
    if (res.status === 429) {
      await sleep(Number(res.headers.get('retry-after') ?? '5') * 1000);
      continue;
    }
    const answer = (await res.json()) as { token?: string };
    if (!res.ok || !answer.token) throw new Error(`login ${username} answered ${res.status}`);
    return answer.token;
  }
}

/** Time to first byte and total of a GET or POST, reading the body to its end. */
async function streamed(
  url: string,
  token: string,
  body?: unknown,
): Promise<{ ttfb: number; total: number; bytes: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const reader = res.body?.getReader();
  let ttfb = NaN;
  let bytes = 0;
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) break;
    if (Number.isNaN(ttfb)) ttfb = performance.now() - t0;
    bytes += chunk.value.length;
  }
  return { ttfb, total: performance.now() - t0, bytes, status: res.status };
}

async function timedGet(url: string, token: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - t0;
}

export async function provinceRow(o: ProvinceOptions): Promise<BenchRow[]> {
  const db = await createBenchDatabase('province');
  const servers: RunningServer[] = [];
  let stopPhones = false;
  let phoneLoops: Promise<void>[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    const { token: province, loadSecs, cellSecs } = await loadProvince(db.url, o);
    const total = o.communes * o.perCommune;
    console.log(
      `province: ${total.toLocaleString('en-US')} records in ${loadSecs.toFixed(0)} s; citizen cells ${cellSecs.toFixed(0)} s`,
    );
    const env: Record<string, string> = { DATABASE_URL: db.url, LOG_LEVEL: 'warn' };
    if (o.poolMax !== undefined) env.PG_POOL_MAX = String(o.poolMax);
    for (let i = 0; i < 2; i++) servers.push(await startServer({ staticDir: 'dist', demo: false, env }));
    const peak = servers.map((s) => rssMb(s.pid));
    sampler = setInterval(() => {
      servers.forEach((s, i) => (peak[i] = Math.max(peak[i] ?? 0, rssMb(s.pid))));
    }, 100);
    const at = (i: number) => servers[i % 2]!.url;

    // The phones: volunteers across the communes, alternately on each process.
    const phones: { url: string; token: string; commune: number; clientId: string }[] = [];
    for (let p = 0; p < o.phones; p++) {
      const c = p % o.communes;
      const v = Math.floor(p / o.communes) % VOLUNTEERS;
      phones.push({
        url: at(p),
        token: await login(at(p), `p${c}-tnv${v + 1}`),
        commune: c,
        clientId: v7(),
      });
    }
    const admins = await Promise.all([0, 1].map(async (i) => login(at(i), `p${i % o.communes}-admin`)));
    let pushes = 0;
    let pulls = 0;
    let failures = 0;
    const pushLatency: number[] = [];
    let firstFailure = '';
    const fail = (what: string) => {
      failures += 1;
      firstFailure ||= what;
    };
    phoneLoops = phones.map(async (ph, p) => {
      let seq = 0;
      let cursor: string | null = null;
      let round = 0;
      await sleep((p * o.phoneIntervalMs) / o.phones);
      while (!stopPhones) {
        const records = makeRecords(o.pushSize, 1_000_000 + p * 10_000 + round, hamletIds(ph.commune));
        round += 1;
        const mutations = records.map((r) => ({
          seq: ++seq,
          mutationId: v7(),
          recordId: r.id,
          op: 'upsert',
          baseVersion: null,
          patch: r,
        }));
        const s = performance.now();
        try {
          const push = await fetch(`${ph.url}/api/v1/sync/push`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${ph.token}` },
            body: JSON.stringify({ clientId: ph.clientId, schemaVersion: SCHEMA_VERSION, mutations }),
          });
          await push.arrayBuffer();
          pushLatency.push(performance.now() - s);
          if (push.status === 200) pushes += 1;
          else fail(`push ${push.status}`);
          const pull = await fetch(`${ph.url}/api/v1/sync/pull`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${ph.token}` },
            body: JSON.stringify({ clientId: ph.clientId, cursor, limit: 200 }),
          });
          const answer = (await pull.json()) as { cursor?: string };
          if (pull.status === 200) {
            pulls += 1;
            cursor = answer.cursor ?? cursor;
          } else fail(`pull ${pull.status}: ${JSON.stringify(answer).slice(0, 200)}`);
        } catch (e) {
          if (!stopPhones) fail(String(e));
        }
        await sleep(o.phoneIntervalMs);
      }
    });
    // Let every phone be syncing before the clock starts.
    await sleep(o.phoneIntervalMs + 1000);
    const t0 = performance.now();
    // The rates count only what the phones did while the clock ran.
    const [pushes0, pulls0, latency0] = [pushes, pulls, pushLatency.length];

    const communeTally: number[] = [];
    const provinceTally: number[] = [];
    // The province's SQL alone, on its table and on daily_rollup (what it read before), paired.
    const sqlNow: number[] = [];
    const sqlBefore: number[] = [];
    const raw = new pg.Client({ connectionString: db.url });
    await raw.connect();
    const now = provinceTallySql({ ...YEAR, groupBy: ['category'] }, 'postgres');
    const before = now.sql.replace('daily_commune_category', 'daily_rollup');
    const q = `from=${YEAR.from}&to=${YEAR.to}`;
    for (let i = 0; i < o.calls; i++) {
      let s = performance.now();
      await raw.query(now.sql, now.params);
      sqlNow.push(performance.now() - s);
      s = performance.now();
      await raw.query(before, now.params);
      sqlBefore.push(performance.now() - s);
      communeTally.push(
        await timedGet(`${at(i)}/api/v1/tallies?${q}&groupBy=hamlet,category`, admins[i % 2]!),
      );
      provinceTally.push(
        await timedGet(`${at(i + 1)}/api/v1/province/tallies?${q}&groupBy=category`, province),
      );
    }
    // A supervisor's phone pulling its commune's first page, and the year's CSV export.
    const pull = await streamed(`${at(0)}/api/v1/sync/pull`, admins[0]!, {
      clientId: v7(),
      cursor: null,
      limit: 1000,
    });
    const csv = await streamed(`${at(1)}/api/v1/export/logs.csv?${q}`, admins[1]!);
    if (pull.status !== 200 || csv.status !== 200)
      throw new Error(`pull ${pull.status}, export ${csv.status}`);
    await raw.end();
    const secs = (performance.now() - t0) / 1000;
    const [pushesIn, pullsIn, latencyIn] = [pushes - pushes0, pulls - pulls0, pushLatency.slice(latency0)];
    stopPhones = true;
    await Promise.all(phoneLoops);
    clearInterval(sampler);
    servers.forEach((s, i) => (peak[i] = Math.max(peak[i] ?? 0, rssMb(s.pid))));

    const size = `${o.communes} communes × ${o.perCommune.toLocaleString('en-US')}`;
    const load = `${o.phones} phones syncing (${(pushesIn / secs).toFixed(1)} pushes/s of ${o.pushSize}, ${(pullsIn / secs).toFixed(1)} pulls/s, push p95 ${percentile(latencyIn, 95).toFixed(0)} ms, ${failures} failed)`;
    console.log(`province: ${load}${firstFailure ? `; first failure: ${firstFailure}` : ''}`);
    const p95 = (xs: number[]) => ({ ...summary(xs), median: percentile(xs, 95) });
    const ct = p95(communeTally);
    const pt = p95(provinceTally);
    const peakMax = Math.max(...peak);
    return [
      {
        row: 11,
        figure: `province, ${size}: one commune's year by hamlet × category, p95 over 2 processes`,
        unit: 'ms',
        goal: '≤ 100 (p95)',
        ...ct,
        meetsGoal: ct.median <= 100,
        note: `${load}; median ${summary(communeTally).median.toFixed(0)} ms`,
      },
      {
        row: 11,
        figure: `province, ${size}: the province's year by commune × category, p95`,
        unit: 'ms',
        goal: '≤ 1,000 (p95)',
        ...pt,
        baselineName: 'SQL alone on daily_rollup (before), p95',
        baseline: percentile(sqlBefore, 95),
        ratio: pt.median / percentile(sqlBefore, 95),
        meetsGoal: pt.median <= 1000,
        note: `median ${summary(provinceTally).median.toFixed(0)} ms; SQL alone on daily_commune_category p95 ${percentile(sqlNow, 95).toFixed(0)} ms`,
      },
      {
        row: 11,
        figure: `province, ${size}: a commune's first pull page of 1,000, first byte / total`,
        unit: 'ms',
        goal: 'streams',
        median: pull.ttfb,
        min: pull.ttfb,
        max: pull.total,
        runs: 1,
        meetsGoal: null,
        note: `total ${pull.total.toFixed(0)} ms, ${(pull.bytes / 1024).toFixed(0)} KB`,
      },
      {
        row: 11,
        figure: `province, ${size}: a commune's year as CSV, first byte / total`,
        unit: 'ms',
        goal: 'streams',
        median: csv.ttfb,
        min: csv.ttfb,
        max: csv.total,
        runs: 1,
        meetsGoal: null,
        note: `total ${csv.total.toFixed(0)} ms, ${(csv.bytes / 1024 / 1024).toFixed(1)} MB`,
      },
      {
        row: 11,
        figure: `province, ${size}: peak RSS of each server process`,
        unit: 'MB',
        goal: '≤ 256',
        median: peakMax,
        min: Math.min(...peak),
        max: peakMax,
        runs: 2,
        meetsGoal: peakMax <= 256,
        note: peak.map((m, i) => `process ${i + 1}: ${m.toFixed(0)} MB`).join(', '),
      },
    ];
  } finally {
    stopPhones = true;
    await Promise.all(phoneLoops);
    if (sampler) clearInterval(sampler);
    for (const s of servers) await s.stop();
    await db.drop();
  }
}
