// What both kinds of push mutation share (mutation.ts applies either; record-mutation.ts and
// session-mutation.ts describe each): the context, the kind's description, the refusal's shape, the
// future-day rule and who may own a write.
import {
  ERRORS,
  fieldMessageVi,
  isFutureDay,
  issueOf,
  type ErrorCode,
  type FieldIssue,
  type IssueOf,
  type Mutation,
  type MutationResult,
  type Validated,
} from '../../shared/index.ts';
import type { ServerKeys } from '../privacy/keys.ts';
import type { PushSeals } from '../privacy/push-seals.ts';
import type { RecordRow, UserRow } from '../store/store.ts';
import type { MutationTx } from './batch.ts';
import type { Writer } from './merge.ts';

const issue = issueOf(fieldMessageVi);

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

/** What a write stores beside its row once the row is written (a record's contact). */
export type Besides = (row: RecordRow) => Promise<void>;

/** A create's data as stored, from its valid whole, and what it writes beside the row. */
export interface Stored {
  data: Record<string, unknown>;
  besides?: Besides | undefined;
}

/** An edit's own part, read from its patch (after the shape, before the ownership checks). */
export interface KindEdit {
  /** The patch's fields that merge into the stored data. */
  fields: Record<string, unknown>;
  /** The kind's rules across fields, on the merged whole. */
  checkWhole(merged: Record<string, unknown>): Promise<Validated<unknown>>;
  /** Once the whole holds and its day is not ahead: what the edit writes beside the row, or why not. */
  open?(): Promise<Besides | FieldIssue[]>;
}

/**
 * One kind of entity a push writes (a record, a group session): what is its own in the one flow of
 * create, repeated create, edit and delete (mutation.ts). The rows of both kinds share one shape.
 */
export interface EntityKind {
  /** The kind's field issue, in its own Vietnamese words. */
  issue: IssueOf;
  /** The field of the day it happened; a day after tomorrow is refused. */
  dayField: string;
  /** Whether a patch is a whole by the kind's schema: with no base version, that is a create. */
  isWhole(patch: Record<string, unknown>): boolean;
  getRow(tx: MutationTx, id: string): Promise<RecordRow | null>;
  putRow(tx: MutationTx, row: RecordRow): Promise<void>;
  /** Whether the other kind holds the id: ids are unique across records and sessions. */
  heldByOtherKind(tx: MutationTx, id: string): Promise<boolean>;
  /** A whole, checked against the lists of the commune it is written in. */
  validate(
    ctx: MutationContext,
    input: unknown,
    communeCode: string,
  ): Promise<Validated<Record<string, unknown>>>;
  validatePatch(input: unknown): Validated<Record<string, unknown>>;
  /** What a create of this valid whole stores; issues refuse it. */
  created(
    ctx: MutationContext,
    id: string,
    communeCode: string,
    whole: Record<string, unknown>,
  ): Promise<Stored | FieldIssue[]>;
  /** The data a resent create stands for, compared with the stored row's; issues refuse it. */
  resent(
    ctx: MutationContext,
    row: RecordRow,
    whole: Record<string, unknown>,
  ): Promise<Record<string, unknown> | FieldIssue[]>;
  /** An edit's own part of the patch `fields` (shape-checked, without id and owner); issues refuse it. */
  edit(
    ctx: MutationContext,
    row: RecordRow,
    patch: Record<string, unknown>,
    fields: Record<string, unknown>,
  ): KindEdit | FieldIssue[];
  /** What a delete removes beside the row. */
  deleted?(tx: MutationTx, id: string): Promise<void>;
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
