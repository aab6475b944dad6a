// Test harness: a real server on an ephemeral port over a real store — a SQLite file in a fresh temp
// dir, or a fresh schema in the PostgreSQL database `test` — plus helpers to log in, push, pull and
// make fake records (generated, never real personal data).
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { beforeAll, beforeEach } from 'vitest';
import {
  SCHEMA_VERSION,
  newId,
  type LogRecord,
  type LoginResponse,
  type Mutation,
  type PullResponse,
  type PushResponse,
} from '../../src/shared/index.ts';
import { buildApp, type SecurityOptions } from '../../src/server/app.ts';
import { seedDemo } from '../../src/server/demo.ts';
import { ephemeralKeys, type ServerKeys } from '../../src/server/privacy/keys.ts';
import { SQLITE_FILE_NAME } from '../../src/server/store/open.ts';
import {
  POSTGRES_MIGRATIONS_DIR,
  openPostgresStore,
  type PostgresStoreOptions,
} from '../../src/server/store/postgres/postgres-store.ts';
import {
  SQLITE_MIGRATIONS_DIR,
  openSqliteStore,
  type SqliteStoreOptions,
} from '../../src/server/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/server/store/store.ts';
import { DEFAULT_TEST_DATABASE_URL } from './global-setup.ts';

export type StoreKind = 'sqlite' | 'postgres';
/** Every contract test runs once per store. */
export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres'];

/** Set by global-setup.ts to a throwaway PostgreSQL's when none answers at the one asked for. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;

/** Store options a test may change (short timeouts, another address, a copy of the migrations). */
export type StoreTuning = Partial<
  Pick<SqliteStoreOptions, 'busyTimeoutMs' | 'migrationsDir'> &
    Pick<
      PostgresStoreOptions,
      'lockTimeoutMs' | 'connectTimeoutMs' | 'connectionString' | 'migrationsDir' | 'applicationName'
    >
>;

/** One test database: a SQLite data dir or a PostgreSQL schema, with a look inside for what the API does not show. */
export interface TestDatabase {
  kind: StoreKind;
  /** The SQLite data dir, or the PostgreSQL schema name. */
  name: string;
  /** A new store on this database (call migrate()). */
  open(tuning?: StoreTuning): Store;
  /** Environment for `src/server/cli.ts` as a child process on this database. */
  env(): Record<string, string>;
  version(): Promise<number>;
  count(table: string): Promise<number>;
  /** One statement of SQL both stores understand. */
  exec(sql: string, params?: unknown[]): Promise<void>;
  /** Remove the database (data dir or schema). */
  drop(): Promise<void>;
}

/**
 * `beforeAll` whose failure fails every test of the block with its error, instead of vitest's
 * "skipped": a missing PostgreSQL must show as failures, never as a quiet skip.
 */
export function setupAll(setup: () => Promise<void>): void {
  let failure: unknown = null;
  beforeAll(async () => {
    try {
      await setup();
    } catch (e) {
      failure = e;
    }
  });
  beforeEach(() => {
    if (failure !== null) throw failure;
  });
}

