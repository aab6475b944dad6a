// Applies one push mutation of kind 'session' (docs/group-sessions.md): a group session created,
// edited (the records' field merge) or deleted inside the push's batch, with a record's ownership
// rules. Answers the MutationResult; never throws for bad input, and a refused session stores nothing.
import {
  GroupSession,
  sessionFieldMessageVi,
  validateSession,
  validateSessionPatch,
  type FieldIssue,
  type Mutation,
  type MutationResult,
  type SessionContext,
} from '../../shared/index.ts';
import type { SessionRow } from '../store/store.ts';
import { mergePatch, mergeStatus, stampMeta } from './merge.ts';
import {
  WRITTEN,
  inFuture,
  rejected,
  resolveOwner,
  sorted,
  withoutOwner,
  writerOf,
  type MutationContext,
} from './mutation-rules.ts';
import { tooDeepFields } from './payload.ts';
import { canWrite } from './scope.ts';
import { unstorableFields } from './storable.ts';
import { wireRecord } from './wire.ts';

function issue(field: string, code: string): FieldIssue {
  return { field, code, message: sessionFieldMessageVi(field, code) };
}

/** The commune's hamlets and topic codes (retired ones included: an old session names them). */
async function contextOf(ctx: MutationContext, communeCode: string): Promise<SessionContext> {
  return {
    hamletIds: await ctx.tx.hamletIds(communeCode),
    topicCodes: await ctx.tx.sessionTopicCodes(communeCode),
  };
}

/** A whole session with no base version: a create. Anything else on an existing id is an edit. */
function isCreate(m: Mutation, patch: Record<string, unknown>): boolean {
  return (m.baseVersion === null || m.baseVersion === 0) && GroupSession.safeParse(patch).success;
}

export async function applySessionMutation(
  ctx: MutationContext,
  m: Mutation,
  hash: string | null,
): Promise<MutationResult> {
  const { tx } = ctx;
  const deep = m.patch ? tooDeepFields(m.patch) : [];
  if (deep.length > 0)
    return rejected(
      m,
      'invalid_record',
      deep.map((f) => issue(f, 'too_deep')),
    );
  // Idempotent by mutationId across clients, exactly as a record's (mutation.ts).
  const earlier = (await tx.findMutationResults(m.mutationId)).filter((r) =>
    WRITTEN.has(String(r.result.status)),
  );
  const row = await tx.getSession(m.recordId);
  if (earlier.some((r) => r.payloadHash && r.payloadHash !== hash)) return rejected(m, 'mutation_id_reused');
  if (earlier.length > 0)
    return row ? { seq: m.seq, status: 'applied', version: row.version } : { seq: m.seq, status: 'applied' };
  if (m.baseVersion !== null && m.baseVersion > (await tx.currentVersion()))
    return rejected(m, 'base_version_ahead');
  // An edit based in the last restore's gap goes on top of the backup's state (mutation.ts).
  if (m.baseVersion !== null && m.baseVersion > 0) {
    const mark = await tx.restoreMark();
    if (m.baseVersion > mark.from && m.baseVersion < mark.below) {
      if (!row) return rejected(m, 'base_version_ahead');
      m = { ...m, baseVersion: mark.from };
    }
  }
  if (m.op === 'delete') return applyDelete(ctx, m, row);
  const patch = m.patch ?? {};
  const unstorable = unstorableFields(patch);
  if (unstorable.length > 0)
    return rejected(
      m,
      'invalid_record',
      unstorable.map((f) => issue(f, 'invalid')),
    );
  if (!row) {
    // Ids are unique across records and sessions: a session never shadows a record.
    if (await tx.isRecordId(m.recordId)) return rejected(m, 'id_conflict');
    return applyCreate(ctx, m, patch);
  }
  if (row.deleted) {
    // A tombstone of an id deleted before the server saw it refuses only its owner's create.
    if (isCreate(m, patch)) {
      const owner = await resolveOwner(ctx, patch.volunteerId);
      if (!('field' in owner) && owner.id !== row.volunteerId && !(await tx.wasCreated(row.id)))
        return applyCreate(ctx, m, patch);
    }
    return { seq: m.seq, status: 'gone', version: row.version };
  }
  if (!canWrite(ctx.user, row)) return rejected(m, 'forbidden');
  if (isCreate(m, patch)) return repeatCreate(ctx, m, patch, row);
  return applyUpdate(ctx, m, patch, row);
}

