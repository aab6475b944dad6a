// Migration 20261207-80-handoff-key-device: a hand-off signing key names the device that registered
// it; keys registered before name none and stay valid.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, withStage } from './support.ts';

const NAME = '20261207-80-handoff-key-device.sql';
const AT = '2026-04-01T00:00:00.000Z';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('keeps existing keys without a device and indexes the new column', async () => {
    await withStage(kind, NAME, async (s) => {
      await s.run(`INSERT INTO communes (code, name) VALUES ('99001', 'Xã Thử')`);
      await s.run(`INSERT INTO users (id, username, display_name, password_hash, role, commune_code)
        VALUES ('u1', 'tnv-thu', 'Người Thử', 'x', 'volunteer', '99001')`);
      await s.run(`INSERT INTO clients (client_id, user_id, updated_at) VALUES ('client-1', 'u1', $1)`, [AT]);
      await s.run(
        `INSERT INTO devices (id, user_id, label, created_at, last_seen_at) VALUES ('d1', 'u1', 'Máy', $1, $1)`,
        [AT],
      );
      const key = `INSERT INTO handoff_device_keys (key_id, user_id, client_id, public_key, created_at)
        VALUES ($1, 'u1', 'client-1', 'pk', $2)`;
      await s.run(key, ['k-old', AT]);
      expect(await s.apply()).toEqual([NAME]);
      expect(await s.indexes('handoff_device_keys')).toContain('handoff_device_keys_device');
      await s.run(
        `INSERT INTO handoff_device_keys (key_id, user_id, client_id, public_key, created_at, device_id)
         VALUES ('k-new', 'u1', 'client-1', 'pk2', $1, 'd1')`,
        [AT],
      );
      expect(
        await s.query('SELECT key_id, device_id, revoked_at FROM handoff_device_keys ORDER BY key_id'),
      ).toEqual([
        { key_id: 'k-new', device_id: 'd1', revoked_at: null },
        { key_id: 'k-old', device_id: null, revoked_at: null },
      ]);
    });
  });
});
