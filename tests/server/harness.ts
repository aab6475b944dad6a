// Test harness: a real server on an ephemeral port over a real SQLite file in a fresh temp dir,
// plus helpers to log in, push, pull and make fake records (generated, never real personal data).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import {
  SCHEMA_VERSION,
  newId,
  type LogRecord,
  type LoginResponse,
  type Mutation,
  type PullResponse,
  type PushResponse,
} from '../../src/shared/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { seedDemo } from '../../src/server/demo.ts';
import { SQLITE_FILE_NAME, openStore } from '../../src/server/store/open.ts';
import type { Store } from '../../src/server/store/store.ts';

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  method?: string;
  token?: string;
  /** A value is sent as JSON; a string is sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestServer {
  url: string;
  dataDir: string;
  store: Store;
  app: FastifyInstance;
  request<T = unknown>(path: string, options?: RequestOptions): Promise<Answer<T>>;
  login(username: string, password?: string): Promise<LoginResponse>;
  push(
    token: string,
    clientId: string,
    mutations: Mutation[],
    schemaVersion?: number,
  ): Promise<Answer<PushResponse>>;
  pull(token: string, clientId: string, cursor: string | null, limit?: number): Promise<Answer<PullResponse>>;
  /** Stop the server and close the store; the data dir stays for a restart. */
  stop(): Promise<void>;
}

export function tempDir(prefix = 'sotay-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function startServer(
  options: { dataDir?: string; demo?: boolean; staticDir?: string | null } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  const store = openStore({ dataDir });
  await store.migrate();
  if (options.demo ?? true) await seedDemo(store);
  const app = await buildApp({ store, staticDir: options.staticDir ?? null });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const url = `http://127.0.0.1:${address.port}`;

  const request = async <T>(path: string, o: RequestOptions = {}): Promise<Answer<T>> => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.body !== undefined) {
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
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
  };

  const server: TestServer = {
    url,
    dataDir,
    store,
    app,
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
  return server;
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

/** A read-only look into the server's database file, for what the API does not show. */
export function inspectDb(dataDir: string): Database.Database {
  return new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
}

export function globalVersion(dataDir: string): number {
  const db = inspectDb(dataDir);
  try {
    return (db.prepare('SELECT version FROM sync_state WHERE id = 1').get() as { version: number }).version;
  } finally {
    db.close();
  }
}

export function countRows(dataDir: string, table: string): number {
  const db = inspectDb(dataDir);
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}
