// Applies one push mutation inside a write transaction: create, update (field merge) or delete,
// with the ownership rules of scope.ts. One flow for both kinds a push writes, each described by an
// EntityKind: a record (record-mutation.ts) or a group session (session-mutation.ts). Answers the
// MutationResult; never throws for bad input, and a refused mutation stores nothing.
import type { Mutation, MutationResult } from '../../shared/index.ts';
import type { HistoryEntry, RecordRow } from '../store/store.ts';
import { isSessionMutation } from './batch.ts';
import { mergePatch, mergeStatus, stampMeta } from './merge.ts';
import {
  WRITTEN,
  inFuture,
  rejected,
  resolveOwner,
  sorted,
  writerOf,
  type EntityKind,
  type MutationContext,
} from './mutation-rules.ts';
import { tooDeepFields } from './payload.ts';
import { RECORD_KIND } from './record-mutation.ts';
import { canWrite } from './scope.ts';
import { SESSION_KIND } from './session-mutation.ts';
import { unstorableFields } from './storable.ts';
import { wireRecord } from './wire.ts';

/** `hash`: the mutation's payloadHash (payload.ts), null when its patch is too deep to walk. */
export async function applyMutation(
  ctx: MutationContext,
  m: Mutation,
  hash: string | null,
): Promise<MutationResult> {
  // A group session goes through the same push but is applied to its own table.
  const kind = isSessionMutation(m) ? SESSION_KIND : RECORD_KIND;
  const { tx } = ctx;
  // Before anything walks the patch: a value nested thousands deep would overflow a recursive walk.
  const deep = m.patch ? tooDeepFields(m.patch) : [];
  if (deep.length > 0)
    return rejected(
      m,
      'invalid_record',
      deep.map((f) => kind.issue(f, 'too_deep')),
    );
  // Idempotent by mutationId across clients: a lead may push a volunteer's queue on their behalf.
  // The same id with another record or content is not a replay: answering `applied` would let the
  // phone drop a write the server never stored. (Results stored before hashes were kept have none.)
  const earlier = (await tx.findMutationResults(m.mutationId)).filter((r) =>
    WRITTEN.has(String(r.result.status)),
  );
  const row = await kind.getRow(tx, m.recordId);
  if (earlier.some((r) => r.payloadHash && r.payloadHash !== hash)) return rejected(m, 'mutation_id_reused');
  if (earlier.length > 0) {
    return row ? { seq: m.seq, status: 'applied', version: row.version } : { seq: m.seq, status: 'applied' };
  }
  // An edit of a version the server never issued: a phone ahead of a server restored from backup
  // by hand, or a made-up number that would make every field look unchanged since.
  if (m.baseVersion !== null && m.baseVersion > (await tx.currentVersion()))
    return rejected(m, 'base_version_ahead');
  // A base version in the last restore's gap was issued by the history the backup did not have.
  // The phone's copy came from the backup's state plus edits the server lost: on a record the
  // backup has, the edit goes on top of the backup's state (changes since the restore merge as
  // concurrent); a record the backup lacks cannot be rebuilt from a partial patch, and the phone
  // sends it whole after its next pull (sync-protocol.md, "Restored from a backup").
  if (m.baseVersion !== null && m.baseVersion > 0) {
    const mark = await tx.restoreMark();
    if (m.baseVersion > mark.from && m.baseVersion < mark.below) {
      if (!row) return rejected(m, 'base_version_ahead');
      m = { ...m, baseVersion: mark.from };
    }
  }
  const a: Applying = { kind, ctx, m };
  if (m.op === 'delete') return applyDelete(a, row);
  const patch = m.patch ?? {};
  const unstorable = unstorableFields(patch);
  if (unstorable.length > 0)
    return rejected(
      m,
      'invalid_record',
      unstorable.map((f) => kind.issue(f, 'invalid')),
    );
  if (!row) {
    // Ids are unique across records and sessions: neither kind shadows the other.
    if (await kind.heldByOtherKind(tx, m.recordId)) return rejected(m, 'id_conflict');
    return applyCreate(a, patch);
  }
  if (row.deleted) {
    if (await replacesBlindTombstone(a, patch, row)) return applyCreate(a, patch);
    return { seq: m.seq, status: 'gone', version: row.version };
  }
  if (!canWrite(ctx.user, row)) return rejected(m, 'forbidden');
  if (isCreate(a, patch)) return repeatCreate(a, patch, row);
  return applyUpdate(a, patch, row);
}

