// Invariant 15: the server process SIGKILLed twice in the middle of a storm of concurrent pushes
// loses nothing it acknowledged, and the clients' retries (same seqs, same mutation ids) double nothing.
import { afterAll, describe, expect, it } from 'vitest';
import {
  PullResponse,
  PushResponse,
  SCHEMA_VERSION,
  newId,
  type LogRecord,
  type Mutation,
  type MutationResult,
} from '../../src/shared/index.ts';
import { makeRecord, rng } from '../support/factories.ts';
import { testRandom } from '../support/seed.ts';
import { startCli, type CliServer } from './support/cli-server.ts';
import { removeDir, snapshot, tempDir, versionProblems } from './support/server.ts';

const CLIENTS = [
  { name: 'tnv-phone-1', username: 'demo-tnv' },
  { name: 'tnv-phone-2', username: 'demo-tnv' },
  { name: 'lead', username: 'demo-lead' },
  { name: 'tnv2', username: 'demo-tnv2' },
] as const;
const PER_CLIENT = 250;
const CHUNK = 20;
/** Kill when this many mutations (over all clients) have been acknowledged. */
const KILL_AT = [250, 600];

const dataDir = tempDir('sotay-sigkill-');
afterAll(() => removeDir(dataDir));

async function post<T>(
  url: string,
  path: string,
  token: string | null,
  body: unknown,
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url + path, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as T };
}

/** One client's whole queue, made up front: creates, edits of its own records (each changes the note), deletes. */
function plan(
  name: string,
  seed: number,
): { mutations: Mutation[]; expected: Map<string, LogRecord | null> } {
  const rand = rng(seed);
  const expected = new Map<string, LogRecord | null>();
  const live: string[] = [];
  const mutations: Mutation[] = [];
  for (let seq = 1; seq <= PER_CLIENT; seq++) {
    const r = rand();
    const mutationId = newId();
    if (live.length === 0 || r < 0.5) {
      const record = makeRecord({ hamletId: 'thon-nam', note: `Tạo bởi ${name} #${seq}` }, rand);
      live.push(record.id);
      expected.set(record.id, record);
      mutations.push({
        seq,
        mutationId,
        recordId: record.id,
        op: 'upsert',
        baseVersion: null,
        patch: record,
      });
    } else if (r < 0.9) {
      const id = live[Math.floor(rand() * live.length)]!;
      const patch = {
        note: `Sửa bởi ${name} #${seq}`,
        updatedAt: `2026-11-20T09:00:${String(seq % 60).padStart(2, '0')}.000Z`,
      };
      expected.set(id, { ...expected.get(id)!, ...patch });
      mutations.push({ seq, mutationId, recordId: id, op: 'upsert', baseVersion: 0, patch });
    } else {
      const [id] = live.splice(Math.floor(rand() * live.length), 1);
      expected.set(id!, null);
      mutations.push({ seq, mutationId, recordId: id!, op: 'delete', baseVersion: null });
    }
  }
  return { mutations, expected };
}

interface Client {
  name: string;
  token: string;
  clientId: string;
  mutations: Mutation[];
  expected: Map<string, LogRecord | null>;
  acked: number;
  /** Every result the server answered, by seq. */
  answers: Map<number, MutationResult>;
}

class Cluster {
  generation = 0;
  killing = false;
  inFlight = 0;
  /** Pushes that died with the server. */
  cut = 0;
  readonly inFlightAtKill: number[] = [];
  readonly problems: string[] = [];
  #waiters: (() => void)[] = [];
  #kills = 0;

  constructor(
    public server: CliServer,
    readonly clients: Client[],
  ) {}

  get url(): string {
    return this.server.url;
  }

  totalAcked(): number {
    return this.clients.reduce((n, c) => n + c.acked, 0);
  }

