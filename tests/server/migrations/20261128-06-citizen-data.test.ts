// Migration 20261128-06-citizen-data: every existing commune gets its own random secret for
// citizenKey, and follow-up contacts get their table apart from `records`.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, withStage } from './support.ts';

const NAME = '20261128-06-citizen-data.sql';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('gives each existing commune a distinct 256-bit secret and creates the contacts table', async () => {
    await withStage(kind, NAME, async (s) => {
      await s.run(`INSERT INTO communes VALUES ('99001', 'Xã Một'), ('99002', 'Xã Hai')`);
      expect(await s.apply()).toEqual([NAME]);
      const rows = await s.query<{ code: string; citizen_secret: string }>(
        'SELECT code, citizen_secret FROM communes ORDER BY code',
      );
      expect(rows.map((r) => r.code)).toEqual(['99001', '99002']);
      for (const r of rows) expect(r.citizen_secret).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0]?.citizen_secret).not.toBe(rows[1]?.citizen_secret);
      // A commune made later gets none here (the application gives it one).
      await s.run(`INSERT INTO communes (code, name) VALUES ('99003', 'Xã Ba')`);
      expect(await s.query(`SELECT citizen_secret FROM communes WHERE code = '99003'`)).toEqual([
        { citizen_secret: null },
      ]);
      expect((await s.columns('record_contacts')).map((c) => [c.name, c.nullable])).toEqual([
        ['record_id', false],
        ['commune_code', false],
        ['sealed', false],
        ['closed_at', true],
        ['updated_at', false],
      ]);
      expect(await s.indexes('record_contacts')).toContain('record_contacts_closed');
    });
  });
});
