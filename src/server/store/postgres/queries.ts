// The SQL behind the Store's reads and a transaction's writes on PostgreSQL, on the pool or on one
// transaction's client; failures that are not the caller's fault become TemporaryStoreError.
import type { QueryResult, QueryResultRow } from 'pg';
import type {
  ClientRow,
  CommuneInfo,
  HamletRow,
  HistoryEntry,
  HistoryRow,
  PullScope,
  Reads,
  RecordRow,
  StoredResult,
  Tx,
  UserRow,
} from '../store.ts';
import { storeError } from './errors.ts';
import {
  HISTORY_COLUMNS,
  RECORD_COLUMNS,
  USER_COLUMNS,
  asObject,
  json,
  toHistory,
  toRecord,
  toUser,
  type PgHistory,
  type PgRecord,
  type PgUser,
} from './rows.ts';

/** A pg Pool or a checked-out client. */
export interface Queryable {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/** `where` for a pull scope, appending its parameters to `params` ($n numbered after them). */
export function scopeClause(s: PullScope, alias: string, params: unknown[]): string {
  const p = alias ? `${alias}.` : '';
  const next = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  switch (s.kind) {
    case 'volunteer':
      return s.teamId === null
        ? `${p}volunteer_id = ${next(s.userId)}`
        : `(${p}volunteer_id = ${next(s.userId)} OR ${p}team_id = ${next(s.teamId)})`;
    case 'team':
      return `${p}team_id = ${next(s.teamId)}`;
    case 'commune':
      return `${p}commune_code = ${next(s.communeCode)}`;
  }
}

export class PgReads implements Reads {
  protected readonly db: Queryable;
  constructor(db: Queryable) {
    this.db = db;
  }

  /** Runs before every read or write of sync data; a transaction takes the counter lock here. */
  protected async ready(): Promise<void> {}

  protected async rows<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    try {
      return (await this.db.query<R>(text, values)).rows;
    } catch (e) {
      throw storeError(e);
    }
  }

  protected async run(text: string, values: unknown[] = []): Promise<number> {
    try {
      return (await this.db.query(text, values)).rowCount ?? 0;
    } catch (e) {
      throw storeError(e);
    }
  }

  async getUser(id: string): Promise<UserRow | null> {
    await this.ready();
    const [r] = await this.rows<PgUser>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return r ? toUser(r) : null;
  }

  async findUserByUsername(username: string): Promise<UserRow | null> {
    await this.ready();
    const [r] = await this.rows<PgUser>(`SELECT ${USER_COLUMNS} FROM users WHERE username = $1`, [username]);
    return r ? toUser(r) : null;
  }

  async getCommune(code: string): Promise<CommuneInfo | null> {
    await this.ready();
    const [c] = await this.rows<{ code: string; name: string }>(
      'SELECT code, name FROM communes WHERE code = $1',
      [code],
    );
    if (!c) return null;
    const hamlets = await this.rows<HamletRow>(
      'SELECT id, name FROM hamlets WHERE commune_code = $1 AND active ORDER BY sort_order, id',
      [code],
    );
    return { code: c.code, name: c.name, hamlets: hamlets.map((h) => ({ id: h.id, name: h.name })) };
  }

  async hamletIds(communeCode: string): Promise<Set<string>> {
    await this.ready();
    const rows = await this.rows<{ id: string }>('SELECT id FROM hamlets WHERE commune_code = $1', [
      communeCode,
    ]);
    return new Set(rows.map((r) => r.id));
  }

  async getRecord(id: string): Promise<RecordRow | null> {
    await this.ready();
    const [r] = await this.rows<PgRecord>(`SELECT ${RECORD_COLUMNS} FROM records WHERE id = $1`, [id]);
    return r ? toRecord(r) : null;
  }

  async currentVersion(): Promise<number> {
    await this.ready();
    const [r] = await this.rows<{ version: number }>('SELECT version FROM sync_state WHERE id = 1');
    return r?.version ?? 0;
  }

  async recordHistory(recordId: string): Promise<HistoryRow[]> {
    await this.ready();
    const rows = await this.rows<PgHistory>(
      `SELECT ${HISTORY_COLUMNS} FROM record_history WHERE record_id = $1 ORDER BY id`,
      [recordId],
    );
    return rows.map(toHistory);
  }

  async getClient(clientId: string): Promise<ClientRow | null> {
    await this.ready();
    const [r] = await this.rows<{ client_id: string; user_id: string; last_seq: number }>(
      'SELECT client_id, user_id, last_seq FROM clients WHERE client_id = $1',
      [clientId],
    );
    return r ? { clientId: r.client_id, userId: r.user_id, lastSeq: r.last_seq } : null;
  }
}

/**
 * A write transaction on one pooled client (READ COMMITTED). Before its first read or write of sync
 * data it locks the counter row, so sync transactions of every process run one after another and
 * each statement after the lock sees everything committed before it: no stale read, no lost update,
 * and the version bumped under that lock is in commit order. Session writes (login, logout, touch)
 * do not take the lock; they touch only their own row.
 */
export class PgTx extends PgReads implements Tx {
  #locked = false;

