// Migration 20261208-03-team-targets: a target may name a team. Existing targets are carried over as
// the commune's (no team), and the team joins the key that makes a later target replace an earlier.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, withStage } from './support.ts';

const NAME = '20261208-03-team-targets.sql';
const AT = '2026-04-01T00:00:00.000Z';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('keeps every target as the commune’s and lets a team have its own with the same key', async () => {
    await withStage(kind, NAME, async (s) => {
      await s.run(`INSERT INTO communes (code, name) VALUES ('99001', 'Xã Thử')`);
      const old = `INSERT INTO targets (id, commune_code, period_from, period_to, category, outcome, hamlet_id, target,
        label, updated_by, updated_at) VALUES ($1, '99001', '2026-04-01', '2026-06-30', 'online_filing', '', $2, $3, $4, 'u1', $5)`;
      await s.run(old, ['t-commune', '', 10, 'Quý II', AT]);
      await s.run(old, ['t-hamlet', 'thon-dong', 4, null, AT]);

      expect(await s.apply()).toEqual([NAME]);

      const rows = await s.query<Record<string, unknown>>(
        'SELECT id, hamlet_id, team_id, target, label FROM targets ORDER BY id',
      );
      expect(rows).toEqual([
        { id: 't-commune', hamlet_id: '', team_id: '', target: 10, label: 'Quý II' },
        { id: 't-hamlet', hamlet_id: 'thon-dong', team_id: '', target: 4, label: null },
      ]);
      const add = `INSERT INTO targets (id, commune_code, period_from, period_to, category, outcome, hamlet_id, team_id,
        target, updated_by, updated_at) VALUES ($1, '99001', '2026-04-01', '2026-06-30', 'online_filing', '', '', $2, 3, 'u1', $3)`;
      await s.run(add, ['t-team', 'team-1', AT]);
      await expect(s.run(add, ['t-team-again', 'team-1', AT])).rejects.toThrow(/UNIQUE|unique|duplicate/);
      await expect(s.run(add, ['t-commune-again', '', AT])).rejects.toThrow(/UNIQUE|unique|duplicate/);
      expect(await s.query('SELECT count(*) AS n FROM targets')).toEqual([
        { n: kind === 'sqlite' ? 3 : '3' },
      ]);
    });
  });
});
