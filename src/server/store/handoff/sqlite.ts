// The hand-off tables (handoff/types.ts, docs/handoff.md) on one better-sqlite3 connection.
import type { HandoffBundleRow, HandoffCommuneKeyRow, HandoffDeviceKeyRow, HandoffTx } from './types.ts';
import {
  BUNDLE_COLUMNS,
  COMMUNE_KEY_COLUMNS,
  DEVICE_KEY_COLUMNS,
  bundleValues,
  communeKeyValues,
  deviceKeyValues,
  toBundle,
  toCommuneKey,
  toDeviceKey,
} from './rows.ts';
import type { Statements } from '../sqlite/statements.ts';

export class SqliteHandoffTx implements HandoffTx {
  constructor(protected readonly sql: Statements) {}

  async getHandoffCommuneKey(communeCode: string): Promise<HandoffCommuneKeyRow | null> {
    const r = this.sql
      .get(`SELECT ${COMMUNE_KEY_COLUMNS} FROM handoff_commune_keys WHERE commune_code = ?`)
      .get(communeCode) as Record<string, unknown> | undefined;
    return r ? toCommuneKey(r) : null;
  }

  async insertHandoffCommuneKey(row: HandoffCommuneKeyRow): Promise<void> {
    this.sql
      .get(
        `INSERT INTO handoff_commune_keys (${COMMUNE_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (commune_code) DO NOTHING`,
      )
      .run(...communeKeyValues(row));
  }

  async getHandoffDeviceKey(keyId: string): Promise<HandoffDeviceKeyRow | null> {
    const r = this.sql
      .get(`SELECT ${DEVICE_KEY_COLUMNS} FROM handoff_device_keys WHERE key_id = ?`)
      .get(keyId) as Record<string, unknown> | undefined;
    return r ? toDeviceKey(r) : null;
  }

  async insertHandoffDeviceKey(row: HandoffDeviceKeyRow): Promise<void> {
    this.sql
      .get(
        `INSERT INTO handoff_device_keys (${DEVICE_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (key_id) DO NOTHING`,
      )
      .run(...deviceKeyValues(row));
  }

  async listHandoffDeviceKeys(teamId: string): Promise<HandoffDeviceKeyRow[]> {
    const cols = DEVICE_KEY_COLUMNS.split(', ')
      .map((c) => `k.${c}`)
      .join(', ');
    const rows = this.sql
      .get(
        `SELECT ${cols} FROM handoff_device_keys k JOIN users u ON u.id = k.user_id
         WHERE u.team_id = ? ORDER BY k.created_at, k.key_id`,
      )
      .all(teamId) as Record<string, unknown>[];
    return rows.map(toDeviceKey);
  }

  async revokeHandoffDeviceKey(keyId: string, at: string): Promise<void> {
    this.sql
      .get('UPDATE handoff_device_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL')
      .run(at, keyId);
  }

  async revokeHandoffKeysOfClient(clientId: string, at: string): Promise<number> {
    return this.sql
      .get('UPDATE handoff_device_keys SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL')
      .run(at, clientId).changes;
  }

  async getHandoffBundle(bundleId: string): Promise<HandoffBundleRow | null> {
    const r = this.sql
      .get(`SELECT ${BUNDLE_COLUMNS} FROM handoff_bundles WHERE bundle_id = ?`)
      .get(bundleId) as Record<string, unknown> | undefined;
    return r ? toBundle(r) : null;
  }

  async insertHandoffBundle(row: HandoffBundleRow): Promise<void> {
    this.sql
      .get(`INSERT INTO handoff_bundles (${BUNDLE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(...bundleValues(row));
  }
}
