// A real sync server for the proofs: buildApp() over a SQLite file in a temp dir on an ephemeral
// port. Seeding (scrypt hashes) and logins happen once, into a template file each server copies.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/server/app.ts';
import { hashPassword } from '../../../src/server/auth/password.ts';
import { DEMO_COMMUNE, seedDemo } from '../../../src/server/demo.ts';
import { SQLITE_FILE_NAME, openStore } from '../../../src/server/store/open.ts';
import type { Store } from '../../../src/server/store/store.ts';
import { newId, type LoginResponse } from '../../../src/shared/index.ts';

/** A made-up second volunteer of team 1, so two volunteers share a team (no real person). */
export const EXTRA_VOLUNTEER = 'test-tnv3';

export function tempDir(prefix = 'sotay-sync-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface RunningServer {
  url: string;
  dataDir: string;
  store: Store;
  app: FastifyInstance;
  /** Stop listening and close the store; the data dir stays. */
  stop(): Promise<void>;
}

export async function listen(dataDir: string, seed: boolean, maxMutations?: number): Promise<RunningServer> {
  const store = openStore({ dataDir });
  let app: FastifyInstance | undefined;
  try {
    await store.migrate();
    if (seed) await seedDemo(store);
    app = await buildApp({ store, staticDir: null, ...(maxMutations ? { maxMutations } : {}) });
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (e) {
    await app?.close();
    await store.close();
    throw e;
  }
  const running = app;
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    dataDir,
    store,
    app,
    async stop() {
      await running.close();
      await store.close();
    },
  };
}

/** Stop servers a test started and remove their data (for afterEach: tolerates a failed start). */
export async function retire(servers: RunningServer[]): Promise<void> {
  for (const s of servers.splice(0)) {
    await s.stop();
    removeDir(s.dataDir);
  }
}

export async function login(url: string, username: string): Promise<LoginResponse> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return (await res.json()) as LoginResponse;
}

/**
 * A demo database with one extra team-1 volunteer and the given logins already made. Sessions
 * live in the database, so every copy of the file accepts the same tokens.
 */
export class ServerTemplate {
  private constructor(
    readonly dir: string,
    /** One login per requested username, in request order. */
    readonly logins: LoginResponse[],
    /** MAX_MUTATIONS of every server started from it (the server's default when absent). */
    readonly maxMutations?: number,
  ) {}

  static async create(usernames: readonly string[], maxMutations?: number): Promise<ServerTemplate> {
    const dir = tempDir('sotay-sync-template-');
    const server = await listen(dir, true, maxMutations);
    const passwordHash = await hashPassword('demo');
    await server.store.transaction((tx) =>
      tx.insertUser({
        id: newId(),
        username: EXTRA_VOLUNTEER,
        displayName: 'Người thử nghiệm (test)',
        passwordHash,
        role: 'volunteer',
        communeCode: DEMO_COMMUNE.code,
        teamId: 'team-1',
        active: true,
      }),
    );
    const logins: LoginResponse[] = [];
    for (const u of usernames) logins.push(await login(server.url, u));
    await server.stop();
    return new ServerTemplate(dir, logins, maxMutations);
  }

  /** A fresh copy of the template database, served on a new ephemeral port. */
  async start(): Promise<RunningServer> {
    const dataDir = tempDir();
    for (const f of readdirSync(this.dir))
      if (f.startsWith(SQLITE_FILE_NAME) && !f.endsWith('-shm'))
        copyFileSync(join(this.dir, f), join(dataDir, f));
    try {
      return await listen(dataDir, false, this.maxMutations);
    } catch (e) {
      removeDir(dataDir);
      throw e;
    }
  }

  dispose(): void {
    removeDir(this.dir);
  }
}

// ---- reading the server's database directly (what the API does not show) ----------------

export interface ServerRow {
  id: string;
  version: number;
  deleted: boolean;
  volunteerId: string;
  teamId: string;
  communeCode: string;
  /** The record as pull sends it: stored fields plus the server-derived owner fields. */
  wire: Record<string, unknown>;
}

