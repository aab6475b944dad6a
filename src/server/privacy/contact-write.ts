// The write path of a record's follow-up contact, inside a push transaction (mutation.ts): a sealed
// `contact` in a patch is opened and checked before anything is written, then kept encrypted at rest
// in record_contacts, never in the record's data, its history or a pull. The case "closes" when the
// record's outcome is anything but "needs follow-up"; retention counts from then (retention.ts).
import {
  contactFieldIssues,
  contactMessageVi,
  type ContactFields,
  type FieldIssue,
} from '../../shared/index.ts';
import type { Tx } from '../store/store.ts';
import { encryptAtRest, openSealed } from './contact-vault.ts';
import type { ServerKeys } from './keys.ts';

/** What a patch says about the contact: nothing, clear it, or keep this (already checked) one. */
export type ContactChange = { kind: 'none' } | { kind: 'clear' } | { kind: 'set'; contact: ContactFields };

/** Take `contact` out of a patch (it never goes into the record's data). */
export function splitContact(patch: Record<string, unknown>): {
  rest: Record<string, unknown>;
  sealed: unknown;
} {
  const { contact: sealed, ...rest } = patch;
  return { rest, sealed };
}

/** Open and check a sealed contact; issues mean the mutation is rejected and nothing is written. */
export async function readContact(
  keys: ServerKeys | undefined,
  recordId: string,
  sealed: unknown,
): Promise<ContactChange | FieldIssue[]> {
  if (sealed === undefined) return { kind: 'none' };
  if (sealed === null) return { kind: 'clear' };
  const contact = typeof sealed === 'string' && keys ? await openSealed(keys, recordId, sealed) : null;
  if (!contact)
    return [{ field: 'contact', code: 'invalid', message: contactMessageVi('contact', 'invalid') }];
  const issues = contactFieldIssues(contact);
  return issues.length > 0 ? issues : { kind: 'set', contact };
}

/** Store the change, and the case's closure from the record's outcome now. */
export async function writeContact(
  tx: Pick<Tx, 'getContact' | 'putContact' | 'deleteContact' | 'setContactClosed'>,
  keys: ServerKeys | undefined,
  record: { id: string; communeCode: string; outcome: unknown },
  change: ContactChange,
  now: string,
): Promise<void> {
  const closedAt = record.outcome === 'follow_up' ? null : now;
  if (change.kind === 'clear') return tx.deleteContact(record.id);
  if (change.kind === 'set' && keys) {
    const before = await tx.getContact(record.id);
    await tx.putContact({
      recordId: record.id,
      communeCode: record.communeCode,
      sealed: encryptAtRest(keys, record.id, change.contact),
      closedAt: closedAt === null ? null : (before?.closedAt ?? closedAt),
      updatedAt: now,
    });
    return;
  }
  await tx.setContactClosed(record.id, closedAt);
}
