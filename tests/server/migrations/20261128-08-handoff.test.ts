// Migration 20261128-08-handoff: the commune's hand-off keys (one per commune, key ids unique), the
// devices' signing keys and the bundles taken.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, withStage } from './support.ts';

const NAME = '20261128-08-handoff.sql';
const AT = '2026-04-01T00:00:00.000Z';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('creates the key and bundle tables with their keys', async () => {
    await withStage(kind, NAME, async (s) => {
      await s.run(`INSERT INTO communes (code, name) VALUES ('99001', 'Xã Một'), ('99002', 'Xã Hai')`);
      await s.run(`INSERT INTO users (id, username, display_name, password_hash, role, commune_code)
        VALUES ('u1', 'tnv-thu', 'Người Thử', 'x', 'volunteer', '99001'), ('u2', 'to-truong', 'Tổ Trưởng', 'x', 'lead', '99001')`);
      await s.run(`INSERT INTO clients (client_id, user_id, updated_at) VALUES ('client-1', 'u1', $1)`, [AT]);
      expect(await s.apply()).toEqual([NAME]);

      const communeKey = `INSERT INTO handoff_commune_keys VALUES ($1, $2, 'ep', 'es', 'rp', 'rs', '${AT}')`;
      await s.run(communeKey, ['99001', 'k1']);
      await expect(s.run(communeKey, ['99002', 'k1'])).rejects.toThrow(/UNIQUE|unique|duplicate/);
      await expect(s.run(communeKey, ['99001', 'k2'])).rejects.toThrow(/UNIQUE|unique|duplicate/);
      await s.run(
        `INSERT INTO handoff_device_keys (key_id, user_id, client_id, public_key, created_at) VALUES ('dk1', 'u1', 'client-1', 'pk', $1)`,
        [AT],
      );
      await s.run(
        `INSERT INTO handoff_bundles VALUES ('b1', 'dk1', 'client-1', 'u1', 'u2', 'digest', 3, 'receipt', $1)`,
        [AT],
      );
      expect(await s.query('SELECT revoked_at FROM handoff_device_keys')).toEqual([{ revoked_at: null }]);
      expect(await s.query('SELECT bundle_id, mutation_count FROM handoff_bundles')).toEqual([
        { bundle_id: 'b1', mutation_count: 3 },
      ]);
      expect(await s.indexes('handoff_device_keys')).toContain('handoff_device_keys_user');
    });
  });
});
