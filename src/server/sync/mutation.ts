// Applies one push mutation inside a write transaction: create, update (field merge) or delete,
// with the ownership rules of scope.ts. Answers the MutationResult; never throws for bad input.
import {
  LogRecord,
  fieldMessageVi,
  validatePatch,
  validateRecord,
  type FieldIssue,
  type Mutation,
  type MutationResult,
} from '../../shared/index.ts';
import { citizenKeyFromSeal, splitCitizenSeal } from '../privacy/citizen-write.ts';
import { readContact, splitContact, writeContact, type ContactChange } from '../privacy/contact-write.ts';
import type { RecordRow } from '../store/store.ts';
import { isSessionMutation } from './batch.ts';
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
import { applySessionMutation } from './session-mutation.ts';
import { unstorableFields } from './storable.ts';
import { wireRecord } from './wire.ts';

/** citizenKeyFromSeal, from the seals opened before the transaction when this one was. */
function sealedCitizenKey(
  ctx: MutationContext,
  communeCode: string,
  recordId: string,
  sealed: unknown,
): Promise<string | undefined | FieldIssue[]> {
  return ctx.seals
    ? ctx.seals.citizenKey(ctx.keys, communeCode, recordId, sealed)
    : citizenKeyFromSeal(ctx.keys, communeCode, recordId, sealed);
}

/** readContact, from the seals opened before the transaction when this one was. */
function sealedContact(
  ctx: MutationContext,
  recordId: string,
  sealed: unknown,
): Promise<ContactChange | FieldIssue[]> {
  return ctx.seals ? ctx.seals.contact(ctx.keys, recordId, sealed) : readContact(ctx.keys, recordId, sealed);
}

/** `hash`: the mutation's payloadHash (payload.ts), null when its patch is too deep to walk. */
export async function applyMutation(
  ctx: MutationContext,
  m: Mutation,
  hash: string | null,
): Promise<MutationResult> {
  // A group session goes through the same push but is applied to its own table.
  if (isSessionMutation(m)) return applySessionMutation(ctx, m, hash);
  const { tx } = ctx;
  // Before anything walks the patch: a value nested thousands deep would overflow a recursive walk.
  const deep = m.patch ? tooDeepFields(m.patch) : [];
  if (deep.length > 0)
    return rejected(
      m,
      'invalid_record',
      deep.map((f) => issue(f, 'too_deep')),
    );
  // Idempotent by mutationId across clients: a lead may push a volunteer's queue on their behalf.
  // The same id with another record or content is not a replay: answering `applied` would let the
  // phone drop a write the server never stored. (Results stored before hashes were kept have none.)
  const earlier = (await tx.findMutationResults(m.mutationId)).filter((r) =>
    WRITTEN.has(String(r.result.status)),
  );
  const row = await tx.getRecord(m.recordId);
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
    // Ids are unique across records and sessions: a record never shadows a session.
    if (await tx.isSessionId(m.recordId)) return rejected(m, 'id_conflict');
    return applyCreate(ctx, m, patch);
  }
  if (row.deleted) {
    if (await replacesBlindTombstone(ctx, m, patch, row)) return applyCreate(ctx, m, patch);
    return { seq: m.seq, status: 'gone', version: row.version };
  }
  if (!canWrite(ctx.user, row)) return rejected(m, 'forbidden');
  if (isCreate(m, patch)) return repeatCreate(ctx, m, patch, row);
  return applyUpdate(ctx, m, patch, row);
}

/** A create: no base version and a whole record. Anything else on an existing id is an edit. */
function isCreate(m: Mutation, patch: Record<string, unknown>): boolean {
  return (m.baseVersion === null || m.baseVersion === 0) && LogRecord.safeParse(patch).success;
}

/**
 * A tombstone of an id deleted before the server ever saw it (applyDelete) refuses only creates of
 * the same owner (the deleter, or a lead creating for them): it stands for their record created and
 * deleted offline. Another user's create of that id replaces it, or a delete of an id one had no
 * way to own would silently turn their create into `gone`.
 */
async function replacesBlindTombstone(
  ctx: MutationContext,
  m: Mutation,
  patch: Record<string, unknown>,
  row: RecordRow,
): Promise<boolean> {
  if (!isCreate(m, patch)) return false;
  const owner = await resolveOwner(ctx, patch.volunteerId);
  if ('field' in owner || owner.id === row.volunteerId) return false;
  return !(await ctx.tx.wasCreated(row.id));
}

function futureRejected(m: Mutation): MutationResult {
  return rejected(m, 'occurred_in_future', [issue('occurredOn', 'in_future')]);
}

function issue(field: string, code: string): FieldIssue {
  return { field, code, message: fieldMessageVi(field, code) };
}

