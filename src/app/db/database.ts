// The device database (IndexedDB via Dexie): records, the outbox of unsent mutations, and meta.
// Schema changes are only ever added: one declared step per version, never edit an old one.
import { Dexie, type EntityTable, type Table } from 'dexie';
import type {
  Commune,
  EntityKind,
  GroupSession,
  LogRecord,
  MutationOp,
  SessionTopic,
  SessionUser,
  TeamMember,
} from '../../shared/index.ts';
import { COUNTERS, counterKeyOf, countersMiddleware, type CounterKey, type CounterRow } from './counters.ts';
import type { LoginHandoff } from '../../shared/handoff/wire.ts';
import type { CardEdition } from '../../shared/catalogue/cards.ts';
import { declareHandoffTables } from './handoff-tables.ts';
import { declareVaultTables } from './vault-tables.ts';

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
  /**
   * Server-derived review of the record ('received' | 'has_issues' | 'approved' | 'rejected'), as
   * pulled or as the lead's own review answer set it; never part of a patch (not a record field).
   */
  reviewState?: string;
  /** The reviewer's comment with the review state; null when none. */
  reviewComment?: string | null;
  /** Marks rows seen during a snapshot pull (cursor null or reset), to drop the rest afterwards. */
  pullMark?: string;
  /** Deleted here; the row stays (hidden from lists) until the server acknowledges the delete. */
  deleted?: true;
  /**
   * This device's key of the citizen's ID number (privacy/citizen-key.ts), for on-device counts of
   * distinct citizens. Not a record field: never in a patch, a push, a bundle or an export.
   */
  deviceCitizenKey?: string;
  /**
   * 1 when the record is this user's own and not deleted; absent otherwise. Kept by a hook on
   * every write, so own lists and tallies read indexes ([own+…]) instead of scanning the table.
   */
  own?: 1;
};

/**
 * A group session on the device (docs/group-sessions.md): the wire session and the same sync
 * bookkeeping as a record. It never counts in the record tallies or the `counters` table.
 */
export type LocalGroupSession = GroupSession & {
  serverVersion: number;
  syncState: SyncState;
  syncError?: string;
  teamId?: string;
  communeCode?: string;
  reviewState?: string;
  reviewComment?: string | null;
  pullMark?: string;
  deleted?: true;
  /** Total attendees (attendeeTotal), kept on every write for lists that never sum the grid. */
  attendees: number;
};

/** One mutation waiting for the server's acknowledgement; seq is contiguous per clientId from 1. */
export interface OutboxRow {
  seq: number;
  mutationId: string;
  /** The record's id, or the session's when kind is 'session'. */
  recordId: string;
  /** Absent for a record (rows written before sessions existed have none). */
  kind?: EntityKind;
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
  /** The commune's hand-off public keys from login (docs/handoff.md); absent from older sessions. */
  handoff?: LoginHandoff;
  /** A lead's team members `{ id, name }` from login, to name who logged a record offline. */
  team?: TeamMember[];
  /** The most mutations the server takes in one push, from login; 100 when an older server said nothing. */
  maxMutations?: number;
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
  /** With snapshotMark: the snapshot answers a server restored from a backup (its records resent). */
  restoredSnapshot?: true;
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
  | { key: 'prefs'; value: Prefs }
  /** The device's own HMAC key of ID numbers (privacy/citizen-key.ts), non-extractable; never sent. */
  | { key: 'citizenDeviceKey'; value: CryptoKey }
  /** The commune's current edition of the how-to cards, whole (sync/card-editions.ts, docs/cards.md). */
  | { key: 'cards'; value: CardEdition }
  /** The commune's topic list for group sessions, whole, from the last pull page. */
  | { key: 'sessionTopics'; value: SessionTopic[] };
export type MetaKey = MetaRow['key'];
export type MetaValue<K extends MetaKey> = Extract<MetaRow, { key: K }>['value'];

export const DB_NAME = 'sotay';

/** Own = made on this device (no volunteerId yet) or pulled with this user's id; never deleted. */
export function isOwn(r: Partial<LocalRecord>, ownerId: string | undefined): boolean {
  if (r.deleted) return false;
  return r.volunteerId === undefined || r.volunteerId === null || r.volunteerId === ownerId;
}

export class SotayDB extends Dexie {
  declare records: EntityTable<LocalRecord, 'id'>;
  declare outbox: EntityTable<OutboxRow, 'seq'>;
  declare meta: EntityTable<MetaRow, 'key'>;
  /** v3: own live records per day × category × outcome, kept by countersMiddleware (counters.ts). */
  declare counters: Table<CounterRow, CounterKey>;
  /** v9: group sessions (docs/group-sessions.md), apart from records and their counters. */
  declare groupSessions: EntityTable<LocalGroupSession, 'id'>;

  /** The logged-in user's id (set by the session), for the `own` flag of pulled records. */
  ownerId: string | undefined;

