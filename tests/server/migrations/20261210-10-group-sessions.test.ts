// Migration 20261210-10-group-sessions: group sessions beside records (their own table and indexes,
// copied tally columns, the same versioning) and each commune's topic list; the records and their
// counts are untouched.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, columnNames, insertRecord, numbers, withStage } from './support.ts';

const NAME = '20261210-10-group-sessions.sql';
const AT = '2026-04-01T00:00:00.000Z';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('adds the session and topic tables with their defaults, leaving records as they were', async () => {
    await withStage(kind, NAME, async (s) => {
      await s.run(`INSERT INTO communes (code, name) VALUES ('99001', 'Xã Thử')`);
      await insertRecord(s, {
        id: 'r1',
        data: { occurredOn: '2026-04-02', hamletId: 'thon-dong', category: 'can_cuoc', outcome: 'done' },
      });
      const rollupBefore = await s.query('SELECT * FROM daily_rollup');

      expect(await s.apply()).toEqual([NAME]);

      expect(await s.query('SELECT id FROM records')).toEqual([{ id: 'r1' }]);
      expect(await s.query('SELECT * FROM daily_rollup')).toEqual(rollupBefore);
      expect(await columnNames(s, 'group_sessions')).toEqual([
        'id',
        'commune_code',
        'team_id',
        'volunteer_id',
        'version',
        'deleted',
        'data',
        'field_meta',
        'held_on',
        'hamlet_id',
        'topic',
        'attendees',
        'review_state',
        'review_comment',
        'created_at',
        'updated_at',
      ]);
      expect(await s.indexes('group_sessions')).toEqual(
        expect.arrayContaining([
          'group_sessions_commune_version',
          'group_sessions_team_version',
          'group_sessions_volunteer_version',
          'group_sessions_tally',
        ]),
      );
      const data = {
        heldOn: '2026-04-05',
        hamletId: 'thon-dong',
        topic: 'vneid',
        attendance: { female: { '60_plus': 7 } },
      };
      await s.run(
        `INSERT INTO group_sessions (id, commune_code, team_id, volunteer_id, version, data, field_meta, held_on,
           hamlet_id, topic, attendees, created_at, updated_at)
         VALUES ('g1', '99001', 'team-1', 'v1', 3, $1, '{}', '2026-04-05', 'thon-dong', 'vneid', 7, $2, $2)`,
        [JSON.stringify(data), AT],
      );
      expect(
        numbers(await s.query('SELECT deleted, review_state, attendees, version FROM group_sessions'), [
          'version',
        ]),
      ).toEqual([{ deleted: s.bool(false), review_state: null, attendees: 7, version: 3 }]);
      // A session without its copied tally columns is refused.
      await expect(
        s.run(
          `INSERT INTO group_sessions (id, commune_code, team_id, volunteer_id, version, data, field_meta, created_at,
             updated_at) VALUES ('g2', '99001', 'team-1', 'v1', 4, '{}', '{}', $1, $1)`,
          [AT],
        ),
      ).rejects.toThrow(/NOT NULL|not-null/);

      const topic =
        'INSERT INTO session_topics (commune_code, code, label, sort_order) VALUES ($1, $2, $3, $4)';
      await s.run(topic, ['99001', 'vneid', 'Cài đặt VNeID', 1]);
      await expect(s.run(topic, ['99001', 'vneid', 'Trùng', 2])).rejects.toThrow(
        /UNIQUE|unique|duplicate|PRIMARY/,
      );
      expect(await s.query('SELECT code, active FROM session_topics')).toEqual([
        { code: 'vneid', active: s.bool(true) },
      ]);
    });
  });
});
