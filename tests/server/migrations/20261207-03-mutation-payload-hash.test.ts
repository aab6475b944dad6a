// Migration 20261207-03-mutation-payload-hash: a stored push result gains the hash of the mutation it
// answered; results stored before have none and stay as they were.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, withStage } from './support.ts';

const NAME = '20261207-03-mutation-payload-hash.sql';
const AT = '2026-04-01T00:00:00.000Z';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('adds an empty payload hash to stored results', async () => {
    await withStage(kind, NAME, async (s) => {
      await s.run(`INSERT INTO communes (code, name) VALUES ('99001', 'Xã Thử')`);
      await s.run(`INSERT INTO users (id, username, display_name, password_hash, role, commune_code)
        VALUES ('u1', 'tnv-thu', 'Người Thử', 'x', 'volunteer', '99001')`);
      await s.run(`INSERT INTO clients (client_id, user_id, updated_at) VALUES ('client-1', 'u1', $1)`, [AT]);
      await s.run(
        `INSERT INTO mutation_results (client_id, seq, mutation_id, result, created_at) VALUES ('client-1', 1, 'm1', $1, $2)`,
        [JSON.stringify({ seq: 1, status: 'applied' }), AT],
      );
      expect(await s.apply()).toEqual([NAME]);
      const rows = await s.query<{ mutation_id: string; payload_hash: string | null; result: unknown }>(
        'SELECT mutation_id, payload_hash, result FROM mutation_results',
      );
      expect(rows.map((r) => [r.mutation_id, r.payload_hash])).toEqual([['m1', null]]);
      const result = typeof rows[0]?.result === 'string' ? JSON.parse(rows[0].result) : rows[0]?.result;
      expect(result).toEqual({ seq: 1, status: 'applied' });
      await s.run(
        `INSERT INTO mutation_results (client_id, seq, mutation_id, result, created_at, payload_hash)
         VALUES ('client-1', 2, 'm2', '{}', $1, $2)`,
        [AT, 'f'.repeat(64)],
      );
      expect(await s.query(`SELECT payload_hash FROM mutation_results WHERE seq = 2`)).toEqual([
        { payload_hash: 'f'.repeat(64) },
      ]);
    });
  });
});
