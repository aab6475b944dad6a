// Helpers of the per-migration tests: a fresh database migrated up to the migration before the one
// under test, a way to apply that one alone, and a look at the schema and rows on either store.
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { SQLITE_FILE_NAME } from '../../../src/server/store/open.ts';
import {
  SHIPPED_MIGRATIONS,
  STORE_KINDS,
  migrationsUpTo,
  pgClient,
  testDatabase,
  type StoreKind,
  type TestDatabase,
} from '../harness.ts';

export { STORE_KINDS, type StoreKind };

/** The `.sql` files one store ships, in name order. */
export function shippedNames(kind: StoreKind): string[] {
  return readdirSync(SHIPPED_MIGRATIONS[kind])
    .filter((f) => f.endsWith('.sql'))
    .sort();
}

/** A column as both stores describe it: its name, whether it may be NULL, and its default (SQL text). */
export interface Column {
  name: string;
  nullable: boolean;
  default: string | null;
}

/** A look inside one test database: rows, schema, on either store. */
export interface Look {
  kind: StoreKind;
  db: TestDatabase;
  /** Rows of one statement; `$1`… parameters on both stores. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** One statement with no answer; `$1`… parameters on both stores. */
  run(sql: string, params?: unknown[]): Promise<void>;
  /** A boolean as this store's column takes it (SQLite: 0/1). */
  bool(v: boolean): boolean | number;
  tables(): Promise<string[]>;
  columns(table: string): Promise<Column[]>;
  indexes(table: string): Promise<string[]>;
  triggers(table: string): Promise<string[]>;
  /** Every table with its columns, indexes and triggers, to compare a schema before and after. */
  snapshot(): Promise<Snapshot>;
  /** Close the connection the look holds (PostgreSQL). */
  close(): Promise<void>;
}

export type Snapshot = Record<string, { columns: Column[]; indexes: string[]; triggers: string[] }>;

/** A database migrated up to, not including, the migration under test. */
export interface Staged extends Look {
  /** The copy of the migrations the database is migrated with. */
  dir: string;
  /** Apply the migration under test alone; answers what the ledger applied. */
  apply(): Promise<string[]>;
  /** Remove the database and the copy of the migrations. */
  drop(): Promise<void>;
}