async function applyCreate(
  ctx: MutationContext,
  m: Mutation,
  patch: Record<string, unknown>,
): Promise<MutationResult> {
  const { tx, now } = ctx;
  const owner = await resolveOwner(ctx, patch.volunteerId);
  if ('field' in owner) return rejected(m, 'forbidden', [issue('volunteerId', 'forbidden')]);
  const valid = validateSession(patch, await contextOf(ctx, owner.communeCode));
  if (!valid.ok) return rejected(m, 'invalid_record', valid.issues);
  if (valid.value.id !== m.recordId) return rejected(m, 'invalid_record', [issue('id', 'id_mismatch')]);
  if (inFuture(ctx, valid.value.heldOn))
    return rejected(m, 'occurred_in_future', [issue('heldOn', 'in_future')]);
  const data = withoutOwner(valid.value);
  const version = await tx.nextVersion();
  const writer = writerOf(ctx.user);
  await tx.putSession({
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
  });
  await tx.addHistory({
    recordId: m.recordId,
    version,
    mutationId: m.mutationId,
    userId: ctx.user.id,
    op: 'create',
    patch: data,
    replaced: {},
    lost: null,
    won: null,
    at: now,
  });
  return { seq: m.seq, status: 'applied', version };
}

/** The same id created again: a resend of the same content is fine, other content is an id clash. */
async function repeatCreate(
  ctx: MutationContext,
  m: Mutation,
  patch: Record<string, unknown>,
  row: SessionRow,
): Promise<MutationResult> {
  const owner = await resolveOwner(ctx, patch.volunteerId);
  const valid = validateSession(patch, await contextOf(ctx, row.communeCode));
  if (!valid.ok) return rejected(m, 'invalid_record', valid.issues);
  const sameOwner = !('field' in owner) && owner.id === row.volunteerId;
  const sameData = JSON.stringify(sorted(withoutOwner(valid.value))) === JSON.stringify(sorted(row.data));
  if (sameOwner && sameData) return { seq: m.seq, status: 'applied', version: row.version };
  return rejected(m, 'id_conflict');
}

async function applyUpdate(
  ctx: MutationContext,
  m: Mutation,
  patch: Record<string, unknown>,
  row: SessionRow,
): Promise<MutationResult> {
  const { tx, now } = ctx;
  const shape = validateSessionPatch(patch);
  if (!shape.ok) return rejected(m, 'invalid_record', shape.issues);
  const { id, volunteerId, ...fields } = shape.value;
  if (id !== undefined && id !== m.recordId)
    return rejected(m, 'invalid_record', [issue('id', 'id_mismatch')]);
  // Handing a session to someone else is not an edit through sync.
  if (volunteerId !== undefined && volunteerId !== null && volunteerId !== row.volunteerId)
    return rejected(m, 'forbidden', [issue('volunteerId', 'forbidden')]);

  const writer = writerOf(ctx.user);
  const merged = mergePatch({
    data: row.data,
    meta: row.fieldMeta,
    patch: fields,
    baseVersion: m.baseVersion ?? 0,
    writer,
  });
  // The rules across fields (attendees, topic, hamlet, ID numbers) hold for the merged whole.
  const whole = validateSession({ ...merged.data, id: row.id }, await contextOf(ctx, row.communeCode));
  if (!whole.ok) return rejected(m, 'invalid_record', whole.issues);
  if (inFuture(ctx, fields.heldOn)) return rejected(m, 'occurred_in_future', [issue('heldOn', 'in_future')]);
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
    await tx.putSession(next);
  }
  if (merged.changed.length > 0 || lost) {
    await tx.addHistory({
      recordId: row.id,
      version: next.version,
      mutationId: m.mutationId,
      userId: ctx.user.id,
      op: 'update',
      patch: merged.applied,
      replaced: merged.replaced,
      lost,
      won,
      at: now,
    });
  }
  const result: MutationResult = { seq: m.seq, status, version: next.version };
  if (status === 'conflict') result.record = wireRecord(next);
  return result;
}

async function applyDelete(
  ctx: MutationContext,
  m: Mutation,
  row: SessionRow | null,
): Promise<MutationResult> {
  const { tx, user, now } = ctx;
  if (row?.deleted) return { seq: m.seq, status: 'applied', version: row.version };
  if (row && !canWrite(user, row)) return rejected(m, 'forbidden');
  const version = await tx.nextVersion();
  // As a record's: an id never seen leaves a tombstone owned by the caller, with no create in history.
  await tx.putSession({
    id: m.recordId,
    communeCode: row?.communeCode ?? user.communeCode,
    teamId: row?.teamId ?? user.teamId,
    volunteerId: row?.volunteerId ?? user.id,
    version,
    deleted: true,
    data: {},
    fieldMeta: {},
    createdAt: row?.createdAt ?? now,
    updatedAt: now,
  });
  await tx.addHistory({
    recordId: m.recordId,
    version,
    mutationId: m.mutationId,
    userId: user.id,
    op: 'delete',
    patch: {},
    replaced: row?.data ?? {},
    lost: null,
    won: null,
    at: now,
  });
  return { seq: m.seq, status: 'applied', version };
}
