// Test helpers for the device database: a fresh Dexie database per test, deleted afterwards,
// a logged-in state, and records made the way the capture screen makes them.
import { cleanup } from '@testing-library/svelte';
import { afterEach } from 'vitest';
import { SotayDB, type LocalRecord } from '../../../src/app/db/database.ts';
import { storeLogin } from '../../../src/app/db/meta-repo.ts';
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
