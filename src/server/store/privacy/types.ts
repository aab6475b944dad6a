// Citizens' data (docs/privacy.md): follow-up contacts and what a subject's request erases; both
// stores implement it in privacy/sqlite.ts and privacy/postgres.ts.

/** A record's follow-up contact: `sealed` is AES-256-GCM under the server key, never clear text. */
export interface ContactRow {
  recordId: string;
  communeCode: string;
  sealed: string;
  closedAt: string | null;
  updatedAt: string;
}

export interface PrivacyTx {
  /** A record's follow-up contact (sealed at rest), or null. */
  getContact(recordId: string): Promise<ContactRow | null>;
  /** Insert or replace a record's contact. */
  putContact(c: ContactRow): Promise<void>;
  /** Set when the case closed (null: open again); a closure time already set is kept. */
  setContactClosed(recordId: string, closedAt: string | null): Promise<void>;
  deleteContact(recordId: string): Promise<void>;
  /** Delete contacts whose case closed before `before` (ISO); returns how many. */
  purgeContacts(before: string): Promise<number>;
  /** Ids of the commune's records whose data or history holds citizenKey `key`, deleted ones included. */
  recordIdsByCitizenKey(communeCode: string, key: string): Promise<string[]>;
  /** Remove `fields` from every history entry of a record (patch, replaced, lost, won). */
  scrubHistory(recordId: string, fields: readonly string[]): Promise<void>;
  /** Clear every review comment of a record (the record's own and each stored review); states stay. */
  eraseReviewComments(recordId: string): Promise<void>;
  /** Of these record ids, those that have a contact row. */
  recordIdsWithContact(ids: readonly string[]): Promise<Set<string>>;
}
