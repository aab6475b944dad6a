// Migration 20261208-01-counted-records: refused records leave the counts. The rollup is rebuilt with
// counted and refused records apart, the cells gain a refused count, the days holding a refused
// record are marked for a rebuild, and a review to or from 'rejected' moves a record between the two.
// (tests/server/counted-migration.test.ts checks the tallies read through the store after it.)
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, insertRecord, numbers, withStage, type Look } from './support.ts';

const NAME = '20261208-01-counted-records.sql';

const rec = (day: string, category = 'can_cuoc') => ({
  occurredOn: day,
  hamletId: 'thon-dong',
  category,
  outcome: 'done',
});

async function rollup(s: Look) {
  return numbers(
    await s.query<{ day: string; n: number; rejected: number }>(
      'SELECT day, n, rejected FROM daily_rollup ORDER BY day',
    ),
    ['n', 'rejected'],
  );
}
async function dirty(s: Look): Promise<string[]> {
  return (await s.query<{ day: string }>('SELECT day FROM citizen_days_dirty ORDER BY day')).map(
    (r) => r.day,
  );
}
const review = (s: Look, id: string, state: string | null) =>
  s.run('UPDATE records SET review_state = $2 WHERE id = $1', [id, state]);

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('counts refused records apart, marks their days, and follows reviews', async () => {
    await withStage(kind, NAME, async (s) => {
      await insertRecord(s, { id: 'r1', data: rec('2026-04-02') });
      await insertRecord(s, { id: 'r2', data: rec('2026-04-02') });
      await insertRecord(s, { id: 'r3', data: rec('2026-04-03') });
      await review(s, 'r1', 'rejected');
      await s.run(
        `INSERT INTO citizen_cells (commune_code, day, hamlet_id, category, n, ids)
         VALUES ('99001', '2026-04-02', 'thon-dong', 'can_cuoc', 2, $1)`,
        [Buffer.alloc(0)],
      );
      await s.run('DELETE FROM citizen_days_dirty');

      expect(await s.apply()).toEqual([NAME]);

      expect(await rollup(s)).toEqual([
        { day: '2026-04-02', n: 1, rejected: 1 },
        { day: '2026-04-03', n: 1, rejected: 0 },
      ]);
      expect(numbers(await s.query('SELECT day, n, rejected FROM citizen_cells'), ['n', 'rejected'])).toEqual(
        [{ day: '2026-04-02', n: 2, rejected: 0 }],
      );
      expect(await dirty(s)).toEqual(['2026-04-02']);

      await s.run('DELETE FROM citizen_days_dirty');
      await review(s, 'r2', 'rejected');
      expect(await rollup(s)).toEqual([
        { day: '2026-04-02', n: 0, rejected: 2 },
        { day: '2026-04-03', n: 1, rejected: 0 },
      ]);
      expect(await dirty(s)).toEqual(['2026-04-02']);
      // Counted to counted marks nothing and moves nothing.
      await review(s, 'r3', 'approved');
      expect(await dirty(s)).toEqual(['2026-04-02']);
      await review(s, 'r1', 'approved');
      await s.run('UPDATE records SET deleted = $2 WHERE id = $1', ['r2', s.bool(true)]);
      expect(await rollup(s)).toEqual([
        { day: '2026-04-02', n: 1, rejected: 0 },
        { day: '2026-04-03', n: 1, rejected: 0 },
      ]);
      // A key with neither counted nor refused records goes.
      await s.run(`DELETE FROM records WHERE id = 'r3'`);
      expect((await rollup(s)).map((r) => r.day)).toEqual(['2026-04-02']);
    });
  });
});
