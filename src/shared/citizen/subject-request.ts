// Data-subject requests (Law 91/2025: answer within 2 working days): an admin types the citizen's
// ID number; the server hashes it with the commune secret (never storing or logging it), finds every
// linked record, and lists, exports (JSON or CSV) or erases them (docs/privacy.md).
import * as z from 'zod/mini';
import { ContactFields } from './contact.ts';

export const SUBJECT_ACTIONS = ['find', 'export', 'erase'] as const;

export const SubjectRequest = z.strictObject({
  idNumber: z.string().check(z.minLength(1), z.maxLength(32)),
  action: z.enum(SUBJECT_ACTIONS),
  /** Only for `export`: CSV (UTF-8 with BOM) instead of JSON. */
  format: z.optional(z.enum(['json', 'csv'])),
});
export type SubjectRequest = z.infer<typeof SubjectRequest>;

export const SubjectRecord = z.object({
  id: z.string(),
  version: z.int(),
  deleted: z.boolean(),
  /** The record's fields (empty for a record already deleted). */
  data: z.record(z.string(), z.unknown()),
  /** The follow-up contact, only in `export`; null when none is kept. */
  contact: z.optional(z.nullable(ContactFields)),
});
export type SubjectRecord = z.infer<typeof SubjectRecord>;

export const SubjectResponse = z.object({
  action: z.enum(SUBJECT_ACTIONS),
  records: z.array(SubjectRecord),
  /** For `erase`: how many records were erased now (tombstoned, contact and keys scrubbed). */
  erased: z.optional(z.int()),
});
export type SubjectResponse = z.infer<typeof SubjectResponse>;
