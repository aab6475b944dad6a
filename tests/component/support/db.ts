// Test helpers for the device database: a fresh Dexie database per test, deleted afterwards,
// a logged-in state, and records made the way the capture screen makes them.
import { cleanup } from '@testing-library/svelte';
import { afterEach } from 'vitest';
import { SotayDB, type LocalRecord, type OutboxRow } from '../../../src/app/db/database.ts';
import { getSyncMeta, putMeta, storeLogin } from '../../../src/app/db/meta-repo.ts';
import { newId, type LogRecord } from '../../../src/shared/index.ts';
import { loginResponse } from './fake-server.ts';

let current: SotayDB | null = null;

afterEach(async () => {
  cleanup(); // unmount components (and their live queries) before the database goes away
  if (current) await current.delete();
  current = null;
});

export function freshDb(): SotayDB {
  current = new SotayDB('sotay');
  return current;
}

export async function loggedInDb(): Promise<SotayDB> {
  const db = freshDb();
  await storeLogin(db, loginResponse());
  return db;
}

export function wireRecord(over: Partial<LogRecord> = {}): LogRecord {
  const at = new Date().toISOString();
  return {
    id: newId(),
    occurredOn: '2025-10-15',
    hamletId: 'h1',
    category: 'vneid_l1',
    outcome: 'done',
    createdAt: at,
    updatedAt: at,
    ...over,
  };
}

export function localRecord(over: Partial<LocalRecord> = {}): LocalRecord {
  return { ...wireRecord(), serverVersion: 0, syncState: 'to_post', ...over };
}

/**
 * `n` creates saved offline (seq 1…n), written in bulk (the per-save path is covered elsewhere),
 * and optionally one edit of the record of seq `editOf` (seq n + 1). Answers the records' ids.
 */
export async function backlog(db: SotayDB, n: number, editOf?: number): Promise<string[]> {
  const records: LocalRecord[] = [];
  const rows: OutboxRow[] = [];
  for (let i = 0; i < n; i++) {
    const r = wireRecord();
    records.push({ ...r, serverVersion: 0, syncState: 'to_post' });
    rows.push({
      seq: i + 1,
      mutationId: newId(),
      recordId: r.id,
      op: 'upsert',
      baseVersion: 0,
      patch: { ...r },
      createdAt: r.createdAt!,
    });
  }
  if (editOf !== undefined) {
    rows.push({
      seq: n + 1,
      mutationId: newId(),
      recordId: records[editOf - 1]!.id,
      op: 'upsert',
      baseVersion: 0,
      patch: { note: 'sửa sau' },
      createdAt: new Date().toISOString(),
    });
  }
  await db.transaction('rw', [db.records, db.outbox, db.meta], async () => {
    await db.records.bulkAdd(records);
    await db.outbox.bulkAdd(rows);
    await putMeta(db, 'sync', { ...(await getSyncMeta(db))!, nextSeq: rows.length + 1 });
  });
  return records.map((r) => r.id);
}
