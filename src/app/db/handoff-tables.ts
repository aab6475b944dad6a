// The device tables of the hand-off (Dexie version 5; docs/handoff.md). Declared here and added by
// SotayDB's constructor, so the rest of the schema stays where it is.
import type { Dexie, Table } from 'dexie';
import type { BundleHeader, BundleUploadResponse, TeamDeviceKey } from '../../shared/handoff/index.ts';

/** This device's signing key: the private half cannot be exported, it never leaves IndexedDB. */
export interface DeviceKeyRow {
  id: 'device';
  keyId: string;
  privateKey: CryptoKey;
  publicRaw: string;
  userId: string;
  clientId: string;
  /** The server has bound the key to userId and clientId. */
  registered: boolean;
}

/** Volunteer side: an outbox mutation put in a bundle ("đã giao, chờ xác nhận") or receipted. */
export interface HandoffMarkRow {
  mutationId: string;
  recordId: string;
  bundleId: string;
  state: 'handed_over' | 'delivered';
  at: string;
}

/** Lead side: what opening bundles offline needs, fetched while online. */
export type LeadCacheRow =
  | { id: 'communeKey'; communeCode: string; communeKeyId: string; privateKey: CryptoKey; at: string }
  | { id: 'teamKeys'; keys: TeamDeviceKey[]; at: string };

/** Lead side: an imported bundle, queued until the server took it. */
export interface InboxRow {
  bundleId: string;
  header: BundleHeader;
  /** The bundle bytes, base64url, exactly as received (the server checks them again). */
  bundle: string;
  status: 'queued' | 'sent' | 'refused';
  importedAt: string;
  result?: BundleUploadResponse;
  /** Why the server refused it (Vietnamese). */
  error?: string;
}

export interface HandoffTables {
  handoffDevice: Table<DeviceKeyRow, 'device'>;
  handoffMarks: Table<HandoffMarkRow, string>;
  leadCache: Table<LeadCacheRow, LeadCacheRow['id']>;
  handoffInbox: Table<InboxRow, string>;
}

export function declareHandoffTables(db: Dexie): void {
  db.version(5).stores({
    handoffDevice: 'id',
    handoffMarks: 'mutationId, recordId, bundleId, state',
    leadCache: 'id',
    handoffInbox: 'bundleId, status, importedAt',
  });
}

/** The hand-off tables of an open database. */
export function tables(db: Dexie): HandoffTables {
  return {
    handoffDevice: db.table('handoffDevice'),
    handoffMarks: db.table('handoffMarks'),
    leadCache: db.table('leadCache'),
    handoffInbox: db.table('handoffInbox'),
  };
}

/**
 * Forgets the hand-off keys, marks and sent bundles (logout, or another person logs in). Bundles a
 * lead has not uploaded yet stay: they are encrypted and signed, and the next lead's sync sends
 * them, so a logout never loses a volunteer's records.
 */
export async function clearHandoff(db: Dexie): Promise<void> {
  const T = tables(db);
  await db.transaction('rw', [T.handoffDevice, T.handoffMarks, T.leadCache, T.handoffInbox], async () => {
    await Promise.all([
      T.handoffDevice.clear(),
      T.handoffMarks.clear(),
      T.leadCache.clear(),
      T.handoffInbox.where('status').notEqual('queued').delete(),
    ]);
  });
}