  constructor(name: string = DB_NAME) {
    super(name);
    this.version(1).stores({
      records: 'id, occurredOn, syncState, updatedAt',
      outbox: 'seq, recordId',
      meta: 'key',
    });
    // v2: the `own` flag and indexes for own lists and on-device tallies (counts by day range).
    this.version(2)
      .stores({
        records:
          'id, occurredOn, syncState, updatedAt, [own+occurredOn], [own+category+occurredOn], [own+outcome+occurredOn]',
      })
      .upgrade(async (tx) => {
        const session = (await tx.table('meta').get('session')) as { value?: StoredSession } | undefined;
        const ownerId = session?.value?.user.id;
        // The write hooks below run during modify() too; they read the owner from here.
        this.ownerId ??= ownerId;
        await tx
          .table('records')
          .toCollection()
          .modify((r: LocalRecord) => {
            if (isOwn(r, ownerId)) r.own = 1;
            else delete r.own;
          });
      });
    // v3: maintained per-day counters for the own tallies, built here from the own records; from
    // then on every write to `records` keeps them in the same transaction (counters.ts).
    this.version(3)
      .stores({ [COUNTERS]: '[day+category+outcome]' })
      .upgrade(async (tx) => {
        const counts = new Map<string, CounterRow>();
        await tx
          .table('records')
          .where('[own+occurredOn]')
          .between([1, Dexie.minKey], [1, Dexie.maxKey])
          .each((r: LocalRecord) => {
            const key = counterKeyOf(r);
            if (!key) return;
            const k = key.join('\u0000');
            const row = counts.get(k);
            if (row) row.n++;
            else counts.set(k, { day: key[0], category: key[1], outcome: key[2], n: 1 });
          });
        await tx.table(COUNTERS).bulkPut([...counts.values()]);
      });
    this.use(countersMiddleware);
    // v5: hand-off to the team lead (handoff-tables.ts).
    declareHandoffTables(this);
    // v6: the PIN-encrypted local copy of follow-up contacts (vault-tables.ts).
    declareVaultTables(this);
    // v7: the server's citizenKey and the commune's secret leave the phone (docs/privacy.md). Kept
    // records lose the key an older version made or pulled; a create still waiting in the outbox
    // loses it too (the server refuses a phone's citizenKey, and the number cannot be sealed again):
    // the record then reaches the server without a citizen, rather than never.
    this.version(7)
      .stores({})
      .upgrade(async (tx) => {
        await tx
          .table('records')
          .toCollection()
          .modify((r: Record<string, unknown>) => {
            delete r.citizenKey;
          });
        await tx
          .table('outbox')
          .toCollection()
          .modify((o: { patch?: Record<string, unknown> }) => {
            if (o.patch) delete o.patch.citizenKey;
          });
        const meta = tx.table('meta');
        const row = (await meta.get('session')) as
          { key: 'session'; value: StoredSession & { commune: { citizenSecret?: unknown } } } | undefined;
        if (row && 'citizenSecret' in row.value.commune) {
          delete row.value.commune.citizenSecret;
          await meta.put(row);
        }
      });
    // v8: the volunteer's own distinct citizens per period (records-repo.ts ownCitizensPeriods) from
    // the keys of one index, never the records. A record without a device key (pulled, or saved
    // without an ID number) has no entry in it, nor does a teammate's or a deleted one (no `own`).
    this.version(8).stores({
      records:
        'id, occurredOn, syncState, updatedAt, [own+occurredOn], [own+category+occurredOn], [own+outcome+occurredOn], [own+occurredOn+deviceCitizenKey]',
    });
    // v9: group sessions, in a table of their own so no record list, count or counter sees them.
    this.version(9).stores({
      groupSessions: 'id, heldOn, syncState, updatedAt, volunteerId',
    });
    this.records.hook('creating', (_key, obj) => {
      if (isOwn(obj, this.ownerId)) obj.own = 1;
      else delete obj.own;
    });
    this.records.hook('updating', (mods, _key, obj) => {
      const next: Record<string, unknown> = { ...obj };
      for (const [k, v] of Object.entries(mods)) {
        if (v === undefined) delete next[k];
        else next[k] = v;
      }
      const own = isOwn(next as Partial<LocalRecord>, this.ownerId);
      return { own: own ? 1 : undefined };
    });
    // Another tab opens a newer version: let it upgrade, then reopen (never leave a dead app).
    this.on('versionchange', () => {
      this.close({ disableAutoOpen: false });
      onVersionChange?.();
      return false;
    });
    this.on('blocked', () => {
      // A wipe's delete waits for a late connection to close: not an upgrade to tell anyone about.
      if (!deleting) onBlocked?.();
    });
    this.on('ready', () => onOpened?.(), true);
  }
}

let onVersionChange: (() => void) | undefined;
let onBlocked: (() => void) | undefined;
let deleting = false;

/** Delete the whole database (a revoked device's wipe); a `blocked` meanwhile is not an upgrade. */
export async function deleteDatabase(db: Dexie): Promise<void> {
  deleting = true;
  try {
    await db.delete({ disableAutoOpen: true });
  } finally {
    deleting = false;
  }
}
let onOpened: (() => void) | undefined;
/**
 * The UI's hooks: another tab upgrades the database (`changed`), our upgrade waits for an older tab
 * to close (`blocked`), the database is open (again) (`opened`).
 */
export function setVersionHandlers(
  handlers: { changed?: () => void; blocked?: () => void; opened?: () => void } = {},
): void {
  onVersionChange = handlers.changed;
  onBlocked = handlers.blocked;
  onOpened = handlers.opened;
}
