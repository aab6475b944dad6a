// One connection's prepared statements, made on first use and kept (every domain's sqlite.ts runs
// its SQL through it).
import type Database from 'better-sqlite3';
import { TemporaryStoreError } from '../store.ts';

type Db = Database.Database;

/** Prepared statements, made once per connection. */
export class Statements {
  readonly #db: Db;
  readonly #cache = new Map<string, Database.Statement>();
  constructor(db: Db) {
    this.#db = db;
  }
  get(sql: string): Database.Statement {
    // A closed store is a temporary condition for the API (shutting down): 503, not 500.
    if (!this.#db.open) throw new TemporaryStoreError('the SQLite store is closed');
    let stmt = this.#cache.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      this.#cache.set(sql, stmt);
    }
    return stmt;
  }
}
