// What a commune's admin publishes (settings/types.ts): report settings and card editions, on one
// better-sqlite3 connection.
import type { CardEditionRow, ReportSettingsRow, SettingsReads, SettingsTx } from './types.ts';
import type { Statements } from '../sqlite/statements.ts';
import {
  CARD_EDITION_COLUMNS,
  REPORT_SETTINGS_COLUMNS,
  toCardEdition,
  toReportSettings,
  type CardEditionCells,
  type ReportSettingsCells,
} from './rows.ts';

export class SqliteSettingsReads implements SettingsReads {
  constructor(protected readonly sql: Statements) {}

  async getCardEdition(communeCode: string): Promise<CardEditionRow | null> {
    const r = this.sql
      .get(
        `SELECT ${CARD_EDITION_COLUMNS} FROM card_editions WHERE commune_code = ? ORDER BY edition DESC LIMIT 1`,
      )
      .get(communeCode) as CardEditionCells | undefined;
    return r ? toCardEdition(r) : null;
  }

  async cardEditionNumber(communeCode: string): Promise<number | null> {
    const r = this.sql
      .get('SELECT MAX(edition) AS edition FROM card_editions WHERE commune_code = ?')
      .get(communeCode) as { edition: number | null } | undefined;
    return r?.edition ?? null;
  }

  async getReportSettings(communeCode: string): Promise<ReportSettingsRow | null> {
    const r = this.sql
      .get(`SELECT ${REPORT_SETTINGS_COLUMNS} FROM report_settings WHERE commune_code = ?`)
      .get(communeCode) as ReportSettingsCells | undefined;
    return r ? toReportSettings(r) : null;
  }
}

export class SqliteSettingsTx extends SqliteSettingsReads implements SettingsTx {
  async insertCardEdition(row: CardEditionRow): Promise<void> {
    this.sql
      .get(
        `INSERT INTO card_editions (commune_code, edition, published_on, source, cards, published_by, published_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.communeCode,
        row.edition,
        row.publishedOn,
        row.source,
        JSON.stringify(row.cards),
        row.publishedBy,
        row.publishedAt,
      );
  }

  async putReportSettings(row: ReportSettingsRow): Promise<void> {
    this.sql
      .get(
        `INSERT INTO report_settings (commune_code, settings, updated_by, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (commune_code) DO UPDATE SET settings = excluded.settings,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      )
      .run(row.communeCode, JSON.stringify(row.settings), row.updatedBy, row.updatedAt);
  }
}