/** One mutation on its way in: its kind, the push's context, the mutation (its base version settled). */
interface Applying {
  kind: EntityKind;
  ctx: MutationContext;
  m: Mutation;
}

/** A create: no base version and a whole. Anything else on an existing id is an edit. */
function isCreate({ kind, m }: Applying, patch: Record<string, unknown>): boolean {
  return (m.baseVersion === null || m.baseVersion === 0) && kind.isWhole(patch);
}

/**
 * A tombstone of an id deleted before the server ever saw it (applyDelete) refuses only creates of
 * the same owner (the deleter, or a lead creating for them): it stands for their record created and
 * deleted offline. Another user's create of that id replaces it, or a delete of an id one had no
 * way to own would silently turn their create into `gone`.
 */
async function replacesBlindTombstone(
  a: Applying,
  patch: Record<string, unknown>,
  row: RecordRow,
): Promise<boolean> {
  const { ctx } = a;
  if (!isCreate(a, patch)) return false;
  const owner = await resolveOwner(ctx, patch.volunteerId);
  if ('field' in owner || owner.id === row.volunteerId) return false;
  return !(await ctx.tx.wasCreated(row.id));
}

/** What a write changed, for its history entry; only an edit may have lost or won a field. */
type Change = Pick<HistoryEntry, 'op' | 'patch' | 'replaced'> & Partial<Pick<HistoryEntry, 'lost' | 'won'>>;

/** The history entry of this mutation's write, by the caller now, of `row` as it now stands. */
function addHistory({ ctx, m }: Applying, row: RecordRow, change: Change): Promise<void> {
  return ctx.tx.addHistory({
    recordId: row.id,
    version: row.version,
    mutationId: m.mutationId,
    userId: ctx.user.id,
    op: change.op,
    patch: change.patch,
    replaced: change.replaced,
    lost: change.lost ?? null,
    won: change.won ?? null,
    at: ctx.now,
  });
}

function futureRejected({ kind, m }: Applying): MutationResult {
  return rejected(m, 'occurred_in_future', [kind.issue(kind.dayField, 'in_future')]);
}

async function applyCreate(a: Applying, patch: Record<string, unknown>): Promise<MutationResult> {
  const { kind, ctx, m } = a;
  const { tx, now } = ctx;
  const owner = await resolveOwner(ctx, patch.volunteerId);
  if ('field' in owner) return rejected(m, 'forbidden', [kind.issue('volunteerId', 'forbidden')]);
  const valid = await kind.validate(ctx, patch, owner.communeCode);
  if (!valid.ok) return rejected(m, 'invalid_record', valid.issues);
  if (valid.value.id !== m.recordId) return rejected(m, 'invalid_record', [kind.issue('id', 'id_mismatch')]);
  if (inFuture(ctx, valid.value[kind.dayField])) return futureRejected(a);
  const stored = await kind.created(ctx, m.recordId, owner.communeCode, valid.value);
  if (Array.isArray(stored)) return rejected(m, 'invalid_record', stored);
  const { data } = stored;
  const version = await tx.nextVersion();
  const writer = writerOf(ctx.user);
  const created: RecordRow = {
    id: m.recordId,
    communeCode: owner.communeCode,
    teamId: owner.teamId,
    volunteerId: owner.id,
    version,
    deleted: false,
    data,
    fieldMeta: stampMeta({}, Object.keys(data), version, writer),
    createdAt: now,
    updatedAt: now,
  };
  await kind.putRow(tx, created);
  await addHistory(a, created, { op: 'create', patch: data, replaced: {} });
  await stored.besides?.(created);
  return { seq: m.seq, status: 'applied', version };
}

