// The hand-off tables (handoff/types.ts, docs/handoff.md) on one PostgreSQL connection: the
// pool or a transaction's client.
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
import { PgPart } from '../postgres/conn.ts';

export class PgHandoffTx extends PgPart implements HandoffTx {
  // The hand-off has its own tables: no counter lock.
  async getHandoffCommuneKey(communeCode: string): Promise<HandoffCommuneKeyRow | null> {
    const [r] = await this.rows(
      `SELECT ${COMMUNE_KEY_COLUMNS} FROM handoff_commune_keys WHERE commune_code = $1`,
      [communeCode],
    );
    return r ? toCommuneKey(r) : null;
  }

  async insertHandoffCommuneKey(row: HandoffCommuneKeyRow): Promise<void> {
    await this.run(
      `INSERT INTO handoff_commune_keys (${COMMUNE_KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (commune_code) DO NOTHING`,
      communeKeyValues(row),
    );
  }

  async getHandoffDeviceKey(keyId: string): Promise<HandoffDeviceKeyRow | null> {
    const [r] = await this.rows(`SELECT ${DEVICE_KEY_COLUMNS} FROM handoff_device_keys WHERE key_id = $1`, [
      keyId,
    ]);
    return r ? toDeviceKey(r) : null;
  }

  async insertHandoffDeviceKey(row: HandoffDeviceKeyRow): Promise<void> {
    await this.run(
      `INSERT INTO handoff_device_keys (${DEVICE_KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (key_id) DO NOTHING`,
      deviceKeyValues(row),
    );
  }

  async listHandoffDeviceKeys(teamId: string): Promise<HandoffDeviceKeyRow[]> {
    const cols = DEVICE_KEY_COLUMNS.split(', ')
      .map((c) => `k.${c}`)
      .join(', ');
    const rows = await this.rows(
      `SELECT ${cols} FROM handoff_device_keys k JOIN users u ON u.id = k.user_id
       WHERE u.team_id = $1 ORDER BY k.created_at, k.key_id`,
      [teamId],
    );
    return rows.map(toDeviceKey);
  }

  async revokeHandoffDeviceKey(keyId: string, at: string): Promise<void> {
    await this.run(
      'UPDATE handoff_device_keys SET revoked_at = $1 WHERE key_id = $2 AND revoked_at IS NULL',
      [at, keyId],
    );
  }

  async revokeHandoffKeysOfClient(clientId: string, at: string): Promise<number> {
    return this.run(
      'UPDATE handoff_device_keys SET revoked_at = $1 WHERE client_id = $2 AND revoked_at IS NULL',
      [at, clientId],
    );
  }

  async getHandoffBundle(bundleId: string): Promise<HandoffBundleRow | null> {
    const [r] = await this.rows(`SELECT ${BUNDLE_COLUMNS} FROM handoff_bundles WHERE bundle_id = $1`, [
      bundleId,
    ]);
    return r ? toBundle(r) : null;
  }

  async insertHandoffBundle(row: HandoffBundleRow): Promise<void> {
    await this.run(
      `INSERT INTO handoff_bundles (${BUNDLE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      bundleValues(row),
    );
  }
}
