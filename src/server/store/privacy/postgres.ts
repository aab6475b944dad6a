// Citizens' data (privacy/types.ts, docs/privacy.md) on one PostgreSQL connection: contacts and
// what a subject's request erases.
import type { ContactRow, PrivacyTx } from './types.ts';
import { PgPart } from '../postgres/conn.ts';
import { CONTACT_COLUMNS, toContact, type ContactCells } from './rows.ts';

export class PgPrivacyTx extends PgPart implements PrivacyTx {
  async getContact(recordId: string): Promise<ContactRow | null> {
    const [r] = await this.rows<ContactCells>(
      `SELECT ${CONTACT_COLUMNS} FROM record_contacts WHERE record_id = $1`,
      [recordId],
    );
    return r ? toContact(r) : null;
  }

  async putContact(c: ContactRow): Promise<void> {
    await this.run(
      `INSERT INTO record_contacts (record_id, commune_code, sealed, closed_at, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (record_id) DO UPDATE SET sealed = EXCLUDED.sealed, closed_at = EXCLUDED.closed_at,
         updated_at = EXCLUDED.updated_at`,
      [c.recordId, c.communeCode, c.sealed, c.closedAt, c.updatedAt],
    );
  }

  async setContactClosed(recordId: string, closedAt: string | null): Promise<void> {
    await this.run(
      `UPDATE record_contacts SET closed_at = CASE WHEN $1::text IS NULL THEN NULL ELSE coalesce(closed_at, $1::text) END
       WHERE record_id = $2`,
      [closedAt, recordId],
    );
  }

  async deleteContact(recordId: string): Promise<void> {
    await this.run('DELETE FROM record_contacts WHERE record_id = $1', [recordId]);
  }

  async purgeContacts(before: string): Promise<number> {
    return this.run('DELETE FROM record_contacts WHERE closed_at IS NOT NULL AND closed_at < $1', [before]);
  }

  async recordIdsByCitizenKey(communeCode: string, key: string): Promise<string[]> {
    const rows = await this.rows<{ id: string }>(
      `SELECT id FROM records WHERE commune_code = $1 AND data ->> 'citizenKey' = $2
       UNION
       SELECT h.record_id FROM record_history h JOIN records r ON r.id = h.record_id
        WHERE r.commune_code = $1 AND (h.patch ->> 'citizenKey' = $2 OR h.replaced ->> 'citizenKey' = $2)
       ORDER BY 1`,
      [communeCode, key],
    );
    return rows.map((r) => r.id);
  }

  async scrubHistory(recordId: string, fields: readonly string[]): Promise<void> {
    if (fields.length === 0) return;
    await this.run(
      `UPDATE record_history SET patch = patch - $2::text[], replaced = replaced - $2::text[],
         lost = lost - $2::text[], won = won - $2::text[]
       WHERE record_id = $1`,
      [recordId, [...fields]],
    );
  }

  async eraseReviewComments(recordId: string): Promise<void> {
    await this.run('UPDATE records SET review_comment = NULL WHERE id = $1', [recordId]);
    await this.run('UPDATE record_reviews SET comment = NULL WHERE record_id = $1', [recordId]);
  }

  async recordIdsWithContact(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.rows<{ record_id: string }>(
      'SELECT record_id FROM record_contacts WHERE record_id = ANY($1::text[])',
      [[...ids]],
    );
    return new Set(rows.map((r) => r.record_id));
  }
}
