// Migration 20261128-01-initial: on an empty database it creates the whole first schema, the change
// counter's single row at 0, and the defaults and constraints the code relies on.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, columnNames, numbers, withStage } from './support.ts';

const NAME = '20261128-01-initial.sql';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('creates the tables, the counter row, defaults and constraints', async () => {
    await withStage(kind, NAME, async (s) => {
      expect(await s.tables()).toEqual(['schema_migrations']);
      expect(await s.apply()).toEqual([NAME]);
      expect(await s.tables()).toEqual(
        [
          'clients',
          'communes',
          'hamlets',
          'mutation_results',
          'record_history',
          'records',
          'schema_migrations',
          'sessions',
          'sync_state',
          'teams',
          'users',
        ].sort(),
      );
      expect(numbers(await s.query('SELECT id, version FROM sync_state'), ['id', 'version'])).toEqual([
        { id: 1, version: 0 },
      ]);
      expect(await s.indexes('records')).toEqual(
        expect.arrayContaining([
          'records_commune_version',
          'records_team_version',
          'records_volunteer_version',
        ]),
      );
      expect(await columnNames(s, 'sessions')).toEqual([
        'token_hash',
        'user_id',
        'created_at',
        'last_seen_at',
        'revoked_at',
      ]);

      await s.run(`INSERT INTO communes (code, name) VALUES ('99001', 'Xã Thử')`);
      await s.run(`INSERT INTO hamlets (id, commune_code, name) VALUES ('thon-dong', '99001', 'Thôn Đông')`);
      expect(await s.query('SELECT sort_order, active FROM hamlets')).toEqual([
        { sort_order: 0, active: s.bool(true) },
      ]);
      const user = `INSERT INTO users (id, username, display_name, password_hash, role, commune_code)
        VALUES ($1, $2, 'Người Thử', 'x', $3, '99001')`;
      await s.run(user, ['u1', 'tnv-thu', 'volunteer']);
      expect(await s.query('SELECT active, team_id FROM users')).toEqual([
        { active: s.bool(true), team_id: null },
      ]);
      // A role outside the four, and a username taken, are refused by the schema itself.
      await expect(s.run(user, ['u2', 'khac', 'chief'])).rejects.toThrow(/CHECK|check/);
      await expect(s.run(user, ['u3', 'tnv-thu', 'lead'])).rejects.toThrow(/UNIQUE|unique|duplicate/);
      // The only counter row is the one with id 1.
      await expect(s.run('INSERT INTO sync_state (id, version) VALUES (2, 0)')).rejects.toThrow();

      for (const v of [1, 2])
        await s.run(
          `INSERT INTO record_history (record_id, version, user_id, op, patch, replaced, at)
           VALUES ('r1', $1, 'u1', 'upsert', '{}', '{}', '2026-04-01T00:00:00.000Z')`,
          [v],
        );
      const ids = numbers(await s.query<{ id: number }>('SELECT id FROM record_history ORDER BY version'), [
        'id',
      ]);
      expect(ids[0]?.id).toBeLessThan(ids[1]?.id ?? 0);
    });
  });
});