/** The same id created again: a resend of the same content is fine, other content is an id clash. */
async function repeatCreate(
  { kind, ctx, m }: Applying,
  patch: Record<string, unknown>,
  row: RecordRow,
): Promise<MutationResult> {
  const owner = await resolveOwner(ctx, patch.volunteerId);
  const valid = await kind.validate(ctx, patch, row.communeCode);
  if (!valid.ok) return rejected(m, 'invalid_record', valid.issues);
  const sameOwner = !('field' in owner) && owner.id === row.volunteerId;
  const mine = await kind.resent(ctx, row, valid.value);
  if (Array.isArray(mine)) return rejected(m, 'invalid_record', mine);
  const sameData = JSON.stringify(sorted(mine)) === JSON.stringify(sorted(row.data));
  if (sameOwner && sameData) return { seq: m.seq, status: 'applied', version: row.version };
  return rejected(m, 'id_conflict');
}

async function applyUpdate(
  a: Applying,
  patch: Record<string, unknown>,
  row: RecordRow,
): Promise<MutationResult> {
  const { kind, ctx, m } = a;
  const { tx, now } = ctx;
  const shape = kind.validatePatch(patch);
  if (!shape.ok) return rejected(m, 'invalid_record', shape.issues);
  const { id, volunteerId, ...rest } = shape.value;
  const edit = kind.edit(ctx, row, patch, rest);
  if (Array.isArray(edit)) return rejected(m, 'invalid_record', edit);
  if (id !== undefined && id !== m.recordId)
    return rejected(m, 'invalid_record', [kind.issue('id', 'id_mismatch')]);
  // Handing a record or session to someone else is not an edit through sync.
  if (volunteerId !== undefined && volunteerId !== null && volunteerId !== row.volunteerId)
    return rejected(m, 'forbidden', [kind.issue('volunteerId', 'forbidden')]);

  const writer = writerOf(ctx.user);
  const merged = mergePatch({
    data: row.data,
    meta: row.fieldMeta,
    patch: edit.fields,
    baseVersion: m.baseVersion ?? 0,
    writer,
  });
  const whole = await edit.checkWhole(merged.data);
  if (!whole.ok) return rejected(m, 'invalid_record', whole.issues);
  if (inFuture(ctx, edit.fields[kind.dayField])) return futureRejected(a);
  const besides = edit.open ? await edit.open() : undefined;
  if (Array.isArray(besides)) return rejected(m, 'invalid_record', besides);
  const status = mergeStatus(merged);
  const lost = Object.keys(merged.lost).length > 0 ? merged.lost : null;
  const won = lost ? merged.won : null;

  let next = row;
  if (merged.changed.length > 0) {
    const version = await tx.nextVersion();
    next = {
      ...row,
      version,
      data: merged.data,
      fieldMeta: stampMeta(row.fieldMeta, merged.changed, version, writer),
      updatedAt: now,
    };
    await kind.putRow(tx, next);
  }
  // A losing edit changes nothing but is still kept: the lost value goes to history.
  if (merged.changed.length > 0 || lost) {
    await addHistory(a, next, {
      op: 'update',
      patch: merged.applied,
      replaced: merged.replaced,
      lost,
      won,
    });
  }
  await besides?.(next);
  const result: MutationResult = { seq: m.seq, status, version: next.version };
  if (status === 'conflict') result.record = wireRecord(next);
  return result;
}

async function applyDelete(a: Applying, row: RecordRow | null): Promise<MutationResult> {
  const { kind, ctx, m } = a;
  const { tx, user, now } = ctx;
  if (row?.deleted) return { seq: m.seq, status: 'applied', version: row.version };
  if (row && !canWrite(user, row)) return rejected(m, 'forbidden');
  const version = await tx.nextVersion();
  // Deleting an id never seen leaves a tombstone owned by the caller, so a record created and
  // deleted offline ends clean whichever mutation arrives first. Its history holds no create: that
  // is how a later create by another owner knows it may replace it (replacesBlindTombstone).
  const tombstone: RecordRow = {
    id: m.recordId,
    communeCode: row?.communeCode ?? user.communeCode,
    teamId: row?.teamId ?? user.teamId,
    volunteerId: row?.volunteerId ?? user.id,
    version,
    deleted: true,
    // Keep nothing of a deleted record's content in the live table; history has it.
    data: {},
    fieldMeta: {},
    createdAt: row?.createdAt ?? now,
    updatedAt: now,
  };
  await kind.putRow(tx, tombstone);
  await addHistory(a, tombstone, { op: 'delete', patch: {}, replaced: row?.data ?? {} });
  await kind.deleted?.(tx, m.recordId);
  return { seq: m.seq, status: 'applied', version };
}
