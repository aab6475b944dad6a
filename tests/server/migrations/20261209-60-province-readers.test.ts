// Migration 20261209-60-province-readers: the province's read-only accounts, and the coarse per-day
// table (commune, day, category) backfilled from the rollup and kept right by its triggers, multi-row
// statements included.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, insertRecord, numbers, updateRecordData, withStage, type Look } from './support.ts';

const NAME = '20261209-60-province-readers.sql';

const rec = (day: string, category: string) => ({
  occurredOn: day,
  hamletId: 'thon-dong',
  category,
  outcome: 'done',
});

async function coarse(s: Look) {
  return numbers(
    await s.query<{ commune_code: string; day: string; category: string; n: number; rejected: number }>(
      'SELECT commune_code, day, category, n, rejected FROM daily_commune_category ORDER BY commune_code, day, category',
    ),
    ['n', 'rejected'],
  );
}

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('backfills the counts by commune, day and category and follows every write', async () => {
    await withStage(kind, NAME, async (s) => {
      await insertRecord(s, { id: 'r1', data: rec('2026-04-02', 'can_cuoc') });
      await insertRecord(s, { id: 'r2', data: rec('2026-04-02', 'can_cuoc') });
      await insertRecord(s, { id: 'r3', data: rec('2026-04-02', 'vneid_l1') });
      await insertRecord(s, { id: 'r4', commune: '99002', data: rec('2026-04-03', 'can_cuoc') });
      await s.run(`UPDATE records SET review_state = 'rejected' WHERE id = 'r2'`);

      expect(await s.apply()).toEqual([NAME]);

      expect(await coarse(s)).toEqual([
        { commune_code: '99001', day: '2026-04-02', category: 'can_cuoc', n: 1, rejected: 1 },
        { commune_code: '99001', day: '2026-04-02', category: 'vneid_l1', n: 1, rejected: 0 },
        { commune_code: '99002', day: '2026-04-03', category: 'can_cuoc', n: 1, rejected: 0 },
      ]);

      await insertRecord(s, { id: 'r5', commune: '99002', data: rec('2026-04-03', 'can_cuoc') });
      await s.run(`UPDATE records SET review_state = 'rejected' WHERE id = 'r1'`);
      await s.run('UPDATE records SET deleted = $2 WHERE id = $1', ['r3', s.bool(true)]);
      await updateRecordData(s, 'r4', rec('2026-04-03', 'vneid_l1'));
      expect(await coarse(s)).toEqual([
        { commune_code: '99001', day: '2026-04-02', category: 'can_cuoc', n: 0, rejected: 2 },
        { commune_code: '99002', day: '2026-04-03', category: 'can_cuoc', n: 1, rejected: 0 },
        { commune_code: '99002', day: '2026-04-03', category: 'vneid_l1', n: 1, rejected: 0 },
      ]);
      // One statement over several rows: both refused records counted again, then one commune's gone.
      await s.run(`UPDATE records SET review_state = 'approved' WHERE review_state = 'rejected'`);
      await s.run(`DELETE FROM records WHERE commune_code = '99002'`);
      expect(await coarse(s)).toEqual([
        { commune_code: '99001', day: '2026-04-02', category: 'can_cuoc', n: 2, rejected: 0 },
      ]);
      // It always agrees with the finer rollup it was made from.
      expect(
        numbers(
          await s.query(
            'SELECT commune_code, day, category, sum(n) AS n, sum(rejected) AS rejected FROM daily_rollup GROUP BY 1, 2, 3',
          ),
          ['n', 'rejected'],
        ),
      ).toEqual(await coarse(s));

      const reader = `INSERT INTO province_readers (id, name, token_hash, created_at) VALUES ($1, $2, $3, '2026-04-01T00:00:00.000Z')`;
      await s.run(reader, ['p1', 'Sở KH&CN', 'a'.repeat(64)]);
      await expect(s.run(reader, ['p2', 'Sở KH&CN', 'b'.repeat(64)])).rejects.toThrow(
        /UNIQUE|unique|duplicate/,
      );
      await expect(s.run(reader, ['p3', 'Khác', 'a'.repeat(64)])).rejects.toThrow(/UNIQUE|unique|duplicate/);
      expect(await s.query('SELECT revoked_at FROM province_readers')).toEqual([{ revoked_at: null }]);
    });
  });
});
