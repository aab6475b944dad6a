// A record as a kind of push mutation (mutation.ts applies it): its schema and table, and what only a
// record has: a contact sealed for the server and kept apart from its data, and the citizen key made
// of an ID number's seal on its create (docs/privacy.md).
import {
  LogRecord,
  fieldMessageVi,
  issueOf,
  validatePatch,
  validateRecord,
  type FieldIssue,
} from '../../shared/index.ts';
import { citizenKeyFromSeal, splitCitizenSeal } from '../privacy/citizen-write.ts';
import { readContact, splitContact, writeContact, type ContactChange } from '../privacy/contact-write.ts';
import type { RecordRow } from '../store/store.ts';
import {
  withoutOwner,
  type Besides,
  type EntityKind,
  type KindEdit,
  type MutationContext,
} from './mutation-rules.ts';

const issue = issueOf(fieldMessageVi);

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

/** The contact written beside the record as it now stands (its outcome closes a follow-up). */
function contactWriter(ctx: MutationContext, contact: ContactChange): Besides {
  return (row) =>
    writeContact(
      ctx.tx,
      ctx.keys,
      { id: row.id, communeCode: row.communeCode, outcome: row.data.outcome },
      contact,
      ctx.now,
    );
}

async function validate(
  ctx: MutationContext,
  input: unknown,
  communeCode: string,
): ReturnType<EntityKind['validate']> {
  return validateRecord(input, { hamletIds: await ctx.tx.hamletIds(communeCode) });
}

/** A create keeps its contact apart and its ID number's seal only as the key it stands for. */
async function created(
  ctx: MutationContext,
  id: string,
  communeCode: string,
  whole: Record<string, unknown>,
): ReturnType<EntityKind['created']> {
  const { rest: withSeal, sealed } = splitContact(whole);
  const { rest, sealed: citizenSeal } = splitCitizenSeal(withSeal);
  const contact = await sealedContact(ctx, id, sealed);
  if (Array.isArray(contact)) return contact;
  const citizenKey = await sealedCitizenKey(ctx, communeCode, id, citizenSeal);
  if (Array.isArray(citizenKey)) return citizenKey;
  return {
    data: withoutOwner(citizenKey ? { ...rest, citizenKey } : rest),
    besides: contactWriter(ctx, contact),
  };
}

/**
 * The contact is kept apart from the data (and a resend seals it again): compare the rest. The ID
 * number is compared by the key its seal stands for (a seal that does not open is refused).
 */
async function resent(
  ctx: MutationContext,
  row: RecordRow,
  whole: Record<string, unknown>,
): ReturnType<EntityKind['resent']> {
  const { rest, sealed } = splitCitizenSeal(splitContact(whole).rest);
  const citizenKey = await sealedCitizenKey(ctx, row.communeCode, row.id, sealed);
  if (Array.isArray(citizenKey)) return citizenKey;
  return withoutOwner(citizenKey ? { ...rest, citizenKey } : rest);
}

function edit(
  ctx: MutationContext,
  row: RecordRow,
  patch: Record<string, unknown>,
  withContact: Record<string, unknown>,
): KindEdit | FieldIssue[] {
  const { rest: fields, sealed } = splitContact(withContact);
  // The ID number is given once, with the create: an edit cannot set, change or clear the key.
  if ('citizenSeal' in patch) return [issue('citizenSeal', 'create_only')];
  // Whether the record has a contact once edited: set by the whole's check, read when it is written.
  let hasContact = false;
  return {
    fields,
    async checkWhole(merged) {
      hasContact = sealed !== undefined ? sealed !== null : (await ctx.tx.getContact(row.id)) !== null;
      // The stored key is the server's own field, not one a client writes: the rules do not see it.
      const { citizenKey: _key, ...checked } = merged;
      const contact = hasContact && typeof sealed === 'string' ? { contact: sealed } : {};
      return validate(ctx, { ...checked, id: row.id, ...contact }, row.communeCode);
    },
    async open() {
      const contact = await sealedContact(ctx, row.id, sealed);
      if (Array.isArray(contact)) return contact;
      const write = contactWriter(ctx, contact);
      return async (next) => {
        if (hasContact) await write(next);
      };
    },
  };
}

export const RECORD_KIND: EntityKind = {
  issue,
  dayField: 'occurredOn',
  isWhole: (patch) => LogRecord.safeParse(patch).success,
  getRow: (tx, id) => tx.getRecord(id),
  putRow: (tx, row) => tx.putRecord(row),
  heldByOtherKind: (tx, id) => tx.isSessionId(id),
  validate,
  validatePatch,
  created,
  resent,
  edit,
  // A deleted record keeps no contact.
  deleted: (tx, id) => tx.deleteContact(id),
};
