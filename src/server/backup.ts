// Online backup and restore (docs/operations.md, "Backups"): one timestamped folder per backup with
// the database (SQLite backup API, or pg_dump of the schema), the key file and a manifest of sha256s.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { defaultKeyFile } from './privacy/keys.ts';
import { DIR_MODE, FILE_MODE, privateDir } from './store/file-modes.ts';
import { SQLITE_FILE_NAME, openStore } from './store/open.ts';
import { checkSchemaName, isPostgresUrl, parsePostgresUrl } from './store/postgres/url.ts';

const run = promisify(execFile);

export const MANIFEST_NAME = 'manifest.json';
export const DUMP_NAME = 'sotay.dump';
const BACKUP_KEY_NAME = 'sotay-keys.json';
/** pg_dump must be at least the server's major version; older ones refuse to dump. */
export const PG_DUMP_MIN_MAJOR = 14;

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupTarget {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** SOTAY_KEY_FILE, or undefined for DATA_DIR/sotay-keys.json. */
  keyFile?: string | undefined;
}

export interface Manifest {
  format: 1;
  createdAt: string;
  store: 'sqlite' | 'postgres';
  /** The PostgreSQL schema dumped (`public` when DATABASE_URL names none). */
  schema?: string;
  /** The last migration applied in the copy: the code that restores it must know this one. */
  migrationHead: string | null;
  /** The version counter in the copy: the restored server's counter starts from here. */
  version: number;
  files: Record<string, string>;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** The schema a DATABASE_URL works in; pg_dump and pg_restore need a name. */
function pgTarget(url: string): { connectionString: string; schema: string } {
  const t = parsePostgresUrl(url);
  return { connectionString: t.connectionString, schema: t.schema ?? 'public' };
}

async function pgQuery<T>(connectionString: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Major version of a PostgreSQL tool, from `pg_dump --version` ("pg_dump (PostgreSQL) 16.4 …"). */
async function toolMajor(tool: string): Promise<number> {
  try {
    const { stdout } = await run(tool, ['--version']);
    return Number(/(\d+)(?:\.\d+)?/.exec(stdout)?.[1] ?? 0);
  } catch {
    throw new BackupError(`${tool} was not found: install the PostgreSQL client tools (postgresql-client).`);
  }
}

async function checkPgTools(connectionString: string, tool: 'pg_dump' | 'pg_restore'): Promise<void> {
  const mine = await toolMajor(tool);
  const server = await pgQuery(connectionString, async (c) => {
    const r = await c.query<{ v: string }>('SHOW server_version_num');
    return Math.floor(Number(r.rows[0]?.v ?? 0) / 10000);
  });
  if (mine < Math.max(server, PG_DUMP_MIN_MAJOR))
    throw new BackupError(
      `${tool} ${mine} is older than the PostgreSQL server (${server}): install postgresql-client-${server} or newer.`,
    );
}

/**
 * A consistent copy of a running server's data in `outDir/sotay-backup-<UTC time>/`, made under a
 * temporary name and renamed when complete, so a half-written backup never looks like one.
 */
export async function backup(target: BackupTarget, outDir: string, now = new Date()): Promise<string> {
  // Created private if missing; an existing one is left as it is (it may be a shared mount).
  mkdirSync(outDir, { recursive: true, mode: DIR_MODE });
  const final = join(outDir, `sotay-backup-${stamp(now)}`);
  if (existsSync(final)) throw new BackupError(`${final} exists already.`);
  const work = join(outDir, `.partial-${randomBytes(6).toString('hex')}`);
  mkdirSync(work, { mode: DIR_MODE });
  try {
    const keyFile = target.keyFile ?? defaultKeyFile(target.dataDir);
    if (!existsSync(keyFile))
      throw new BackupError(`No key file at ${keyFile}: without it contacts and citizen counts are lost.`);
    let manifest: Omit<Manifest, 'files'>;
    if (isPostgresUrl(target.databaseUrl)) manifest = await dumpPostgres(target.databaseUrl ?? '', work, now);
    else manifest = await copySqlite(target.dataDir, work, now);
    // The key file is replaced whole by a rename when it changes, so a plain copy is never torn.
    copyFileSync(keyFile, join(work, BACKUP_KEY_NAME));
    const files: Record<string, string> = {};
    for (const f of readdirSync(work).sort()) {
      chmodSync(join(work, f), FILE_MODE);
      files[f] = sha256(join(work, f));
    }
    const full: Manifest = { ...manifest, files };
    writeFileSync(join(work, MANIFEST_NAME), `${JSON.stringify(full, null, 2)}\n`, { mode: FILE_MODE });
    renameSync(work, final);
    return final;
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
}

function sqliteFacts(file: string): { migrationHead: string | null; version: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const head = db.prepare('SELECT max(name) AS name FROM schema_migrations').get() as {
      name: string | null;
    };
    const v = db.prepare('SELECT version FROM sync_state WHERE id = 1').get() as { version: number };
    return { migrationHead: head.name, version: v.version };
  } finally {
    db.close();
  }
}

async function copySqlite(dataDir: string, work: string, now: Date): Promise<Omit<Manifest, 'files'>> {
  const source = join(dataDir, SQLITE_FILE_NAME);
  if (!existsSync(source)) throw new BackupError(`No database at ${source}.`);
  const dest = join(work, SQLITE_FILE_NAME);
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    // All remaining pages in one step: one read transaction, so writers (WAL) never restart it.
    await db.backup(dest, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  const check = new Database(dest, { fileMustExist: true });
  try {
    // The copy stands alone: one file, no -wal beside it.
    check.pragma('journal_mode = DELETE');
    const ok = check.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new BackupError(`The copy fails PRAGMA integrity_check: ${String(ok)}`);
  } finally {
    check.close();
  }
  return { format: 1, createdAt: now.toISOString(), store: 'sqlite', ...sqliteFacts(dest) };
}

async function dumpPostgres(url: string, work: string, now: Date): Promise<Omit<Manifest, 'files'>> {
  const { connectionString, schema } = pgTarget(url);
  await checkPgTools(connectionString, 'pg_dump');
  // The facts first: the dump's snapshot is at least as new, so its counter is not below this one.
  const facts = await pgQuery(connectionString, async (c) => {
    const head = await c.query<{ name: string | null }>(
      `SELECT max(name) AS name FROM ${schema}.schema_migrations`,
    );
    const v = await c.query<{ version: string }>(`SELECT version FROM ${schema}.sync_state WHERE id = 1`);
    return { migrationHead: head.rows[0]?.name ?? null, version: Number(v.rows[0]?.version ?? 0) };
  });
  try {
    await run('pg_dump', [
      '--format=custom',
      `--schema=${schema}`,
      '--no-owner',
      '--no-privileges',
      `--file=${join(work, DUMP_NAME)}`,
      `--dbname=${connectionString}`,
    ]);
  } catch (e) {
    throw new BackupError(`pg_dump failed: ${(e as { stderr?: string }).stderr ?? String(e)}`);
  }
  return { format: 1, createdAt: now.toISOString(), store: 'postgres', schema, ...facts };
}

/** The manifest of a backup folder, every file checked against its sha256. */
export function verifyBackup(dir: string): Manifest {
  const path = join(dir, MANIFEST_NAME);
  if (!existsSync(path)) throw new BackupError(`${dir} has no ${MANIFEST_NAME}: not a backup folder.`);
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  if (manifest.format !== 1 || typeof manifest.files !== 'object')
    throw new BackupError(`${path} is not a manifest this version reads.`);
  for (const [name, hash] of Object.entries(manifest.files)) {
    const file = join(dir, basename(name));
    if (!existsSync(file)) throw new BackupError(`The backup lacks ${name}.`);
    if (sha256(file) !== hash) throw new BackupError(`${name} does not match its sha256 in the manifest.`);
  }
  if (!(BACKUP_KEY_NAME in manifest.files)) throw new BackupError(`The backup lacks ${BACKUP_KEY_NAME}.`);
  return manifest;
}

export interface RestoreReport {
  manifest: Manifest;
  /** The restore epoch written into the restored database. */
  restoredAt: string;
}

/**
 * Puts a checked backup in place of an empty data dir or PostgreSQL schema (any other only with
 * `force`), with the key file, and marks the database as restored (the protocol's restore rule).
 * The server must not be running on the target.
 */
export async function restore(
  target: BackupTarget,
  dir: string,
  options: { force?: boolean; now?: Date } = {},
): Promise<RestoreReport> {
  const manifest = verifyBackup(dir);
  const restoredAt = (options.now ?? new Date()).toISOString();
  const keyFile = target.keyFile ?? defaultKeyFile(target.dataDir);
  const postgres = isPostgresUrl(target.databaseUrl);
  if ((manifest.store === 'postgres') !== postgres)
    throw new BackupError(
      `This is a ${manifest.store} backup; set ${postgres ? 'no DATABASE_URL' : 'DATABASE_URL'} to restore it.`,
    );
  // The key file is checked first and written last, and never over another one unless forced: it
  // is what opens the contacts.
  if (existsSync(keyFile) && !options.force && sha256(keyFile) !== manifest.files[BACKUP_KEY_NAME])
    throw new BackupError(`${keyFile} exists and differs from the backup's: add --force to replace it.`);
  if (postgres) await restorePostgres(target.databaseUrl ?? '', dir, manifest, !!options.force);
  else restoreSqlite(target.dataDir, dir, !!options.force);
  await markRestored(target, restoredAt, manifest);
  mkdirSync(dirname(keyFile), { recursive: true, mode: DIR_MODE });
  const tmp = `${keyFile}.${randomBytes(6).toString('hex')}.tmp`;
  copyFileSync(join(dir, BACKUP_KEY_NAME), tmp);
  chmodSync(tmp, FILE_MODE);
  renameSync(tmp, keyFile);
  return { manifest, restoredAt };
}

function restoreSqlite(dataDir: string, dir: string, force: boolean): void {
  privateDir(dataDir);
  const dest = join(dataDir, SQLITE_FILE_NAME);
  const present = [dest, `${dest}-wal`, `${dest}-shm`, `${dest}-journal`].filter(
    (f) => existsSync(f) && (f !== dest || statSync(f).size > 0),
  );
  if (present.length > 0 && !force)
    throw new BackupError(`${dataDir} already holds a database: restore into an empty one, or add --force.`);
  const tmp = join(dataDir, `.restore-${randomBytes(6).toString('hex')}.sqlite`);
  copyFileSync(join(dir, SQLITE_FILE_NAME), tmp);
  chmodSync(tmp, FILE_MODE);
  for (const f of present) rmSync(f, { force: true });
  renameSync(tmp, dest);
}

async function restorePostgres(url: string, dir: string, manifest: Manifest, force: boolean): Promise<void> {
  const { connectionString, schema } = pgTarget(url);
  if (manifest.schema !== undefined) checkSchemaName(manifest.schema);
  if (manifest.schema !== schema)
    throw new BackupError(
      `The backup holds schema "${manifest.schema}"; restore it into a DATABASE_URL with ?schema=${manifest.schema}` +
        ' (in an empty database or one without that schema).',
    );
  await checkPgTools(connectionString, 'pg_restore');
  await pgQuery(connectionString, async (c) => {
    const n = await c.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_class k JOIN pg_namespace s ON s.oid = k.relnamespace WHERE s.nspname = $1`,
      [schema],
    );
    if (Number(n.rows[0]?.n ?? 0) > 0 && !force)
      throw new BackupError(`Schema "${schema}" is not empty: restore into an empty one, or add --force.`);
    // The dump creates the schema itself; an empty one left in the way would make it fail.
    await c.query(`DROP SCHEMA IF EXISTS ${schema} ${force ? 'CASCADE' : 'RESTRICT'}`);
  });
  try {
    await run('pg_restore', [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${connectionString}`,
      join(dir, DUMP_NAME),
    ]);
  } catch (e) {
    throw new BackupError(`pg_restore failed: ${(e as { stderr?: string }).stderr ?? String(e)}`);
  }
}

/**
 * Versions skipped at each restore: far more writes than any server makes between two backups, so
 * every version the lost history gave out falls in the gap (and 9 million restores still fit in a
 * JavaScript safe integer).
 */
export const RESTORE_GAP = 1_000_000_000;

const MARK_SQL = {
  insert: `INSERT INTO restores (restored_at, version, restored_below, backup_created_at)
           SELECT $1, version, version + $2, $3 FROM sync_state WHERE id = 1`,
  bump: `UPDATE sync_state SET restored_from = version, restored_below = version + $1,
           version = version + $1 WHERE id = 1`,
};

/**
 * Brings the restored database up to this code's migrations, then writes the restore epoch: the
 * version counter jumps by RESTORE_GAP, so versions that phones and cursors may still carry from
 * the history the backup did not have fall in a gap this database never issues, and the server
 * tells them apart (sync-protocol.md, "Restored from a backup").
 */
async function markRestored(target: BackupTarget, restoredAt: string, manifest: Manifest): Promise<void> {
  const store = openStore(target);
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
  if (isPostgresUrl(target.databaseUrl)) {
    const { connectionString, schema } = pgTarget(target.databaseUrl ?? '');
    await pgQuery(connectionString, async (c) => {
      await c.query(`SET search_path = ${schema}`);
      await c.query('BEGIN');
      await c.query(MARK_SQL.insert, [restoredAt, RESTORE_GAP, manifest.createdAt]);
      await c.query(MARK_SQL.bump, [RESTORE_GAP]);
      await c.query('COMMIT');
    });
    return;
  }
  const db = new Database(join(target.dataDir, SQLITE_FILE_NAME), { fileMustExist: true });
  try {
    db.transaction(() => {
      db.prepare(MARK_SQL.insert.replace(/\$\d/g, '?')).run(restoredAt, RESTORE_GAP, manifest.createdAt);
      db.prepare(MARK_SQL.bump.replace(/\$\d/g, '?')).run(RESTORE_GAP, RESTORE_GAP);
    })();
  } finally {
    db.close();
  }
}
