// A group session as a kind of push mutation (docs/group-sessions.md; mutation.ts applies it): created,
// edited (the records' field merge) or deleted inside the push's batch with a record's ownership
// rules, in its own table, checked against the commune's topic list. It keeps nothing apart.
import {
  GroupSession,
  issueOf,
  sessionFieldMessageVi,
  validateSession,
  validateSessionPatch,
  type SessionContext,
} from '../../shared/index.ts';
import { withoutOwner, type EntityKind, type MutationContext } from './mutation-rules.ts';

/** The commune's hamlets and topic codes (retired ones included: an old session names them). */
async function contextOf(ctx: MutationContext, communeCode: string): Promise<SessionContext> {
  return {
    hamletIds: await ctx.tx.hamletIds(communeCode),
    topicCodes: await ctx.tx.sessionTopicCodes(communeCode),
  };
}

async function validate(
  ctx: MutationContext,
  input: unknown,
  communeCode: string,
): ReturnType<EntityKind['validate']> {
  return validateSession(input, await contextOf(ctx, communeCode));
}

export const SESSION_KIND: EntityKind = {
  issue: issueOf(sessionFieldMessageVi),
  dayField: 'heldOn',
  isWhole: (patch) => GroupSession.safeParse(patch).success,
  getRow: (tx, id) => tx.getSession(id),
  putRow: (tx, row) => tx.putSession(row),
  heldByOtherKind: (tx, id) => tx.isRecordId(id),
  validate,
  validatePatch: validateSessionPatch,
  created: (_ctx, _id, _communeCode, whole) => Promise.resolve({ data: withoutOwner(whole) }),
  resent: (_ctx, _row, whole) => Promise.resolve(withoutOwner(whole)),
  edit: (ctx, row, _patch, fields) => ({
    fields,
    // The rules across fields (attendees, topic, hamlet, ID numbers) hold for the merged whole.
    checkWhole: (merged) => validate(ctx, { ...merged, id: row.id }, row.communeCode),
  }),
};
