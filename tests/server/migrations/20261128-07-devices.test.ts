// Migration 20261128-07-devices: devices and enrolment tokens, and a device on each session; sessions
// made before it keep working with none.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, withStage } from './support.ts';

const NAME = '20261128-07-devices.sql';
const AT = '2026-04-01T00:00:00.000Z';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('keeps existing sessions without a device and lets new ones name theirs', async () => {
    await withStage(kind, NAME, async (s) => {
      await s.run(`INSERT INTO communes (code, name) VALUES ('99001', 'Xã Thử')`);
      await s.run(`INSERT INTO users (id, username, display_name, password_hash, role, commune_code)
        VALUES ('u1', 'tnv-thu', 'Người Thử', 'x', 'volunteer', '99001')`);
      await s.run(
        `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ('h1', 'u1', $1, $1)`,
        [AT],
      );
      expect(await s.apply()).toEqual([NAME]);

      expect(await s.query('SELECT token_hash, device_id FROM sessions')).toEqual([
        { token_hash: 'h1', device_id: null },
      ]);
      expect(await s.indexes('sessions')).toContain('sessions_device');
      expect(await s.indexes('devices')).toContain('devices_user');
      expect(await s.indexes('enrolments')).toContain('enrolments_user');
      await s.run(
        `INSERT INTO devices (id, user_id, label, created_at, last_seen_at) VALUES ('d1', 'u1', 'Điện thoại', $1, $1)`,
        [AT],
      );
      await s.run(
        `INSERT INTO enrolments (token_hash, user_id, created_by, created_at, expires_at, device_id)
         VALUES ('e1', 'u1', 'u1', $1, $1, 'd1')`,
        [AT],
      );
      await s.run(
        `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, device_id) VALUES ('h2', 'u1', $1, $1, 'd1')`,
        [AT],
      );
      expect(await s.query('SELECT token_hash, device_id FROM sessions ORDER BY token_hash')).toEqual([
        { token_hash: 'h1', device_id: null },
        { token_hash: 'h2', device_id: 'd1' },
      ]);
      expect(await s.query('SELECT revoked_at, used_at FROM devices, enrolments')).toEqual([
        { revoked_at: null, used_at: null },
      ]);
    });
  });
});