async function applyCreate(
  ctx: MutationContext,
  m: Mutation,
  patch: Record<string, unknown>,
): Promise<MutationResult> {
  const { tx, now } = ctx;
  const owner = await resolveOwner(ctx, patch.volunteerId);
  if ('field' in owner) return rejected(m, 'forbidden', [owner]);
  const valid = validateRecord(patch, { hamletIds: await tx.hamletIds(owner.communeCode) });
  if (!valid.ok) return rejected(m, 'invalid_record', valid.issues);
  if (valid.value.id !== m.recordId) return rejected(m, 'invalid_record', [issue('id', 'id_mismatch')]);
  if (inFuture(ctx, valid.value.occurredOn)) return futureRejected(m);
  const { rest: withSeal, sealed } = splitContact(valid.value);
  const { rest, sealed: citizenSeal } = splitCitizenSeal(withSeal);
  const contact = await sealedContact(ctx, m.recordId, sealed);
  if (Array.isArray(contact)) return rejected(m, 'invalid_record', contact);
  const citizenKey = await sealedCitizenKey(ctx, owner.communeCode, m.recordId, citizenSeal);
  if (Array.isArray(citizenKey)) return rejected(m, 'invalid_record', citizenKey);
  const data = withoutOwner(citizenKey ? { ...rest, citizenKey } : rest);
  const version = await tx.nextVersion();
  const writer = writerOf(ctx.user);
  await tx.putRecord({
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
  await writeContact(
    tx,
    ctx.keys,
    { id: m.recordId, communeCode: owner.communeCode, outcome: data.outcome },
    contact,
    now,
  );
  return { seq: m.seq, status: 'applied', version };
}

/** The same id created again: a resend of the same content is fine, other content is an id clash. */
async function repeatCreate(
  ctx: MutationContext,
  m: Mutation,
  patch: Record<string, unknown>,
  row: RecordRow,
): Promise<MutationResult> {
  const owner = await resolveOwner(ctx, patch.volunteerId);
  const valid = validateRecord(patch, { hamletIds: await ctx.tx.hamletIds(row.communeCode) });
  if (!valid.ok) return rejected(m, 'invalid_record', valid.issues);
  const sameOwner = !('field' in owner) && owner.id === row.volunteerId;
  // The contact is kept apart from the data (and a resend seals it again): compare the rest. The
  // ID number is compared by the key its seal stands for (a seal that does not open is refused).
  const { rest, sealed } = splitCitizenSeal(splitContact(valid.value).rest);
  const citizenKey = await sealedCitizenKey(ctx, row.communeCode, row.id, sealed);
  if (Array.isArray(citizenKey)) return rejected(m, 'invalid_record', citizenKey);
  const mine = withoutOwner(citizenKey ? { ...rest, citizenKey } : rest);
  const sameData = JSON.stringify(sorted(mine)) === JSON.stringify(sorted(row.data));
  if (sameOwner && sameData) return { seq: m.seq, status: 'applied', version: row.version };
  return rejected(m, 'id_conflict');
}

async function applyUpdate(
  ctx: MutationContext,
  m: Mutation,
  patch: Record<string, unknown>,
  row: RecordRow,
): Promise<MutationResult> {
  const { tx, now } = ctx;
  const shape = validatePatch(patch);
  if (!shape.ok) return rejected(m, 'invalid_record', shape.issues);
  const { id, volunteerId, ...withContact } = shape.value;
  const { rest: fields, sealed } = splitContact(withContact);
  // The ID number is given once, with the create: an edit cannot set, change or clear the key.
  if ('citizenSeal' in patch) return rejected(m, 'invalid_record', [issue('citizenSeal', 'create_only')]);
  if (id !== undefined && id !== m.recordId)
    return rejected(m, 'invalid_record', [issue('id', 'id_mismatch')]);
  // Handing a record to someone else is not an edit through sync.
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
  const hasContact = sealed !== undefined ? sealed !== null : (await tx.getContact(row.id)) !== null;
  // The stored key is the server's own field, not one a client writes: the rules do not see it.
  const { citizenKey: _key, ...checked } = merged.data;
  const whole = validateRecord(
    { ...checked, id: row.id, ...(hasContact && typeof sealed === 'string' ? { contact: sealed } : {}) },
    { hamletIds: await tx.hamletIds(row.communeCode) },
  );
  if (!whole.ok) return rejected(m, 'invalid_record', whole.issues);
  if (inFuture(ctx, fields.occurredOn)) return futureRejected(m);
  const contact = await sealedContact(ctx, row.id, sealed);
  if (Array.isArray(contact)) return rejected(m, 'invalid_record', contact);
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
    await tx.putRecord(next);
  }
  // A losing edit changes nothing but is still kept: the lost value goes to history.
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
  if (hasContact)
    await writeContact(
      tx,
      ctx.keys,
      { id: row.id, communeCode: row.communeCode, outcome: next.data.outcome },
      contact,
      now,
    );
  const result: MutationResult = { seq: m.seq, status, version: next.version };
  if (status === 'conflict') result.record = wireRecord(next);
  return result;
}

async function applyDelete(
  ctx: MutationContext,
  m: Mutation,
  row: RecordRow | null,
): Promise<MutationResult> {
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
  await tx.putRecord(tombstone);
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
  // A deleted record keeps no contact.
  await tx.deleteContact(m.recordId);
  return { seq: m.seq, status: 'applied', version };
}
