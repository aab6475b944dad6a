// The SQL behind the Store's reads and a transaction's writes, for one better-sqlite3 connection.
// better-sqlite3 is synchronous; the methods are async only to honour the Store interface.
import type Database from 'better-sqlite3';
import {
  TemporaryStoreError,
  type ClientRow,
  type CommuneInfo,
  type HistoryEntry,
  type HistoryRow,
  type HamletRow,
  type Reads,
  type RecordRow,
  type StoredResult,
  type Tx,
  type UserRow,
} from '../store.ts';
import {
  HISTORY_COLUMNS,
  RECORD_COLUMNS,
  USER_COLUMNS,
  parseObject,
  toHistory,
  toRecord,
  toUser,
  type RawHistory,
  type RawRecord,
  type RawUser,
} from './rows.ts';

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

export class SqliteReads implements Reads {
  protected readonly sql: Statements;
  constructor(sql: Statements) {
    this.sql = sql;
  }

  async getUser(id: string): Promise<UserRow | null> {
    const r = this.sql.get(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`).get(id) as RawUser | undefined;
    return r ? toUser(r) : null;
  }

  async findUserByUsername(username: string): Promise<UserRow | null> {
    const r = this.sql.get(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`).get(username) as
      RawUser | undefined;
    return r ? toUser(r) : null;
  }

  async getCommune(code: string): Promise<CommuneInfo | null> {
    const c = this.sql.get('SELECT code, name FROM communes WHERE code = ?').get(code) as
      { code: string; name: string } | undefined;
    if (!c) return null;
    const hamlets = this.sql
      .get('SELECT id, name FROM hamlets WHERE commune_code = ? AND active = 1 ORDER BY sort_order, id')
      .all(code) as HamletRow[];
    return { code: c.code, name: c.name, hamlets };
  }

  async hamletIds(communeCode: string): Promise<Set<string>> {
    const rows = this.sql.get('SELECT id FROM hamlets WHERE commune_code = ?').all(communeCode) as {
      id: string;
    }[];
    return new Set(rows.map((r) => r.id));
  }

  async getRecord(id: string): Promise<RecordRow | null> {
    const r = this.sql.get(`SELECT ${RECORD_COLUMNS} FROM records WHERE id = ?`).get(id) as
      RawRecord | undefined;
    return r ? toRecord(r) : null;
  }

  async currentVersion(): Promise<number> {
    const r = this.sql.get('SELECT version FROM sync_state WHERE id = 1').get() as { version: number };
    return r.version;
  }

  async recordHistory(recordId: string): Promise<HistoryRow[]> {
    const rows = this.sql
      .get(`SELECT ${HISTORY_COLUMNS} FROM record_history WHERE record_id = ? ORDER BY id`)
      .all(recordId);
    return (rows as RawHistory[]).map(toHistory);
  }

  async getClient(clientId: string): Promise<ClientRow | null> {
    const r = this.sql
      .get('SELECT client_id, user_id, last_seq FROM clients WHERE client_id = ?')
      .get(clientId) as { client_id: string; user_id: string; last_seq: number } | undefined;
    return r ? { clientId: r.client_id, userId: r.user_id, lastSeq: r.last_seq } : null;
  }
}

export class SqliteTx extends SqliteReads implements Tx {
  async nextVersion(): Promise<number> {
    const r = this.sql
      .get('UPDATE sync_state SET version = version + 1 WHERE id = 1 RETURNING version')
      .get() as {
      version: number;
    };
    return r.version;
  }

  async putRecord(row: RecordRow): Promise<void> {
    this.sql
      .get(
        `INSERT INTO records (${RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET commune_code = excluded.commune_code, team_id = excluded.team_id,
           volunteer_id = excluded.volunteer_id, version = excluded.version, deleted = excluded.deleted,
           data = excluded.data, field_meta = excluded.field_meta, updated_at = excluded.updated_at`,
      )
      .run(
        row.id,
        row.communeCode,
        row.teamId,
        row.volunteerId,
        row.version,
        row.deleted ? 1 : 0,
        JSON.stringify(row.data),
        JSON.stringify(row.fieldMeta),
        row.createdAt,
        row.updatedAt,
      );
  }

