// What a commune's admin publishes: the printout's settings and the how-to card editions; both
// stores implement them in settings/sqlite.ts and settings/postgres.ts.

// ---- the admin's report settings (migration 20261208-20-report-settings) ----
/** The printout's settings of one commune as stored: the JSON is checked by its reader. */
export interface ReportSettingsRow {
  communeCode: string;
  settings: unknown;
  updatedBy: string;
  updatedAt: string;
}
export interface ReportSettingsReads {
  /** The commune's stored settings, or null when the admin never set them. */
  getReportSettings(communeCode: string): Promise<ReportSettingsRow | null>;
}
export interface ReportSettingsWrites {
  /** Insert or replace the commune's settings. */
  putReportSettings(row: ReportSettingsRow): Promise<void>;
}

// ---- the commune's how-to card editions (migration 20261208-50-card-editions, docs/cards.md) ----
/** One published edition as stored: the cards' JSON is checked by its reader. */
export interface CardEditionRow {
  communeCode: string;
  edition: number;
  publishedOn: string;
  source: string;
  cards: unknown;
  publishedBy: string;
  publishedAt: string;
}
export interface CardEditionReads {
  /** The commune's highest published edition, or null when it never published one. */
  getCardEdition(communeCode: string): Promise<CardEditionRow | null>;
  /** Only the number of that edition (every pull's last page announces it). */
  cardEditionNumber(communeCode: string): Promise<number | null>;
}
export interface CardEditionWrites {
  /** Insert a new edition; its number must be above every stored one of the commune. */
  insertCardEdition(row: CardEditionRow): Promise<void>;
}
export type SettingsReads = ReportSettingsReads & CardEditionReads;
export type SettingsTx = SettingsReads & ReportSettingsWrites & CardEditionWrites;
