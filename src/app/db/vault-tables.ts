// The volunteer's own readable copy of follow-up contacts (docs/privacy.md, "PIN-encrypted copy"):
// Dexie version 6 tables, declared by SotayDB's constructor. Only what the first load needs lives
// here (table names, clearing, "is there a vault"); the crypto and the PIN screens are a lazy chunk
// (privacy/vault.svelte.ts, ui/privacy/Pin*.svelte).
import type { Dexie, Table } from 'dexie';

/** The data key, wrapped (AES-GCM) under a key derived from the PIN; one row, id 'pin'. */
export interface VaultKeyRow {
  id: 'pin';
  /** The account the PIN belongs to: another account signing in on this phone clears the vault. */
  userId: string;
  /** PBKDF2-SHA-256 salt, random per device (16 bytes). Bytes are stored as base64url text. */
  salt: string;
  iterations: number;
  iv: string;
  /** The AES-256-GCM data key wrapped under the PIN key: opens only with the right PIN. */
  wrapped: string;
  /** Wrong PINs in a row (kept across restarts); the fifth wipes the vault. */
  failures: number;
}

/** One record's contact, AES-256-GCM under the data key, the record id as associated data. */
export interface VaultContactRow {
  recordId: string;
  /** base64url, like the ciphertext. */
  iv: string;
  data: string;
  /** When the device first saw the record's case closed (outcome other than follow_up). */
  closedAt?: string;
}

export interface VaultTables {
  vaultKey: Table<VaultKeyRow, 'pin'>;
  vaultContacts: Table<VaultContactRow, string>;
}

export function declareVaultTables(db: Dexie): void {
  db.version(6).stores({ vaultKey: 'id', vaultContacts: 'recordId' });
}

export function vaultTables(db: Dexie): VaultTables {
  return {
    vaultKey: db.table('vaultKey'),
    vaultContacts: db.table('vaultContacts'),
  };
}

/** In-memory keys to forget when the vault is cleared (registered by the lazy chunk once loaded). */
const lockers = new Set<() => void>();
export function onVaultCleared(lock: () => void): () => void {
  lockers.add(lock);
  return () => lockers.delete(lock);
}
/** Drop every unlocked key held in memory (logout, revocation wipe). */
export function lockVaults(): void {
  for (const lock of lockers) lock();
}

/** Remove the wrapped key and every local contact copy, and forget unlocked keys. */
export async function clearVault(db: Dexie): Promise<void> {
  lockVaults();
  const T = vaultTables(db);
  await db.transaction('rw', [T.vaultKey, T.vaultContacts], async () => {
    await Promise.all([T.vaultKey.clear(), T.vaultContacts.clear()]);
  });
}

/** Another account signed in on this phone: its predecessor's vault never stays. */
export async function clearVaultOfOthers(db: Dexie, userId: string): Promise<void> {
  const row = await vaultTables(db).vaultKey.get('pin');
  if (row && row.userId !== userId) await clearVault(db);
}

/** Is a PIN set on this device (cheap: no crypto, no chunk to load)? */
export async function hasVault(db: Dexie): Promise<boolean> {
  return (await vaultTables(db).vaultKey.count()) > 0;
}

/** Does this record have a local contact copy? */
export async function hasLocalContact(db: Dexie, recordId: string): Promise<boolean> {
  return (await vaultTables(db).vaultContacts.where('recordId').equals(recordId).count()) > 0;
}
