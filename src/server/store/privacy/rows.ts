// The record_contacts columns and their one mapping to ContactRow, for both dialects.
import type { ContactRow } from './types.ts';

export interface ContactCells {
  record_id: string;
  commune_code: string;
  sealed: string;
  closed_at: string | null;
  updated_at: string;
}

export const CONTACT_COLUMNS = 'record_id, commune_code, sealed, closed_at, updated_at';

export const toContact = (r: ContactCells): ContactRow => ({
  recordId: r.record_id,
  communeCode: r.commune_code,
  sealed: r.sealed,
  closedAt: r.closed_at,
  updatedAt: r.updated_at,
});