  async addHistory(e: HistoryEntry): Promise<void> {
    this.sql
      .get(
        `INSERT INTO record_history (record_id, version, mutation_id, user_id, op, patch, replaced, lost, won, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        e.recordId,
        e.version,
        e.mutationId,
        e.userId,
        e.op,
        JSON.stringify(e.patch),
        JSON.stringify(e.replaced),
        e.lost === null ? null : JSON.stringify(e.lost),
        e.won === null ? null : JSON.stringify(e.won),
        e.at,
      );
  }

  async insertClient(clientId: string, userId: string, at: string): Promise<void> {
    this.sql
      .get('INSERT INTO clients (client_id, user_id, last_seq, updated_at) VALUES (?, ?, 0, ?)')
      .run(clientId, userId, at);
  }

  async setClientSeq(clientId: string, seq: number, at: string): Promise<void> {
    this.sql
      .get('UPDATE clients SET last_seq = ?, updated_at = ? WHERE client_id = ?')
      .run(seq, at, clientId);
  }

  async getMutationResult(clientId: string, seq: number): Promise<StoredResult | null> {
    const r = this.sql
      .get('SELECT mutation_id, result FROM mutation_results WHERE client_id = ? AND seq = ?')
      .get(clientId, seq) as { mutation_id: string; result: string } | undefined;
    return r ? { mutationId: r.mutation_id, result: parseObject(r.result) } : null;
  }

  async findMutationResults(mutationId: string): Promise<StoredResult[]> {
    const rows = this.sql
      .get('SELECT mutation_id, result FROM mutation_results WHERE mutation_id = ?')
      .all(mutationId) as { mutation_id: string; result: string }[];
    return rows.map((r) => ({ mutationId: r.mutation_id, result: parseObject(r.result) }));
  }

  async saveMutationResult(clientId: string, seq: number, stored: StoredResult, at: string): Promise<void> {
    this.sql
      .get(
        'INSERT INTO mutation_results (client_id, seq, mutation_id, result, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(clientId, seq, stored.mutationId, JSON.stringify(stored.result), at);
  }

  async insertCommune(code: string, name: string): Promise<void> {
    this.sql.get('INSERT INTO communes (code, name) VALUES (?, ?)').run(code, name);
  }

  async insertHamlet(h: { id: string; communeCode: string; name: string; sortOrder: number }): Promise<void> {
    this.sql
      .get('INSERT INTO hamlets (id, commune_code, name, sort_order, active) VALUES (?, ?, ?, ?, 1)')
      .run(h.id, h.communeCode, h.name, h.sortOrder);
  }

  async insertTeam(t: { id: string; communeCode: string; name: string }): Promise<void> {
    this.sql
      .get('INSERT INTO teams (id, commune_code, name) VALUES (?, ?, ?)')
      .run(t.id, t.communeCode, t.name);
  }

  async insertUser(u: UserRow): Promise<void> {
    this.sql
      .get(`INSERT INTO users (${USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        u.id,
        u.username,
        u.displayName,
        u.passwordHash,
        u.role,
        u.communeCode,
        u.teamId,
        u.active ? 1 : 0,
      );
  }

  async setUserTeam(userId: string, teamId: string | null): Promise<void> {
    this.sql.get('UPDATE users SET team_id = ? WHERE id = ?').run(teamId, userId);
  }

  async createSession(tokenHash: string, userId: string, at: string): Promise<void> {
    this.sql
      .get('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash, userId, at, at);
  }

  async touchSession(tokenHash: string, at: string): Promise<void> {
    this.sql.get('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?').run(at, tokenHash);
  }

  async revokeSession(tokenHash: string, at: string): Promise<void> {
    this.sql
      .get('UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL')
      .run(at, tokenHash);
  }
}
