// Migration 20261207-60-restores: restore epochs, and the version counter's row gains the gap a
// restore leaves, 0 (no restore) on a database that has a history already.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, numbers, withStage } from './support.ts';

const NAME = '20261207-60-restores.sql';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('keeps the counter and its prune horizon, with no restore recorded', async () => {
    await withStage(kind, NAME, async (s) => {
      await s.run('UPDATE sync_state SET version = 41, pruned_version = 7 WHERE id = 1');
      expect(await s.apply()).toEqual([NAME]);
      expect(
        numbers(
          await s.query('SELECT version, pruned_version, restored_from, restored_below FROM sync_state'),
          ['version', 'pruned_version', 'restored_from', 'restored_below'],
        ),
      ).toEqual([{ version: 41, pruned_version: 7, restored_from: 0, restored_below: 0 }]);
      expect(await s.query('SELECT * FROM restores')).toEqual([]);
      const add = `INSERT INTO restores (restored_at, version, restored_below, backup_created_at)
        VALUES ($1, 30, 1041, '2026-04-01T00:00:00.000Z')`;
      await s.run(add, ['2026-04-02T00:00:00.000Z']);
      await expect(s.run(add, ['2026-04-02T00:00:00.000Z'])).rejects.toThrow(/UNIQUE|unique|duplicate/);
    });
  });
});
