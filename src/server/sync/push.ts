// Push: process a client's mutations in seq order so that each mutation, its stored answer and the
// client's acked seq commit together (sync-protocol.md, "Push semantics").
import {
  AppError,
  ERRORS,
  MIN_SCHEMA_VERSION,
  SCHEMA_VERSION,
  type ErrorCode,
  type Mutation,
  type MutationResult,
  type PushRequest,
  type PushResponse,
} from '../../shared/index.ts';
import type { Store, StoredResult, UserRow } from '../store/store.ts';
import { claimClient } from './clients.ts';
import type { ServerKeys } from '../privacy/keys.ts';
import { PushSeals } from '../privacy/push-seals.ts';
import { PushBatch, isSessionMutation, planPush, walkPush } from './batch.ts';
import { applyMutation } from './mutation.ts';
import { payloadHash } from './payload.ts';
import { writesThroughSync } from './scope.ts';
import { wireRecord } from './wire.ts';

/**
 * Checked on the raw body before the envelope is parsed: a client too old to speak today's
 * envelope must still hear 426 "update the app", not a 400 it cannot act on.
 */
export function checkSchemaVersion(body: unknown): void {
  const v =
    typeof body === 'object' && body !== null
      ? (body as { schemaVersion?: unknown }).schemaVersion
      : undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) return;
  if (v < MIN_SCHEMA_VERSION)
    throw new AppError('schema_too_old', {
      minSchemaVersion: MIN_SCHEMA_VERSION,
      schemaVersion: SCHEMA_VERSION,
    });
  if (v > SCHEMA_VERSION) throw new AppError('schema_too_new', { schemaVersion: SCHEMA_VERSION });
}

export async function push(
  store: Store,
  user: UserRow,
  req: PushRequest,
  now = new Date(),
  keys?: ServerKeys,
  /** Told of an exception that rejected one mutation (a server bug to look into, not bad input). */
  onUnexpected: (err: unknown) => void = () => undefined,
): Promise<PushResponse> {
  checkSchemaVersion(req);
  const teamId = user.teamId;
  if (!writesThroughSync(user) || teamId === null)
    throw new AppError('forbidden', { reason: 'role_cannot_sync' });
  const writer = { ...user, teamId };
  const at = now.toISOString();

  const client = await claimClient(store, user.id, req.clientId, at);
  if (req.mutations.length === 0) return { ackedSeq: client.lastSeq, results: [] };
  // Open the push's seals first, concurrently: inside the transaction each opening would hold the
  // write lock (SQLite) or row locks (PostgreSQL) through its ECDH. Only the mutations the push will
  // apply: seqs already acked are answered again and those past a gap wait for a resend. (If another
  // push of this client moves the seq meanwhile, a seal not opened here is opened inside, as before.)
  const seals = await PushSeals.open(keys, user.communeCode, planPush(req.mutations, client.lastSeq).applied);
  // The whole batch in one transaction: each mutation, its stored answer and the acked seq commit
  // together (all or nothing), and one durable commit per push instead of one per mutation. Inside
  // it the push is a batch (batch.ts): one read per kind up front, one write per table at the end.
  // Grouped: pushes that arrive while another is applied or committed share its durable commit,
  // each in a savepoint of its own (store/group-commit.ts); the answer waits for that commit.
  return store.groupTransaction(async (tx) => {
    // Read the seq inside the transaction: two pushes of one client may race.
    const startSeq = (await tx.getClient(req.clientId))?.lastSeq ?? 0;
    const batch = await PushBatch.open(tx, req.clientId, req.mutations, startSeq);
    let lastSeq = startSeq;
    const results: MutationResult[] = [];
    // The same walk (batch.ts) that told PushBatch.open what to read.
    for (const { mutation: m, resent } of walkPush(req.mutations, startSeq)) {
      const hash = payloadHash(m);
      if (resent) {
        const again = reanswer(m.seq, m.mutationId, hash, batch.storedResult(m.seq));
        results.push(await withRecordNow(batch, m, again));
        continue;
      }
      // One mutation that breaks something unforeseen is rejected alone; the rest of the batch goes on.
      const result = await batch.isolate(
        () => applyMutation({ tx: batch, user: writer, now: at, keys, seals }, m, hash),
        (err): MutationResult => {
          onUnexpected(err);
          return rejectedAt(m.seq, 'invalid_request', { reason: 'unprocessable' });
        },
      );
      // The answer without the record a conflict carries: stored results keep no record content
      // (a note, a review comment would outlive an erase there); a retry gets the record anew.
      const { record: _record, ...answer } = result;
      batch.saveResult(m.seq, { mutationId: m.mutationId, result: answer, payloadHash: hash });
      results.push(result);
      lastSeq = m.seq;
    }
    await batch.flush(at);
    if (lastSeq !== startSeq) await tx.setClientSeq(req.clientId, lastSeq, at);
    return { ackedSeq: lastSeq, results };
  });
}

/**
 * A `conflict` answered again carries the record as it stands now, with its version (its content
 * is not stored with the answer); none when the record is gone since, e.g. erased. Other answers
 * pass unchanged.
 */
async function withRecordNow(
  batch: PushBatch,
  m: Pick<Mutation, 'recordId' | 'kind'>,
  result: MutationResult,
): Promise<MutationResult> {
  if (result.status !== 'conflict') return result;
  // Results stored before content was left out still hold a record: the current one replaces it.
  const { record: _stored, ...answer } = result;
  const row = isSessionMutation(m) ? await batch.getSession(m.recordId) : await batch.getRecord(m.recordId);
  // The version goes with the record: the phone's next edit is based on what it was shown.
  return row && !row.deleted ? { ...answer, version: row.version, record: wireRecord(row) } : answer;
}

/** A mutation refused at push level, in the shape of the catalogue (its Vietnamese message by default). */
function rejectedAt(
  seq: number,
  code: ErrorCode,
  details?: Record<string, unknown>,
  message: string = ERRORS[code].vi,
): MutationResult {
  return { seq, status: 'rejected', error: details ? { code, message, details } : { code, message } };
}

/** The stored answer of an already-acked seq, answered again unchanged. */
function reanswer(
  seq: number,
  mutationId: string,
  hash: string | null,
  stored: StoredResult | null,
): MutationResult {
  // Results older than the retention period are pruned; the mutation was still acked.
  if (!stored) return { seq, status: 'applied' };
  // The same seq and mutationId with another record or content: not a retry of what was answered.
  if (stored.mutationId === mutationId && stored.payloadHash && stored.payloadHash !== hash)
    return rejectedAt(seq, 'mutation_id_reused');
  if (stored.mutationId !== mutationId)
    return rejectedAt(
      seq,
      'invalid_request',
      { reason: 'seq_reused', mutationId: stored.mutationId },
      'Số thứ tự (seq) này đã dùng cho một thay đổi khác.',
    );
  // Stored by this server from a MutationResult; the cast only restores its type.
  return stored.result as unknown as MutationResult;
}