  /** Called right after a request left: past a threshold, kill the server while it is busy. */
  dispatched(): void {
    const at = KILL_AT[this.#kills];
    if (this.killing || at === undefined || this.totalAcked() < at) return;
    this.killing = true;
    this.#kills++;
    setTimeout(() => void this.#killAndRestart(), Math.floor(testRandom() * 4));
  }

  /** Resolves once the server is up again after the generation a request was sent in. */
  restarted(generation: number): Promise<void> {
    if (this.generation > generation) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async #killAndRestart(): Promise<void> {
    this.inFlightAtKill.push(this.inFlight);
    const exit = await this.server.kill('SIGKILL');
    if (exit.signal !== 'SIGKILL')
      this.problems.push(`server ended with ${exit.code ?? exit.signal}, not SIGKILL`);
    this.server = await startCli(dataDir);
    // Nobody can be answered now: what the clients hold is what was acknowledged before the kill.
    this.problems.push(...ackedAreDurable(this.clients));
    this.generation++;
    this.killing = false;
    for (const w of this.#waiters.splice(0)) w();
  }
}

/** Every acknowledged mutation is stored, with the answer the client got, and applied once. */
function ackedAreDurable(clients: Client[]): string[] {
  const s = snapshot(dataDir);
  const out: string[] = [];
  const results = new Map(s.results.map((r) => [`${r.clientId}#${r.seq}`, r]));
  const applied = new Map<string, number>();
  for (const h of s.history)
    if (h.mutationId) applied.set(h.mutationId, (applied.get(h.mutationId) ?? 0) + 1);
  for (const c of clients) {
    const last = s.clients.get(c.clientId) ?? 0;
    if (last < c.acked) out.push(`${c.name}: server's last seq ${last} < acknowledged ${c.acked}`);
    for (let seq = 1; seq <= c.acked; seq++) {
      const m = c.mutations[seq - 1]!;
      const stored = results.get(`${c.clientId}#${seq}`);
      const answer = c.answers.get(seq);
      if (!stored || stored.mutationId !== m.mutationId)
        out.push(`${c.name}: acked seq ${seq} has no stored result`);
      else if (stored.status !== answer?.status || stored.version !== answer?.version)
        out.push(
          `${c.name}: seq ${seq} answered ${JSON.stringify(answer)}, stored ${JSON.stringify(stored)}`,
        );
      if (applied.get(m.mutationId) !== 1)
        out.push(`${c.name}: acked seq ${seq} applied ${applied.get(m.mutationId) ?? 0} times`);
    }
  }
  for (const [m, n] of applied) if (n > 1) out.push(`mutation ${m} applied ${n} times`);
  out.push(...versionProblems(s));
  return out;
}

function isNetworkError(e: unknown): boolean {
  return (
    e instanceof TypeError || (e instanceof Error && /fetch failed|terminated|socket|ECONN/i.test(e.message))
  );
}

async function pushAll(cluster: Cluster, c: Client): Promise<void> {
  while (c.acked < c.mutations.length) {
    const generation = cluster.generation;
    const url = cluster.url;
    const mutations = c.mutations.slice(c.acked, c.acked + CHUNK);
    let status: number;
    let text: string;
    cluster.inFlight++;
    try {
      const sent = fetch(`${url}/api/v1/sync/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}` },
        body: JSON.stringify({ clientId: c.clientId, schemaVersion: SCHEMA_VERSION, mutations }),
      });
      cluster.dispatched();
      const res = await sent;
      status = res.status;
      text = await res.text();
    } catch (e) {
      if (!isNetworkError(e) || (!cluster.killing && cluster.generation === generation)) throw e;
      // The server died under this request: resend the same seqs once it is back.
      cluster.cut++;
      await cluster.restarted(generation);
      continue;
    } finally {
      cluster.inFlight--;
    }
    expect(status, text).toBe(200);
    const body = PushResponse.parse(JSON.parse(text));
    expect(body.ackedSeq, `${c.name}'s acked seq went back`).toBeGreaterThanOrEqual(c.acked);
    for (const r of body.results) {
      const before = c.answers.get(r.seq);
      if (before) expect(r, `${c.name} seq ${r.seq} answered differently`).toEqual(before);
      c.answers.set(r.seq, r);
    }
    c.acked = body.ackedSeq;
  }
}

describe('a server killed with SIGKILL during a push storm', () => {
  it('keeps every acknowledged mutation, and after the retries holds each mutation exactly once', async () => {
    let server = await startCli(dataDir);
    // Whatever the demo seed put there (it may bring generated activity) is not the storm's.
    const seeded = new Set(snapshot(dataDir).records.map((r) => r.id));
    const clients: Client[] = [];
    for (const [i, spec] of CLIENTS.entries()) {
      const login = await post<{ token: string }>(server.url, '/api/v1/auth/login', null, {
        username: spec.username,
        password: 'demo',
      });
      expect(login.status).toBe(200);
      clients.push({
        name: spec.name,
        token: login.body.token,
        clientId: `storm-${spec.name}-${newId()}`,
        ...plan(spec.name, 1000 + i),
        acked: 0,
        answers: new Map(),
      });
    }
    const cluster = new Cluster(server, clients);
    try {
      await Promise.all(clients.map((c) => pushAll(cluster, c)));
      server = cluster.server;

      // The storm really was cut twice, with pushes in flight, and nothing acknowledged was lost.
      expect(cluster.inFlightAtKill).toHaveLength(KILL_AT.length);
      expect(cluster.inFlightAtKill.every((n) => n > 0)).toBe(true);
      expect(cluster.cut).toBeGreaterThan(0);
      expect(cluster.problems).toEqual([]);

      // After the retries: every mutation exactly once, nothing extra, versions unique.
      const s = snapshot(dataDir);
      const applied = new Map<string, number>();
      for (const h of s.history)
        if (h.mutationId) applied.set(h.mutationId, (applied.get(h.mutationId) ?? 0) + 1);
      const stored = new Map(s.results.map((r) => [`${r.clientId}#${r.seq}`, r.mutationId]));
      const problems: string[] = [];
      for (const c of clients) {
        if (s.clients.get(c.clientId) !== PER_CLIENT)
          problems.push(`${c.name}: last seq ${s.clients.get(c.clientId)}`);
        for (const m of c.mutations) {
          if (applied.get(m.mutationId) !== 1)
            problems.push(`${c.name} seq ${m.seq}: applied ${applied.get(m.mutationId) ?? 0} times`);
          if (stored.get(`${c.clientId}#${m.seq}`) !== m.mutationId)
            problems.push(`${c.name} seq ${m.seq}: no stored result`);
          const status = c.answers.get(m.seq)?.status;
          if (status !== 'applied') problems.push(`${c.name} seq ${m.seq}: answered ${status}`);
        }
      }
      problems.push(...versionProblems(s));
      const rows = new Map(s.records.map((r) => [r.id, r]));
      const expectedIds = new Set<string>();
      for (const c of clients)
        for (const [id, data] of c.expected) {
          expectedIds.add(id);
          const row = rows.get(id);
          if (!row) problems.push(`${c.name}: record ${id} missing`);
          else if (data === null) {
            if (!row.deleted) problems.push(`${c.name}: record ${id} should be deleted`);
          } else {
            const { volunteerId: _v, teamId: _t, communeCode: _c, ...fields } = row.wire;
            if (row.deleted) problems.push(`${c.name}: record ${id} deleted`);
            else expect(fields, `${c.name}: record ${id}`).toEqual(data);
          }
        }
      for (const id of rows.keys())
        if (!expectedIds.has(id) && !seeded.has(id)) problems.push(`unexpected record ${id}`);
      expect(problems).toEqual([]);

      // A retried push of acknowledged seqs answers what it answered first and writes nothing.
      const version = s.globalVersion;
      for (const c of clients) {
        const again = await post<unknown>(server.url, '/api/v1/sync/push', c.token, {
          clientId: c.clientId,
          schemaVersion: SCHEMA_VERSION,
          mutations: c.mutations.slice(0, CHUNK),
        });
        expect(again.status).toBe(200);
        const body = PushResponse.parse(again.body);
        expect(body.ackedSeq).toBe(PER_CLIENT);
        expect(body.results).toEqual(c.mutations.slice(0, CHUNK).map((m) => c.answers.get(m.seq)));
      }
      expect(snapshot(dataDir).globalVersion).toBe(version);

      // And a reader sees exactly the live records, each once.
      const gs = await post<{ token: string }>(server.url, '/api/v1/auth/login', null, {
        username: 'demo-gs',
        password: 'demo',
      });
      const seen: string[] = [];
      const readerId = `reader-${newId()}`;
      let cursor: string | null = null;
      for (;;) {
        const page = await post<unknown>(server.url, '/api/v1/sync/pull', gs.body.token, {
          clientId: readerId,
          cursor,
          limit: 1000,
        });
        const body = PullResponse.parse(page.body);
        seen.push(...body.changes.filter((ch) => !ch.deleted).map((ch) => ch.id));
        if (!body.hasMore) break;
        cursor = body.cursor;
      }
      const live = clients.flatMap((c) => [...c.expected].filter(([, d]) => d !== null).map(([id]) => id));
      expect(seen.filter((id) => !seeded.has(id)).sort()).toEqual(live.sort());
    } finally {
      await cluster.server.kill('SIGTERM');
    }
  });
});
