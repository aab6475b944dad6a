// The sync domain (sync/types.ts: records, history, the counter, clients, stored results) on one
// better-sqlite3 connection, synchronous underneath; async only to honour the Store interface.
import type {
  ClientRow,
  HistoryEntry,
  HistoryRow,
  RecordRow,
  RestoreMark,
  StoredResult,
  SyncReads,
  SyncTx,
} from './types.ts';
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
import type { Statements } from '../sqlite/statements.ts';

/** The tally columns of `records`, copied from `data` on every write (migrations 20261128-03, 20261208-02). */
export const TALLY_COLUMNS =
  'occurred_on, hamlet_id, category, outcome, service_code, citizen_no, paid_online, fail_reason';
const TALLY_MARKS = TALLY_COLUMNS.split(', ')
  .map(() => '?')
  .join(', ');

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The first 60 bits of a hex citizenKey as an integer (the column counted distinct). */
export function citizenNo(key: unknown): bigint | null {
  return typeof key === 'string' && /^[0-9a-f]{15}/.test(key) ? BigInt(`0x${key.slice(0, 15)}`) : null;
}

export function tallyValues(data: Record<string, unknown>): (string | bigint | number | null)[] {
  return [
    text(data.occurredOn),
    text(data.hamletId),
    text(data.category),
    text(data.outcome),
    text(data.serviceCode),
    citizenNo(data.citizenKey),
    typeof data.paidOnline === 'boolean' ? Number(data.paidOnline) : null,
    text(data.failReason),
  ];
}

/** Sync reads (sync/types.ts) on one connection. */
export class SqliteSyncReads implements SyncReads {
  protected readonly sql: Statements;
  constructor(sql: Statements) {
    this.sql = sql;
  }

  async getRecord(id: string): Promise<RecordRow | null> {
    const r = this.sql.get(`SELECT ${RECORD_SELECT} FROM records WHERE id = ?`).get(id) as
      RecordCells | undefined;
    return r ? toRecord(r) : null;
  }

  async currentVersion(): Promise<number> {
    const r = this.sql.get('SELECT version FROM sync_state WHERE id = 1').get() as { version: number };
    return r.version;
  }

  async restoreMark(): Promise<RestoreMark> {
    const r = this.sql.get('SELECT restored_from, restored_below FROM sync_state WHERE id = 1').get() as {
      restored_from: number;
      restored_below: number;
    };
    return { from: r.restored_from, below: r.restored_below };
  }

  async recordHistory(recordId: string): Promise<HistoryRow[]> {
    const rows = this.sql
      .get(`SELECT ${HISTORY_COLUMNS} FROM record_history WHERE record_id = ? ORDER BY id`)
      .all(recordId);
    return (rows as HistoryCells[]).map(toHistory);
  }

  async getClient(clientId: string): Promise<ClientRow | null> {
    const r = this.sql
      .get('SELECT client_id, user_id, last_seq FROM clients WHERE client_id = ?')
      .get(clientId) as { client_id: string; user_id: string; last_seq: number } | undefined;
    return r ? { clientId: r.client_id, userId: r.user_id, lastSeq: r.last_seq } : null;
  }
}

export class SqliteSyncTx extends SqliteSyncReads implements SyncTx {
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
        `INSERT INTO records (${RECORD_COLUMNS}, ${TALLY_COLUMNS})
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${TALLY_MARKS})
         ON CONFLICT (id) DO UPDATE SET commune_code = excluded.commune_code, team_id = excluded.team_id,
           volunteer_id = excluded.volunteer_id, version = excluded.version, deleted = excluded.deleted,
           data = excluded.data, field_meta = excluded.field_meta, updated_at = excluded.updated_at,
           occurred_on = excluded.occurred_on, hamlet_id = excluded.hamlet_id, category = excluded.category,
           outcome = excluded.outcome, service_code = excluded.service_code, citizen_no = excluded.citizen_no,
           paid_online = excluded.paid_online, fail_reason = excluded.fail_reason`,
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
        ...tallyValues(row.data),
      );
  }

  async reserveVersions(n: number): Promise<number> {
    this.sql.get('UPDATE sync_state SET version = version + ? WHERE id = 1').run(n);
    return (this.sql.get('SELECT version FROM sync_state WHERE id = 1').get() as { version: number }).version;
  }

  async insertRecords(rows: readonly RecordRow[]): Promise<void> {
    const stmt = this.sql.get(
      `INSERT INTO records (${RECORD_COLUMNS}, review_state, review_comment, ${TALLY_COLUMNS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${TALLY_MARKS})`,
    );
    for (const row of rows)
      stmt.run(
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
        row.reviewState ?? null,
        row.reviewComment ?? null,
        ...tallyValues(row.data),
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
      .get('SELECT mutation_id, result, payload_hash FROM mutation_results WHERE client_id = ? AND seq = ?')
      .get(clientId, seq) as StoredCells | undefined;
    return r ? toStored(r) : null;
  }

  async findMutationResults(mutationId: string): Promise<StoredResult[]> {
    const rows = this.sql
      .get('SELECT mutation_id, result, payload_hash FROM mutation_results WHERE mutation_id = ?')
      .all(mutationId) as StoredCells[];
    return rows.map(toStored);
  }

  async saveMutationResult(clientId: string, seq: number, stored: StoredResult, at: string): Promise<void> {
    this.sql
      .get(
        'INSERT INTO mutation_results (client_id, seq, mutation_id, result, created_at, payload_hash) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(clientId, seq, stored.mutationId, JSON.stringify(stored.result), at, stored.payloadHash ?? null);
  }

  // A list is bound as one JSON array (json_each), so any batch size is one statement and never
  // meets SQLite's limit on bound parameters. Writes loop over a prepared statement: in-process,
  // a multi-row statement would save nothing worth its complexity.
  async getRecords(ids: readonly string[]): Promise<RecordRow[]> {
    if (ids.length === 0) return [];
    const rows = this.sql
      .get(`SELECT ${RECORD_SELECT} FROM records WHERE id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as RecordCells[];
    return rows.map(toRecord);
  }

  async putRecords(rows: readonly RecordRow[]): Promise<void> {
    for (const row of rows) await this.putRecord(row);
  }

  async addHistories(entries: readonly HistoryEntry[]): Promise<void> {
    for (const e of entries) await this.addHistory(e);
  }

  async findMutationResultsOf(mutationIds: readonly string[]): Promise<StoredResult[]> {
    if (mutationIds.length === 0) return [];
    const rows = this.sql
      .get(
        'SELECT mutation_id, result, payload_hash FROM mutation_results WHERE mutation_id IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify(mutationIds)) as StoredCells[];
    return rows.map(toStored);
  }

  async getMutationResultRange(
    clientId: string,
    from: number,
    to: number,
  ): Promise<Map<number, StoredResult>> {
    const rows = this.sql
      .get(
        'SELECT seq, mutation_id, result, payload_hash FROM mutation_results WHERE client_id = ? AND seq BETWEEN ? AND ?',
      )
      .all(clientId, from, to) as (StoredCells & { seq: number })[];
    return new Map(rows.map((r) => [r.seq, toStored(r)]));
  }

  async saveMutationResults(
    clientId: string,
    results: readonly { seq: number; stored: StoredResult }[],
    at: string,
  ): Promise<void> {
    for (const r of results) await this.saveMutationResult(clientId, r.seq, r.stored, at);
  }
}