export function tempDir(prefix = 'sotay-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The migrations each store ships. */
export const SHIPPED_MIGRATIONS: Readonly<Record<StoreKind, string>> = {
  sqlite: SQLITE_MIGRATIONS_DIR,
  postgres: POSTGRES_MIGRATIONS_DIR,
};

/** A copy of a store's shipped migrations that stops before one of them, for testing that one. */
export interface PartialMigrations {
  /** The copy: pass it as `migrationsDir` to `TestDatabase.open`. */
  dir: string;
  /** Copy the shipped migrations from the prefix on too: a store opened next applies them. */
  addRest(): void;
  /** Remove the copy. */
  remove(): void;
}

/**
 * The shipped migrations of `kind` whose file names sort before `prefix` (e.g. `'20261128-10-'`) in a
 * fresh temp dir. Migrate a store on it, write what the migration under test must find, then
 * `addRest()` and migrate a new store on the same database.
 */
export function migrationsUpTo(kind: StoreKind, prefix: string): PartialMigrations {
  const shipped = SHIPPED_MIGRATIONS[kind];
  const dir = tempDir('sotay-migrations-');
  const copy = (keep: (f: string) => boolean): void => {
    for (const f of readdirSync(shipped).filter(keep)) copyFileSync(join(shipped, f), join(dir, f));
  };
  copy((f) => f < prefix);
  return { dir, addRest: () => copy((f) => f >= prefix), remove: () => removeDir(dir) };
}

/** DATABASE_URL of the test database with `?schema=`. */
export function postgresUrl(schema: string, base = TEST_DATABASE_URL): string {
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  return u.toString();
}

/** A pg client on the test database, with a clear failure when PostgreSQL is not running. */
export async function pgClient(schema?: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    options: schema ? `-c search_path=${schema}` : undefined,
    connectionTimeoutMillis: 5000,
  });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(
      `The server tests need PostgreSQL at ${TEST_DATABASE_URL} (set TEST_DATABASE_URL, or start it: ` +
        `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start). ` +
        `Connecting failed: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  client.on('error', () => undefined);
  return client;
}

function sqliteDatabase(dataDir: string): TestDatabase {
  const inspect = <T>(fn: (db: Database.Database) => T): T => {
    const db = new Database(join(dataDir, SQLITE_FILE_NAME));
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  return {
    kind: 'sqlite',
    name: dataDir,
    open: (t = {}) =>
      openSqliteStore({
        file: join(dataDir, SQLITE_FILE_NAME),
        busyTimeoutMs: t.busyTimeoutMs,
        migrationsDir: t.migrationsDir,
      }),
    env: () => ({ DATA_DIR: dataDir }),
    version: async () =>
      inspect(
        (db) =>
          (db.prepare('SELECT version FROM sync_state WHERE id = 1').get() as { version: number }).version,
      ),
    count: async (table) =>
      inspect((db) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n),
    exec: async (sql, params = []) => {
      inspect((db) => db.prepare(sql.replace(/\$\d+/g, '?')).run(...params));
    },
    drop: async () => removeDir(dataDir),
  };
}

async function postgresDatabase(): Promise<TestDatabase> {
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await pgClient();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`SET search_path = ${schema}`);
  const one = async (sql: string): Promise<number> => {
    const r = await admin.query<{ n: string }>(sql);
    return Number(r.rows[0]?.n ?? 0);
  };
  return {
    kind: 'postgres',
    name: schema,
    open: (t = {}) =>
      openPostgresStore({
        connectionString: t.connectionString ?? TEST_DATABASE_URL,
        schema,
        poolMax: 4,
        migrationsDir: t.migrationsDir,
        lockTimeoutMs: t.lockTimeoutMs,
        connectTimeoutMs: t.connectTimeoutMs,
        applicationName: t.applicationName,
      }),
    env: () => ({ DATABASE_URL: postgresUrl(schema) }),
    version: () => one('SELECT version AS n FROM sync_state WHERE id = 1'),
    count: (table) => one(`SELECT count(*) AS n FROM ${table}`),
    exec: async (sql, params = []) => {
      await admin.query(sql, params);
    },
    drop: async () => {
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** A fresh, empty test database of the given kind. */
export async function testDatabase(kind: StoreKind): Promise<TestDatabase> {
  return kind === 'sqlite' ? sqliteDatabase(tempDir()) : postgresDatabase();
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  method?: string;
  token?: string;
  /** A value is sent as JSON; a string or bytes are sent as they are. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestServer {
  url: string;
  db: TestDatabase;
  store: Store;
  app: FastifyInstance;
  /** The keys of citizens' data the server runs with. */
  keys: ServerKeys;
  request<T = unknown>(path: string, options?: RequestOptions): Promise<Answer<T>>;
  login(username: string, password?: string): Promise<LoginResponse>;
  push(
    token: string,
    clientId: string,
    mutations: Mutation[],
    schemaVersion?: number,
  ): Promise<Answer<PushResponse>>;
  pull(token: string, clientId: string, cursor: string | null, limit?: number): Promise<Answer<PullResponse>>;
  /** Stop the server and close the store; the database stays for a restart. */
  stop(): Promise<void>;
}

/** `fetch` against `url` with the harness's conventions (JSON bodies, bearer token, parsed answer). */
export async function requestAt<T>(url: string, path: string, o: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  let body: string | Uint8Array | undefined;
  if (o.body !== undefined) {
    body = typeof o.body === 'string' || o.body instanceof Uint8Array ? o.body : JSON.stringify(o.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url + path, {
    method: o.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export async function startServer(options: {
  db: TestDatabase;
  demo?: boolean;
  staticDir?: string | null;
  tuning?: StoreTuning;
  security?: SecurityOptions;
  /** The server's keys (e.g. from a key file); fresh in-memory ones when absent. */
  keys?: ServerKeys;
  /** MAX_MUTATIONS; the server's default when absent. */
  maxMutations?: number;
}): Promise<TestServer> {
  const { db } = options;
  const store = db.open(options.tuning);
  await store.migrate();
  if (options.demo ?? true) await seedDemo(store);
  const keys = options.keys ?? (await ephemeralKeys());
  const app = await buildApp({
    store,
    staticDir: options.staticDir ?? null,
    security: options.security,
    keys,
    ...(options.maxMutations ? { maxMutations: options.maxMutations } : {}),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const url = `http://127.0.0.1:${address.port}`;
  const request = <T>(path: string, o: RequestOptions = {}): Promise<Answer<T>> => requestAt<T>(url, path, o);

  return {
    url,
    db,
    store,
    app,
    keys,
    request,
    async login(username, password = 'demo') {
      const res = await request<LoginResponse>('/api/v1/auth/login', { body: { username, password } });
      if (res.status !== 200) throw new Error(`login ${username} answered ${res.status}: ${res.text}`);
      return res.body;
    },
    push(token, clientId, mutations, schemaVersion = SCHEMA_VERSION) {
      return request<PushResponse>('/api/v1/sync/push', {
        token,
        body: { clientId, schemaVersion, mutations },
      });
    },
    pull(token, clientId, cursor, limit) {
      const body: Record<string, unknown> = { clientId, cursor };
      if (limit !== undefined) body.limit = limit;
      return request<PullResponse>('/api/v1/sync/pull', { token, body });
    },
    async stop() {
      await app.close();
      await store.close();
    },
  };
}

