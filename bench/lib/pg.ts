// PostgreSQL for the server rows: a bench database of its own (created, then dropped), and the raw
// `COPY … FROM STDIN` baseline through psql (the fastest way PostgreSQL takes rows).
import { spawn } from 'node:child_process';
import pg from 'pg';

export const BENCH_PG_BASE = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: BENCH_PG_BASE, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh, empty database `sotay_bench_<name>_<pid>` on the bench server. */
export async function createBenchDatabase(name: string): Promise<BenchDatabase> {
  const db = `sotay_bench_${name}_${process.pid}`;
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${db}`);
    await c.query(`CREATE DATABASE ${db}`);
  });
  const u = new URL(BENCH_PG_BASE);
  u.pathname = `/${db}`;
  return {
    url: u.toString(),
    drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`))),
  };
}

/** True when the bench can reach PostgreSQL (the rows are reported unmeasured otherwise). */
export async function postgresReachable(): Promise<boolean> {
  try {
    await admin(async (c) => c.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

const tsvEscape = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');

/**
 * Raw COPY of the records as `(id, version, data)` rows into a bare table (primary key only), 100 rows per COPY
 * like the pushes, through psql: records per second (NaN, shown as "—", when psql is not installed).
 */
export async function copyBaseline(url: string, rows: { id: string }[]): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('DROP TABLE IF EXISTS raw_records');
    await c.query(
      'CREATE TABLE raw_records (id TEXT PRIMARY KEY, version BIGINT NOT NULL, data JSONB NOT NULL)',
    );
  } finally {
    await c.end();
  }
  const lines = rows.map((r, i) => `${r.id}\t${i + 1}\t${tsvEscape(JSON.stringify(r))}\n`);
  const t0 = performance.now();
  let missing = false;
  await new Promise<void>((resolve, reject) => {
    const psql = spawn('psql', ['-q', '-v', 'ON_ERROR_STOP=1', url], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    psql.stderr.on('data', (d: Buffer) => (err += d.toString()));
    psql.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') return reject(e);
      missing = true;
      resolve();
    });
    psql.stdin.on('error', () => undefined);
    psql.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`psql COPY failed: ${err}`))));
    for (let i = 0; i < lines.length; i += 100) {
      psql.stdin.write('COPY raw_records (id, version, data) FROM STDIN;\n');
      psql.stdin.write(lines.slice(i, i + 100).join(''));
      psql.stdin.write('\\.\n');
    }
    psql.stdin.end();
  });
  return missing ? NaN : rows.length / ((performance.now() - t0) / 1000);
}
