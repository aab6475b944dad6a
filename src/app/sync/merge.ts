// Pure rules for folding server answers into local records: push results, pulled changes, and the
// replay of pending local patches. No I/O here, so each rule is tested on its own.
import { applyPatch, type Change, type MutationResult } from '../../shared/index.ts';
import type { LocalRecord, OutboxRow, SyncState } from '../db/database.ts';
import { t } from '../i18n/index.ts';

/** The waiting state of a record: never seen by the server → to_post, else to_update. */
export function pendingStateFor(serverVersion: number): SyncState {
  return serverVersion > 0 ? 'to_update' : 'to_post';
}

/** A push that failed puts an 'uploading' record back to what it was waiting for. */
export function revertUploading(record: LocalRecord): LocalRecord {
  return record.syncState === 'uploading'
    ? { ...record, syncState: pendingStateFor(record.serverVersion) }
    : record;
}

/** Apply pending local patches, oldest first, on top of a server copy. */
export function replayPending<T extends Record<string, unknown>>(base: T, pending: readonly OutboxRow[]): T {
  return [...pending].sort((a, b) => a.seq - b.seq).reduce((acc, row) => applyPatch(acc, row.patch), base);
}

/** Why the server refused a mutation, in Vietnamese: the field messages when given, else the message. */
export function rejectionMessage(result: MutationResult): string {
  const details = result.error?.details as { fields?: unknown } | unknown[] | undefined;
  const fields = Array.isArray(details) ? details : (details as { fields?: unknown } | undefined)?.fields;
  if (Array.isArray(fields)) {
    const messages = fields
      .map((f) => (f && typeof f === 'object' ? (f as { message?: unknown }).message : undefined))
      .filter((m): m is string => typeof m === 'string' && m.length > 0);
    if (messages.length > 0) return [...new Set(messages)].join(' ');
  }
  return result.error?.message || t.sync.unknownError;
}

export type Effect = { kind: 'put'; record: LocalRecord } | { kind: 'delete' } | { kind: 'none' };

/**
 * What one push result does to the local record.
 * `later`: this record's outbox rows with a higher seq (acked in the same answer or still waiting);
 * `stillPending`: whether any of them is not acknowledged yet.
 */
export function afterPushResult(
  existing: LocalRecord | undefined,
  row: OutboxRow,
  result: MutationResult,
  later: readonly OutboxRow[],
  stillPending: boolean,
): Effect {
  if (result.status === 'gone') return { kind: 'delete' };
  if (!existing) return { kind: 'none' };
  if (result.status === 'rejected') {
    return { kind: 'put', record: { ...existing, syncState: 'error', syncError: rejectionMessage(result) } };
  }
  if (row.op === 'delete') return { kind: 'delete' };
  const serverVersion = result.version ?? existing.serverVersion;
  // merged/conflict carry the winning record: it replaces ours, then our later edits go on top.
  const base: Record<string, unknown> = result.record
    ? { ...keepLocalOnly(existing), ...result.record, id: existing.id }
    : { ...existing };
  const record = replayPending(base, later) as LocalRecord;
  record.serverVersion = serverVersion;
  record.syncState = stillPending ? pendingStateFor(serverVersion) : 'synced';
  delete record.syncError;
  return { kind: 'put', record };
}

/** Local bookkeeping fields that a server copy never carries. */
function keepLocalOnly(r: LocalRecord): Partial<LocalRecord> {
  const out: Partial<LocalRecord> = {};
  if (r.pullMark !== undefined) out.pullMark = r.pullMark;
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
  return record;
}

/** Exponential backoff with jitter: about 1 s, 2 s, 4 s … capped at 5 minutes. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(300_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(ceiling * (0.5 + random() / 2));
}
