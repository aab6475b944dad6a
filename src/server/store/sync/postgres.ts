// The sync domain (sync/types.ts: records, history, the counter, clients, stored results) on one
// PostgreSQL connection; in a transaction every method takes the counter lock first (conn.ts).
import type {
  ClientRow,
  HistoryEntry,
  HistoryRow,
  PullScope,
  RecordRow,
  RestoreMark,
  StoredResult,
  SyncReads,
  SyncTx,
} from './types.ts';
import { PgPart } from '../postgres/conn.ts';
import {
  HISTORY_COLUMNS,
  RECORD_COLUMNS,
  RECORD_SELECT,
  toHistory,
  toRecord,
  toStored,
  type HistoryCells,
  type RecordCells,
  type StoredCells,
} from '../rows.ts';
import { json } from '../postgres/rows.ts';

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

/** Sync reads (sync/types.ts) on the pool or a transaction's client. */
export class PgSyncReads extends PgPart implements SyncReads {
  async getRecord(id: string): Promise<RecordRow | null> {
    await this.ready();
    const [r] = await this.rows<RecordCells>(`SELECT ${RECORD_SELECT} FROM records WHERE id = $1`, [id]);
    return r ? toRecord(r) : null;
  }

  async currentVersion(): Promise<number> {
    await this.ready();
    const [r] = await this.rows<{ version: number }>('SELECT version FROM sync_state WHERE id = 1');
    return r?.version ?? 0;
  }

  async restoreMark(): Promise<RestoreMark> {
    await this.ready();
    const [r] = await this.rows<{ restored_from: number; restored_below: number }>(
      'SELECT restored_from, restored_below FROM sync_state WHERE id = 1',
    );
    return { from: r?.restored_from ?? 0, below: r?.restored_below ?? 0 };
  }