  protected override async ready(): Promise<void> {
    if (this.#locked) return;
    await this.rows('SELECT version FROM sync_state WHERE id = 1 FOR UPDATE');
    this.#locked = true;
  }

  async nextVersion(): Promise<number> {
    await this.ready();
    const [r] = await this.rows<{ version: number }>(
      'UPDATE sync_state SET version = version + 1 WHERE id = 1 RETURNING version',
    );
    if (!r) throw new Error('sync_state has no row: the database was not migrated');
    return r.version;
  }

  async putRecord(row: RecordRow): Promise<void> {
    await this.ready();
    await this.run(
      `INSERT INTO records (${RECORD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (id) DO UPDATE SET commune_code = EXCLUDED.commune_code, team_id = EXCLUDED.team_id,
         volunteer_id = EXCLUDED.volunteer_id, version = EXCLUDED.version, deleted = EXCLUDED.deleted,
         data = EXCLUDED.data, field_meta = EXCLUDED.field_meta, updated_at = EXCLUDED.updated_at`,
      [
        row.id,
        row.communeCode,
        row.teamId,
        row.volunteerId,
        row.version,
        row.deleted,
        json(row.data),
        json(row.fieldMeta),
        row.createdAt,
        row.updatedAt,
      ],
    );
  }

  async addHistory(e: HistoryEntry): Promise<void> {
    await this.ready();
    await this.run(
      `INSERT INTO record_history (record_id, version, mutation_id, user_id, op, patch, replaced, lost, won, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        e.recordId,
        e.version,
        e.mutationId,
        e.userId,
        e.op,
        json(e.patch),
        json(e.replaced),
        e.lost === null ? null : json(e.lost),
        e.won === null ? null : json(e.won),
        e.at,
      ],
    );
  }

  async insertClient(clientId: string, userId: string, at: string): Promise<void> {
    await this.ready();
    await this.run('INSERT INTO clients (client_id, user_id, last_seq, updated_at) VALUES ($1, $2, 0, $3)', [
      clientId,
      userId,
      at,
    ]);
  }

  async setClientSeq(clientId: string, seq: number, at: string): Promise<void> {
    await this.ready();
    await this.run('UPDATE clients SET last_seq = $1, updated_at = $2 WHERE client_id = $3', [
      seq,
      at,
      clientId,
    ]);
  }

  async getMutationResult(clientId: string, seq: number): Promise<StoredResult | null> {
    await this.ready();
    const [r] = await this.rows<{ mutation_id: string; result: unknown }>(
      'SELECT mutation_id, result FROM mutation_results WHERE client_id = $1 AND seq = $2',
      [clientId, seq],
    );
    return r ? { mutationId: r.mutation_id, result: asObject(r.result) } : null;
  }

  async findMutationResults(mutationId: string): Promise<StoredResult[]> {
    await this.ready();
    const rows = await this.rows<{ mutation_id: string; result: unknown }>(
      'SELECT mutation_id, result FROM mutation_results WHERE mutation_id = $1',
      [mutationId],
    );
    return rows.map((r) => ({ mutationId: r.mutation_id, result: asObject(r.result) }));
  }

  async saveMutationResult(clientId: string, seq: number, stored: StoredResult, at: string): Promise<void> {
    await this.ready();
    await this.run(
      'INSERT INTO mutation_results (client_id, seq, mutation_id, result, created_at) VALUES ($1, $2, $3, $4, $5)',
      [clientId, seq, stored.mutationId, json(stored.result), at],
    );
  }

  async insertCommune(code: string, name: string): Promise<void> {
    await this.ready();
    await this.run('INSERT INTO communes (code, name) VALUES ($1, $2)', [code, name]);
  }

  async insertHamlet(h: { id: string; communeCode: string; name: string; sortOrder: number }): Promise<void> {
    await this.ready();
    await this.run(
      'INSERT INTO hamlets (id, commune_code, name, sort_order, active) VALUES ($1, $2, $3, $4, TRUE)',
      [h.id, h.communeCode, h.name, h.sortOrder],
    );
  }

  async insertTeam(t: { id: string; communeCode: string; name: string }): Promise<void> {
    await this.ready();
    await this.run('INSERT INTO teams (id, commune_code, name) VALUES ($1, $2, $3)', [
      t.id,
      t.communeCode,
      t.name,
    ]);
  }

  async insertUser(u: UserRow): Promise<void> {
    await this.ready();
    await this.run(`INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [
      u.id,
      u.username,
      u.displayName,
      u.passwordHash,
      u.role,
      u.communeCode,
      u.teamId,
      u.active,
    ]);
  }

  async setUserTeam(userId: string, teamId: string | null): Promise<void> {
    await this.ready();
    await this.run('UPDATE users SET team_id = $1 WHERE id = $2', [teamId, userId]);
  }

  async createSession(tokenHash: string, userId: string, at: string): Promise<void> {
    await this.run(
      'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)',
      [tokenHash, userId, at],
    );
  }

  async touchSession(tokenHash: string, at: string): Promise<void> {
    await this.run('UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2', [at, tokenHash]);
  }

  async revokeSession(tokenHash: string, at: string): Promise<void> {
    await this.run('UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL', [
      at,
      tokenHash,
    ]);
  }

  /** Store.prune's work, inside this transaction (the counter lock keeps pushes out meanwhile). */
  async prune(before: string): Promise<{ tombstones: number; results: number; prunedVersion: number }> {
    await this.ready();
    const [old] = await this.rows<{ n: number; v: number }>(
      'SELECT count(*) AS n, coalesce(max(version), 0) AS v FROM records WHERE deleted AND updated_at < $1',
      [before],
    );
    await this.run(
      `DELETE FROM record_history WHERE record_id IN
         (SELECT id FROM records WHERE deleted AND updated_at < $1)`,
      [before],
    );
    await this.run('DELETE FROM records WHERE deleted AND updated_at < $1', [before]);
    const results = await this.run('DELETE FROM mutation_results WHERE created_at < $1', [before]);
    const [s] = await this.rows<{ pruned_version: number }>(
      'UPDATE sync_state SET pruned_version = greatest(pruned_version, $1) WHERE id = 1 RETURNING pruned_version',
      [old?.v ?? 0],
    );
    return { tombstones: old?.n ?? 0, results, prunedVersion: s?.pruned_version ?? 0 };
  }
}
