// Citizens' data (privacy/types.ts, docs/privacy.md) on one better-sqlite3 connection: contacts
// and what a subject's request erases.
import type { ContactRow, PrivacyTx } from './types.ts';
import type { Statements } from '../sqlite/statements.ts';
import { CONTACT_COLUMNS, toContact, type ContactCells } from './rows.ts';

export class SqlitePrivacyTx implements PrivacyTx {
  constructor(protected readonly sql: Statements) {}

  async getContact(recordId: string): Promise<ContactRow | null> {
    const r = this.sql
      .get(`SELECT ${CONTACT_COLUMNS} FROM record_contacts WHERE record_id = ?`)
      .get(recordId) as ContactCells | undefined;
    return r ? toContact(r) : null;
  }

  async putContact(c: ContactRow): Promise<void> {
    this.sql
      .get(
        `INSERT INTO record_contacts (record_id, commune_code, sealed, closed_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (record_id) DO UPDATE SET sealed = excluded.sealed, closed_at = excluded.closed_at,
           updated_at = excluded.updated_at`,
      )
      .run(c.recordId, c.communeCode, c.sealed, c.closedAt, c.updatedAt);
  }

  async setContactClosed(recordId: string, closedAt: string | null): Promise<void> {
    this.sql
      .get(
        `UPDATE record_contacts SET closed_at = CASE WHEN ? IS NULL THEN NULL ELSE coalesce(closed_at, ?) END
         WHERE record_id = ?`,
      )
      .run(closedAt, closedAt, recordId);
  }

  async deleteContact(recordId: string): Promise<void> {
    this.sql.get('DELETE FROM record_contacts WHERE record_id = ?').run(recordId);
  }

  async purgeContacts(before: string): Promise<number> {
    return this.sql
      .get('DELETE FROM record_contacts WHERE closed_at IS NOT NULL AND closed_at < ?')
      .run(before).changes;
  }

  async recordIdsByCitizenKey(communeCode: string, key: string): Promise<string[]> {
    const rows = this.sql
      .get(
        `SELECT id FROM records WHERE commune_code = ? AND json_extract(data, '$.citizenKey') = ?
         UNION
         SELECT h.record_id FROM record_history h JOIN records r ON r.id = h.record_id
          WHERE r.commune_code = ? AND (json_extract(h.patch, '$.citizenKey') = ?
             OR json_extract(h.replaced, '$.citizenKey') = ?)
         ORDER BY 1`,
      )
      .all(communeCode, key, communeCode, key, key) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async scrubHistory(recordId: string, fields: readonly string[]): Promise<void> {
    if (fields.length === 0) return;
    const paths = fields.map((f) => `'$.${f.replace(/[^A-Za-z0-9_]/g, '')}'`).join(', ');
    this.sql
      .get(
        `UPDATE record_history SET patch = json_remove(patch, ${paths}), replaced = json_remove(replaced, ${paths}),
           lost = CASE WHEN lost IS NULL THEN NULL ELSE json_remove(lost, ${paths}) END,
           won = CASE WHEN won IS NULL THEN NULL ELSE json_remove(won, ${paths}) END
         WHERE record_id = ?`,
      )
      .run(recordId);
  }

  async eraseReviewComments(recordId: string): Promise<void> {
    this.sql.get('UPDATE records SET review_comment = NULL WHERE id = ?').run(recordId);
    this.sql.get('UPDATE record_reviews SET comment = NULL WHERE record_id = ?').run(recordId);
  }

  async recordIdsWithContact(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = this.sql
      .get('SELECT record_id FROM record_contacts WHERE record_id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(ids)) as { record_id: string }[];
    return new Set(rows.map((r) => r.record_id));
  }
}