let counter = 0;

/** A valid, made-up assistance record. */
export function fakeRecord(overrides: Partial<LogRecord> = {}): LogRecord {
  counter += 1;
  const categories = ['can_cuoc', 'vneid_l1', 'vneid_docs', 'app_install', 'digital_skills'] as const;
  const hamlets = ['thon-dong', 'thon-tay', 'thon-nam', 'thon-bac'] as const;
  return {
    id: newId(),
    occurredOn: `2025-10-${String((counter % 28) + 1).padStart(2, '0')}`,
    hamletId: hamlets[counter % hamlets.length] ?? 'thon-dong',
    category: categories[counter % categories.length] ?? 'other',
    outcome: 'done',
    place: 'hamlet_hall',
    ageBand: '60_plus',
    note: `Ghi chú thử số ${counter}`,
    createdAt: '2025-10-15T08:00:00.000+07:00',
    updatedAt: '2025-10-15T08:00:00.000+07:00',
    ...overrides,
  };
}

export function clientId(): string {
  return `client-${newId()}`;
}

/** A create: the whole record, no base version. */
export function createOf(record: LogRecord, seq: number): Mutation {
  return { seq, mutationId: newId(), recordId: record.id, op: 'upsert', baseVersion: null, patch: record };
}

export function updateOf(
  recordId: string,
  seq: number,
  baseVersion: number,
  patch: Record<string, unknown>,
): Mutation {
  return { seq, mutationId: newId(), recordId, op: 'upsert', baseVersion, patch };
}

export function deleteOf(recordId: string, seq: number, baseVersion: number | null = null): Mutation {
  return { seq, mutationId: newId(), recordId, op: 'delete', baseVersion };
}

/** The version inside an opaque cursor — tests only; clients never read it. */
export function cursorVersion(cursor: string): number {
  return (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v: number }).v;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
