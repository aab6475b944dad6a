// Migration 20261128-10-citizen-cells: the citizen numbers and cells, every day that already holds a
// live record marked for a rebuild, and triggers that mark a day whenever a write changes its cells
// (and only then).
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, insertRecord, updateRecordData, withStage, type Look } from './support.ts';

const NAME = '20261128-10-citizen-cells.sql';

const rec = (day: string, hamlet: string, extra: Record<string, unknown> = {}) => ({
  occurredOn: day,
  hamletId: hamlet,
  category: 'can_cuoc',
  outcome: 'done',
  ...extra,
});

async function dirty(s: Look): Promise<string[]> {
  return (
    await s.query<{ commune_code: string; day: string }>(
      'SELECT commune_code, day FROM citizen_days_dirty ORDER BY commune_code, day',
    )
  ).map((r) => `${r.commune_code} ${r.day}`);
}

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('marks the stored days and every later write that changes a cell', async () => {
    await withStage(kind, NAME, async (s) => {
      await insertRecord(s, { id: 'r1', data: rec('2026-04-02', 'thon-dong') });
      await insertRecord(s, { id: 'r2', data: rec('2026-04-02', 'thon-tay') });
      await insertRecord(s, { id: 'r3', deleted: true, data: rec('2026-04-05', 'thon-dong') });
      await insertRecord(s, { id: 'r4', commune: '99002', data: rec('2026-04-03', 'thon-nam') });

      expect(await s.apply()).toEqual([NAME]);
      for (const t of ['citizen_numbers', 'citizen_cells', 'citizen_days_dirty'])
        expect(await s.tables()).toContain(t);
      expect(await s.indexes('citizen_numbers')).toContain('citizen_numbers_id');
      // Live records' days only: the tombstone's day has nothing to count.
      expect(await dirty(s)).toEqual(['99001 2026-04-02', '99002 2026-04-03']);

      await s.run('DELETE FROM citizen_days_dirty');
      // A note edit and a review change no cell.
      await updateRecordData(s, 'r1', rec('2026-04-02', 'thon-dong', { note: 'ghi chú' }));
      await s.run(`UPDATE records SET review_state = 'approved' WHERE id = 'r1'`);
      expect(await dirty(s)).toEqual([]);
      // Moving a record to another day marks both days; a new record and a delete mark theirs.
      await updateRecordData(s, 'r2', rec('2026-04-06', 'thon-tay'));
      await insertRecord(s, { id: 'r5', data: rec('2026-04-07', 'thon-dong') });
      await s.run(`DELETE FROM records WHERE id = 'r4'`);
      expect(await dirty(s)).toEqual([
        '99001 2026-04-02',
        '99001 2026-04-06',
        '99001 2026-04-07',
        '99002 2026-04-03',
      ]);
      // A citizen number is unique per commune, and so is its dense id.
      const number = 'INSERT INTO citizen_numbers (commune_code, citizen_no, id) VALUES ($1, $2, $3)';
      await s.run(number, ['99001', 123, 1]);
      await s.run(number, ['99002', 123, 1]);
      await expect(s.run(number, ['99001', 456, 1])).rejects.toThrow(/UNIQUE|unique|duplicate/);
    });
  });
});