export interface ServerSnapshot {
  globalVersion: number;
  records: ServerRow[];
  /** How many rows each record id has (the primary key says 1; this checks it). */
  idCounts: Map<string, number>;
  history: { recordId: string; version: number; mutationId: string | null; op: string }[];
  results: { clientId: string; seq: number; mutationId: string; status: string; version?: number }[];
  clients: Map<string, number>;
}

export function snapshot(dataDir: string): ServerSnapshot {
  const file = join(dataDir, SQLITE_FILE_NAME);
  if (!existsSync(file)) throw new Error(`no database at ${file}`);
  const db = new Database(file, { readonly: true });
  try {
    const globalVersion = (
      db.prepare('SELECT version FROM sync_state WHERE id = 1').get() as { version: number }
    ).version;
    const raw = db
      .prepare(
        'SELECT id, version, deleted, data, volunteer_id, team_id, commune_code FROM records ORDER BY version',
      )
      .all() as {
      id: string;
      version: number;
      deleted: number;
      data: string;
      volunteer_id: string;
      team_id: string;
      commune_code: string;
    }[];
    const records = raw.map((r) => ({
      id: r.id,
      version: r.version,
      deleted: r.deleted === 1,
      volunteerId: r.volunteer_id,
      teamId: r.team_id,
      communeCode: r.commune_code,
      wire: {
        ...(JSON.parse(r.data) as Record<string, unknown>),
        volunteerId: r.volunteer_id,
        teamId: r.team_id,
        communeCode: r.commune_code,
      },
    }));
    const idCounts = new Map(
      (
        db.prepare('SELECT id, count(*) AS n FROM records GROUP BY id').all() as { id: string; n: number }[]
      ).map((r) => [r.id, r.n]),
    );
    const history = (
      db.prepare('SELECT record_id, version, mutation_id, op FROM record_history ORDER BY id').all() as {
        record_id: string;
        version: number;
        mutation_id: string | null;
        op: string;
      }[]
    ).map((h) => ({ recordId: h.record_id, version: h.version, mutationId: h.mutation_id, op: h.op }));
    const results = (
      db
        .prepare('SELECT client_id, seq, mutation_id, result FROM mutation_results ORDER BY client_id, seq')
        .all() as {
        client_id: string;
        seq: number;
        mutation_id: string;
        result: string;
      }[]
    ).map((r) => {
      const parsed = JSON.parse(r.result) as { status: string; version?: number };
      return { clientId: r.client_id, seq: r.seq, mutationId: r.mutation_id, ...parsed };
    });
    const clients = new Map(
      (
        db.prepare('SELECT client_id, last_seq FROM clients').all() as {
          client_id: string;
          last_seq: number;
        }[]
      ).map((c) => [c.client_id, c.last_seq]),
    );
    return { globalVersion, records, idCounts, history, results, clients };
  } finally {
    db.close();
  }
}

/** Problems with the server's ordering: every stored version distinct and within the counter. */
export function versionProblems(s: ServerSnapshot): string[] {
  const out: string[] = [];
  const seen = new Map<number, string>();
  for (const r of s.records) {
    const other = seen.get(r.version);
    if (other !== undefined) out.push(`records ${other} and ${r.id} share version ${r.version}`);
    seen.set(r.version, r.id);
    if (r.version > s.globalVersion) out.push(`record ${r.id} has version ${r.version} > ${s.globalVersion}`);
  }
  for (const [id, n] of s.idCounts) if (n !== 1) out.push(`record ${id} stored ${n} times`);
  // A write (not a losing edit, which keeps the version) bumps the counter once: versions of
  // writing history rows are distinct across records.
  const byVersion = new Map<number, string>();
  for (const h of s.history) {
    const other = byVersion.get(h.version);
    if (other !== undefined && other !== h.recordId)
      out.push(`version ${h.version} used by records ${other} and ${h.recordId}`);
    byVersion.set(h.version, h.recordId);
  }
  const mids = new Map<string, number>();
  for (const h of s.history) if (h.mutationId) mids.set(h.mutationId, (mids.get(h.mutationId) ?? 0) + 1);
  for (const [m, n] of mids) if (n > 1) out.push(`mutation ${m} applied ${n} times`);
  return out;
}
