// Migration 20261208-20-report-settings: one row of printed-report settings per commune, kept as JSON.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, withStage } from './support.ts';

const NAME = '20261208-20-report-settings.sql';
const AT = '2026-04-01T00:00:00.000Z';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('keeps one settings object per commune', async () => {
    await withStage(kind, NAME, async (s) => {
      await s.run(`INSERT INTO communes (code, name) VALUES ('99001', 'Xã Thử')`);
      expect(await s.apply()).toEqual([NAME]);
      const settings = { issuingBody: 'UBND xã Thử', numberSuffix: 'BC-UBND' };
      const add =
        'INSERT INTO report_settings (commune_code, settings, updated_by, updated_at) VALUES ($1, $2, $3, $4)';
      await s.run(add, ['99001', JSON.stringify(settings), 'u1', AT]);
      await expect(s.run(add, ['99001', '{}', 'u1', AT])).rejects.toThrow(/UNIQUE|unique|duplicate|PRIMARY/);
      const [row] = await s.query<{ settings: unknown }>('SELECT settings FROM report_settings');
      expect(typeof row?.settings === 'string' ? JSON.parse(row.settings) : row?.settings).toEqual(settings);
    });
  });
});
