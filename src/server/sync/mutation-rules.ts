// What both kinds of push mutation share (mutation.ts for records, session-mutation.ts for group
// sessions): the context, the refusal's shape, the future-day rule and who may own a write.
import {
  ERRORS,
  fieldMessageVi,
  isFutureDay,
  type ErrorCode,
  type FieldIssue,
  type Mutation,
  type MutationResult,
} from '../../shared/index.ts';
import type { ServerKeys } from '../privacy/keys.ts';
import type { PushSeals } from '../privacy/push-seals.ts';
import type { UserRow } from '../store/store.ts';
import type { MutationTx } from './batch.ts';
import type { Writer } from './merge.ts';

function issue(field: string, code: string): FieldIssue {
  return { field, code, message: fieldMessageVi(field, code) };
}

/** A result status that means "this mutation's write is in the database". */
export const WRITTEN = new Set(['applied', 'merged', 'conflict']);

export interface MutationContext {
  /** The push's batch (batch.ts): reads and writes as a transaction's, written at the end. */
  tx: MutationTx;
  /** The caller; checked by push to be a volunteer or lead with a team. */
  user: UserRow & { teamId: string };
  now: string;
  /** Opens sealed contacts and encrypts them at rest; without it a contact is refused. */
  keys?: ServerKeys | undefined;
  /** The push's seals, opened before its transaction began (push-seals.ts); absent ones open here. */
  seals?: PushSeals | undefined;
}

/**
 * Field issues listed in one rejection. A patch of 80,000 unknown keys fits in the body limit; its
 * answer, stored with the result, must not grow to megabytes.
 */
const MAX_FIELD_ISSUES = 20;

export function rejected(m: Mutation, code: ErrorCode, fields?: FieldIssue[]): MutationResult {
  const error: MutationResult['error'] = { code, message: ERRORS[code].vi };
  if (fields)
    error.details =
      fields.length > MAX_FIELD_ISSUES
        ? { fields: fields.slice(0, MAX_FIELD_ISSUES), moreFields: fields.length - MAX_FIELD_ISSUES }
        : { fields };
  return { seq: m.seq, status: 'rejected', error };
}

/** A day after tomorrow in commune time, by the server's clock: the phone's date is likely wrong. */
export function inFuture(ctx: MutationContext, day: unknown): boolean {
  return typeof day === 'string' && isFutureDay(day, new Date(ctx.now));
}

export function writerOf(user: UserRow): Writer {
  return { userId: user.id, role: user.role };
}

/** The record's owner: the caller, or for a lead a member of the lead's own team (records handed over). */
export async function resolveOwner(
  ctx: MutationContext,
  named: unknown,
): Promise<(UserRow & { teamId: string }) | FieldIssue> {
  const { user } = ctx;
  if (named === undefined || named === null || named === user.id) return user;
  if (user.role !== 'lead' || typeof named !== 'string') return issue('volunteerId', 'forbidden');
  const target = await ctx.tx.getUser(named);
  if (!target || !target.active || target.teamId !== user.teamId || target.communeCode !== user.communeCode)
    return issue('volunteerId', 'forbidden');
  return { ...target, teamId: user.teamId };
}

export function withoutOwner(record: Record<string, unknown>): Record<string, unknown> {
  const { volunteerId: _owner, ...rest } = record;
  return rest;
}

export function sorted(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
