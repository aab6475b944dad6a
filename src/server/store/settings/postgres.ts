// What a commune's admin publishes (settings/types.ts): report settings and card editions, on one
// PostgreSQL connection; not sync data, so no counter lock.
import type { CardEditionRow, ReportSettingsRow, SettingsReads, SettingsTx } from './types.ts';
import { json } from '../postgres/rows.ts';
import { PgPart } from '../postgres/conn.ts';
import {
  CARD_EDITION_COLUMNS,
  REPORT_SETTINGS_COLUMNS,
  toCardEdition,
  toReportSettings,
  type CardEditionCells,
  type ReportSettingsCells,
} from './rows.ts';

export class PgSettingsReads extends PgPart implements SettingsReads {
  // The commune's card editions are not sync data: no counter lock.
  async getCardEdition(communeCode: string): Promise<CardEditionRow | null> {
    const [r] = await this.rows<CardEditionCells>(
      `SELECT ${CARD_EDITION_COLUMNS} FROM card_editions WHERE commune_code = $1 ORDER BY edition DESC LIMIT 1`,
      [communeCode],
    );
    return r ? toCardEdition(r) : null;
  }

  async cardEditionNumber(communeCode: string): Promise<number | null> {
    const [r] = await this.rows<{ edition: number | null }>(
      'SELECT MAX(edition) AS edition FROM card_editions WHERE commune_code = $1',
      [communeCode],
    );
    return r?.edition ?? null;
  }

  // The admin's report settings are not sync data either.
  async getReportSettings(communeCode: string): Promise<ReportSettingsRow | null> {
    const [r] = await this.rows<ReportSettingsCells>(
      `SELECT ${REPORT_SETTINGS_COLUMNS} FROM report_settings WHERE commune_code = $1`,
      [communeCode],
    );
    return r ? toReportSettings(r) : null;
  }
}

export class PgSettingsTx extends PgSettingsReads implements SettingsTx {
  async insertCardEdition(row: CardEditionRow): Promise<void> {
    await this.run(
      `INSERT INTO card_editions (commune_code, edition, published_on, source, cards, published_by, published_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        row.communeCode,
        row.edition,
        row.publishedOn,
        row.source,
        json(row.cards),
        row.publishedBy,
        row.publishedAt,
      ],
    );
  }

  async putReportSettings(row: ReportSettingsRow): Promise<void> {
    await this.run(
      `INSERT INTO report_settings (commune_code, settings, updated_by, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (commune_code) DO UPDATE SET settings = EXCLUDED.settings,
         updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [row.communeCode, json(row.settings), row.updatedBy, row.updatedAt],
    );
  }
}
