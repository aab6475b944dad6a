// Migration 20261207-01-citizen-secrets-to-key-file: the commune secret's column is renamed so no
// old reader or writer keeps using it; the secrets themselves stay until the server moves them.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, columnNames, withStage } from './support.ts';

const NAME = '20261207-01-citizen-secrets-to-key-file.sql';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('keeps each secret under the new column name and drops the old name', async () => {
    await withStage(kind, NAME, async (s) => {
      const secret = 'ab'.repeat(32);
      await s.run(`INSERT INTO communes (code, name, citizen_secret) VALUES ('99001', 'Xã Một', $1)`, [
        secret,
      ]);
      await s.run(`INSERT INTO communes (code, name) VALUES ('99002', 'Xã Hai')`);
      expect(await s.apply()).toEqual([NAME]);
      expect(await columnNames(s, 'communes')).toEqual(['code', 'name', 'legacy_citizen_secret']);
      expect(await s.query('SELECT code, legacy_citizen_secret FROM communes ORDER BY code')).toEqual([
        { code: '99001', legacy_citizen_secret: secret },
        { code: '99002', legacy_citizen_secret: null },
      ]);
      await expect(s.query('SELECT citizen_secret FROM communes')).rejects.toThrow(/citizen_secret/);
    });
  });
});