  async recordHistory(recordId: string): Promise<HistoryRow[]> {
    await this.ready();
    const rows = await this.rows<HistoryCells>(
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
export class PgSyncTx extends PgSyncReads implements SyncTx {
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

  async reserveVersions(n: number): Promise<number> {
    await this.ready();
    const [r] = await this.rows<{ version: number }>(
      'UPDATE sync_state SET version = version + $1 WHERE id = 1 RETURNING version',
      [n],
    );
    if (!r) throw new Error('sync_state has no row: the database was not migrated');
    return r.version;
  }

  async insertRecords(rows: readonly RecordRow[]): Promise<void> {
    await this.ready();
    // One statement per 2,000 rows, the columns as arrays: few round trips, no parameter limit.
    for (let i = 0; i < rows.length; i += 2000) {
      const chunk = rows.slice(i, i + 2000);
      await this.run(
        `INSERT INTO records (${RECORD_COLUMNS}, review_state, review_comment)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::boolean[],
           $7::jsonb[], $8::jsonb[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[])`,
        [
          chunk.map((r) => r.id),
          chunk.map((r) => r.communeCode),
          chunk.map((r) => r.teamId),
          chunk.map((r) => r.volunteerId),
          chunk.map((r) => r.version),
          chunk.map((r) => r.deleted),
          chunk.map((r) => json(r.data)),
          chunk.map((r) => json(r.fieldMeta)),
          chunk.map((r) => r.createdAt),
          chunk.map((r) => r.updatedAt),
          chunk.map((r) => r.reviewState ?? null),
          chunk.map((r) => r.reviewComment ?? null),
        ],
      );
    }
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
    const [r] = await this.rows<StoredCells>(
      'SELECT mutation_id, result, payload_hash FROM mutation_results WHERE client_id = $1 AND seq = $2',
      [clientId, seq],
    );
    return r ? toStored(r) : null;
  }

  async findMutationResults(mutationId: string): Promise<StoredResult[]> {
    await this.ready();
    const rows = await this.rows<StoredCells>(
      'SELECT mutation_id, result, payload_hash FROM mutation_results WHERE mutation_id = $1',
      [mutationId],
    );
    return rows.map(toStored);
  }

  async saveMutationResult(clientId: string, seq: number, stored: StoredResult, at: string): Promise<void> {
    await this.ready();
    await this.run(
      'INSERT INTO mutation_results (client_id, seq, mutation_id, result, created_at, payload_hash) VALUES ($1, $2, $3, $4, $5, $6)',
      [clientId, seq, stored.mutationId, json(stored.result), at, stored.payloadHash ?? null],
    );
  }

  // A list is one array parameter (`= ANY($1)`, `unnest`): one round trip per step whatever the
  // batch size, and never near PostgreSQL's 65,535 bound parameters.
  async getRecords(ids: readonly string[]): Promise<RecordRow[]> {
    await this.ready();
    if (ids.length === 0) return [];
    const rows = await this.rows<RecordCells>(
      `SELECT ${RECORD_SELECT} FROM records WHERE id = ANY($1::text[])`,
      [[...ids]],
    );
    return rows.map(toRecord);
  }

  async putRecords(rows: readonly RecordRow[]): Promise<void> {
    await this.ready();
    if (rows.length === 0) return;
    await this.run(
      `INSERT INTO records (${RECORD_COLUMNS})
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::boolean[],
         $7::jsonb[], $8::jsonb[], $9::timestamptz[], $10::timestamptz[])
       ON CONFLICT (id) DO UPDATE SET commune_code = EXCLUDED.commune_code, team_id = EXCLUDED.team_id,
         volunteer_id = EXCLUDED.volunteer_id, version = EXCLUDED.version, deleted = EXCLUDED.deleted,
         data = EXCLUDED.data, field_meta = EXCLUDED.field_meta, updated_at = EXCLUDED.updated_at`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.communeCode),
        rows.map((r) => r.teamId),
        rows.map((r) => r.volunteerId),
        rows.map((r) => r.version),
        rows.map((r) => r.deleted),
        rows.map((r) => json(r.data)),
        rows.map((r) => json(r.fieldMeta)),
        rows.map((r) => r.createdAt),
        rows.map((r) => r.updatedAt),
      ],
    );
  }

  async addHistories(entries: readonly HistoryEntry[]): Promise<void> {
    await this.ready();
    if (entries.length === 0) return;
    // ORDER BY the array position: the identity ids follow the order given.
    await this.run(
      `INSERT INTO record_history (record_id, version, mutation_id, user_id, op, patch, replaced, lost, won, at)
       SELECT record_id, version, mutation_id, user_id, op, patch, replaced, lost, won, at
       FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[],
         $8::jsonb[], $9::jsonb[], $10::timestamptz[])
         WITH ORDINALITY AS e(record_id, version, mutation_id, user_id, op, patch, replaced, lost, won, at, n)
       ORDER BY n`,
      [
        entries.map((e) => e.recordId),
        entries.map((e) => e.version),
        entries.map((e) => e.mutationId),
        entries.map((e) => e.userId),
        entries.map((e) => e.op),
        entries.map((e) => json(e.patch)),
        entries.map((e) => json(e.replaced)),
        entries.map((e) => (e.lost === null ? null : json(e.lost))),
        entries.map((e) => (e.won === null ? null : json(e.won))),
        entries.map((e) => e.at),
      ],
    );
  }

  async findMutationResultsOf(mutationIds: readonly string[]): Promise<StoredResult[]> {
    await this.ready();
    if (mutationIds.length === 0) return [];
    const rows = await this.rows<StoredCells>(
      'SELECT mutation_id, result, payload_hash FROM mutation_results WHERE mutation_id = ANY($1::text[])',
      [[...mutationIds]],
    );
    return rows.map(toStored);
  }

  async getMutationResultRange(
    clientId: string,
    from: number,
    to: number,
  ): Promise<Map<number, StoredResult>> {
    await this.ready();
    const rows = await this.rows<StoredCells & { seq: number }>(
      'SELECT seq, mutation_id, result, payload_hash FROM mutation_results WHERE client_id = $1 AND seq BETWEEN $2 AND $3',
      [clientId, from, to],
    );
    return new Map(rows.map((r) => [r.seq, toStored(r)]));
  }

  async saveMutationResults(
    clientId: string,
    results: readonly { seq: number; stored: StoredResult }[],
    at: string,
  ): Promise<void> {
    await this.ready();
    if (results.length === 0) return;
    await this.run(
      `INSERT INTO mutation_results (client_id, seq, mutation_id, result, created_at, payload_hash)
       SELECT $1::text, seq, mutation_id, result, $4::timestamptz, payload_hash
         FROM unnest($2::integer[], $3::text[], $5::jsonb[], $6::text[]) AS r(seq, mutation_id, result, payload_hash)`,
      [
        clientId,
        results.map((r) => r.seq),
        results.map((r) => r.stored.mutationId),
        at,
        results.map((r) => json(r.stored.result)),
        results.map((r) => r.stored.payloadHash ?? null),
      ],
    );
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
    // Group sessions' tombstones go the same way: one horizon covers the one change feed.
    const [oldSessions] = await this.rows<{ n: number; v: number }>(
      'SELECT count(*) AS n, coalesce(max(version), 0) AS v FROM group_sessions WHERE deleted AND updated_at < $1',
      [before],
    );
    await this.run(
      `DELETE FROM record_history WHERE record_id IN
         (SELECT id FROM group_sessions WHERE deleted AND updated_at < $1)`,
      [before],
    );
    await this.run('DELETE FROM group_sessions WHERE deleted AND updated_at < $1', [before]);
    const results = await this.run('DELETE FROM mutation_results WHERE created_at < $1', [before]);
    const [s] = await this.rows<{ pruned_version: number }>(
      'UPDATE sync_state SET pruned_version = greatest(pruned_version, $1) WHERE id = 1 RETURNING pruned_version',
      [Math.max(old?.v ?? 0, oldSessions?.v ?? 0)],
    );
    return {
      tombstones: (old?.n ?? 0) + (oldSessions?.n ?? 0),
      results,
      prunedVersion: s?.pruned_version ?? 0,
    };
  }
}