export function look(db: TestDatabase): Look {
  const kind = db.kind;
  let client: pg.Client | null = null;
  const query = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    if (kind === 'postgres') {
      client ??= await pgClient(db.name);
      return (await client.query(sql, params)).rows as T[];
    }
    const raw = new Database(join(db.name, SQLITE_FILE_NAME));
    try {
      // `$n` may repeat: each becomes a `?` bound to the n-th value.
      const bound: unknown[] = [];
      const stmt = raw.prepare(
        sql.replace(/\$(\d+)/g, (_, n: string) => {
          bound.push(params[Number(n) - 1]);
          return '?';
        }),
      );
      if (!stmt.reader) {
        stmt.run(...bound);
        return [];
      }
      return stmt.all(...bound) as T[];
    } finally {
      raw.close();
    }
  };
  const columns = async (table: string): Promise<Column[]> => {
    if (kind === 'postgres')
      return (
        await query<{ name: string; nullable: string; default: string | null }>(
          `SELECT column_name AS name, is_nullable AS nullable, column_default AS default
             FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1
            ORDER BY ordinal_position`,
          [table],
        )
      ).map((c) => ({ name: c.name, nullable: c.nullable === 'YES', default: c.default }));
    return (
      await query<{ name: string; notnull: number; pk: number; dflt_value: string | null }>(
        `SELECT name, "notnull", pk, dflt_value FROM pragma_table_info($1) ORDER BY cid`,
        [table],
      )
    ).map((c) => ({ name: c.name, nullable: c.notnull === 0 && c.pk === 0, default: c.dflt_value }));
  };
  const names = async (sql: string, params: unknown[]): Promise<string[]> =>
    (await query<{ name: string }>(sql, params)).map((r) => r.name).sort();
  const tables = (): Promise<string[]> =>
    kind === 'postgres'
      ? names(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`, [])
      : names(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`, []);
  const indexes = (table: string): Promise<string[]> =>
    kind === 'postgres'
      ? names(
          `SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1`,
          [table],
        )
      : names(
          `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND name NOT LIKE 'sqlite_%'`,
          [table],
        );
  const triggers = (table: string): Promise<string[]> =>
    kind === 'postgres'
      ? names(
          `SELECT t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
             WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal`,
          [table],
        )
      : names(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1`, [table]);
  return {
    kind,
    db,
    query,
    run: async (sql, params) => {
      await query(sql, params);
    },
    bool: (v) => (kind === 'sqlite' ? (v ? 1 : 0) : v),
    tables,
    columns,
    indexes,
    triggers,
    async snapshot() {
      const out: Snapshot = {};
      for (const t of await tables())
        out[t] = { columns: await columns(t), indexes: await indexes(t), triggers: await triggers(t) };
      return out;
    },
    async close() {
      const c = client as pg.Client | null;
      client = null;
      await c?.end();
    },
  };
}

/** A fresh database of `kind` migrated with every shipped migration that sorts before `name`. */
export async function stageBefore(kind: StoreKind, name: string): Promise<Staged> {
  const shipped = SHIPPED_MIGRATIONS[kind];
  const copy = migrationsUpTo(kind, name);
  const db = await testDatabase(kind);
  const migrate = async (): Promise<string[]> => {
    const store = db.open({ migrationsDir: copy.dir });
    try {
      return (await store.migrate()).applied;
    } finally {
      await store.close();
    }
  };
  await migrate();
  const l = look(db);
  return {
    ...l,
    dir: copy.dir,
    async apply() {
      copyFileSync(join(shipped, name), join(copy.dir, name));
      return migrate();
    },
    async drop() {
      await l.close();
      await db.drop();
      copy.remove();
    },
  };
}

/** The names of a table's columns. */
export async function columnNames(s: Look, table: string): Promise<string[]> {
  return (await s.columns(table)).map((c) => c.name);
}

/**
 * Insert a record as the store wrote them at the stage the database is in: SQLite's writer copied the
 * tally columns (from 20261128-03) out of `data` itself; PostgreSQL generates them.
 */
export async function insertRecord(
  s: Look,
  r: {
    id: string;
    commune?: string;
    team?: string;
    volunteer?: string;
    deleted?: boolean;
    data: Record<string, unknown>;
  },
): Promise<void> {
  const data = JSON.stringify(r.data);
  const at = '2026-04-01T00:00:00.000Z';
  const base = [
    r.id,
    r.commune ?? '99001',
    r.team ?? 'team-1',
    r.volunteer ?? 'v1',
    s.bool(r.deleted ?? false),
  ];
  const cols = await columnNames(s, 'records');
  if (s.kind === 'postgres' || !cols.includes('occurred_on')) {
    await s.run(
      `INSERT INTO records (id, commune_code, team_id, volunteer_id, version, deleted, data, field_meta,
         created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $6, '{}', $7, $7)`,
      [...base, data, at],
    );
    return;
  }
  const d = r.data as Record<string, string | undefined>;
  await s.run(
    `INSERT INTO records (id, commune_code, team_id, volunteer_id, version, deleted, data, field_meta,
       created_at, updated_at, occurred_on, hamlet_id, category, outcome, service_code)
     VALUES ($1, $2, $3, $4, 1, $5, $6, '{}', $7, $7, $8, $9, $10, $11, $12)`,
    [
      ...base,
      data,
      at,
      d.occurredOn ?? null,
      d.hamletId ?? null,
      d.category ?? null,
      d.outcome ?? null,
      d.serviceCode ?? null,
    ],
  );
}

/** Replace a record's `data` as the store's writer did: on SQLite the tally columns are set with it. */
export async function updateRecordData(s: Look, id: string, data: Record<string, unknown>): Promise<void> {
  const json = JSON.stringify(data);
  if (s.kind === 'postgres') {
    await s.run('UPDATE records SET data = $2 WHERE id = $1', [id, json]);
    return;
  }
  const d = data as Record<string, string | undefined>;
  await s.run(
    `UPDATE records SET data = $2, occurred_on = $3, hamlet_id = $4, category = $5, outcome = $6,
       service_code = $7 WHERE id = $1`,
    [
      id,
      json,
      d.occurredOn ?? null,
      d.hamletId ?? null,
      d.category ?? null,
      d.outcome ?? null,
      d.serviceCode ?? null,
    ],
  );
}

/** Rows of a query with every numeric-looking count as a number (PostgreSQL answers BIGINT as text). */
export function numbers<T extends Record<string, unknown>>(rows: T[], keys: (keyof T)[]): T[] {
  return rows.map((r) => {
    const out = { ...r };
    for (const k of keys) out[k] = Number(r[k]) as T[keyof T];
    return out;
  });
}

/** Run `fn` on a database staged before `name`, then remove it whatever happens. */
export async function withStage(
  kind: StoreKind,
  name: string,
  fn: (s: Staged) => Promise<void>,
): Promise<void> {
  const s = await stageBefore(kind, name);
  try {
    await fn(s);
  } finally {
    await s.drop();
  }
}
