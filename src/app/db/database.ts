// The device database (IndexedDB via Dexie): records, the outbox of unsent mutations, and meta.
// Schema changes are only ever added: one declared step per version, never edit an old one.
import { Dexie, type EntityTable } from 'dexie';
import type { Commune, LogRecord, MutationOp, SessionUser } from '../../shared/index.ts';

export type SyncState = 'to_post' | 'to_update' | 'uploading' | 'synced' | 'error';
export const SYNC_STATES: readonly SyncState[] = ['to_post', 'to_update', 'uploading', 'synced', 'error'];
/** States that still wait for the server. */
export const PENDING_STATES: SyncState[] = ['to_post', 'to_update', 'uploading'];

/** A record on the device: the wire record, its sync bookkeeping, and server fields once pulled. */
export type LocalRecord = LogRecord & {
  /** Version the server last confirmed; 0 when the server has never seen it. */
  serverVersion: number;
  syncState: SyncState;
  /** Vietnamese reason when syncState is 'error'. */
  syncError?: string;
  teamId?: string;
  communeCode?: string;
  /** Marks rows seen during a snapshot pull (cursor null or reset), to drop the rest afterwards. */
  pullMark?: string;
  /** Deleted here; the row stays (hidden from lists) until the server acknowledges the delete. */
  deleted?: true;
};

/** One mutation waiting for the server's acknowledgement; seq is contiguous per clientId from 1. */
export interface OutboxRow {
  seq: number;
  mutationId: string;
  recordId: string;
  op: MutationOp;
  baseVersion: number;
  /** The changed fields of an upsert; empty for a delete. */
  patch: Record<string, unknown>;
  createdAt: string;
}

export interface StoredSession {
  token: string;
  user: SessionUser;
  commune: Commune;
  /** Set when the server answered 401; local data stays, the user logs in again. */
  expired?: boolean;
}

export interface SyncMeta {
  clientId: string;
  nextSeq: number;
  cursor: string | null;
  lastSyncedAt: string | null;
  /** Present while a snapshot pull is in progress: records not marked with it are dropped at its end. */
  snapshotMark?: string;
  /** When the server last refused a gzip body (400/415); bodies go as plain JSON for a while after. */
  plainBodiesSince?: string;
}

export interface Prefs {
  lastHamletId?: string;
  lastCategory?: string;
}

export type MetaRow =
  | { key: 'session'; value: StoredSession }
  | { key: 'sync'; value: SyncMeta }
  | { key: 'prefs'; value: Prefs };
export type MetaKey = MetaRow['key'];
export type MetaValue<K extends MetaKey> = Extract<MetaRow, { key: K }>['value'];

export const DB_NAME = 'sotay';

export class SotayDB extends Dexie {
  declare records: EntityTable<LocalRecord, 'id'>;
  declare outbox: EntityTable<OutboxRow, 'seq'>;
  declare meta: EntityTable<MetaRow, 'key'>;

  constructor(name: string = DB_NAME) {
    super(name);
    this.version(1).stores({
      records: 'id, occurredOn, syncState, updatedAt',
      outbox: 'seq, recordId',
      meta: 'key',
    });
  }
}
