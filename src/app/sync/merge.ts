// Pure rules for folding server answers into local records: push results, pulled changes, and the
// replay of pending local patches. No I/O here, so each rule is tested on its own.
import {
  applyPatch,
  attendeeTotal,
  type Change,
  type MutationResult,
  type SessionUser,
} from '../../shared/index.ts';
import type { LocalGroupSession, LocalRecord, OutboxRow, SyncState } from '../db/database.ts';

/** The waiting state of a record: never seen by the server → to_post, else to_update. */
export function pendingStateFor(serverVersion: number): SyncState {
  return serverVersion > 0 ? 'to_update' : 'to_post';
}

/** What records and group sessions share for sync: the state and the version the server confirmed. */
export interface Syncable {
  syncState: SyncState;
  serverVersion: number;
}

/** A push that failed puts an 'uploading' record (or session) back to what it was waiting for. */
export function revertUploading<T extends Syncable>(record: T): T {
  return record.syncState === 'uploading'
    ? { ...record, syncState: pendingStateFor(record.serverVersion) }
    : record;
}

/** Apply pending local patches, oldest first, on top of a server copy; a pending delete hides it. */
export function replayPending<T extends Record<string, unknown>>(base: T, pending: readonly OutboxRow[]): T {
  return [...pending]
    .sort((a, b) => a.seq - b.seq)
    .reduce(
      (acc, row) => (row.op === 'delete' ? { ...acc, deleted: true } : applyPatch(acc, row.patch)),
      base,
    );
}

/**
 * Why the server refused a mutation, in its words: the field messages when given, else the message;
 * undefined when it gave none, which the record's state label words (syncStateLabel).
 */
export function rejectionMessage(result: MutationResult): string | undefined {
  const details = result.error?.details as { fields?: unknown } | unknown[] | undefined;
  const fields = Array.isArray(details) ? details : (details as { fields?: unknown } | undefined)?.fields;
  if (Array.isArray(fields)) {
    const messages = fields
      .map((f) => (f && typeof f === 'object' ? (f as { message?: unknown }).message : undefined))
      .filter((m): m is string => typeof m === 'string' && m.length > 0);
    if (messages.length > 0) return [...new Set(messages)].join(' ');
  }
  return result.error?.message || undefined;
}

export type Effect = { kind: 'put'; record: LocalRecord } | { kind: 'delete' } | { kind: 'none' };

/** The pushing user, whose account the server takes a new record's owner fields from. */
export type Pusher = Pick<SessionUser, 'id' | 'teamId' | 'communeCode'>;

/**
 * What one push result does to the local record.
 * `later`: this record's outbox rows with a higher seq (acked in the same answer or still waiting);
 * `stillPending`: whether any of them is not acknowledged yet. `pusher`: who pushed, to complete a
 * record created here with the owner fields the server gave it.
 */
export function afterPushResult(
  existing: LocalRecord | undefined,
  row: OutboxRow,
  result: MutationResult,
  later: readonly OutboxRow[],
  stillPending: boolean,
  pusher?: Pusher,
): Effect {
  if (result.status === 'gone') return { kind: 'delete' };
  if (!existing) return { kind: 'none' };
  if (result.status === 'rejected') {
    const record: LocalRecord = { ...existing, syncState: 'error' };
    const reason = rejectionMessage(result);
    if (reason === undefined) delete record.syncError;
    else record.syncError = reason;
    // A refused delete brings the record back into the lists, with the reason.
    if (row.op === 'delete') delete record.deleted;
    return { kind: 'put', record };
  }
  if (row.op === 'delete') return { kind: 'delete' };
  const serverVersion = result.version ?? existing.serverVersion;
  // merged/conflict carry the winning record: it replaces ours, then our later edits go on top.
  const base: Record<string, unknown> = result.record
    ? { ...keepLocalOnly(existing), ...result.record, id: existing.id }
    : { ...existing };
  const record = replayPending(base, later) as LocalRecord;
  if (pusher) withOwnerFields(record, pusher);
  record.serverVersion = serverVersion;
  record.syncState = stillPending ? pendingStateFor(serverVersion) : 'synced';
  delete record.syncError;
  return { kind: 'put', record };
}

/**
 * A record created on this device lacks the owner fields the server derives (sync-protocol.md,
 * "Create"): the named volunteer or the pusher, and the pusher's team and commune. The server does
 * not send back a record its pusher created (pull), so the device fills them in as the server did.
 * Fields already present (pulled) stay.
 */
