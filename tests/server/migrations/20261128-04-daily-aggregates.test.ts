// Migration 20261128-04-daily-aggregates: the per-day counts of live records are backfilled from the
// records already stored, and its triggers keep them right on every later insert, edit, tombstone
// and delete.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, insertRecord, numbers, updateRecordData, withStage, type Look } from './support.ts';

const NAME = '20261128-04-daily-aggregates.sql';

const rec = (day: string, hamlet: string, category: string, outcome = 'done') => ({
  occurredOn: day,
  hamletId: hamlet,
  category,
  outcome,
});

async function rollup(s: Look) {
  return numbers(
    await s.query<{ day: string; hamlet_id: string; category: string; outcome: string; n: number }>(
      `SELECT day, hamlet_id, category, outcome, n FROM daily_rollup ORDER BY day, hamlet_id, category, outcome`,
    ),
    ['n'],
  );
}

async function byVolunteer(s: Look) {
  return numbers(
    await s.query<{ day: string; volunteer_id: string; n: number }>(
      `SELECT day, volunteer_id, sum(n) AS n FROM daily_aggregates GROUP BY day, volunteer_id ORDER BY day, volunteer_id`,
    ),
    ['n'],
  );
}

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('counts the stored live records, then follows inserts, edits, tombstones and deletes', async () => {
    await withStage(kind, NAME, async (s) => {
      await insertRecord(s, { id: 'r1', data: rec('2026-04-02', 'thon-dong', 'can_cuoc') });
      await insertRecord(s, { id: 'r2', volunteer: 'v2', data: rec('2026-04-02', 'thon-dong', 'can_cuoc') });
      await insertRecord(s, { id: 'r3', deleted: true, data: rec('2026-04-02', 'thon-dong', 'can_cuoc') });
      await insertRecord(s, { id: 'r4', data: rec('2026-04-03', 'thon-tay', 'vneid_l1', 'failed') });

      expect(await s.apply()).toEqual([NAME]);
      expect(await s.triggers('records')).not.toEqual([]);

      expect(await rollup(s)).toEqual([
        { day: '2026-04-02', hamlet_id: 'thon-dong', category: 'can_cuoc', outcome: 'done', n: 2 },
        { day: '2026-04-03', hamlet_id: 'thon-tay', category: 'vneid_l1', outcome: 'failed', n: 1 },
      ]);
      expect(await byVolunteer(s)).toEqual([
        { day: '2026-04-02', volunteer_id: 'v1', n: 1 },
        { day: '2026-04-02', volunteer_id: 'v2', n: 1 },
        { day: '2026-04-03', volunteer_id: 'v1', n: 1 },
      ]);

      // A new record, an edit that moves one to another key, a tombstone and a delete.
      await insertRecord(s, { id: 'r5', data: rec('2026-04-03', 'thon-tay', 'vneid_l1', 'failed') });
      await updateRecordData(s, 'r1', rec('2026-04-02', 'thon-dong', 'can_cuoc', 'failed'));
      await s.run('UPDATE records SET deleted = $2 WHERE id = $1', ['r2', s.bool(true)]);
      await s.run(`DELETE FROM records WHERE id = 'r4'`);
      // A note edit changes no count.
      await updateRecordData(s, 'r5', { ...rec('2026-04-03', 'thon-tay', 'vneid_l1', 'failed'), note: 'x' });

      expect(await rollup(s)).toEqual([
        { day: '2026-04-02', hamlet_id: 'thon-dong', category: 'can_cuoc', outcome: 'failed', n: 1 },
        { day: '2026-04-03', hamlet_id: 'thon-tay', category: 'vneid_l1', outcome: 'failed', n: 1 },
      ]);
      expect(await byVolunteer(s)).toEqual([
        { day: '2026-04-02', volunteer_id: 'v1', n: 1 },
        { day: '2026-04-03', volunteer_id: 'v1', n: 1 },
      ]);
      // A missing hamlet is '' in a key.
      await insertRecord(s, {
        id: 'r6',
        data: { occurredOn: '2026-04-04', category: 'other', outcome: 'done' },
      });
      expect((await rollup(s)).at(-1)).toEqual({
        day: '2026-04-04',
        hamlet_id: '',
        category: 'other',
        outcome: 'done',
        n: 1,
      });
    });
  });
});
