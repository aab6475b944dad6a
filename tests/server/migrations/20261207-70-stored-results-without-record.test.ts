// Migration 20261207-70-stored-results-without-record: a stored `conflict` answer loses the record it
// carried (note, consent, review comment) and keeps the rest; other answers stay as they were.
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, withStage } from './support.ts';

const NAME = '20261207-70-stored-results-without-record.sql';
const AT = '2026-04-01T00:00:00.000Z';

describe.each(STORE_KINDS)(`${NAME} on %s`, (kind) => {
  it('removes the record from stored answers, nothing else', async () => {
    await withStage(kind, NAME, async (s) => {
      await s.run(`INSERT INTO communes (code, name) VALUES ('99001', 'Xã Thử')`);
      await s.run(`INSERT INTO users (id, username, display_name, password_hash, role, commune_code)
        VALUES ('u1', 'tnv-thu', 'Người Thử', 'x', 'volunteer', '99001')`);
      await s.run(`INSERT INTO clients (client_id, user_id, updated_at) VALUES ('client-1', 'u1', $1)`, [AT]);
      const conflict = {
        seq: 1,
        status: 'conflict',
        version: 4,
        record: { id: 'r1', note: 'Ghi chú riêng của người dân thử', consent: true },
      };
      const applied = { seq: 2, status: 'applied', version: 5 };
      for (const r of [conflict, applied])
        await s.run(
          `INSERT INTO mutation_results (client_id, seq, mutation_id, result, created_at) VALUES ('client-1', $1, $2, $3, $4)`,
          [r.seq, `m${r.seq}`, JSON.stringify(r), AT],
        );
      expect(await s.apply()).toEqual([NAME]);
      const rows = await s.query<{ seq: number; result: unknown }>(
        'SELECT seq, result FROM mutation_results ORDER BY seq',
      );
      const results = rows.map((r) => (typeof r.result === 'string' ? JSON.parse(r.result) : r.result));
      expect(results).toEqual([{ seq: 1, status: 'conflict', version: 4 }, applied]);
    });
  });
});