function withOwnerFields(record: LocalRecord, pusher: Pusher): void {
  record.volunteerId ??= pusher.id;
  if (record.teamId === undefined && pusher.teamId !== null) record.teamId = pusher.teamId;
  record.communeCode ??= pusher.communeCode;
}

/** Local bookkeeping fields, and the device-only key of the citizen, that a server copy never carries. */
function keepLocalOnly(r: LocalRecord): Partial<LocalRecord> {
  const out: Partial<LocalRecord> = {};
  if (r.pullMark !== undefined) out.pullMark = r.pullMark;
  if (r.deviceCitizenKey !== undefined) out.deviceCitizenKey = r.deviceCitizenKey;
  return out;
}

/**
 * The local row after a pulled change, or null to delete it. Pending local edits are replayed on
 * top so a pull never overwrites them; unknown server fields are kept as they came.
 */
export function fromPulled(
  change: Change,
  existing: LocalRecord | undefined,
  pending: readonly OutboxRow[],
  mark?: string,
): LocalRecord | null {
  // Delete beats update; pending rows left for it will be answered `gone` and cleared then.
  if (change.deleted || !change.data) return null;
  if (existing && pending.length === 0 && existing.serverVersion > change.version) {
    return mark === undefined ? existing : { ...existing, pullMark: mark };
  }
  const base: Record<string, unknown> = { ...change.data, id: change.id };
  const record = replayPending(base, pending) as LocalRecord;
  record.serverVersion = change.version;
  if (pending.length > 0) {
    record.syncState =
      existing && existing.syncState !== 'synced' ? existing.syncState : pendingStateFor(change.version);
    if (existing?.syncError !== undefined) record.syncError = existing.syncError;
  } else {
    record.syncState = 'synced';
    delete record.syncError;
  }
  if (mark !== undefined) record.pullMark = mark;
  else if (existing?.pullMark !== undefined) record.pullMark = existing.pullMark;
  // The server never has it (nor sends it): the device's own key of the citizen stays.
  if (existing?.deviceCitizenKey !== undefined) record.deviceCitizenKey = existing.deviceCitizenKey;
  return record;
}

/**
 * At the end of a snapshot pull (first pull or reset): may a row the snapshot did not carry go?
 * Only if nothing of it waits for the server and the server once had it (it left our scope). A row
 * whose create was rejected (error, never on the server) stays so the user can fix it.
 */
export function leftScope(
  record: Syncable & { pullMark?: string },
  hasOutboxRows: boolean,
  mark: string,
): boolean {
  if (record.pullMark === mark || hasOutboxRows) return false;
  return record.syncState === 'synced' || (record.syncState === 'error' && record.serverVersion > 0);
}

// A session carries the same sync bookkeeping and owner fields as a record and has no device-only
// field, so the record rules apply to it as they are; only its attendee total is derived again.

export type SessionEffect =
  { kind: 'put'; session: LocalGroupSession } | { kind: 'delete' } | { kind: 'none' };

/** The session row with its attendee total kept from its attendance grid. */
function withAttendees(row: LocalRecord): LocalGroupSession {
  const session = row as unknown as LocalGroupSession;
  return { ...session, attendees: attendeeTotal(session.attendance) };
}

/** What one push result does to a local group session (afterPushResult's rules). */
export function afterSessionPushResult(
  existing: LocalGroupSession | undefined,
  row: OutboxRow,
  result: MutationResult,
  later: readonly OutboxRow[],
  stillPending: boolean,
  pusher?: Pusher,
): SessionEffect {
  const effect = afterPushResult(
    existing as unknown as LocalRecord | undefined,
    row,
    result,
    later,
    stillPending,
    pusher,
  );
  return effect.kind === 'put' ? { kind: 'put', session: withAttendees(effect.record) } : effect;
}

/** The local session after a pulled change, or null to delete it (fromPulled's rules). */
export function sessionFromPulled(
  change: Change,
  existing: LocalGroupSession | undefined,
  pending: readonly OutboxRow[],
  mark?: string,
): LocalGroupSession | null {
  const row = fromPulled(change, existing as unknown as LocalRecord | undefined, pending, mark);
  return row ? withAttendees(row) : null;
}

export const BACKOFF_MIN_MS = 1000;
export const BACKOFF_MAX_MS = 300_000;

/**
 * Exponential backoff with full jitter: uniformly between 1 s and a ceiling that doubles per
 * failure (1 s, 2 s, 4 s …, at most 5 minutes), so phones that lost the server together do not
 * come back together.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, attempt));
  return Math.round(BACKOFF_MIN_MS + (ceiling - BACKOFF_MIN_MS) * random());
}
