// One PostgreSQL connection (the pool or a transaction's client) as every domain's SQL uses it:
// failures mapped to store errors, and the counter lock taken before sync data in a transaction.
import type { QueryResult, QueryResultRow } from 'pg';
import { HELPERS } from '../compose.ts';
import { storeError } from './errors.ts';

/** A pg Pool or a checked-out client. */
export interface Queryable {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/** The query helpers (errors already mapped). */
export interface PgQuery {
  rows<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  run(text: string, values?: unknown[]): Promise<number>;
}

export interface PgConn extends PgQuery {
  /** Runs before every read or write of sync data; a transaction takes the counter lock here. */
  ready(): Promise<void>;
}

/**
 * `lockCounter` (a write transaction): before its first read or write of sync data it locks the
 * counter row, so sync transactions of every process run one after another.
 */
export function pgConn(db: Queryable, lockCounter: boolean): PgConn {
  let locked = !lockCounter;
  const conn: PgConn = {
    async rows<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
      try {
        return (await db.query<R>(text, values)).rows;
      } catch (e) {
        throw storeError(e);
      }
    },
    async run(text: string, values: unknown[] = []): Promise<number> {
      try {
        return (await db.query(text, values)).rowCount ?? 0;
      } catch (e) {
        throw storeError(e);
      }
    },
    async ready(): Promise<void> {
      if (locked) return;
      await conn.rows('SELECT version FROM sync_state WHERE id = 1 FOR UPDATE');
      locked = true;
    },
  };
  return conn;
}

/** The base of each domain's PostgreSQL part: the helpers its SQL was written against. */
export class PgPart {
  static readonly [HELPERS] = true;
  constructor(protected readonly conn: PgConn) {}
  protected ready(): Promise<void> {
    return this.conn.ready();
  }
  protected rows<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    return this.conn.rows<R>(text, values);
  }
  protected run(text: string, values: unknown[] = []): Promise<number> {
    return this.conn.run(text, values);
  }
}
