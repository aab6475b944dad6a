// Migration 20261128-02-retention-and-conflicts: on SQLite it adds the prune horizon, the time of
// each stored push result (backfilled from its client's last write) and the winner of each lost
// value; PostgreSQL's 20261128-01 already has them, so its twin changes nothing.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, columnNames, numbers, withStage } from './support.ts';

const NAME = '20261128-02-retention-and-conflicts.sql';
const CLIENT_AT = '2026-01-02T03:04:05.000Z';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('keeps stored results and history, with the columns and indexes retention needs', async () => {
    await withStage(kind, NAME, async (s) => {
      await s.run(`INSERT INTO communes VALUES ('99009', 'Xã Thử')`);
      await s.run(`INSERT INTO users VALUES ('u1', 'u1', 'U 1', 'x', 'volunteer', '99009', NULL, $1)`, [
        s.bool(true),
      ]);
      await s.run(`INSERT INTO clients VALUES ('client-aaaaaaaa', 'u1', 2, $1)`, [CLIENT_AT]);
      // PostgreSQL's first schema already stores the result's own time.
      const resultAt = kind === 'postgres' ? ', created_at' : '';
      const resultAtValue = kind === 'postgres' ? `, '${CLIENT_AT}'` : '';
      for (const seq of [1, 2])
        await s.run(
          `INSERT INTO mutation_results (client_id, seq, mutation_id, result${resultAt})
           VALUES ('client-aaaaaaaa', $1, $2, $3${resultAtValue})`,
          [seq, `m${seq}`, JSON.stringify({ seq, status: 'applied' })],
        );
      await s.run(
        `INSERT INTO record_history (record_id, version, mutation_id, user_id, op, patch, replaced, lost, at)
         VALUES ('r1', 1, 'm1', 'u1', 'update', '{}', '{}', '{"note":{"value":"a","by":"u1","role":"volunteer"}}', $1)`,
        [CLIENT_AT],
      );
      const before = await s.snapshot();

      expect(await s.apply()).toEqual([NAME]);

      const times = await s.query<{ created_at: string | Date }>(
        'SELECT DISTINCT created_at FROM mutation_results',
      );
      expect(times.map((r) => new Date(r.created_at).toISOString())).toEqual([CLIENT_AT]);
      expect(await s.query('SELECT won FROM record_history')).toEqual([{ won: null }]);
      expect(numbers(await s.query('SELECT pruned_version FROM sync_state'), ['pruned_version'])).toEqual([
        { pruned_version: 0 },
      ]);
      expect(await columnNames(s, 'record_history')).toContain('won');
      expect(await s.indexes('mutation_results')).toContain('mutation_results_created');
      expect(await s.indexes('record_history')).toContain('record_history_lost');
      expect(await s.indexes('records')).toContain('records_tombstones');
      if (kind === 'postgres') expect(await s.snapshot()).toEqual(before);
      else expect(await s.snapshot()).not.toEqual(before);
    });
  });
});
