// The card_editions and report_settings columns and their one mapping, for both dialects: their
// JSON arrives as text from SQLite and parsed from PostgreSQL, and is checked by its reader.
import type { CardEditionRow, ReportSettingsRow } from './types.ts';

/** A JSON cell as stored: SQLite's text is parsed here, PostgreSQL's JSONB came parsed. */
const json = (cell: unknown): unknown => (typeof cell === 'string' ? (JSON.parse(cell) as unknown) : cell);

export interface CardEditionCells {
  commune_code: string;
  edition: number;
  published_on: string;
  source: string;
  cards: unknown;
  published_by: string;
  published_at: string;
}

export const CARD_EDITION_COLUMNS =
  'commune_code, edition, published_on, source, cards, published_by, published_at';

export const toCardEdition = (r: CardEditionCells): CardEditionRow => ({
  communeCode: r.commune_code,
  edition: r.edition,
  publishedOn: r.published_on,
  source: r.source,
  cards: json(r.cards),
  publishedBy: r.published_by,
  publishedAt: r.published_at,
});

export interface ReportSettingsCells {
  commune_code: string;
  settings: unknown;
  updated_by: string;
  updated_at: string;
}

export const REPORT_SETTINGS_COLUMNS = 'commune_code, settings, updated_by, updated_at';

export const toReportSettings = (r: ReportSettingsCells): ReportSettingsRow => ({
  communeCode: r.commune_code,
  settings: json(r.settings),
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
});
